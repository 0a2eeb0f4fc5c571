"""The hand-written TLV encoder against bytes worked out by hand from
OMA-TS-LightweightM2M-V1_0 §6.4.3 and its Appendix examples."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import tlv  # noqa: E402


class Encode(unittest.TestCase):
    def test_short_resource(self):
        # 11 0 0 00 011: resource, 8-bit id, length 3 in the type byte.
        self.assertEqual(tlv.record(tlv.RESOURCE, 0, b"abc"), bytes([0xC3, 0x00]) + b"abc")

    def test_spec_example_manufacturer(self):
        # TS 1.0 §6.4.3.1 example, Device /3/0/0 "Open Mobile Alliance" (20 bytes):
        # C8 00 14 then the text (8-bit length field).
        self.assertEqual(tlv.resources({0: "Open Mobile Alliance"}),
                         bytes([0xC8, 0x00, 0x14]) + b"Open Mobile Alliance")

    def test_spec_example_multiple_resource(self):
        # Same example: /3/0/6 Available Power Sources {0: 1, 1: 5}:
        # 86 06 | 41 00 01 | 41 01 05
        self.assertEqual(tlv.resources({6: {0: 1, 1: 5}}),
                         bytes([0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05]))

    def test_sixteen_bit_id_and_lengths(self):
        self.assertEqual(tlv.record(tlv.RESOURCE, 0x1234, b"\x01"), bytes([0xE1, 0x12, 0x34, 0x01]))
        self.assertEqual(tlv.record(tlv.RESOURCE, 1, b"x" * 300)[:4], bytes([0xD0, 0x01, 0x01, 0x2C]))
        self.assertEqual(tlv.record(tlv.RESOURCE, 1, b"x" * 70000)[:5], bytes([0xD8, 0x01, 0x01, 0x11, 0x70]))

    def test_integer_widths(self):
        self.assertEqual(tlv.integer(0), b"\x00")
        self.assertEqual(tlv.integer(127), b"\x7f")
        self.assertEqual(tlv.integer(128), b"\x00\x80")
        self.assertEqual(tlv.integer(-1), b"\xff")
        self.assertEqual(tlv.integer(300), b"\x01\x2c")
        self.assertEqual(tlv.integer(86400), b"\x00\x01\x51\x80")
        self.assertEqual(tlv.integer(1 << 40), b"\x00\x00\x01\x00\x00\x00\x00\x00")
        with self.assertRaises(ValueError):
            tlv.integer(1 << 63)

    def test_other_value_types(self):
        self.assertEqual(tlv.encode_value(True), b"\x01")
        self.assertEqual(tlv.encode_value(False), b"\x00")
        self.assertEqual(tlv.encode_value(1.5), bytes.fromhex("3ff8000000000000"))
        self.assertEqual(tlv.encode_value(("objlnk", 3, 0)), bytes.fromhex("00030000"))

    def test_object_instance_wraps_resources(self):
        # Server /1/0: short id 1, lifetime 300, binding "U":
        # 08 00 0A | C1 00 01 | C2 01 01 2C | C1 07 55
        self.assertEqual(tlv.object_instance(0, {0: 1, 1: 300, 7: "U"}),
                         bytes.fromhex("08000A" "C10001" "C201012C" "C10755"))

    def test_identifier_range(self):
        with self.assertRaises(ValueError):
            tlv.record(tlv.RESOURCE, 0x10000, b"")


class Decode(unittest.TestCase):
    def test_round_trip(self):
        data = tlv.object_instance(1, {0: "coap://127.0.0.1:5683", 1: False, 2: 3, 6: {0: 1, 1: 5}})
        [(kind, iid, inner)] = tlv.decode(data)
        self.assertEqual((kind, iid), (tlv.OBJECT_INSTANCE, 1))
        self.assertEqual(inner[0], (tlv.RESOURCE, 0, b"coap://127.0.0.1:5683"))
        self.assertEqual(inner[3], (tlv.MULTIPLE_RESOURCE, 6,
                                    [(tlv.RESOURCE_INSTANCE, 0, b"\x01"), (tlv.RESOURCE_INSTANCE, 1, b"\x05")]))

    def test_truncated(self):
        for bad in (b"\xc3\x00ab", b"\xc8\x00", b"\xe1\x12"):
            with self.assertRaises(ValueError):
                tlv.decode(bad)


if __name__ == "__main__":
    unittest.main()

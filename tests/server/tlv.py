"""OMA LwM2M TLV (application/vnd.oma.lwm2m+tlv, content format 11542),
written by hand from OMA-TS-LightweightM2M-V1_0 §6.4.3 so the test server does
not share a codec with anything it tests.

Type byte: bits 7-6 identifier type (00 object instance, 01 resource instance,
10 multiple resource, 11 resource with value); bit 5 identifier width (0: 8
bit, 1: 16 bit); bits 4-3 length type (00: length in bits 2-0, 01/10/11: an
8/16/24-bit length field follows the identifier); bits 2-0 the short length.
"""
import struct

CONTENT_FORMAT = 11542

OBJECT_INSTANCE = 0b00
RESOURCE_INSTANCE = 0b01
MULTIPLE_RESOURCE = 0b10
RESOURCE = 0b11


def record(kind, ident, value):
    """One TLV record of `kind` with identifier `ident` and raw `value` bytes."""
    if not 0 <= ident <= 0xFFFF:
        raise ValueError("identifier out of range")
    n = len(value)
    if n > 0xFFFFFF:
        raise ValueError("value too long")
    type_byte = kind << 6
    id_bytes = bytes([ident]) if ident <= 0xFF else struct.pack(">H", ident)
    if ident > 0xFF:
        type_byte |= 0x20
    if n <= 7:
        type_byte |= n
        len_bytes = b""
    elif n <= 0xFF:
        type_byte |= 0x08
        len_bytes = bytes([n])
    elif n <= 0xFFFF:
        type_byte |= 0x10
        len_bytes = struct.pack(">H", n)
    else:
        type_byte |= 0x18
        len_bytes = struct.pack(">I", n)[1:]
    return bytes([type_byte]) + id_bytes + len_bytes + bytes(value)


def integer(v):
    """Signed big-endian in the shortest of 1, 2, 4, 8 bytes (§6.4.3 / Appendix C)."""
    for width, fmt in ((1, ">b"), (2, ">h"), (4, ">i"), (8, ">q")):
        lo, hi = -(1 << (8 * width - 1)), (1 << (8 * width - 1)) - 1
        if lo <= v <= hi:
            return struct.pack(fmt, v)
    raise ValueError("integer out of 64-bit range")


def boolean(v):
    return b"\x01" if v else b"\x00"


def string(v):
    return v.encode("utf-8")


def float_(v, width=8):
    return struct.pack(">f" if width == 4 else ">d", v)


def objlnk(obj, inst):
    return struct.pack(">HH", obj, inst)


def encode_value(v):
    """Python value -> TLV value bytes: bool, int, float, str, bytes, or
    ("objlnk", obj, inst)."""
    if isinstance(v, bool):
        return boolean(v)
    if isinstance(v, int):
        return integer(v)
    if isinstance(v, float):
        return float_(v)
    if isinstance(v, str):
        return string(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v)
    if isinstance(v, tuple) and len(v) == 3 and v[0] == "objlnk":
        return objlnk(v[1], v[2])
    raise TypeError(f"no TLV encoding for {v!r}")


def resources(values):
    """{resource id: value or {instance id: value}} -> concatenated records
    (a dict value becomes a Multiple Resource of Resource Instances)."""
    out = b""
    for rid in sorted(values):
        v = values[rid]
        if isinstance(v, dict):
            inner = b"".join(record(RESOURCE_INSTANCE, i, encode_value(v[i])) for i in sorted(v))
            out += record(MULTIPLE_RESOURCE, rid, inner)
        else:
            out += record(RESOURCE, rid, encode_value(v))
    return out


def object_instance(iid, values):
    return record(OBJECT_INSTANCE, iid, resources(values))


def decode(data):
    """Bytes -> list of (kind, id, value) where value is bytes for RESOURCE /
    RESOURCE_INSTANCE and a nested list otherwise. Raises ValueError on
    truncated or malformed input."""
    out = []
    i = 0
    while i < len(data):
        t = data[i]
        i += 1
        kind = t >> 6
        id_len = 2 if t & 0x20 else 1
        len_type = (t >> 3) & 0x03
        if i + id_len + len_type > len(data):
            raise ValueError("truncated TLV header")
        ident = int.from_bytes(data[i:i + id_len], "big")
        i += id_len
        if len_type == 0:
            n = t & 0x07
        else:
            n = int.from_bytes(data[i:i + len_type], "big")
            i += len_type
        if i + n > len(data):
            raise ValueError("truncated TLV value")
        value = bytes(data[i:i + n])
        i += n
        if kind in (OBJECT_INSTANCE, MULTIPLE_RESOURCE):
            out.append((kind, ident, decode(value)))
        else:
            out.append((kind, ident, value))
    return out


def decode_int(b):
    if len(b) not in (1, 2, 4, 8):
        raise ValueError("bad integer width")
    return int.from_bytes(b, "big", signed=True)

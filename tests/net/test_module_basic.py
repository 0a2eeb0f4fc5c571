"""Smoke test of lwat-module: the commands the module's own firmware answers,
line framing, echo, option errors. Exact bytes, as an MCU on the UART sees them.

Runs with `python3 -m unittest discover -s tests/net` or pytest.
"""
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from module import ModuleProcess, build_module, run_module  # noqa: E402

IMEI = "861234567890123"
IMSI = "460001234567890"
OK = b"\r\nOK\r\n"
ERROR = b"\r\nERROR\r\n"


def module(profile, script, *extra):
    rc, out, err = run_module(["--profile", profile, "--imei", IMEI, "--imsi", IMSI,
                               "--linger-ms", "0", *extra], script)
    assert rc == 0, (rc, err)
    return out


class BasicCommands(unittest.TestCase):
    def test_at_answers_ok(self):
        self.assertEqual(module("onemo", b"AT\r\n"), OK)

    def test_ati_bc260y_is_the_manual_text(self):
        # seed 003 ATI example: Quectel_Ltd / Quectel_BC260Y-CN / Revision: BC260YCNAAR01A03
        self.assertEqual(module("bc260y", b"ATI\r"),
                         b"\r\nQuectel_Ltd\r\nQuectel_BC260Y-CN\r\nRevision: BC260YCNAAR01A03\r\n" + OK)

    def test_ati_per_profile(self):
        self.assertEqual(module("qla", b"ATI\r"),
                         b"\r\nQuectel_Ltd\r\nQuectel_BC26\r\nRevision: BC26NBR01A10\r\n" + OK)
        self.assertEqual(module("onemo", b"ATI\r"),
                         b"\r\nCMCC\r\nML307R-DC\r\nRevision: ML307R-DC_V1.0.0\r\n" + OK)
        self.assertEqual(module("onemo", b"ATI\r", "--revision", "X1"),
                         b"\r\nCMCC\r\nML307R-DC\r\nRevision: X1\r\n" + OK)

    def test_cgsn_forms(self):
        self.assertEqual(module("onemo", b"AT+CGSN\r"), b"\r\n" + IMEI.encode() + b"\r\n" + OK)
        self.assertEqual(module("onemo", b"AT+CGSN=0\r"), b"\r\n" + IMEI.encode() + b"\r\n" + OK)
        self.assertEqual(module("qla", b"AT+CGSN=1\r"), b"\r\n+CGSN: " + IMEI.encode() + b"\r\n" + OK)
        self.assertEqual(module("qla", b"AT+CGSN=?\r"), b"\r\n+CGSN: (0,1)\r\n" + OK)
        self.assertEqual(module("qla", b"AT+CGSN=7\r"), b"\r\n+CME ERROR: 50\r\n")

    def test_cimi(self):
        self.assertEqual(module("bc260y", b"AT+CIMI\n"), b"\r\n" + IMSI.encode() + b"\r\n" + OK)

    def test_commands_are_case_insensitive(self):
        self.assertEqual(module("bc260y", b"at+cimi\n"), b"\r\n" + IMSI.encode() + b"\r\n" + OK)

    def test_cmee_set_read_and_bad_values(self):
        out = module("onemo", b"AT+CMEE?\rAT+CMEE=0\rAT+CMEE?\rAT+CMEE=3\rAT+CMEE=2\rAT+CMEE=\r"
                               b"AT+CMEE=?\rAT+CMEE?\r")
        self.assertEqual(out, b"\r\n+CMEE: 1\r\n" + OK + OK + b"\r\n+CMEE: 0\r\n" + OK
                         + ERROR + OK + b"\r\n+CME ERROR: 50\r\n"
                         + b"\r\n+CMEE: (0-2)\r\n" + OK + b"\r\n+CMEE: 2\r\n" + OK)

    def test_cmee_option_sets_the_start_mode(self):
        self.assertEqual(module("onemo", b"AT+CMEE?\r", "--cmee", "0"), b"\r\n+CMEE: 0\r\n" + OK)

    def test_unknown_line_gets_error(self):
        self.assertEqual(module("onemo", b"AT+NOSUCH\rhello\r"), ERROR + ERROR)

    def test_overlong_line_gets_one_error_then_recovers(self):
        self.assertEqual(module("onemo", b"AT" + b"X" * 10000 + b"\rAT\r"), ERROR + OK)


class Framing(unittest.TestCase):
    def test_cr_lf_crlf_and_empty_lines(self):
        self.assertEqual(module("onemo", b"AT\rAT\nAT\r\n\r\n\n\rAT"), OK * 4)

    def test_input_split_across_reads_is_one_line(self):
        # A UART delivers bytes as they come; the framer must join them, and
        # answer each line as soon as its terminator arrives.
        proc = subprocess.Popen([str(build_module()), "--profile", "onemo"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        try:
            proc.stdin.write(b"A")
            proc.stdin.flush()
            time.sleep(0.1)
            proc.stdin.write(b"T\r")
            proc.stdin.flush()
            self.assertEqual(os.read(proc.stdout.fileno(), 100), OK)  # before end of input
            proc.stdin.close()
            self.assertEqual(proc.wait(timeout=5), 0)
        finally:
            proc.kill()
            proc.wait()

    def test_echo_off_by_default_and_switchable(self):
        out = module("onemo", b"AT\rATE1\rAT\rAT+CIMI\rATE0\rAT\r")
        self.assertEqual(out, OK + OK + b"AT\r" + OK + b"AT+CIMI\r\r\n" + IMSI.encode() + b"\r\n" + OK
                         + b"ATE0\r" + OK + OK)


class Options(unittest.TestCase):
    def bad(self, *args):
        rc, out, err = run_module(list(args), b"")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, b"")

    def test_bad_options_exit_2(self):
        self.bad("--profile", "nope")
        self.bad()
        self.bad("--profile", "onemo", "--imei", "12ab")
        self.bad("--profile", "onemo", "--map", "host")
        self.bad("--profile", "onemo", "--map", "host=1.2.3.4")
        self.bad("--profile", "onemo", "--map", "host=1.2.3.4:99999")
        self.bad("--profile", "onemo", "--cmee", "3")

    def test_good_maps_accepted(self):
        out = module("onemo", b"AT\r", "--map", "nbiotbt.heclouds.com:5683=127.0.0.1:40123",
                     "--map", "bs.example=[::1]:5684", "--map", "x=localhost:1")
        self.assertEqual(out, OK)

    def test_nv_dir_is_created(self):
        with tempfile.TemporaryDirectory() as d:
            nv = os.path.join(d, "flash")
            self.assertEqual(module("qla", b"AT\r", "--nv", nv), OK)
            self.assertTrue(os.path.isdir(nv))

    def test_exits_at_end_of_input_when_nothing_pending(self):
        # With the default 5 s linger the module still exits at once: nothing is pending.
        rc, out, _ = run_module(["--profile", "onemo"], b"AT\r", timeout=3)
        self.assertEqual((rc, out), (0, OK))


class Interactive(unittest.TestCase):
    def test_module_process_answers_line_by_line(self):
        with ModuleProcess(["--profile", "qla", "--imei", IMEI]) as m:
            m.send("AT")
            self.assertEqual(m.expect(OK), OK)
            m.send("AT+CGSN=1", end=b"\r")
            self.assertEqual(m.expect(OK), b"\r\n+CGSN: " + IMEI.encode() + b"\r\n" + OK)
            with self.assertRaises(TimeoutError):
                m.expect(OK, timeout=0.2)
            self.assertEqual(m.close()[0], 0)


if __name__ == "__main__":
    unittest.main()

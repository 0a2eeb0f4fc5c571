"""What the network tests (and the demo) share: the test LwM2M server, the
seeded loss relay and lwat-module, wired on 127.0.0.1 with ephemeral ports,
every wait bounded, every process torn down.

    class T(NetTest):
        def test_x(self):
            srv = self.server()
            m = self.module("onemo", maps=onenet_maps(srv))
            m.at('AT+MIPLCREATEEX="nbiotbt.heclouds.com:5683",1', "+MIPLCREATEEX: 0", "OK")
            m.urcs("+MIPLEVENT: 0,6", timeout=10)

Lines are compared whole, as the MCU sees them between CR LF pairs; `{name}`
in an expected line matches a decimal number and binds it (the same name
later must repeat the same number): message ids may differ from the
manuals', everything else must match.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER_DIR = os.path.join(ROOT, "tests", "server")
sys.path.insert(0, HERE)
sys.path.insert(0, SERVER_DIR)

from harness import TestServer  # noqa: E402
from module import ModuleProcess  # noqa: E402

IMEI = "861234567890123"
IMSI = "460001234567890"

# The registration payload's built-in part (DESIGN.md "Registration";
# src/lwm2m/wire.rs BUILTIN_LINKS). One place to change it.
LINKS_HEAD = '</>;rt="oma.lwm2m",</1/0>,</3/0>'
OPTION_AUTH_CODE = 63  # OneNET auth code (DESIGN.md)
LINK_FORMAT = 40


def links(*extra):
    """The Register payload: built-ins then the MCU's instances, e.g. links("/3200/0")."""
    return ",".join([LINKS_HEAD] + [f"<{p}>" for p in extra])


def slow(fn):
    """Marks a test the runner should start first (long timers)."""
    fn.slow = True
    return fn


# ------------------------------------------------------------- AT lines ---

class AtSession:
    """An MCU's view of lwat-module: send a line, then expect exact lines."""

    def __init__(self, proc, name="", echo=None):
        self.proc = proc  # a started ModuleProcess
        self.name = name
        self.vars = {}
        self.seen = []  # every line read, for failure messages and the demo
        self.echo = echo  # callable(direction, text) for the demo's dialogue
        self.buf = b""  # bytes read but not yet split into lines

    # -- raw line reading --

    def _fill(self, timeout):
        before = len(self.proc.output)
        self.proc._read(max(0.0, timeout))
        self.buf += self.proc.output[before:]
        self.proc.pos = len(self.proc.output)

    def next_line(self, deadline):
        """The next non-empty line, or None when `deadline` passes first."""
        while True:
            while b"\r\n" in self.buf:
                line, self.buf = self.buf.split(b"\r\n", 1)
                if line == b"":
                    continue
                text = line.decode("utf-8", "replace")
                if "\r" in text or "\n" in text:
                    raise AssertionError(f"{self.name}: bare CR or LF in {text!r} (framing is CR LF)")
                self.seen.append(text)
                if self.echo:
                    self.echo("MOD<", text)
                return text
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if self.proc.proc.poll() is not None and not self.proc.sel.select(0):
                # The module exited: nothing more will come.
                self._fill(0)
                if b"\r\n" not in self.buf:
                    return None
                continue
            self._fill(min(remaining, 0.5))

    # -- expectations --

    def _pattern(self, expected):
        out = ""
        for part in re.split(r"(\{\w+\})", expected):
            m = re.fullmatch(r"\{(\w+)\}", part)
            if m is None:
                out += re.escape(part)
            elif m.group(1) in self.vars:
                out += re.escape(str(self.vars[m.group(1)]))
            else:
                out += f"(?P<{m.group(1)}>\\d+)"
        return re.compile(out + r"\Z")

    def expect(self, expected, timeout=5):
        """The next line must be `expected` (template). Returns bound values."""
        deadline = time.monotonic() + timeout
        line = self.next_line(deadline)
        if line is None:
            self.fail(f"waited {timeout} s for {expected!r}, nothing came")
        m = self._pattern(expected).match(line)
        if m is None:
            self.fail(f"expected {expected!r}, got {line!r}")
        for k, v in m.groupdict().items():
            self.vars[k] = int(v)
        return m.groupdict()

    def urcs(self, *expected, timeout=5):
        """The next lines are exactly `expected`, all within `timeout`."""
        deadline = time.monotonic() + timeout
        for e in expected:
            self.expect(e, timeout=max(0.0, deadline - time.monotonic()))
        return dict(self.vars)

    def send(self, line):
        if self.echo:
            self.echo("MCU>", line)
        self.proc.send(line)

    def at(self, line, *expected, timeout=5):
        """Sends `line` and expects exactly the lines `expected` (response
        then any URCs listed), within `timeout`."""
        self.send(line)
        return self.urcs(*expected, timeout=timeout)

    def quiet(self, seconds):
        """Nothing more is printed for `seconds` (no duplicate URC, ...)."""
        line = self.next_line(time.monotonic() + seconds)
        if line is not None:
            self.fail(f"unexpected line {line!r} (nothing more was due within {seconds} s)")

    def wait_for(self, expected, timeout):
        """Skips lines until one matches `expected`; returns the skipped ones."""
        deadline = time.monotonic() + timeout
        pattern = self._pattern(expected)
        skipped = []
        while True:
            line = self.next_line(deadline)
            if line is None:
                self.fail(f"waited {timeout} s for {expected!r}; saw {skipped!r}")
            m = pattern.match(line)
            if m:
                for k, v in m.groupdict().items():
                    self.vars[k] = int(v)
                return skipped
            skipped.append(line)

    def fail(self, text):
        tail = "\n".join(f"    {x}" for x in self.seen[-20:])
        raise AssertionError(f"{self.name}: {text}\n  lines so far:\n{tail}")


# ----------------------------------------------------------- the relay ---

class RelayProcess:
    """tests/server/udp_relay.py in front of a server port (seeded fates)."""

    def __init__(self, upstream_port, python, seed=7, **opts):
        self.log_file = tempfile.NamedTemporaryFile("w+", suffix=".relay.log", delete=False)
        args = [python, os.path.join(SERVER_DIR, "udp_relay.py"), "--upstream", f"127.0.0.1:{upstream_port}",
                "--seed", str(seed), "--lifetime", "120", "--log", self.log_file.name]
        for key, value in opts.items():
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            args += ["--" + key.replace("_", "-"), str(value)]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(10):
            self.stop()
            raise TimeoutError("relay did not start")
        self.port = json.loads(self.proc.stdout.readline())["relay_port"]
        sel.close()

    def log(self):
        with open(self.log_file.name) as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop(self):
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc.stdout.close()
        self.proc = None
        try:
            os.unlink(self.log_file.name)
        except OSError:
            pass


# ----------------------------------------------------------- the tests ---

def module_args(profile, maps=(), imei=IMEI, imsi=IMSI, extra=()):
    args = ["--profile", profile, "--imei", imei, "--imsi", imsi, "--linger-ms", "0"]
    for host, port in maps:
        args += ["--map", f"{host}=127.0.0.1:{port}"]
    return args + list(extra)


class NetTest(unittest.TestCase):
    """A test with its own server, relays and modules, all torn down after."""

    python = sys.executable

    def server(self, lifetime=120):
        srv = TestServer(lifetime=lifetime, python=self.python).start()
        self.addCleanup(srv.stop)
        self.srv = srv
        return srv

    def relay(self, upstream_port, **opts):
        relay = RelayProcess(upstream_port, self.python, **opts)
        self.addCleanup(relay.stop)
        return relay

    def module(self, profile, maps=(), extra=(), name=None):
        proc = ModuleProcess(module_args(profile, maps, extra=extra))
        proc.__enter__()
        self.addCleanup(proc.close, 5)
        return AtSession(proc, name or profile)

    # -- the server's view --

    def registration(self, timeout=10, since=0, **match):
        """The next `register` event (waits), as the server recorded it."""
        return self.srv.wait({"kind": "register", **match}, timeout=timeout, since=since)

    def count(self, kind, **match):
        return len(self.srv.events(kind=kind, **match))

    def assert_register(self, event, ep, lt, b="U", payload=None, auth_code=None):
        """seed/DESIGN: POST /rd?ep=..&lt=..&lwm2m=1.0&b=.. + link-format."""
        query = dict(q.partition("=")[::2] for q in event["query"])
        self.assertEqual(query, {"ep": ep, "lt": str(lt), "lwm2m": "1.0", "b": b}, event["query"])
        self.assertEqual(event["path"], "/rd")
        self.assertEqual(event["mtype"], "CON")
        self.assertEqual(event["content_format"], LINK_FORMAT)
        if payload is not None:
            self.assertEqual(event["payload"], payload)
        self.assert_auth_code(event, auth_code)

    def assert_auth_code(self, event, auth_code):
        """Option 63 carries the OneNET auth code, and only when one is given."""
        got = [o["value_hex"] for o in event["options"] if o["number"] == OPTION_AUTH_CODE]
        want = [auth_code.encode().hex()] if auth_code is not None else []
        self.assertEqual(got, want, "option 63 (auth code)")

    def update_query(self, event):
        return dict(q.partition("=")[::2] for q in event["query"])

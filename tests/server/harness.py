"""Start, drive and stop the test LwM2M server (server.py) from a test.

    with TestServer() as srv:
        srv.lwm2m_port, srv.bs_port
        srv.wait({"kind": "register"}, timeout=10)
        srv.call("fail", on="register", action="code", code="4.03")
        srv.call("request", ep="urn:x", method="GET", path="/3/0/0")

Every call is bounded: `call` raises TimeoutError when the server does not
answer in time, and `stop` kills the process after a grace period. The
process itself exits after `lifetime` seconds whatever happens.
"""
import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "server.py")


class ControlError(RuntimeError):
    pass


class TestServer:
    __test__ = False  # not a pytest test class

    def __init__(self, lifetime=300, python=None, startup_timeout=20):
        self.lifetime = lifetime
        self.python = python or sys.executable
        self.startup_timeout = startup_timeout
        self.proc = None
        self.sock = None
        self.buf = b""
        self.next_id = 0

    # -- lifecycle --

    def start(self):
        self.proc = subprocess.Popen([self.python, SERVER, "--lifetime", str(self.lifetime)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self._read_stdout_line(self.startup_timeout)
        ports = json.loads(line)
        self.lwm2m_port = ports["lwm2m_port"]
        self.bs_port = ports["bs_port"]
        self.control_port = ports["control_port"]
        self.sock = socket.create_connection(("127.0.0.1", self.control_port), timeout=5)
        return self

    def _read_stdout_line(self, timeout):
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not sel.select(remaining):
                self.stop()
                raise TimeoutError("server did not start")
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                self.stop()
                raise RuntimeError("server exited during startup")
            data += chunk
        return data.decode()

    def stop(self, grace=5):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.proc is not None:
            try:
                self.proc.stdin.close()  # EOF on stdin: the server shuts down
            except OSError:
                pass
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=grace)
            self.proc.stdout.close()
            self.returncode = self.proc.returncode
            self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- control protocol --

    def call(self, op, _wait=None, **fields):
        """Sends {"op": op, **fields} and returns the answer (a dict) or
        raises ControlError with the server's error text. Waits `_wait`
        seconds, by default the command's own "timeout" plus 5."""
        self.next_id += 1
        cmd = {"id": self.next_id, "op": op, **fields}
        wait = _wait if _wait is not None else float(fields.get("timeout", 5)) + 5
        self.sock.settimeout(wait)
        self.sock.sendall((json.dumps(cmd) + "\n").encode())
        deadline = time.monotonic() + wait
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                answer = json.loads(line)
                if answer.get("id") == self.next_id:
                    if not answer["ok"]:
                        raise ControlError(answer["error"])
                    return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer to {op}")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError(f"no answer to {op}") from None
            if not chunk:
                raise ControlError("server closed the control connection")
            self.buf += chunk

    def events(self, since=0, **match):
        return self.call("events", since=since, match=match)["events"]

    def wait(self, match, timeout=5, since=0):
        return self.call("wait", match=match, timeout=timeout, since=since)["event"]

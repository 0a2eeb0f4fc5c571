"""Helpers for driving examples-c/posix-module (lwat-module) from Python tests.

`build_module()` builds it once per process with make (which runs cargo) and
returns the binary path; LWAT_MODULE=<path> skips the build. `run_module()`
feeds a whole AT script on stdin and returns the raw stdout bytes.
"""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODULE_DIR = ROOT / "examples-c" / "posix-module"
_built = None


def build_module(timeout=600):
    global _built
    if _built is None:
        given = os.environ.get("LWAT_MODULE")
        if given:
            _built = pathlib.Path(given)
        else:
            subprocess.run(["make", "-s", "-C", str(MODULE_DIR)], check=True, timeout=timeout)
            _built = MODULE_DIR / "build" / "lwat-module"
    return _built


def run_module(args, stdin_bytes, timeout=20):
    """Runs lwat-module with `args`, returns (returncode, stdout, stderr)."""
    proc = subprocess.run([str(build_module()), *args], input=stdin_bytes,
                          capture_output=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


class ModuleProcess:
    """An interactive lwat-module: write AT lines, read what it prints with
    bounded waits (for network tests where URCs arrive later).

        with ModuleProcess(["--profile", "onemo", "--map", f"h=127.0.0.1:{port}"]) as m:
            m.send("AT+MIPLCREATE")
            m.expect(b"\\r\\nOK\\r\\n", timeout=5)
    """

    def __init__(self, args):
        self.args = args
        self.proc = None
        self.output = b""  # everything printed so far
        self.pos = 0  # how much of it `expect` has consumed

    def __enter__(self):
        import selectors
        self.proc = subprocess.Popen([str(build_module()), *self.args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, line, end=b"\r\n"):
        self.proc.stdin.write((line.encode() if isinstance(line, str) else line) + end)
        self.proc.stdin.flush()

    def _read(self, timeout):
        if self.sel.select(timeout):
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return False
            self.output += chunk
        return True

    def expect(self, needle, timeout=5):
        """Waits until `needle` appears after what earlier expects consumed;
        returns the text up to and including it. TimeoutError otherwise."""
        import time
        deadline = time.monotonic() + timeout
        while True:
            at = self.output.find(needle, self.pos)
            if at >= 0:
                text = self.output[self.pos:at + len(needle)]
                self.pos = at + len(needle)
                return text
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                raise TimeoutError(f"{needle!r} not in {self.output[self.pos:]!r}")

    def close(self, timeout=10):
        """Ends input and waits (bounded) for the module's own exit; returns
        (returncode, stderr). Kills it when it does not exit in time."""
        if self.proc is None:
            return None
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        import time
        deadline = time.monotonic() + timeout
        # Keep reading stdout so a chatty module never blocks on a full pipe.
        while self.proc.poll() is None and time.monotonic() < deadline:
            if not self._read(min(0.1, max(0.0, deadline - time.monotonic()))):
                break
        try:
            self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        while self._read(0) and self.sel.select(0):
            pass
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.sel.close()
        rc, self.proc = self.proc.returncode, None
        return rc, err

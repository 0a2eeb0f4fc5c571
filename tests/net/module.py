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

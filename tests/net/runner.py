#!/usr/bin/env python3
"""Runs every test of tests/net, each in its own process, several at once
(they mostly wait on timers), slow ones first; bounded per test. Prints one
line per test, the output of failures, and last `N passed, N failed`.

    python tests/net/runner.py [-j JOBS] [-k SUBSTRING]... [--per-test S]
"""
import argparse
import os
import signal
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def discover(patterns):
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    tests = []

    def walk(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                walk(t)
            elif isinstance(t, unittest.loader._FailedTest):
                raise SystemExit(f"cannot import {t.id()}: {t._exception}")
            else:
                tests.append(t)
    walk(suite)
    ids = []
    for t in tests:
        if patterns and not any(p in t.id() for p in patterns):
            continue
        is_slow = getattr(getattr(t, t._testMethodName), "slow", False)
        ids.append((not is_slow, t.id()))
    return [i for _, i in sorted(ids)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("LWAT_NET_JOBS", "6")))
    ap.add_argument("-k", action="append", default=[])
    ap.add_argument("--per-test", type=float, default=60.0)
    args = ap.parse_args()
    pending = discover(args.k)
    running = {}  # id -> (proc, start, logfile)
    results = []
    env = dict(os.environ, PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def stop_all(*_):
        for tid, (proc, _, log) in running.items():
            os.killpg(proc.pid, signal.SIGKILL)
            results.append((tid, False, 0.0))
            print(f"KILLED {tid}", flush=True)
        running.clear()
        finish()

    def finish():
        passed = sum(1 for _, ok, _ in results if ok)
        failed = len(results) - passed + len(pending)
        print(f"{passed} passed, {failed} failed", flush=True)
        sys.exit(0 if failed == 0 else 1)

    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    import tempfile
    while pending or running:
        while pending and len(running) < args.jobs:
            tid = pending.pop(0)
            log = tempfile.TemporaryFile()
            proc = subprocess.Popen([sys.executable, "-m", "unittest", tid], cwd=HERE, env=env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            running[tid] = (proc, time.monotonic(), log)
        time.sleep(0.05)
        for tid, (proc, start, log) in list(running.items()):
            elapsed = time.monotonic() - start
            if proc.poll() is None and elapsed < args.per_test:
                continue
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                note = f" (killed after {args.per_test:.0f} s)"
            else:
                note = ""
                try:  # children the test forgot (it should not): bounded teardown
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            del running[tid]
            ok = proc.returncode == 0
            results.append((tid, ok, elapsed))
            print(f"{'PASS' if ok else 'FAIL'} {tid} ({elapsed:.1f} s){note}", flush=True)
            if not ok:
                log.seek(0)
                text = log.read().decode("utf-8", "replace")
                print("    " + "\n    ".join(text.strip().splitlines()[-40:]), flush=True)
            log.close()
    finish()


if __name__ == "__main__":
    main()

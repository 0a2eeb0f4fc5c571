#!/usr/bin/env bash
# Creates the venv (tests/server/setup-venv.sh) and runs the test server's
# own tests (TLV, relay, server against aiocoap's client) and the
# lwat-module smoke test, each bounded in time. Extra args go to pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="$(timeout 600 "$here/setup-venv.sh" | tail -n 1)"
cd "$root"
# make builds lwat-module (and cargo builds the staticlib) before the clock
# of the test run starts.
timeout 900 make -s -C examples-c/posix-module all check
timeout 600 "$py" -m pytest -q -p no:cacheprovider tests/server tests/net/test_module_basic.py "$@"
# The network tests of lwat itself (tests/net/test_*.py): tests/net/run.sh.

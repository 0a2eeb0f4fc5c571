#!/usr/bin/env bash
# The network tests: lwat-module against the aiocoap test server on
# 127.0.0.1 (tests/net/test_*.py), run in parallel processes, bounded.
# Creates/reuses the venv, builds lwat-module, prints `N passed, N failed`
# last and exits non-zero on any failure. Extra args go to runner.py
# (-j JOBS, -k SUBSTRING, --per-test S). LWAT_NET_TIMEOUT bounds the run (s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="$(timeout 600 "$root/tests/server/setup-venv.sh" | tail -n 1)"
timeout 900 make -s -C "$root/examples-c/posix-module" all
export LWAT_MODULE="$root/examples-c/posix-module/build/lwat-module"
exec timeout -s TERM "${LWAT_NET_TIMEOUT:-300}" "$py" "$here/runner.py" "$@"

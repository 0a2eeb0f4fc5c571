#!/usr/bin/env bash
# Creates (or reuses) the Python virtual environment for the test LwM2M server
# at <repo>/.venv with the exact pins of tests/server/requirements.txt.
# Idempotent: a venv whose installed pins match the requirements is left alone.
# Prints the venv's python path on stdout as its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${LWAT_VENV:-$root/.venv}"
req="$here/requirements.txt"
py="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv" >&2
fi
stamp="$venv/.lwat-requirements"
if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req" >&2
    cp "$req" "$stamp"
fi
echo "$venv/bin/python"

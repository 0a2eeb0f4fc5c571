#!/usr/bin/env bash
# Regenerates include/lwat.h from src/ffi/mod.rs + cbindgen.toml into a temp
# file and fails when it differs from the committed header.
#   tools/check-header.sh         check (CI)
#   tools/check-header.sh --fix   rewrite include/lwat.h
set -euo pipefail
cd "$(dirname "$0")/.."
CBINDGEN="${CBINDGEN:-$(command -v cbindgen || echo "$HOME/.cargo/bin/cbindgen")}"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
# Single-file mode: only src/ffi/mod.rs is the C API (see cbindgen.toml).
"$CBINDGEN" --quiet --config cbindgen.toml --output "$tmp" src/ffi/mod.rs
if [[ "${1:-}" == "--fix" ]]; then
    cp "$tmp" include/lwat.h
    echo "include/lwat.h regenerated"
    exit 0
fi
if ! diff -u include/lwat.h "$tmp"; then
    echo "include/lwat.h is stale: run tools/check-header.sh --fix and commit it" >&2
    exit 1
fi
echo "include/lwat.h matches cbindgen output"

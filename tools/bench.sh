#!/usr/bin/env bash
# Instruction-count benchmark: tools/bench/bench.c over include/lwat.h and the
# release staticlib (opt-level z, as shipped), under callgrind. Prints, per
# group of calls, the instructions per call (x86_64 host instructions: use it
# to compare changes, not as a Cortex-M cycle count).
#   tools/bench.sh [N]    N iterations per group (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --quiet --release --lib
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -Iinclude -o "$out/bench" tools/bench/bench.c \
    "$TARGET_DIR/release/liblwat.a" -lpthread -ldl -lm
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$out/bench" "$N" >"$out/groups.tsv" 2>"$out/valgrind.log" || {
    cat "$out/valgrind.log" >&2
    exit 1
}
python3 - "$out" <<'PY'
import glob, re, sys
out = sys.argv[1]
counts = {}
for path in glob.glob(f"{out}/cg.out.*"):
    text = open(path).read()
    label = re.search(r"^desc: Trigger: Client Request: (\S+)$", text, re.M)
    total = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
    if label and total:
        counts[label.group(1)] = int(total.group(1))
print("| profile | call(s), one iteration | result | instructions per call | output bytes per iteration |")
print("| --- | --- | --- | ---: | ---: |")
missing = []
for row in open(f"{out}/groups.tsv"):
    label, profile, calls, result, what, out_bytes = row.rstrip("\n").split("\t")
    if label not in counts:
        missing.append(label)
        continue
    per_call = counts[label] / int(calls)
    print(f"| {profile} | `{what}` | {result} | {per_call:,.0f} | {out_bytes} |")
if missing:
    sys.exit(f"no callgrind dump for {missing}")
PY

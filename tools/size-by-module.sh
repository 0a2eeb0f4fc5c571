#!/usr/bin/env bash
# Flash bytes per lwat module in the footprint image (after LTO and
# --gc-sections), to see where the budget goes. Run tools/footprint.sh first.
#   tools/size-by-module.sh [target]   (default thumbv7em-none-eabihf)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-thumbv7em-none-eabihf}"
# The default-features image footprint.sh kept (the last build of a target
# may be another feature set).
image="${CARGO_TARGET_DIR:-$PWD/target}/footprint/$target-default.elf"
sysroot="$(rustc --print sysroot)"
nm="$(find "$sysroot" -name llvm-nm -type f | head -n 1)"
if [[ -z "$nm" ]]; then
    rustup component add llvm-tools >/dev/null
    nm="$(find "$sysroot" -name llvm-nm -type f | head -n 1)"
fi
"$nm" --print-size --size-sort --demangle "$image" | python3 -c '
import re, sys, collections
sizes = collections.Counter()
for line in sys.stdin:
    parts = line.split(None, 3)
    if len(parts) < 4 or parts[2] not in "tTrR":
        continue
    size, name = int(parts[1], 16), parts[3].strip()
    m = re.search(r"lwat::(\w+(?:::\w+)?)", name)
    key = "lwat::" + m.group(1) if m else ("compiler_builtins" if "compiler_builtins" in name or name.startswith("__aeabi") else
          "serde/postcard" if re.search(r"serde|postcard", name) else "nom" if "nom::" in name else
          "core" if name.startswith(("core::", "<core", "_<core")) else name[:60])
    sizes[key] += size
total = sum(sizes.values())
for key, size in sizes.most_common():
    print(f"{size:7d}  {key}")
print(f"{total:7d}  total (text + rodata symbols)")
'

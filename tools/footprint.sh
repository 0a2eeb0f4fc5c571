#!/usr/bin/env bash
# Footprint benchmark: links tools/footprint (a bare-metal image that uses every
# lwat_* entry point) for the Cortex-M targets in release (opt-level z, LTO,
# --gc-sections, rust-lld) and prints flash, RAM and engine size per target.
# Fails when an image holds a C library routine other than mem*, or when the
# budget is exceeded: flash <= 32 KiB (FLASH_BUDGET), LWAT_CTX_SIZE <= 6 KiB.
#   tools/footprint.sh            table in Markdown (pasted into README.md)
#   tools/footprint.sh --top 20   also the 20 largest symbols per target
#   FOOTPRINT_FEATURES=client tools/footprint.sh   also link the LwM2M client
#     (driven through a dummy host): client bytes = that minus the default run
set -euo pipefail
cd "$(dirname "$0")/.."
FLASH_BUDGET="${FLASH_BUDGET:-32768}"
CTX_BUDGET=6144
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/footprint"
# target:features
builds=(
    thumbv7em-none-eabihf:default
    thumbv7m-none-eabi:default
    thumbv6m-none-eabi:default
    thumbv7em-none-eabihf:critical-section
)
# The image uses exactly the dependency versions lwat is tested with: start
# from the root lock file (cargo adds the footprint package to it).
cp Cargo.lock tools/footprint/Cargo.lock
images=()
for b in "${builds[@]}"; do
    target="${b%%:*}" features="${b#*:}"
    args=(--manifest-path tools/footprint/Cargo.toml --release --target "$target" --target-dir "$TARGET_DIR")
    extra="${FOOTPRINT_FEATURES:-}"
    [[ "$features" != "default" ]] && extra="$extra${extra:+,}$features"
    [[ -n "$extra" ]] && args+=(--features "$extra")
    cargo build --quiet "${args[@]}"
    # Keep each image: the next build of the same target overwrites the binary.
    cp "$TARGET_DIR/$target/release/lwat-footprint" "$TARGET_DIR/$target-$features.elf"
    images+=("$target:$features:$TARGET_DIR/$target-$features.elf")
done
python3 - "$FLASH_BUDGET" "$CTX_BUDGET" "$@" "${images[@]}" <<'PY'
import re, sys
sys.path.insert(0, "tools")
import elfsize

flash_budget, ctx_budget = int(sys.argv[1]), int(sys.argv[2])
args = sys.argv[3:]
top = 0
if args and args[0] == "--top":
    top, args = int(args[1]), args[2:]
ctx_size = int(re.search(r"#define LWAT_CTX_SIZE (\d+)", open("include/lwat.h").read()).group(1))
failed = []
print("| target | features | flash (B) | .text | .rodata | RAM (B) | lwat statics (B) | lwat_ctx (B) | LWAT_CTX_SIZE | panic path |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for item in args:
    target, features, path = item.split(":", 2)
    r = elfsize.measure(path, top)
    _, syms = elfsize.read_elf(path)
    # The harness's own statics: the engine's memory and a 256-byte NV buffer.
    own = {s["name"]: s["size"] for s in syms if "14lwat_footprint" in s["name"]}
    engine = next(v for k, v in own.items() if "6ENGINE" in k)
    lwat_ram = r["ram"] - sum(v for k, v in own.items() if "6ENGINE" in k or "2NV" in k or "6CLIENT" in k)
    client = next((v for k, v in own.items() if "6CLIENT" in k), None)
    # lwat's panic handler calls lwat_platform_fatal (never inlined): the
    # symbol is present exactly when some panic path survived optimisation.
    panics = "yes" if any(s["name"] == "lwat_platform_fatal" for s in syms) else "no"
    print(f"| {target} | {features} | {r['flash']} | {r['text']} | {r['rodata']} | {r['ram']} | "
          f"{lwat_ram} | {engine} | {ctx_size} | {panics} |")
    if client is not None:
        print(f"|   | lwm2m::Client state | | | | {client} | | | | |")
    for size, name in r.get("top", []):
        print(f"|   | {name[:90]} | {size} | | | | | | | |")
    if r["forbidden"]:
        failed.append(f"{target}: C library symbols {' '.join(r['forbidden'])}")
    if r["flash"] > flash_budget:
        failed.append(f"{target} ({features}): flash {r['flash']} B > budget {flash_budget} B")
    if engine > ctx_size:
        failed.append(f"{target}: lwat_ctx {engine} B > LWAT_CTX_SIZE {ctx_size} B")
if ctx_size > ctx_budget:
    failed.append(f"LWAT_CTX_SIZE {ctx_size} B > budget {ctx_budget} B")
print()
first = elfsize.measure(args[0].split(":", 2)[2])
print(f"C symbols in the images: {' '.join(first['c_symbols']) or '-'} (allowed: mem*, compiler helpers)")
print(f"Budget: flash <= {flash_budget} B per image, LWAT_CTX_SIZE <= {ctx_budget} B")
for f in failed:
    print("FOOTPRINT FAIL:", f, file=sys.stderr)
sys.exit(1 if failed else 0)
PY

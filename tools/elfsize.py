#!/usr/bin/env python3
"""Flash/RAM sizes and C symbol check of a 32-bit little-endian ELF image.

    elfsize.py IMAGE [--json] [--top N]

flash = every allocated read-only section (vector table, .text, .rodata)
        plus the initial values of .data (stored in flash, copied at reset);
ram   = .data + .bss (statics; the stack is not counted).
Fails (exit 1) when the image defines or needs a C library function other
than the mem* routines: compiler helpers (__aeabi_*, __*) are allowed.
Only the standard library is used, so it runs wherever Python 3 does.
"""
import json
import re
import struct
import sys

SHF_WRITE, SHF_ALLOC = 0x1, 0x2
SHT_SYMTAB, SHT_NOBITS = 2, 8
STT_FUNC, STT_OBJECT = 2, 1
STB_GLOBAL, STB_WEAK = 1, 2

# The only libc names the engine may pull in (compiler_builtins provides them).
ALLOWED_LIBC = {"memcpy", "memmove", "memset", "memcmp", "bcmp"}
# Names this image itself defines on purpose: the lwat C API, the firmware
# hooks the footprint harness provides, and the harness's reset handler.
OUTLINED = re.compile(r"OUTLINED_FUNCTION_\d+$")
OWN_PREFIXES = ("lwat_", "reset", "_stack_top", "_sdata", "_edata", "_sidata", "_sbss", "_ebss")


def read_elf(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        sys.exit(f"{path}: not a 32-bit little-endian ELF")
    (e_shoff,) = struct.unpack_from("<I", data, 0x20)
    e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    sections = []
    for i in range(e_shnum):
        name, typ, flags, addr, off, size, link, info, align, entsize = struct.unpack_from(
            "<IIIIIIIIII", data, e_shoff + i * e_shentsize)
        sections.append(dict(name_off=name, type=typ, flags=flags, offset=off, size=size,
                             link=link, entsize=entsize))
    strtab = sections[e_shstrndx]

    def cstr(sec, off):
        start = sec["offset"] + off
        return data[start:data.index(b"\0", start)].decode("utf-8", "replace")

    for s in sections:
        s["name"] = cstr(strtab, s["name_off"])
    symbols = []
    for s in sections:
        if s["type"] != SHT_SYMTAB:
            continue
        names = sections[s["link"]]
        for i in range(s["size"] // s["entsize"]):
            st_name, value, size, info, other, shndx = struct.unpack_from(
                "<IIIBBH", data, s["offset"] + i * s["entsize"])
            symbols.append(dict(name=cstr(names, st_name), size=size, bind=info >> 4,
                                type=info & 0xF, shndx=shndx))
    return sections, symbols


def measure(path, top=0):
    sections, symbols = read_elf(path)
    alloc = [s for s in sections if s["flags"] & SHF_ALLOC]
    read_only = sum(s["size"] for s in alloc if not s["flags"] & SHF_WRITE)
    data_init = sum(s["size"] for s in alloc if s["flags"] & SHF_WRITE and s["type"] != SHT_NOBITS)
    bss = sum(s["size"] for s in alloc if s["flags"] & SHF_WRITE and s["type"] == SHT_NOBITS)
    text = sum(s["size"] for s in alloc if s["name"].startswith((".text", ".vector_table")))

    # Every function or object with a C (unmangled) name, local ones too: a
    # local `strlen` from compiler_builtins is still a libc routine.
    undefined, c_symbols, bad = [], [], []
    for sym in symbols:
        name = sym["name"]
        if not name or name.startswith(("$", "_ZN", "_R")) or name.startswith(OWN_PREFIXES):
            continue  # mapping symbols, Rust-mangled (the engine, core), or ours
        if sym["shndx"] == 0:
            if sym["bind"] in (STB_GLOBAL, STB_WEAK):
                undefined.append(name)
            continue
        if sym["type"] not in (STT_FUNC, STT_OBJECT):
            continue
        if not OUTLINED.match(name):
            c_symbols.append(name)
        if name in ALLOWED_LIBC or name.startswith("__"):
            continue  # mem* and compiler helpers (__aeabi_*, __udivmoddi4, ...)
        if OUTLINED.match(name):
            continue  # code LLVM's machine outliner factored out (-Oz on Thumb)
        bad.append(name)
    result = dict(
        image=path,
        text=text,
        rodata=read_only - text,
        data=data_init,
        bss=bss,
        flash=read_only + data_init,
        ram=data_init + bss,
        c_symbols=sorted(set(c_symbols)),
        undefined=sorted(undefined),
        forbidden=sorted(bad + undefined),
    )
    if top:
        sized = [s for s in symbols if s["type"] in (STT_FUNC, STT_OBJECT) and s["size"] and s["shndx"]]
        sized.sort(key=lambda s: -s["size"])
        result["top"] = [(s["size"], s["name"]) for s in sized[:top]]
    return result


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    top = int(argv[argv.index("--top") + 1]) if "--top" in argv else 0
    if top:
        args.remove(str(top))
    if len(args) != 1:
        sys.exit(__doc__)
    r = measure(args[0], top)
    if "--json" in argv:
        print(json.dumps(r))
    else:
        for key in ("text", "rodata", "data", "bss", "flash", "ram"):
            print(f"{key:8} {r[key]:8}")
        print("C symbols:", " ".join(r["c_symbols"]) or "-")
        for size, name in r.get("top", []):
            print(f"{size:8}  {name}")
    if r["forbidden"]:
        print("forbidden C library symbols: " + " ".join(r["forbidden"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

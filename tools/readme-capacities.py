#!/usr/bin/env python3
"""Keeps README.md's capacity table equal to build.rs's CAPACITIES.

    readme-capacities.py          fail (exit 1) when the README table is stale
    readme-capacities.py --fix    rewrite the table between the markers
"""
import re
import sys

BEGIN, END = "<!-- capacities:begin (tools/readme-capacities.py) -->", "<!-- capacities:end -->"
ROW = re.compile(r'\(\s*"([A-Z0-9_]+)",\s*(\d+),\s*"((?:[^"\\]|\\.)*)",?\s*\)', re.S)


def table():
    src = open("build.rs").read()
    block = src[src.index("const CAPACITIES"):]
    block = block[:block.index("];")]
    lines = ["| variable | default | what it bounds |", "| --- | ---: | --- |"]
    for name, default, why in ROW.findall(block):
        why = why.replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
        lines.append(f"| `LWAT_{name}` | {default} | {why} |")
    return "\n".join(lines)


def main():
    readme = open("README.md").read()
    if BEGIN not in readme or END not in readme:
        sys.exit("README.md lacks the capacities markers")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{table()}\n{END}{tail}"
    if "--fix" in sys.argv:
        open("README.md", "w").write(new)
        print("README.md capacity table regenerated")
    elif new != readme:
        sys.exit("README.md capacity table differs from build.rs: run tools/readme-capacities.py --fix")
    else:
        print("README.md capacity table matches build.rs")


if __name__ == "__main__":
    main()

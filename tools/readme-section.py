#!/usr/bin/env python3
"""Replaces README.md's section between `<!-- NAME:begin -->` and
`<!-- NAME:end -->` with standard input (the footprint and benchmark tables).

    tools/footprint.sh | tools/readme-section.py footprint
    tools/bench.sh 200 | tools/readme-section.py bench
"""
import sys

name = sys.argv[1] if len(sys.argv) == 2 else sys.exit(__doc__)
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
readme = open("README.md").read()
if begin not in readme or end not in readme:
    sys.exit(f"README.md lacks the {name} markers")
head, rest = readme.split(begin, 1)
_, tail = rest.split(end, 1)
body = sys.stdin.read().strip("\n")
open("README.md", "w").write(f"{head}{begin}\n{body}\n{end}{tail}")
print(f"README.md {name} section regenerated")

"""Write bench/data/s2t.tsv, the simplified→traditional table gen_corpus uses.

    pip install opencc          # into a scratch .venv, only to run this once
    python bench/make_s2t.py

Each line of the table is ``simplified<TAB>traditional``: for every CJK
ideograph that OpenCC's ``s2t`` configuration changes when given alone, the
character it gives (the first candidate of OpenCC's STCharacters dictionary,
unless a one-character phrase overrides it). gen_corpus converts text character
by character with it, which is what a crude converter does too: close enough
for a benchmark corpus, and nothing at generation time needs OpenCC.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "s2t.tsv"
# CJK Unified Ideographs and Extensions A to H; not the compatibility ideographs,
# which OpenCC maps to their unified forms whatever the script.
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2EBEF), (0x30000, 0x323AF))


def main() -> int:
    try:
        import opencc
    except ImportError:
        print("make_s2t: needs the opencc package (pip install opencc)", file=sys.stderr)
        return 2
    from importlib.metadata import version

    converter = opencc.OpenCC("s2t")
    pairs = []
    for low, high in RANGES:
        for code in range(low, high + 1):
            simplified = chr(code)
            traditional = converter.convert(simplified)
            if traditional != simplified and len(traditional) == 1:
                pairs.append(f"{simplified}\t{traditional}\n")
    header = (
        "# Simplified -> traditional, one character each: simplified<TAB>traditional.\n"
        f"# Made by bench/make_s2t.py with the opencc package {version('opencc')}: OpenCC's s2t\n"
        "# configuration given each ideograph of U+3400-U+9FFF, U+20000-U+2EBEF and\n"
        "# U+30000-U+323AF alone; the ideographs it leaves unchanged are not listed.\n"
        "# OpenCC's dictionaries are under the Apache License 2.0 (github.com/BYVoid/OpenCC).\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header + "".join(pairs), encoding="utf-8")
    print(f"make_s2t: {len(pairs)} pairs -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

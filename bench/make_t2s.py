"""Write reader/data/t2s.tsv, the traditional→simplified table search folds through.

    pip install opencc          # into a scratch .venv, only to run this once
    python bench/make_t2s.py

Each line is ``character<TAB>representative``: every ideograph in a line's
class folds to the representative, so that 核戰爭 and 核战争, 裏, 裡 and 里, 爲,
為 and 为 are the same text for search. The classes join each ideograph with
what OpenCC makes of it alone:

- ``t2s`` (OpenCC's TSCharacters and TSCharactersExt; the first candidate,
  as OpenCC itself converts a character with no phrase around it);
- ``tw2s`` and ``hk2s``, for the characters that neither ``t2s`` nor ``s2t``
  changes: the Taiwan and Hong Kong variant forms (著 → 着, 衞 → 卫), which a
  user cannot tell apart when typing. A character that ``s2t`` changes is a
  simplified one (么) and keeps its own meaning: a regional table's wish to
  write it otherwise (幺) is not followed.

OpenCC's other candidates (覆 for 复, 坏 for 坯, 座 for 坐) are deliberately
left out: they are distinct characters in simplified text, and folding them
together would make unrelated words match.

The representative of a class is the character OpenCC's ``t2s`` gives, or
when it gives several, the one every configuration leaves unchanged; the
table is closed (a representative maps to itself), so folding twice is
folding once. Only characters that change are listed. The folding module
(reader/normalize.py) reads the file once per process.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "reader" / "data" / "t2s.tsv"
# CJK Unified Ideographs and Extensions A to H, as in make_s2t.py; the
# compatibility ideographs are left to Unicode's own decomposition (NFKD).
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2EBEF), (0x30000, 0x323AF))
CONFIGS = ("t2s", "tw2s", "hk2s", "s2t")


def classes(convert) -> dict[str, str]:
    """character → representative, for every ideograph whose class has another member."""
    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    chars = [chr(code) for low, high in RANGES for code in range(low, high + 1)]
    for char in chars:
        simplified = convert["t2s"](char)
        if len(simplified) == 1 and simplified != char:
            join(char, simplified)
        elif simplified == char and convert["s2t"](char) == char:
            for name in ("tw2s", "hk2s"):
                variant = convert[name](char)
                if len(variant) == 1 and variant != char:
                    join(char, variant)
    members: dict[str, list[str]] = {}
    for char in list(parent):
        members.setdefault(root(char), []).append(char)
    table: dict[str, str] = {}
    for top, group in members.items():
        group = sorted(set(group) | {top})
        stable = [c for c in group if all(convert[name](c) == c for name in ("t2s", "tw2s", "hk2s"))]
        targets = [convert["t2s"](c) for c in group]
        chosen = [c for c in stable if c in targets] or stable or sorted(set(targets) & set(group)) or group
        representative = chosen[0]
        for char in group:
            if char != representative:
                table[char] = representative
    return table


def main() -> int:
    try:
        import opencc
    except ImportError:
        print("make_t2s: needs the opencc package (pip install opencc)", file=sys.stderr)
        return 2
    from importlib.metadata import version

    converters = {name: opencc.OpenCC(name) for name in CONFIGS}
    convert = {name: converter.convert for name, converter in converters.items()}
    table = classes(convert)
    lines = [f"{char}\t{table[char]}\n" for char in sorted(table, key=ord)]
    header = (
        "# Traditional and variant -> simplified, one character each: character<TAB>representative.\n"
        f"# Made by bench/make_t2s.py with the opencc package {version('opencc')}: each ideograph of\n"
        "# U+3400-U+9FFF, U+20000-U+2EBEF and U+30000-U+323AF given alone to OpenCC's t2s, and,\n"
        "# when neither t2s nor s2t changes it, to tw2s and hk2s; the characters so joined form a\n"
        "# class whose members fold to one representative. Regenerate; do not edit.\n"
        "# OpenCC's dictionaries are under the Apache License 2.0 (github.com/BYVoid/OpenCC).\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header + "".join(lines), encoding="utf-8")
    largest = sorted({rep for rep in table.values()}, key=lambda rep: -sum(1 for v in table.values() if v == rep))[:8]
    shown = ", ".join(rep + "←" + "".join(c for c in table if table[c] == rep) for rep in largest)
    print(f"make_t2s: {len(lines)} characters -> {OUT}\nlargest classes: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

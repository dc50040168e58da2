"""Text as search compares it: one fold, used by the index, the checks, scoring and highlighting.

Each code point folds on its own, to none, one or several code points
(``fold_char`` is the rule):

1. its compatibility decomposition (NFKD): ＣＮＮ → CNN, ﬁ → fi, ½ → 1⁄2,
   é → e + U+0301, 한 → ᄒ + ᅡ + ᆫ, the compatibility ideograph 﨑 → 崎;
2. case-folded and decomposed again (ß → ss, Σ → σ);
3. kept: letters, digits, and the marks a script needs (the voicing mark of
   が, Indic vowel signs); dropped: punctuation, symbols, spaces, controls,
   private-use characters, variation selectors and accents (the generic
   combining diacritics, so that café = cafe = Cafe\u0301);
4. every ideograph through reader/data/t2s.tsv (made by bench/make_t2s.py
   from OpenCC's data): traditional and variant forms to simplified, so that
   核戰爭 = 核战争 and 裡 = 裏 = 里.

Code points this Python's Unicode does not know yet are kept as they are.

Because the fold is per code point, it is one table, applied the same way
(``_apply``) to one string and to a million passages in numpy; text folds
the same whole or in pieces, and NFC and NFD text fold alike. The index keys
its bigrams by 16-bit codes: the folded character itself inside the BMP, and
for a folded character beyond it (CJK extensions B–H) one of the 6,400 codes
of the BMP's private-use area, which folding never outputs. Two such
characters may share a key: that can only add candidates, and every
candidate is checked against the fold itself.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

DROPPED_CODE = 0  # in the tables: the character folds to nothing
SEPARATOR_CODE = 1  # NUL joins passages in bulk; it folds to this, and nothing else does
MULTI_CODE = 2  # the character folds to several code points (see _Tables.pieces)
_CODE_POINTS = 0x110000
# Where the index keys folded characters beyond the BMP: U+E000–U+F8FF, private use, dropped by the fold.
KEY_BUCKETS_START, KEY_BUCKETS = 0xE000, 0xF900 - 0xE000

# Combining marks that are accents on any letter: dropped, so that é = e (and NFD = NFC).
_ACCENTS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
_VARIATION_SELECTORS = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_DROPPED_RANGES = ((0xD800, 0xDFFF), (0xE000, 0xF8FF), (0xF0000, 0x10FFFF))  # surrogates, private use
# Ranges whose every code point folds to itself (before the t2s table): ideographs without
# decomposition or case, and code points unassigned in every Unicode version.
_UNCHANGED = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2F7FF), (0x2FA20, 0xDFFFF), (0xE0200, 0xEFFFF))


def _in(code: int, ranges) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _kept(char: str) -> bool:
    if char.isalnum():
        return True
    code = ord(char)
    category = unicodedata.category(char)
    if category == "Cn":  # unassigned here, perhaps a letter of a newer Unicode
        return not _noncharacter(code)
    if category[0] == "M":
        return not (_in(code, _ACCENTS) or _in(code, _VARIATION_SELECTORS))
    return False


def _decomposed(char: str) -> str:
    """Steps 1 to 3 of the fold for one code point."""
    code = ord(char)
    if _in(code, _DROPPED_RANGES) or _noncharacter(code):
        return ""
    text = unicodedata.normalize("NFKD", char)
    for _ in range(4):  # case folding can give decomposable characters (İ → i̇): until stable
        folded = unicodedata.normalize("NFKD", text.casefold())
        if folded == text:
            break
        text = folded
    return "".join(c for c in text if _kept(c))


def fold_char(char: str) -> str:
    """What one code point folds to: the rule every fold here applies (slow; the tables are built from it)."""
    if char == "\x00":
        return ""
    t2s = t2s_table()
    return "".join(chr(t2s.get(ord(c), ord(c))) for c in _decomposed(char))


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, int]:
    """reader/data/t2s.tsv: character → its simplified representative."""
    text = resources.files("reader").joinpath("data", "t2s.tsv").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            table[ord(source)] = ord(target)
    return table


@dataclass(frozen=True)
class _Tables:
    """The fold of every code point, for numpy: ``codes`` for folded text, ``keys`` for the index."""

    codes: np.ndarray  # uint32 per code point: the folded code point, or DROPPED/SEPARATOR/MULTI_CODE
    keys: np.ndarray  # uint16 per code point: the same, as index keys
    multi: np.ndarray  # uint32, sorted: the code points folding to several
    starts: np.ndarray  # int64, len(multi) + 1: where each one's pieces start
    pieces: np.ndarray  # uint32: the folded code points of ``multi``, one after the other
    piece_keys: np.ndarray  # uint16: ``pieces`` as index keys

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.codes, self.keys, self.multi, self.starts, self.pieces, self.piece_keys))


def index_key(codes: np.ndarray) -> np.ndarray:
    """Folded code points as the index's 16-bit keys (see the module's docstring)."""
    codes = np.asarray(codes, dtype=np.uint32)
    keys = codes.astype(np.uint16)
    astral = np.flatnonzero(codes >= 0x10000)
    keys[astral] = KEY_BUCKETS_START + (codes[astral] - 0x10000) % KEY_BUCKETS
    return keys


_KEPT_IN: tuple[object, object] | None = None  # (folder, write) where built tables are kept between runs


def keep_tables_in(folder, write) -> None:
    """Keep the built tables in ``folder`` (reader's cache), written with ``write(path, chunks)``.

    Building them costs about 80 ms, on every start of `reader find`; loading
    a kept copy about 5 ms. The copy's name is a fingerprint of everything the
    tables come from (this module, the t2s table, Python's Unicode version),
    so a copy made by other code is never used.
    """
    global _KEPT_IN
    _KEPT_IN = (folder, write)


def _fingerprint() -> str:
    import hashlib

    digest = hashlib.sha256(unicodedata.unidata_version.encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(resources.files("reader.data").joinpath("t2s.tsv").read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def fold_table() -> _Tables:
    """The tables, from a kept copy (see keep_tables_in) or built from ``fold_char``'s rule."""
    if _KEPT_IN is None:
        return _built_tables()
    folder, write = _KEPT_IN
    path = Path(folder) / f"fold-{_fingerprint()}.npz"
    try:
        with np.load(path) as kept:
            return _Tables(*(kept[name] for name in _TABLE_FIELDS))
    except (OSError, ValueError, KeyError, EOFError):
        pass  # none yet, or unreadable: built, and kept for next time
    tables = _built_tables()
    try:
        buffer = io.BytesIO()
        np.savez(buffer, **{name: getattr(tables, name) for name in _TABLE_FIELDS})
        write(path, [buffer.getvalue()])
    except (OSError, ValueError):
        pass  # a cache that cannot be written costs 80 ms next time, nothing more
    return tables


_TABLE_FIELDS = ("codes", "keys", "multi", "starts", "pieces", "piece_keys")


def _built_tables() -> _Tables:
    """The tables, built (about 80 ms of CPU) from ``fold_char``'s rule."""
    codes = np.arange(_CODE_POINTS, dtype=np.uint32)
    for low, high in _DROPPED_RANGES:
        codes[low:high + 1] = DROPPED_CODE
    unchanged = np.zeros(_CODE_POINTS, dtype=bool)
    for low, high in _UNCHANGED:
        unchanged[low:high + 1] = True
    several: dict[int, str] = {}
    dropped: list[int] = []
    changed: dict[int, int] = {}
    for code in np.flatnonzero(~unchanged & (codes != DROPPED_CODE)).tolist():
        char = chr(code)
        if char.casefold() == char and unicodedata.is_normalized("NFKD", char):
            if not _kept(char):  # most letters are themselves; most other characters go
                dropped.append(code)
            continue
        folded = _decomposed(char)
        if len(folded) == 1:
            changed[code] = ord(folded)
        elif folded:
            several[code] = folded
        else:
            dropped.append(code)
    codes[np.array(dropped, dtype=np.int64)] = DROPPED_CODE
    codes[np.fromiter(changed, dtype=np.int64)] = np.fromiter(changed.values(), dtype=np.uint32)
    codes[np.fromiter(several, dtype=np.int64)] = MULTI_CODE
    for code in range(0xFFFE, _CODE_POINTS, 0x10000):  # noncharacters in the unchanged planes
        codes[code:code + 2] = DROPPED_CODE
    codes[0] = SEPARATOR_CODE
    t2s = np.arange(_CODE_POINTS, dtype=np.uint32)
    table = t2s_table()
    t2s[np.fromiter(table.keys(), dtype=np.uint32)] = np.fromiter(table.values(), dtype=np.uint32)
    codes = t2s[codes]
    multi = np.array(sorted(several), dtype=np.uint32)
    lengths = np.array([len(several[code]) for code in multi.tolist()], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    joined = "".join(several[code] for code in multi.tolist())
    pieces = t2s[np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)] if joined else np.empty(0, np.uint32)
    return _Tables(codes, index_key(codes), multi, starts, pieces, index_key(pieces))


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _apply(points: np.ndarray, *, keys: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Fold code points through the tables: the folded codes (or index keys), and each one's source position."""
    tables = fold_table()
    mapped = (tables.keys if keys else tables.codes)[points]
    several = np.flatnonzero(mapped == MULTI_CODE)
    if not len(several):  # the common case: every character folds to at most one
        kept = np.flatnonzero(mapped != DROPPED_CODE)
        return mapped[kept], kept
    which = np.searchsorted(tables.multi, points[several])
    lengths = (mapped != DROPPED_CODE).astype(np.int64)
    counts = tables.starts[which + 1] - tables.starts[which]
    lengths[several] = counts
    positions = np.repeat(np.arange(len(points)), lengths)
    out = mapped[positions]
    # Each multi-code fold's pieces go where its run of output starts.
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    first_out = np.cumsum(lengths)[several] - counts
    out[np.repeat(first_out, counts) + within] = (tables.piece_keys if keys else tables.pieces)[
        np.repeat(tables.starts[which], counts) + within
    ]
    return out, positions


def _joined(texts: list[str]) -> str:
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holding NUL would look like two
        joined = "\x00".join(text.replace("\x00", "") for text in texts)
    return joined


def fold_many(texts: list[str]) -> list[str]:
    """Each text folded, in one numpy pass over all of them."""
    if not texts:
        return []
    folded, _ = _apply(_code_points(_joined(texts)))
    return folded.tobytes().decode("utf-32-le").split(chr(SEPARATOR_CODE))


def fold_units(units: np.ndarray) -> list[str]:
    """Texts stored as UTF-16 code units, each followed by one NUL, folded: what fold_many gives for them decoded.

    Without surrogates (every character in the BMP, as in nearly every
    passage) a code unit is its code point, so the table applies to the
    units as they are and no string is made before the folded ones.
    """
    if not len(units):
        return []
    if ((units & 0xF800) == 0xD800).any():
        points = _code_points(units.tobytes().decode("utf-16-le", "surrogatepass"))
    else:
        points = units
    folded, _ = _apply(points)
    return folded.tobytes().decode("utf-32-le").split(chr(SEPARATOR_CODE))[:-1]


def fold(text: str) -> str:
    return fold_many([text])[0]


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its code points, the offset in ``text`` of the character it came from."""
    folded, positions = _apply(_code_points(text.replace("\x00", " ") if "\x00" in text else text))
    return folded.tobytes().decode("utf-32-le"), positions.tolist()


def folded_passages_with_offsets(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Many texts at once, as ``folded_with_offsets`` folds each: the code points of the texts joined, each
    followed by NUL (a NUL inside one read as a space); their folded codes, each text's followed by
    SEPARATOR_CODE; and for each folded code the offset in the joined texts of the character it came from."""
    joined = "".join(text.replace("\x00", " ") + "\x00" if "\x00" in text else text + "\x00" for text in texts)
    points = _code_points(joined)
    folded, positions = _apply(points)
    return points, folded, positions


def index_keys(text: str) -> np.ndarray:
    """``text`` folded as index keys (uint16): what the index's bigrams are made of; NUL gives SEPARATOR_CODE."""
    return _apply(_code_points(text), keys=True)[0]

"""Bytes to text: tell an article from a binary and find its encoding.

Chinese archives hold UTF-8 mostly, but also UTF-16 from Windows tools and
GB18030/GBK or Big5 from old scrapers. Guessing wrong shows mojibake as if it
were an article, so a file that no candidate decodes cleanly is refused with a
reason instead.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of files that end up in article folders under the wrong name.
# Each holds a byte text never starts with, or is long enough to be
# unmistakable: "BM" or "ID3" alone would refuse articles about BMW.
_BINARY_MAGIC = (
    b"\x89PNG\r\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b\x08",
    b"\x00\x00\x01\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x7fELF", b"OggS\x00",
    b"wOFF", b"wOF2", b"SQLite format 3\x00", b"\xd0\xcf\x11\xe0",
)
_RIFF_KINDS = (b"WAVE", b"AVI ", b"WEBP")
_BINARY_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)

# Characters so common in Chinese news that a right decoding is full of them
# and a wrong one (GBK bytes read as Big5 or the other way) almost never is.
_COMMON_HAN = frozenset(
    "的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济买存标哪离府罗普俄乌克兰"
    "們為這個國來說時會對後過還裡麼動從兩現實種當發樣經開問長見們與進點種應關頭電學並門無聽體華軍產東氣話間機議戰員總場難數報馬車親統領記讓認論傳運達遠條變聯權區導網觀爭組買標離羅蘭剛"
)


# Real Chinese prose scores 0.5-0.8; text read in the wrong encoding below 0.1.
_MIN_SCORE = 0.2


class DecodeError(Exception):
    """The bytes are not an article's text; the message says why."""


class Decoded(NamedTuple):
    text: str
    encoding: str
    problem: str | None = None  # one line for the user: the text was read, but not cleanly


def _has_magic(data: bytes) -> bool:
    """Starts with the signature of an image, an archive or another binary format."""
    if data.startswith(_BINARY_MAGIC):
        return True
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return True
    return data.startswith(b"ID3") and data[3:4] in (b"\x02", b"\x03", b"\x04")


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if _has_magic(head):
        return True
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    # A stray NUL or escape from a scraper does not make a text binary; many
    # control bytes do.
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))  # one pass in C
    return controls > max(4, len(head) // 10)


def decode(data: bytes) -> Decoded:
    """The text, the name of the encoding it was read with, and what was wrong with it if anything."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return Decoded(body.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                nearly = _nearly_utf8(body, error) if encoding == "utf-8" else None
                if nearly is not None:
                    return nearly
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not {encoding}") from error
    if looks_binary(data):
        wide = None if _has_magic(data) else _wide_without_bom(data)
        if wide is None:
            raise DecodeError("binary file, not text")
        return wide
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        nearly = _nearly_utf8(data, error)
    if nearly is not None:
        return nearly
    return _decode_legacy(data)


# A byte that is not UTF-8, as the "surrogateescape" handler writes it.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_ASCII = bytes(range(0x80))


def _nearly_utf8(data: bytes, error: UnicodeDecodeError) -> Decoded | None:
    """UTF-8 but for a few bytes (one flipped, a last character cut off): the bad ones replaced.

    At most one byte in a thousand may be bad (or only a cut-off last
    character), and the file must hold real multi-byte characters: a
    Western legacy text whose é is one bad byte in a thousand is not UTF-8.
    """
    escaped = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(escaped))
    # A run of bad bytes is one place (a flipped lead byte orphans the
    # character's other bytes too) and becomes one U+FFFD, as decoders do.
    text, places = _ESCAPED_RUN.subn("\ufffd", escaped)
    cut_off = error.start >= len(data) - 3 and places == 1
    high = len(data.translate(None, _ASCII))  # bytes >= 0x80
    if not cut_off and (places > max(1, len(data) // 1000) or high - bad < 4 * bad):
        return None
    return Decoded(text, "utf-8", f"{bad} byte{'s' if bad > 1 else ''} not valid UTF-8, replaced")


# What text is made of: ASCII, Latin, Greek and Cyrillic, general
# punctuation, CJK, kana, hangul, full-width forms. Bytes that are not
# UTF-16 (a binary, or UTF-16 read with its bytes swapped) decode to
# characters from all over the 65,536 instead.
_PLAUSIBLE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u024f\u0370-\u04ff\u2000-\u206f\u3000-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]"
)
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")


def _wide_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 or UTF-32 without a byte-order mark: the one that reads as text, if any.

    Its NUL bytes make ASCII-heavy UTF-16 look binary, and Chinese in UTF-16
    is full of bytes in the control range; so each is tried on the first 4 KB
    and kept only if nearly every character is one text is made of.
    """
    head = data[:4096]
    best, best_share = None, 0.9
    for encoding in _WIDE:
        sample = head[: len(head) - len(head) % 4].decode(encoding, "replace")
        share = len(_PLAUSIBLE.findall(sample)) / max(1, len(sample))
        if share > best_share:
            best, best_share = encoding, share
    if best is None:
        return None
    text = data.decode(best, "replace")  # a cut-off last character becomes U+FFFD
    if text.count("\ufffd") > 1 + len(text) // 1000:
        return None
    return Decoded(text, best, f"{best[:6].upper()} text without a byte-order mark")


def _decode_legacy(data: bytes) -> Decoded:
    declared = _DECLARED.search(data[:4096])
    declared_name = _canonical(declared.group(1).decode("ascii", "replace")) if declared else None
    # The Chinese encodings first: a page saved in GBK often still declares
    # Latin-1, which decodes anything and would win every tie.
    candidates = ["gb18030", "big5hkscs"]
    if declared_name and declared_name not in candidates:
        candidates.append(declared_name)

    best: tuple[float, str, str] | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeError, LookupError):  # UnicodeError: codecs such as "undefined"
            continue
        score = _han_score(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is not None and best[0] >= _MIN_SCORE and (best[2] != declared_name or _has_han(best[1]) or _mostly_ascii(data)):
        return Decoded(best[1], best[2])
    if _mostly_ascii(data):
        # Western text with a few legacy bytes (é in windows-1252): BeautifulSoup's
        # UnicodeDammit knows those encodings and their smart quotes.
        from bs4.dammit import UnicodeDammit

        dammit = UnicodeDammit(data, known_definite_encodings=[declared_name] if declared_name else [])
        if dammit.unicode_markup is not None and "\ufffd" not in dammit.unicode_markup:
            return Decoded(dammit.unicode_markup, dammit.original_encoding or "windows-1252")
    # Chinese in UTF-16 without a byte-order mark may hold no byte that looks
    # binary; any two high bytes read as UTF-16 are some Han character, so
    # only everyday ones count (as for GB18030 above).
    wide = _wide_without_bom(data)
    if wide is not None and _han_score(wide.text) >= _MIN_SCORE:
        return wide
    raise DecodeError("text in an unknown encoding (not UTF-8, UTF-16, GB18030 or Big5)")


def _mostly_ascii(data: bytes) -> bool:
    sample = data[:20000]
    return sum(byte >= 0x80 for byte in sample) <= 0.05 * len(sample)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text[:20000])


def _canonical(name: str) -> str | None:
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    # GBK and GB2312 are subsets of GB18030; Big5 declarations are usually HKSCS in practice.
    return {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}.get(found, found)


def _han_score(text: str) -> float:
    """Share of Han characters that are everyday ones; mojibake scores near zero."""
    sample = text[:20000]
    han = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    if any("\ue000" <= c <= "\uf8ff" for c in sample):
        return 0.0  # private-use characters: bytes read in the wrong encoding
    if not han:
        # No Chinese at all: only plausible if nearly everything is ordinary text.
        plain = sum(c.isascii() or c.isspace() for c in sample)
        return 1.0 if plain >= 0.95 * len(sample) else 0.0
    return sum(c in _COMMON_HAN for c in han) / len(han)

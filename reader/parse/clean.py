"""Text clean-up shared by every format: what is left is safe to put on a terminal.

Article text is untrusted. Escape sequences and control characters would be
interpreted by the user's terminal (OSC 52 writes the clipboard, others retitle
the window or move the cursor), and bidi overrides make text lie about its
order, so all of them go before any text reaches a Block or a field.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

# Whole escape sequences first, so their parameters do not survive as text.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC ... BEL/ST (clipboard, title, links)
    r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|\x1b[ -/]*[0-~]?"  # other two-byte escapes
)

_INVISIBLE = (
    [c for c in range(0x00, 0x20) if c not in (0x09, 0x0A)]
    + list(range(0x7F, 0xA0))  # DEL and the C1 controls
    + [0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFFFE, 0xFFFF]  # zero-width, marks, BOM
    # Where an embedded object was: shown as a box otherwise. (U+FFFD stays:
    # it marks bytes that were not valid and were replaced.)
    + [0xFFFC]
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides (U+202E…)
    + list(range(0x2066, 0x206A))  # bidi isolates
)
# Tabs and carriage returns become spaces rather than vanish, so words stay apart.
_CONTROL_TABLE = {c: None for c in _INVISIBLE} | {0x0D: 0x20, 0x0C: 0x20, 0x0B: 0x20}
_NEEDS_CLEANING = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROL_TABLE)) + "]")


def needs_cleaning(text: str) -> bool:
    return _NEEDS_CLEANING.search(text) is not None


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters; keep ``\\n`` and ``\\t``."""
    if not _NEEDS_CLEANING.search(text):
        return text  # the common case costs one scan
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return text.translate(_CONTROL_TABLE)


# Characters between which a space is an artefact of joining lines or inline
# elements, never something a reader of Chinese or Japanese would see.
CJK_CLASS = (
    "\u2e80-\u2fdf"  # radicals
    "\u3000-\u303f"  # CJK punctuation
    "\u3040-\u30ff"  # kana
    "\u3100-\u31bf"  # bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uac00-\ud7af"  # hangul
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # full-width forms
    "\u201c\u201d\u2018\u2019\u2026\u2014"  # quotes, ellipsis, dash as used in Chinese
    "\U00020000-\U0003134f"  # Han extensions
)
# A line break in the source between two CJK characters is not a space to a
# reader (CSS drops such "segment breaks" too); a typed space stays one.
_CJK_LINE_BREAK = re.compile(f"(?<=[{CJK_CLASS}])[^\\S\\n]*\\n\\s*(?=[{CJK_CLASS}])")
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")


def collapse_spaces(text: str) -> str:
    """Runs of whitespace become one space; a line break between CJK characters goes."""
    if "\n" in text and "\n" in text.strip():  # line breaks at the edges are only spaces
        text = _CJK_LINE_BREAK.sub("", text)
    # str.split() knows Unicode whitespace and runs in C; keep one space at
    # each end, because runs are joined to their neighbours afterwards.
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    if text[0].isspace():
        core = " " + core
    if text[-1].isspace():
        core += " "
    return core


def is_cjk(char: str) -> bool:
    return bool(char) and _CJK_CHAR.match(char) is not None


def clean_field(value: str, limit: int = 2000) -> str:
    """A metadata field: one line, no controls, bounded length."""
    value = collapse_spaces(strip_controls(value)).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def unescape_entities(text: str) -> str:
    """HTML entities decoded once: archives copy titles and names as the page's HTML wrote them.

    Once only: ``&amp;quot;`` becomes ``&quot;``, which is what its author typed.
    """
    return html.unescape(text) if "&" in text else text


def printable(text: str) -> str:
    """``text`` with control and other unprintable characters escaped, so it stays on one line."""
    return "".join(char if char.isprintable() else json.dumps(char)[1:-1] for char in text)


def display_path(path: Path) -> str:
    """A path safe to show on one line: undecodable bytes and control characters escaped."""
    return printable(os.fsencode(path).decode("utf-8", "backslashreplace"))

"""Where lines break: CJK-aware wrapping of Rich ``Text`` to a width.

Rich and Textual wrap only at spaces, which is wrong for Chinese: a line may
break between any two CJK characters. This module breaks lines itself:

* the text is cut into tokens: runs of spaces, single CJK characters, and
  runs of anything else ("words", which stay whole);
* tokens are glued into unbreakable segments where a break would put closing
  punctuation at a line start or opening punctuation at a line end
  (kinsoku), or would separate a combining mark from its base;
* segments fill lines greedily; a segment wider than a line is hard-cut,
  unless it holds a url and ``whole_urls`` is asked for: then it stands on a
  line of its own, whole, so that it can be copied (``reader show``).

Offsets are computed on the plain string and the styled ``Text`` is divided
at them, so bold, italic and links survive line breaks.
"""

from __future__ import annotations

import re
from typing import Iterator

from rich.cells import cell_len, get_character_cell_size, split_graphemes
from rich.text import Text

from reader.textwidth import CONTROLS_TO_SPACE, JOINERS, fit

__all__ = ["URL", "wrap", "cut_lines"]

# Han, kana, hangul, bopomofo, CJK symbols and punctuation, fullwidth forms.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f"
    "\uff00-\uffef\U00020000-\U0003ffff"
)
# Newlines never reach the tokenizer (hard lines are split first).
_TOKEN = re.compile(f"[ \t]+|[{_CJK}]|[^ \t\n{_CJK}]+")
_SPACES = re.compile("[ \t]*")

# A url written in the text: a scheme, then anything but spaces, quotes, angle
# brackets and CJK (which a url in Chinese text runs into without a space:
# 详情请见：https://…。). Never broken by a space, it is always one token.
URL = re.compile(f"(?:https?://|mailto:)[^\\s<>\"{_CJK}]+", re.IGNORECASE)

# Kinsoku: characters that must not start a line ...
_CLOSING = frozenset(
    "，。、；：？！）」』》〉】〕〗〙〛〞〟｝］｠｣｡､．，：；？！"
    "”’…‥·・—―ー"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:!?)]}"
)
# ... and characters that must not end one.
_OPENING = frozenset("（「『《〈【〔〖〘〚〝｛［｟｢“‘([{")

_PLACEHOLDER = "…"  # stands in for a wide character in a one-cell-wide line

Range = tuple[int, int]


def _segments(plain: str, start: int, end: int, joined: bool) -> Iterator[tuple[int, int, int, int]]:
    """Unbreakable pieces of ``plain[start:end]`` as (gap_before, start, end, width).

    ``gap_before`` is the width of the spaces between this segment and the
    previous one: kept inside a line, dropped at a break. Spaces at either
    end of the range are dropped. ``joined``: the range holds a joiner
    (see reader.textwidth), so a segment is measured whole, not token by token.
    """
    seg_start = -1
    seg_end = seg_width = gap_before = pending_gap = 0
    pos = start
    for token in _TOKEN.findall(plain, start, end):
        token_end = pos + len(token)
        first = token[0]
        if first == " " or first == "\t":
            if seg_start >= 0:
                pending_gap += len(token)
        else:
            width = get_character_cell_size(first) if len(token) == 1 else cell_len(token)
            if seg_start < 0:
                seg_start, seg_end, seg_width = pos, token_end, width
            elif (
                plain[seg_end - 1] in _OPENING
                or first in _CLOSING
                or not _breakable_before(plain, pos)
            ):
                seg_width += pending_gap + width
                seg_end = token_end
            else:
                if joined:
                    seg_width = cell_len(plain[seg_start:seg_end])
                yield gap_before, seg_start, seg_end, seg_width
                seg_start, seg_end, seg_width, gap_before = pos, token_end, width, pending_gap
            pending_gap = 0
        pos = token_end
    if seg_start >= 0:
        if joined:
            seg_width = cell_len(plain[seg_start:seg_end])
        yield gap_before, seg_start, seg_end, seg_width


def _breakable_before(plain: str, index: int) -> bool:
    """Whether a grapheme cluster starts at ``index`` (no mark, no joined character)."""
    return get_character_cell_size(plain[index]) != 0 and plain[index - 1] != "\u200d"


def _cut(plain: str, start: int, end: int, room: int) -> int:
    """Where to hard-cut ``plain[start:end]`` so the piece fits ``room``; always progresses."""
    cut = fit(plain, room, start, end)[0]
    if cut > start:
        return cut
    # A wide character in a one-cell room: take one cluster alone rather than loop.
    return max(fit(plain, 2, start, end)[0], start + 1)


def _first_line_of_overlong(plain: str, start: int, end: int, room: int) -> Range:
    """(line end, next line start) for a glued segment wider than ``room``.

    Kinsoku has to give way here, but words should not: cut at the last
    token boundary that fits, and split a word only when it alone is wider.
    Only what fits is looked at, so a long word costs time in proportion to it.
    """
    cut = _cut(plain, start, end, room)
    best: Range | None = None
    for match in _TOKEN.finditer(plain, start, min(end, cut + 1)):
        token_start = match.start()
        first = plain[token_start]
        if first == " " or first == "\t":
            if token_start > start:
                best = (token_start, _SPACES.match(plain, token_start, end).end())
        elif token_start > start and plain[token_start - 1] not in " \t" and _breakable_before(plain, token_start):
            best = (token_start, token_start)
    return best if best is not None else (cut, cut)


def _fill(
    plain: str, start: int, end: int, first_room: int, other_room: int, joined: bool, whole_urls: bool = False
) -> list[Range]:
    """Greedy line ranges for one hard line (no newline inside); ``joined``: it holds a joiner.

    ``whole_urls``: a segment holding a url is never cut, however wide.
    """
    lines: list[Range] = []
    room = first_room
    line_start = -1
    line_end = used = 0
    for gap, seg_start, seg_end, seg_width in _segments(plain, start, end, joined):
        if line_start >= 0:
            if used + gap + seg_width <= room:
                line_end = seg_end
                used += gap + seg_width
                continue
            lines.append((line_start, line_end))
            room = other_room
        piece_start = seg_start
        # A url kept whole takes a line of its own: nothing fits after it.
        whole = whole_urls and seg_width > room and URL.search(plain, seg_start, seg_end) is not None
        while seg_width > room and not whole:  # too wide for any line: hard-break it
            cut, next_start = _first_line_of_overlong(plain, piece_start, seg_end, room)
            if cut >= seg_end:
                break
            lines.append((piece_start, cut))
            room = other_room
            # Subtract rather than re-measure the rest: keeps long words linear.
            seg_width -= cell_len(plain[piece_start:next_start])
            piece_start = next_start
            if seg_width <= room:
                # Confirm the rest really fits (a space swallowed by a joiner
                # makes the parts a little wider than the whole).
                seg_width = cell_len(plain[piece_start:seg_end])
        line_start, line_end, used = piece_start, seg_end, seg_width
    if line_start >= 0:
        lines.append((line_start, line_end))
    return lines


def _hard_lines(plain: str) -> Iterator[Range]:
    """Ranges of the ``\\n``-separated lines of ``plain``."""
    start = 0
    while True:
        newline = plain.find("\n", start)
        if newline < 0:
            yield start, len(plain)
            return
        yield start, newline
        start = newline + 1


def _slice(text: Text, ranges: list[Range]) -> list[Text]:
    """The pieces of ``text`` at the given increasing ranges, styles kept."""
    if not text.spans:  # only the pieces themselves, not the gaps between them
        plain, style, justify, overflow = text.plain, text.style, text.justify, text.overflow
        return [Text(plain[start:end], style=style, justify=justify, overflow=overflow) for start, end in ranges]
    length = len(text)
    cuts: list[int] = []
    for start, end in ranges:
        for offset in (start, end):
            if 0 < offset < length and (not cuts or cuts[-1] != offset):
                cuts.append(offset)
    pieces = text.divide(cuts)
    first_piece = {offset: index for index, offset in enumerate([0, *cuts])}
    return [
        pieces[first_piece[start]] if end > start else Text("", style=text.style)
        for start, end in ranges
    ]


def _keep_tail(prefix: Text, max_cells: int) -> Text:
    """Shorten a prefix from the left (indentation goes before the marker)."""
    if not prefix.plain or cell_len(prefix.plain) <= max_cells:
        return prefix
    plain = prefix.plain
    start, used = len(plain), 0
    while start > 0 and used + get_character_cell_size(plain[start - 1]) <= max_cells:
        start -= 1
        used += get_character_cell_size(plain[start])
    return prefix[start:]


def _as_text(prefix: str | Text) -> Text:
    return prefix if isinstance(prefix, Text) else Text(prefix)


def _assemble(
    text: Text,
    ranges: list[Range],
    first_prefix: Text,
    other_prefix: Text,
    first_room: int,
    other_room: int,
) -> list[Text]:
    lines = []
    for number, piece in enumerate(_slice(text, ranges)):
        room = first_room if number == 0 else other_room
        if room < 2 and cell_len(piece.plain) > room:
            piece.plain = _placeholders(piece.plain, room)
        prefix = first_prefix if number == 0 else other_prefix
        if prefix.plain or prefix.spans or prefix.style:
            line = prefix.copy()
            line.append_text(piece)
            piece = line
        lines.append(piece)
    return lines


def _placeholders(plain: str, room: int) -> str:
    """Each cluster wider than ``room`` (only at width 1) as a placeholder.

    Zero-width spaces pad it to the cluster's length, so the spans still fit.
    """
    clusters, _ = split_graphemes(plain)
    return "".join(
        _PLACEHOLDER + "\u200b" * (end - start - 1) if cell_len(plain[start:end]) > room else plain[start:end]
        for start, end, _size in clusters
    )


def _sanitized(text: Text) -> Text:
    plain = text.plain
    cleaned = plain.translate(CONTROLS_TO_SPACE)
    if cleaned == plain:
        return text
    text = text.copy()
    text.plain = cleaned
    return text


def wrap(
    text: Text, width: int, *, indent: str | Text = "", hanging: str | Text | None = None, whole_urls: bool = False
) -> list[Text]:
    """Break ``text`` into lines of at most ``width`` cells, CJK-aware.

    The first line is prefixed by ``indent``, the following ones by
    ``hanging`` (default: spaces as wide as ``indent``). ``width`` includes
    the prefix; a prefix too wide for it is shortened from the left.
    ``whole_urls``: a url wider than a line is not cut but put on a line of
    its own, which is then wider than ``width`` (for output that is copied,
    never for a pane that must not overflow).
    """
    if width <= 0:
        return []
    # Leave the text at least two cells, so a CJK character always fits.
    max_prefix = max(0, width - 2)
    first_prefix = _keep_tail(_as_text(indent), max_prefix)
    first_room = width - cell_len(first_prefix.plain)
    text = _sanitized(text)
    plain = text.plain
    if "\n" not in plain and cell_len(plain) <= first_room:
        # One line (a list item, a short paragraph): no breaking to do.
        start, end = len(plain) - len(plain.lstrip(" ")), len(plain.rstrip(" "))
        return _assemble(text, [(start, end) if start < end else (0, 0)], first_prefix, first_prefix, first_room, first_room)
    other_prefix = _keep_tail(
        Text(" " * cell_len(first_prefix.plain)) if hanging is None else _as_text(hanging), max_prefix
    )
    other_room = width - cell_len(other_prefix.plain)
    anywhere = any(joiner in plain for joiner in JOINERS)
    ranges: list[Range] = []
    for start, end in _hard_lines(plain):
        room = first_room if not ranges else other_room
        joined = anywhere and any(plain.find(joiner, start, end) >= 0 for joiner in JOINERS)
        ranges.extend(_fill(plain, start, end, room, other_room, joined, whole_urls) or [(start, start)])
    return _assemble(text, ranges, first_prefix, other_prefix, first_room, other_room)


def cut_lines(text: Text, width: int) -> list[Text]:
    """Lines of ``text`` cut at ``width`` cells and at newlines, nowhere else.

    For preformatted text, where spaces are content and a word must not move
    to the next line: each hard line is filled to the last cell.
    """
    if width <= 0:
        return []
    text = _sanitized(text)
    plain = text.plain
    ranges: list[Range] = []
    for start, end in _hard_lines(plain):
        if start == end:
            ranges.append((start, start))
        while start < end:
            cut = _cut(plain, start, end, width)
            ranges.append((start, cut))
            start = cut
    return _assemble(text, ranges, Text(), Text(), width, width)

"""Inline text of one block, gathered run by run with its formatting.

Whitespace is normalised as each run arrives, and the seams between runs are
mended then too (one space, never a space between two CJK characters), so the
span offsets computed at the end are final and never need remapping.
"""

from __future__ import annotations

from .clean import collapse_spaces, is_cjk, needs_cleaning, strip_controls
from ..model import Span, SpanKind

_PARAGRAPH_BREAK = "\n\n"
_Style = tuple[bool, bool, "str | None"]  # bold, italic, link url
_PLAIN: _Style = (False, False, None)


class InlineBuffer:
    def __init__(self) -> None:
        # [text, style] pairs. A run added to becomes [[pieces], style],
        # joined in take(): adding to a string held in a list copies it each
        # time, quadratic over a paragraph of a million <br>. Public so the
        # HTML walk can test for emptiness without a call; the list object
        # itself never changes.
        self.runs: list[list] = []
        self._soft = False  # the trailing space came from a line break in the source

    @property
    def empty(self) -> bool:
        return not self.runs

    def add(self, text: str, bold: bool, italic: bool, link: str | None, *, preformatted: bool = False) -> None:
        style = (bold, italic, link)
        if preformatted:
            self._append(text.expandtabs(8), style)
            self._soft = False
            return
        raw = text
        text = collapse_spaces(raw)
        if not text:
            return
        # Whitespace at the edges of a run that holds a line break is "soft":
        # it disappears when it ends up between two CJK characters.
        leading_soft = text[0] == " " and "\n" in raw[: len(raw) - len(raw.lstrip())]
        trailing_soft = text[-1] == " " and "\n" in raw[len(raw.rstrip()):]
        previous = self._last_char()
        if text[0] == " ":
            if previous in ("", "\n"):
                text = text[1:]
            elif previous == " ":
                text = text[1:]
                self._soft = self._soft or leading_soft
            elif leading_soft and is_cjk(previous) and is_cjk(text[1:2]):
                text = text[1:]
            if not text:
                return
        elif previous == " " and self._soft and is_cjk(text[0]) and is_cjk(self._char_before_last()):
            self._drop_trailing_space()
        self._append(text, style)
        if text.endswith(" "):
            self._soft = trailing_soft or (text == " " and leading_soft)
        else:
            self._soft = False

    def line_break(self) -> None:
        """A <br>: a line break, and two in a row end the paragraph."""
        if not self.runs:
            return
        self._drop_trailing_space()
        self._append("\n", _PLAIN)

    def take(self, *, preformatted: bool = False, check_controls: bool = True) -> list[tuple[str, tuple[Span, ...]]]:
        """The gathered paragraphs with their spans; the buffer is empty afterwards."""
        for run in self.runs:
            if type(run[0]) is list:
                run[0] = "".join(run[0])
        runs = self.runs[:]
        self.runs.clear()
        self._soft = False
        text = runs[0][0] if len(runs) == 1 else "".join(run[0] for run in runs)
        if check_controls and needs_cleaning(text):
            # Entities such as &#27; decode to control characters: clean each
            # run so the span offsets are measured in the cleaned text.
            for run in runs:
                run[0] = strip_controls(run[0])
            runs = [run for run in runs if run[0]]
            text = "".join(run[0] for run in runs)
        if preformatted:
            # Indentation matters in preformatted text; trailing spaces never do.
            text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
            return [(text, ())] if text.strip() else []
        if all(run[1] == _PLAIN for run in runs):
            return [(part, ()) for part in _paragraphs(text)]
        return _split_styled(runs)

    # -- seams ------------------------------------------------------------------
    def _append(self, text: str, style: _Style) -> None:
        if self.runs and self.runs[-1][1] == style:
            run = self.runs[-1]
            if type(run[0]) is list:
                run[0].append(text)
            else:
                run[0] = [run[0], text]
        else:
            self.runs.append([text, style])

    def _last_piece(self, run: list) -> str:
        return run[0] if type(run[0]) is str else run[0][-1]

    def _last_char(self) -> str:
        return self._last_piece(self.runs[-1])[-1] if self.runs else ""

    def _char_before_last(self) -> str:
        text = self.runs[-1][0]
        last = text if type(text) is str else text[-1]
        if len(last) >= 2:
            return last[-2]
        if type(text) is list and len(text) >= 2:
            return text[-2][-1]
        return self._last_piece(self.runs[-2])[-1] if len(self.runs) >= 2 else ""

    def _drop_trailing_space(self) -> None:
        while self.runs:
            run = self.runs[-1]
            pieces = run[0] if type(run[0]) is list else None
            kept = (pieces[-1] if pieces else run[0]).rstrip(" ")
            if kept:
                if pieces:
                    pieces[-1] = kept
                else:
                    run[0] = kept
                return
            if pieces and len(pieces) > 1:
                pieces.pop()
            else:
                self.runs.pop()


def _paragraphs(text: str) -> list[str]:
    """Split on blank lines (two <br>); keep single line breaks; trim each part."""
    return [part for part in (piece.strip(" \n") for piece in text.split(_PARAGRAPH_BREAK)) if part]


def _split_styled(runs: list[list]) -> list[tuple[str, tuple[Span, ...]]]:
    # Rare path (styled text across <br><br>): rebuild paragraph by paragraph.
    result = []
    current: list[list] = []
    for text, style in runs:
        for index, piece in enumerate(text.split(_PARAGRAPH_BREAK)):
            if index:
                result.append(current)
                current = []
            if piece:
                current.append([piece, style])
    result.append(current)
    return [paragraph for paragraph in map(_styled_paragraph, result) if paragraph[0]]


def _styled_paragraph(runs: list[list]) -> tuple[str, tuple[Span, ...]]:
    # Trim the ends first so that offsets are measured in the final text.
    while runs and not runs[0][0].strip(" \n"):
        runs.pop(0)
    while runs and not runs[-1][0].strip(" \n"):
        runs.pop()
    if not runs:
        return "", ()
    runs[0][0] = runs[0][0].lstrip(" \n")
    runs[-1][0] = runs[-1][0].rstrip(" \n")
    spans: list[Span] = []
    for index, kind in enumerate((SpanKind.BOLD, SpanKind.ITALIC, SpanKind.LINK)):
        current: object = None
        start = offset = 0
        for text, style in runs:
            value = style[index] or None
            if value != current:
                if current is not None:
                    spans.append(_span(kind, start, offset, current))
                current, start = value, offset
            offset += len(text)
        if current is not None:
            spans.append(_span(kind, start, offset, current))
    spans.sort(key=lambda span: (span.start, span.end))
    return "".join(run[0] for run in runs), tuple(spans)


def _span(kind: SpanKind, start: int, end: int, value: object) -> Span:
    return Span(start, end, kind, value if kind is SpanKind.LINK else None)  # type: ignore[arg-type]

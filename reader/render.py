"""Article blocks and headers to styled Rich ``Text`` lines for a given width.

Where lines break is ``reader.linebreak``'s business; this module decides
what each block looks like: spans become bold, italic and link styles,
list items get bullets, quotes a bar, captions a marker, and preformatted
text and tables keep their shape. Article text is never parsed as console
markup, and only http(s) and mailto links become terminal hyperlinks: an
article's own links, and urls written in its text (``reader.links``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Sequence

from rich.cells import get_character_cell_size
from rich.style import Style, StyleType
from rich.text import Text

from reader.parse.dates import format_date
from reader.linebreak import cut_lines, wrap
from reader.textwidth import CONTROLS_TO_SPACE
from reader.links import links_of, safe_link
from reader.model import Article, Block, BlockKind, SpanKind
from reader.model import Span as BlockSpan

__all__ = [
    "RenderStyles",
    "PLAIN",
    "DEFAULT_STYLES",
    "wrap",
    "render_block",
    "render_blocks",
    "render_header",
    "render_article",
]


@dataclass(frozen=True)
class RenderStyles:
    """Rich style strings or Style objects; themes supply their own."""

    title: StyleType = "bold"
    meta: StyleType = "dim"
    heading: StyleType = "bold"
    caption: StyleType = "dim italic"
    caption_marker: str = "▣ "  # prefix that shows where an image was
    quote: StyleType = "italic"
    quote_bar: StyleType = "dim"
    pre: StyleType = ""
    link: StyleType = "underline"
    bullet: StyleType = "bold"
    bold: StyleType = "bold"
    italic: StyleType = "italic"
    table_rule: StyleType = "dim"
    match: StyleType = "bold reverse"  # search hits; reverse still shows under NO_COLOR
    current: StyleType = "underline"  # the match n / N is on, over the match style


DEFAULT_STYLES = RenderStyles()
# No styling at all (output that is not a terminal); the caption marker is text, so it stays.
PLAIN = RenderStyles(**{f.name: "" for f in fields(RenderStyles) if f.name != "caption_marker"})

NO_BODY_NOTE = "(this article has no body text)"

# Character ranges of a block's text to mark as search matches.
Range = tuple[int, int]
Highlights = Sequence[Range]


# ---------------------------------------------------------------- blocks


def _styled_body(
    source: str,
    spans: Sequence[BlockSpan],
    base_style: StyleType,
    styles: RenderStyles,
    highlights: Highlights = (),
    current: Range | None = None,
) -> Text:
    """One Text for a block's text with its spans applied (never markup)."""
    text = Text(source.translate(CONTROLS_TO_SPACE), style=base_style or "")
    length = len(source)
    for span in spans:
        start, end = max(0, span.start), min(length, span.end)
        if start >= end:
            continue
        if span.kind is SpanKind.BOLD:
            text.stylize(styles.bold, start, end)
        elif span.kind is SpanKind.ITALIC:
            text.stylize(styles.italic, start, end)
    for start, end, url in links_of(source, spans):
        text.stylize(styles.link, start, end)
        text.stylize(Style(link=url), start, end)  # an OSC 8 hyperlink where the terminal has them
    for start, end, style in _marks(highlights, current, styles):
        start, end = max(0, start), min(length, end)
        if start < end:
            text.stylize(style, start, end)
    return text


def _marks(highlights: Highlights, current: Range | None, styles: RenderStyles) -> list[tuple[int, int, StyleType]]:
    """(start, end, style) of the matches, the current one last and on top of its match style.

    Applied last, so a match wins over bold, links and the block's own style.
    """
    if not styles.match:
        return []
    marks = [(start, end, styles.match) for start, end in highlights]
    if current is not None:
        marks.append((*current, styles.match))
        if styles.current:
            marks.append((*current, styles.current))
    return marks


def _expand_tabs(
    source: str, spans: Sequence[BlockSpan], tab: int = 8, highlights: Highlights = ()
) -> tuple[str, list[BlockSpan], list[tuple[int, int]]]:
    """Tabs to spaces up to the next 8-cell stop, as terminals do; spans and highlights move along."""
    pieces: list[str] = []
    new_offset: list[int] = []
    offset = column = 0
    for char in source:
        new_offset.append(offset)
        if char == "\t":
            step = tab - column % tab
            pieces.append(" " * step)
            offset += step
            column += step
        else:
            pieces.append(char)
            offset += 1
            column = 0 if char == "\n" else column + get_character_cell_size(char)
    new_offset.append(offset)
    last = len(source)

    def moved(index: int) -> int:
        return new_offset[min(max(index, 0), last)]

    return (
        "".join(pieces),
        [BlockSpan(moved(span.start), moved(span.end), span.kind, span.url) for span in spans],
        [(moved(start), moved(end)) for start, end in highlights],
    )


def _render_pre(block: Block, width: int, styles: RenderStyles, highlights: Highlights, current: Range | None) -> list[Text]:
    source, spans = block.text, block.spans
    if "\t" in source:
        marked = [*highlights, *([current] if current else [])]
        source, spans, marked = _expand_tabs(source, spans, highlights=marked)
        highlights, current = (marked[:-1], marked[-1]) if current else (marked, None)
    return cut_lines(_styled_body(source, spans, styles.pre, styles, highlights, current), width)


def _render_table(
    block: Block, width: int, styles: RenderStyles, highlights: Highlights, current: Range | None, whole_urls: bool
) -> list[Text]:
    rows = block.rows or tuple(
        tuple(line.split("\t")) for line in block.text.split("\n") if line.strip()
    )
    # Highlights are offsets into block.text; they follow the cells only
    # when the text is the rows joined by tabs and newlines, as tables.py builds it.
    joined = "\n".join("\t".join(row) for row in rows) == block.text
    marks = _marks(highlights, current, styles) if joined else []
    lines: list[Text] = []
    row_start = 0  # offset of the row in block.text
    for row in rows:
        text = Text()
        cell_start = row_start
        for number, cell in enumerate(row):
            if number:
                text.append(" │ ", style=styles.table_rule or None)
            shown_at = len(text)
            text.append(cell.replace("\n", " ").translate(CONTROLS_TO_SPACE))
            cell_end = cell_start + len(cell)
            for start, end, style in marks:
                start, end = max(start, cell_start), min(end, cell_end)
                if start < end:
                    text.stylize(style, shown_at + start - cell_start, shown_at + end - cell_start)
            cell_start += len(cell) + 1
        row_start = cell_start
        if text.plain.strip():
            # Continuation lines step in, so each row's start stays visible.
            lines.extend(wrap(text, width, hanging="  ", whole_urls=whole_urls))
    return lines


def render_block(
    block: Block,
    width: int,
    styles: RenderStyles = DEFAULT_STYLES,
    highlights: Highlights = (),
    *,
    current: Range | None = None,
    whole_urls: bool = False,
) -> list[Text]:
    """The lines of one block, none wider than ``width`` cells (but see ``whole_urls``).

    ``highlights`` are (start, end) ranges of ``block.text`` shown in
    ``styles.match``; ``current``, one more range, is shown in
    ``styles.current`` over the match style (the match n / N is on).
    ``whole_urls``: a url wider than the line is not cut, but put on a line of
    its own (``reader show``); preformatted text is cut all the same.
    """
    if width <= 0:
        return []
    kind = block.kind
    if kind is BlockKind.PRE:
        return _render_pre(block, width, styles, highlights, current)
    if kind is BlockKind.TABLE:
        return _render_table(block, width, styles, highlights, current, whole_urls)

    def body(style: StyleType) -> Text:
        return _styled_body(block.text, block.spans, style, styles, highlights, current)

    if kind is BlockKind.CAPTION:
        marker = Text(styles.caption_marker, style=styles.caption or "")
        return wrap(body(styles.caption), width, indent=marker, whole_urls=whole_urls)
    if kind is BlockKind.LIST_ITEM:
        marker = "• " if block.ordinal is None else f"{block.ordinal}. "
        prefix = Text("  " * max(0, block.level))
        prefix.append(marker, style=styles.bullet or None)
        return wrap(body(""), width, indent=prefix, whole_urls=whole_urls)
    if not block.text.strip():
        return []
    if kind is BlockKind.HEADING:
        return wrap(body(styles.heading), width, whole_urls=whole_urls)
    if kind is BlockKind.QUOTE:
        bar = Text("│ " * max(1, block.level), style=styles.quote_bar or "")
        return wrap(body(styles.quote), width, indent=bar, hanging=bar, whole_urls=whole_urls)
    return wrap(body(""), width, whole_urls=whole_urls)


def _render_block_lines(blocks: Sequence[Block], width: int, styles: RenderStyles, whole_urls: bool = False) -> list[Text]:
    lines: list[Text] = []
    previous: BlockKind | None = None
    for block in blocks:
        block_lines = render_block(block, width, styles, whole_urls=whole_urls)
        if not block_lines:
            continue
        if lines and not (previous is BlockKind.LIST_ITEM and block.kind is BlockKind.LIST_ITEM):
            lines.append(Text())
        lines.extend(block_lines)
        previous = block.kind
    return lines


def render_blocks(
    blocks: Sequence[Block], width: int, styles: RenderStyles = DEFAULT_STYLES
) -> Text:
    """Blocks separated by one blank line (none between list items)."""
    return Text("\n").join(_render_block_lines(blocks, width, styles))


# ---------------------------------------------------------------- articles


def _header_lines(
    article: Article, width: int, styles: RenderStyles, title_highlights: Highlights = (), whole_urls: bool = False
) -> list[Text]:
    lines: list[Text] = []
    # Runs of whitespace become one space; marking before collapsing keeps
    # highlights (offsets into article.title) on the right characters.
    raw = Text(article.title.translate(CONTROLS_TO_SPACE))
    for start, end, style in _marks(title_highlights, None, styles):
        raw.stylize(style, start, end)
    title = Text(" ").join(raw[word.start():word.end()] for word in re.finditer(r"\S+", raw.plain))
    title.style = styles.title or ""
    if title.plain:
        lines.extend(wrap(title, width))

    source = article.source.strip()
    author = article.author.strip()
    url = article.url.strip()
    parts = [source, format_date(article.date, article.date_origin)]
    if author != source:
        parts.append(author)
    meta = Text(" · ".join(part for part in parts if part), style=styles.meta or "")
    if url:
        if meta.plain:
            meta.append(" · ")
        url_start = len(meta)
        meta.append(url)
        link = safe_link(url)
        if link is not None:
            meta.stylize(styles.link, url_start)
            meta.stylize(Style(link=link), url_start)
    if meta.plain:
        lines.extend(wrap(meta, width, whole_urls=whole_urls))  # wrap sanitizes control characters
    return lines


def render_header(
    article: Article, width: int, styles: RenderStyles = DEFAULT_STYLES, title_highlights: Highlights = ()
) -> Text:
    """The title, then one line of source · date · author · url, both wrapped.

    ``title_highlights`` are (start, end) ranges of ``article.title`` shown in ``styles.match``.
    """
    if width <= 0:
        return Text()
    return Text("\n").join(_header_lines(article, width, styles, title_highlights))


def render_article(
    article: Article, width: int, styles: RenderStyles = DEFAULT_STYLES, *, whole_urls: bool = False
) -> Text:
    """Header, a blank line, then the body (or a note that there is none).

    ``whole_urls``: urls wider than ``width`` stand whole on lines of their own.
    """
    if width <= 0:
        return Text()
    body = _render_block_lines(article.blocks, width, styles, whole_urls)
    if not body:
        body = wrap(Text(NO_BODY_NOTE, style=styles.meta or ""), width)
    header = _header_lines(article, width, styles, whole_urls=whole_urls)
    return Text("\n").join([*header, Text(), *body] if header else body)

"""Article blocks and headers to styled Rich ``Text`` lines for a given width.

Where lines break is ``reader.linebreak``'s business; this module decides
what each block looks like: spans become bold, italic and link styles,
list items get bullets, quotes a bar, captions a marker, and preformatted
text and tables keep their shape. Article text is never parsed as console
markup, and only http(s) and mailto links become terminal hyperlinks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Sequence

from rich.cells import get_character_cell_size
from rich.style import Style, StyleType
from rich.text import Text

from reader.parse.dates import format_date
from reader.linebreak import CONTROLS_TO_SPACE, cut_lines, wrap
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


DEFAULT_STYLES = RenderStyles()
# No styling at all (output that is not a terminal); the caption marker is text, so it stays.
PLAIN = RenderStyles(**{f.name: "" for f in fields(RenderStyles) if f.name != "caption_marker"})

NO_BODY_NOTE = "(this article has no body text)"

_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Character ranges of a block's text to mark as search matches.
Highlights = Sequence[tuple[int, int]]


# ---------------------------------------------------------------- blocks


def _safe_link(url: str | None) -> str | None:
    """The url if it may become a terminal hyperlink, else None."""
    if not url:
        return None
    url = url.strip()
    if any(ord(char) <= 0x20 or 0x7F <= ord(char) <= 0x9F for char in url):
        return None  # no whitespace or control codes inside an OSC 8 sequence
    scheme, colon, rest = url.partition(":")
    if not colon or not rest or scheme.lower() not in _LINK_SCHEMES:
        return None
    return url


def _styled_body(
    source: str,
    spans: Sequence[BlockSpan],
    base_style: StyleType,
    styles: RenderStyles,
    highlights: Highlights = (),
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
        elif span.kind is SpanKind.LINK:
            url = _safe_link(span.url)
            if url is not None:
                text.stylize(styles.link, start, end)
                text.stylize(Style(link=url), start, end)
    _mark(text, highlights, styles)
    return text


def _mark(text: Text, highlights: Highlights, styles: RenderStyles) -> None:
    # Last, so the match style wins over bold, links and the block's own style.
    if not styles.match:
        return
    for start, end in highlights:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            text.stylize(styles.match, start, end)


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


def _render_pre(block: Block, width: int, styles: RenderStyles, highlights: Highlights) -> list[Text]:
    source, spans = block.text, block.spans
    if "\t" in source:
        source, spans, highlights = _expand_tabs(source, spans, highlights=highlights)
    return cut_lines(_styled_body(source, spans, styles.pre, styles, highlights), width)


def _render_table(block: Block, width: int, styles: RenderStyles, highlights: Highlights) -> list[Text]:
    rows = block.rows or tuple(
        tuple(line.split("\t")) for line in block.text.split("\n") if line.strip()
    )
    # Highlights are offsets into block.text; they follow the cells only
    # when the text is the rows joined by tabs and newlines, as tables.py builds it.
    joined = "\n".join("\t".join(row) for row in rows) == block.text
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
            if joined:
                cell_end = cell_start + len(cell)
                for start, end in highlights:
                    start, end = max(start, cell_start), min(end, cell_end)
                    if start < end and styles.match:
                        text.stylize(styles.match, shown_at + start - cell_start, shown_at + end - cell_start)
            cell_start += len(cell) + 1
        row_start = cell_start
        if text.plain.strip():
            # Continuation lines step in, so each row's start stays visible.
            lines.extend(wrap(text, width, hanging="  "))
    return lines


def render_block(
    block: Block, width: int, styles: RenderStyles = DEFAULT_STYLES, highlights: Highlights = ()
) -> list[Text]:
    """The lines of one block, none wider than ``width`` cells.

    ``highlights`` are (start, end) ranges of ``block.text`` shown in ``styles.match``.
    """
    if width <= 0:
        return []
    kind = block.kind
    if kind is BlockKind.PRE:
        return _render_pre(block, width, styles, highlights)
    if kind is BlockKind.TABLE:
        return _render_table(block, width, styles, highlights)
    if kind is BlockKind.CAPTION:
        body = _styled_body(block.text, block.spans, styles.caption, styles, highlights)
        marker = Text(styles.caption_marker, style=styles.caption or "")
        return wrap(body, width, indent=marker)
    if kind is BlockKind.LIST_ITEM:
        body = _styled_body(block.text, block.spans, "", styles, highlights)
        marker = "• " if block.ordinal is None else f"{block.ordinal}. "
        prefix = Text("  " * max(0, block.level))
        prefix.append(marker, style=styles.bullet or None)
        return wrap(body, width, indent=prefix)
    if not block.text.strip():
        return []
    if kind is BlockKind.HEADING:
        return wrap(_styled_body(block.text, block.spans, styles.heading, styles, highlights), width)
    if kind is BlockKind.QUOTE:
        body = _styled_body(block.text, block.spans, styles.quote, styles, highlights)
        bar = Text("│ " * max(1, block.level), style=styles.quote_bar or "")
        return wrap(body, width, indent=bar, hanging=bar)
    return wrap(_styled_body(block.text, block.spans, "", styles, highlights), width)


def _render_block_lines(blocks: Sequence[Block], width: int, styles: RenderStyles) -> list[Text]:
    lines: list[Text] = []
    previous: BlockKind | None = None
    for block in blocks:
        block_lines = render_block(block, width, styles)
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
    article: Article, width: int, styles: RenderStyles, title_highlights: Highlights = ()
) -> list[Text]:
    lines: list[Text] = []
    # Runs of whitespace become one space; marking before collapsing keeps
    # highlights (offsets into article.title) on the right characters.
    raw = Text(article.title.translate(CONTROLS_TO_SPACE))
    _mark(raw, title_highlights, styles)
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
        link = _safe_link(url)
        if link is not None:
            meta.stylize(styles.link, url_start)
            meta.stylize(Style(link=link), url_start)
    if meta.plain:
        lines.extend(wrap(meta, width))  # wrap sanitizes control characters
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


def render_article(article: Article, width: int, styles: RenderStyles = DEFAULT_STYLES) -> Text:
    """Header, a blank line, then the body (or a note that there is none)."""
    if width <= 0:
        return Text()
    body = _render_block_lines(article.blocks, width, styles)
    if not body:
        body = wrap(Text(NO_BODY_NOTE, style=styles.meta or ""), width)
    header = _header_lines(article, width, styles)
    return Text("\n").join([*header, Text(), *body] if header else body)

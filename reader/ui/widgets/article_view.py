"""The article pane: header and body as styled lines, scrolled by keyboard.

The lines come from ``reader.render`` at the pane's content width, so CJK
line breaking is the renderer's, and nothing here parses markup: article
text goes from ``Text`` objects straight to ``Strip`` segments.

Two caches keep scrolling cheap: the wrapped ``Text`` lines are computed once
per (article, width, styles), and each line becomes a ``Strip`` only when it
is first drawn. Holding ``j`` therefore renders one new line per step.

Reflow keeps the reader's place as (block index, fraction of that block's
lines) for the line at the top of the pane: after re-wrapping, the same
block is found and the same proportion of it is skipped. Lines of the header
count as block -1, as a fraction of the lines before the first block.

Search matches are highlights: (start, end) ranges of a block's text, drawn
in the ``article-view--match`` style. They are part of the layout's key, so
adding or dropping them re-wraps (keeping the place) like a width change.
One of them may be the current match (find in the article, n / N), drawn in
``article-view--current`` on top.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.strip import Strip

from reader.model import Article, BlockKind
from reader.render import NO_BODY_NOTE, RenderStyles, render_block, render_header, wrap

from .paging import half_page, half_page_bindings
from .quiet import QuietScrollView

__all__ = ["ArticleLayout", "ArticleView", "layout_article"]

EMPTY_HINT = "Choose an article in the sidebar"

# (block index, fraction of its lines above the top of the pane); -1 = header.
Anchor = tuple[int, float]
_TOP: Anchor = (-1, 0.0)

TITLE = -1  # the highlights key of the title (as in reader.search.index)
# Block index (or TITLE) → (start, end) ranges of its text to highlight, kept hashable.
Highlights = tuple[tuple[int, tuple[tuple[int, int], ...]], ...]
Current = tuple[int, tuple[int, int]] | None  # (block, (start, end)) of the current match
_CONTEXT = 2  # lines kept above a match that is deep inside a long block


@dataclass(frozen=True, slots=True)
class ArticleLayout:
    """Lines of an article at one width, and where each block begins."""

    lines: tuple[Text, ...]
    # First line of each block. A block that renders nothing points at the
    # next block's first line (or past the end), so the list never decreases.
    block_starts: tuple[int, ...] = ()
    block_heights: tuple[int, ...] = ()
    # Block index → the first line that shows a highlighted match.
    match_lines: Mapping[int, int] | None = None

    @property
    def body_start(self) -> int:
        """First line of the first block with lines (the end when there is none)."""
        for start, height in zip(self.block_starts, self.block_heights):
            if height:
                return start
        return len(self.lines)

    def anchor_at(self, y: int) -> Anchor:
        """The place of line ``y``, in terms that survive re-wrapping."""
        index = bisect_right(self.block_starts, y) - 1
        if index >= 0 and self.block_heights[index]:
            return index, (y - self.block_starts[index]) / self.block_heights[index]
        return -1, y / max(1, self.body_start)

    def line_of(self, anchor: Anchor) -> int:
        """The line at ``anchor`` in this layout."""
        index, fraction = anchor
        if index < 0:
            return round(fraction * self.body_start)
        if index >= len(self.block_starts):
            return len(self.lines)
        return self.block_starts[index] + round(fraction * self.block_heights[index])


def layout_article(
    article: Article,
    width: int,
    styles: RenderStyles,
    highlights: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    current: Current = None,
) -> ArticleLayout:
    """The lines of ``render_article``, block by block, keeping where blocks start.

    Same rules as ``render_article``: header, one blank line, then blocks
    with one blank line between them except between consecutive list items.
    A block's match line is that of the current match when it holds it.
    """
    highlights = highlights or {}
    blocks = article.blocks
    if width <= 0:
        return ArticleLayout((), (0,) * len(blocks), (0,) * len(blocks))
    header = render_header(article, width, styles, highlights.get(TITLE, ()))
    lines: list[Text] = list(header.split("\n", allow_blank=True)) if header.plain else []
    if lines:
        lines.append(Text())
    body_start = len(lines)
    starts: list[int | None] = []
    heights: list[int] = []
    previous: BlockKind | None = None
    match_lines: dict[int, int] = {}
    for number, block in enumerate(blocks):
        marked = highlights.get(number, ())
        here = current[1] if current is not None and current[0] == number else None
        block_lines = render_block(block, width, styles, marked, current=here)
        if not block_lines:
            starts.append(None)
            heights.append(0)
            continue
        in_list = previous is BlockKind.LIST_ITEM and block.kind is BlockKind.LIST_ITEM
        if len(lines) > body_start and not in_list:
            lines.append(Text())
        starts.append(len(lines))
        heights.append(len(block_lines))
        if marked:
            match_lines[number] = len(lines) + _first_marked(block_lines, styles.current if here else styles.match)
        lines.extend(block_lines)
        previous = block.kind
    # Blocks without lines take the start of the block after them.
    following = len(lines)
    filled = [0] * len(starts)
    for number in range(len(starts) - 1, -1, -1):
        start = starts[number]
        following = following if start is None else start
        filled[number] = following
    if len(lines) == body_start:
        lines.extend(wrap(Text(NO_BODY_NOTE, style=styles.meta or ""), width))
    return ArticleLayout(tuple(lines), tuple(filled), tuple(heights), match_lines)


def _first_marked(lines: list[Text], match: object) -> int:
    for number, line in enumerate(lines):
        if any(span.style == match for span in line.spans):
            return number
    return 0


def _lay_out(
    article: Article | None, width: int, styles: RenderStyles, highlights: Highlights = (), current: Current = None
) -> ArticleLayout:
    if article is not None:
        return layout_article(article, width, styles, dict(highlights), current)
    if width <= 0:
        return ArticleLayout(())
    return ArticleLayout(tuple(wrap(Text(EMPTY_HINT, style=styles.meta or ""), width)))


class ArticleView(QuietScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article; ``show()`` changes it, ``scroll_to_block()`` jumps in it."""

    # Bindings have ids so that a keymap can move them, e.g.
    # {"article.down": "n"}.
    BINDINGS = [
        Binding("j,down,ctrl+e", "line_down", "Down", show=False, id="article.down"),
        Binding("k,up,ctrl+y", "line_up", "Up", show=False, id="article.up"),
        Binding("space,pagedown,ctrl+f", "page_down", "Page down", id="article.page_down", show=False, tooltip="Page down"),
        Binding("b,pageup,ctrl+b", "page_up", "Page up", id="article.page_up", show=False, tooltip="Page up"),
        *half_page_bindings("article"),
        Binding("g,home", "top", "Top", show=False, id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="article.bottom"),
        # Back one level: the screen knows whether that is the sidebar or the results.
        Binding("q,escape", "screen.close_article", "Back", id="article.close", tooltip="Back (list or results)"),
    ]

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--meta",
        "article-view--heading",
        "article-view--caption",
        "article-view--quote",
        "article-view--link",
        "article-view--bullet",
        "article-view--match",
        "article-view--current",
    }

    # The gutter is stable so the content width does not depend on whether
    # the article is long enough to need a scrollbar (no re-wrap loop).
    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;

        & > .article-view--title { color: $accent; text-style: bold; }
        & > .article-view--meta { color: $text-muted; }
        & > .article-view--heading { text-style: bold; }
        & > .article-view--caption { color: $text-muted; text-style: italic; }
        & > .article-view--quote { text-style: italic; }
        & > .article-view--link { text-style: underline; }
        & > .article-view--bullet { color: $accent; text-style: bold; }
        & > .article-view--match { background: $warning 50%; color: $text; text-style: bold; }
        & > .article-view--current { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold underline; }
        &:nocolor > .article-view--meta { text-style: dim; }
        &:nocolor > .article-view--caption { text-style: italic dim; }
        &:nocolor > .article-view--match { text-style: reverse bold; }
        &:nocolor > .article-view--current { text-style: reverse bold underline; }
    }
    """

    ALLOW_SELECT = False  # no get_selection: selecting would highlight nothing

    def __init__(
        self,
        article: Article | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._article = article
        self._layout: ArticleLayout | None = None
        self._layout_key: tuple[Article | None, int, RenderStyles, Highlights, Current] | None = None
        self._highlights: Highlights = ()
        self._current: Current = None
        self._styles: RenderStyles | None = None  # None: read again from CSS
        self._base_style: Style | None = None
        self._strips: dict[int, Strip] = {}
        self._anchor: Anchor = _TOP
        self._anchor_y: int | None = None  # where _anchor put the top line; None: not yet

    # ------------------------------------------------------------ public

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def layout(self) -> ArticleLayout | None:
        """The lines as laid out for the current width (None before the first layout)."""
        return self._layout

    @property
    def highlights(self) -> dict[int, tuple[tuple[int, int], ...]]:
        return dict(self._highlights)

    def show(self, article: Article | None, highlights: Mapping[int, Sequence[tuple[int, int]]] | None = None) -> None:
        """Display ``article`` from its top; None shows a hint instead.

        ``highlights`` maps a block index (or TITLE, -1) to (start, end)
        ranges of its text to mark as matches.
        """
        self._article = article
        self._highlights = _frozen(highlights)
        self._current = None
        self._anchor, self._anchor_y = _TOP, None
        self._relayout(force_place=True)

    @property
    def current(self) -> Current:
        return self._current

    def highlight(self, highlights: Mapping[int, Sequence[tuple[int, int]]] | None, current: Current = None) -> None:
        """Mark other matches (or none) in the same article, keeping the place; ``current`` on top."""
        frozen = _frozen(highlights)
        if frozen != self._highlights or current != self._current:
            self._highlights, self._current = frozen, current
            self._relayout()

    def scroll_to_match(self, index: int) -> None:
        """Bring the first highlighted line of block ``index`` into view.

        The block's first line goes to the top when the match is then on
        screen; a match deep in a long block comes with a few lines above it.
        """
        self.scroll_to_block(index)
        layout, key = self._layout, self._layout_key
        laid_out = key is not None and key[0] is self._article and key[3:] == (self._highlights, self._current)
        if layout is None or not laid_out or not layout.match_lines or index not in layout.match_lines:
            return  # not laid out yet (hidden): the block's top is the best guess
        start, height = layout.block_starts[index], layout.block_heights[index]
        line = layout.match_lines[index]
        if line - start < self.scrollable_content_region.height - 1 or not height:
            return
        top = line - _CONTEXT
        self._anchor, self._anchor_y = (index, (top - start) / height), None
        self._relayout(force_place=True)

    def scroll_to_block(self, index: int) -> None:
        """Put the first line of block ``index`` of the article at the top."""
        blocks = self._article.blocks if self._article is not None else ()
        if not 0 <= index < len(blocks):
            raise IndexError(f"block {index} of {len(blocks)}")
        self._anchor, self._anchor_y = (index, 0.0), None
        self._relayout(force_place=True)

    # The reader's place, as kept across reflows: saved and restored by reader/ui/reading_state.py.
    @property
    def place(self) -> Anchor:
        """Where the top line is: (block index, fraction of its lines); (-1, f) in the header."""
        if self._layout is not None and self._anchor_y is not None and round(self.scroll_y) != self._anchor_y:
            return self._layout.anchor_at(round(self.scroll_y))
        return self._anchor

    def scroll_to_place(self, place: Anchor) -> None:
        """Go back to a ``place`` (now, or at the first layout if the pane has no size yet)."""
        self._anchor, self._anchor_y = place, None
        self._relayout(force_place=True)

    # ------------------------------------------------------------ layout

    def _content_width(self) -> int:
        return max(0, self.scrollable_content_region.width)

    def _component(self, name: str) -> Style:
        """A component's own colour and text style, without its background."""
        own = self.get_component_rich_style(name, partial=True)
        if own.color is None:
            return own.without_color
        # The full style has the colour blended over the background (alpha).
        full = self.get_component_rich_style(name)
        return Style(color=full.color) + own.without_color

    def _render_styles(self) -> RenderStyles:
        if self._styles is None:
            self._styles = RenderStyles(
                title=self._component("article-view--title"),
                meta=self._component("article-view--meta"),
                heading=self._component("article-view--heading"),
                caption=self._component("article-view--caption"),
                quote=self._component("article-view--quote"),
                link=self._component("article-view--link"),
                bullet=self._component("article-view--bullet"),
                # With its background: a match must stand out from the page.
                match=self.get_component_rich_style("article-view--match"),
                current=self.get_component_rich_style("article-view--current"),
            )
        return self._styles

    def _relayout(self, force_place: bool = False) -> None:
        """Re-wrap if the width, styles or article changed, keeping the place."""
        width = self._content_width()
        if width <= 0 or not self.is_mounted:
            return  # laid out on the first resize
        styles = self._render_styles()
        key = (self._article, width, styles, self._highlights, self._current)
        if not force_place and key == self._layout_key:
            return
        top = round(self.scroll_y)
        placed = self._anchor_y is not None  # None: a place asked for, not yet reached
        if self._layout is not None and placed and top != self._anchor_y:
            self._anchor = self._layout.anchor_at(top)  # the reader has moved since
        if key != self._layout_key:
            self._layout = _lay_out(self._article, width, styles, self._highlights, self._current)
            self._layout_key = key
            self._strips.clear()
            self.set_virtual_size(Size(width, len(self._layout.lines)))
        assert self._layout is not None
        self._scroll_line(self._layout.line_of(self._anchor))
        self._anchor_y = round(self.scroll_y)
        self.refresh()

    def _restyle(self) -> None:
        """Styles may have changed: lines keep their breaks, strips are redrawn."""
        self._styles = None
        self._base_style = None
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Component styles are updated after this call: read them when drawing.
        self._restyle()

    def _on_theme_changed(self, _theme: object) -> None:
        self._restyle()
        self.refresh()

    def on_mount(self) -> None:
        super().on_mount()
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)

    def on_resize(self) -> None:
        self._relayout()

    # ------------------------------------------------------------ drawing

    def _base(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def _catch_up_styles(self) -> None:
        """After a theme or CSS change: the same breaks, in the new styles."""
        styles = self._render_styles()
        if self._layout_key is None or self._layout_key[2] == styles:
            return
        article, width, _old, highlights, current = self._layout_key
        self._layout = _lay_out(article, width, styles, highlights, current)
        self._layout_key = (article, width, styles, highlights, current)

    def _strip(self, y: int, layout: ArticleLayout) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            base = self._base()
            line = layout.lines[y]
            strip = Strip(line.render(self.app.console), line.cell_len).apply_style(base)
            self._strips[y] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        if self._styles is None:
            self._catch_up_styles()
        width = self._content_width()
        index = self.scroll_offset.y + y
        layout = self._layout
        if layout is None or index >= len(layout.lines):
            return Strip.blank(width, self._base())
        # Padding to the width is cached by the Strip itself.
        return self._strip(index, layout).crop_extend(0, width, self._base())

    # ------------------------------------------------------------ scrolling

    def _scroll_line(self, y: int) -> None:
        # No animation: over SSH it is only lag. Forced, because right after
        # a new layout the scrollbar that allows scrolling is not yet shown.
        self.scroll_to(y=y, animate=False, force=True)

    def _page(self) -> int:
        # One line of the previous page stays in view, for context.
        return max(1, self.scrollable_content_region.height - 1)

    def action_line_down(self) -> None:
        self._scroll_line(round(self.scroll_y) + 1)

    def action_line_up(self) -> None:
        self._scroll_line(round(self.scroll_y) - 1)

    def action_page_down(self) -> None:
        self._scroll_line(round(self.scroll_y) + self._page())

    def action_page_up(self) -> None:
        self._scroll_line(round(self.scroll_y) - self._page())

    def action_half_page(self, direction: int) -> None:
        self._scroll_line(round(self.scroll_y) + direction * half_page(self))

    def action_top(self) -> None:
        self._scroll_line(0)

    def action_bottom(self) -> None:
        self._scroll_line(self.max_scroll_y)


def _frozen(highlights: Mapping[int, Sequence[tuple[int, int]]] | None) -> Highlights:
    if not highlights:
        return ()
    return tuple(sorted((block, tuple((start, end) for start, end in spans)) for block, spans in highlights.items() if spans))

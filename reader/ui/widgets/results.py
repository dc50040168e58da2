"""Search results: a one-line header and a keyboard list of hits.

The list draws lines itself (the line API): a row per hit, each a title, a
``source · date`` line and the matching passage with the matched characters
marked, then a blank line. Rows are laid out for the list's width when the
hits or the width change: those the view shows (and the cursor's) at once,
the rest after the screen is painted (wrapping 50 passages was 6-8 ms of
every keystroke's results, before they could be drawn); and a line becomes
a ``Strip`` only when drawn. Article text goes into ``Text`` objects, never
markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Static

from ...parse.clean import display_path
from ...parse.dates import local_time
from ...linebreak import wrap
from ...textwidth import CONTROLS_TO_SPACE, cell_width, index_at_width
from .paging import half_page, half_page_bindings, row_in_view, scroll_line_bindings
from .quiet import QuietScrollView

if TYPE_CHECKING:  # the search core is imported after the first paint (reader/ui/__init__.py)
    from ...search.engine import Hit, Results

__all__ = ["ResultsList", "ResultsPane", "header_text", "passage_lines"]

GUTTER = 2  # cells left of every row: the cursor's bar, then a space
PASSAGE_LINES = 2
REST_DELAY = 0.05  # seconds after the rows in view are laid out, the rest: the screen is drawn in between
NO_MATCHES = (
    "No article matches.",
    "",
    'Fewer characters find more; "quotes" find an exact phrase;',
    "filters: source:观察者网  date:2022-01  in:title",
)

# The pane before the first key of a query (the search bar has the focus, nothing typed).
READY_HEADER = "search"
READY = (
    "Type words or a half-remembered quote.",
    "Titles, text, captions and sources are",
    "searched, simplified and traditional alike.",
    "",
    '"quotes" find an exact phrase. Filters:',
    "source:观察者网  date:2022-01  in:title",
    "",
    "↑ earlier queries   enter first   esc back",
)


def also_in(hit: Hit, width: int) -> str:
    """``also in …/b/x.md`` (`` +2`` for more) for a hit with copies, cut on the left to ``width``; "" without."""
    if not hit.copies:
        return ""
    head, path = "also in ", display_path(hit.copies[0])
    more = f" +{len(hit.copies) - 1}" if len(hit.copies) > 1 else ""
    room = width - cell_width(head) - cell_width(more)
    if cell_width(path) > room:  # the end of a path tells copies apart: keep it
        tail = path[::-1][: index_at_width(path[::-1], max(0, room - 1))][::-1]
        path = "…" + tail
    return head + path + more


def nothing_read(searched: int, loading: bool) -> bool:
    """A search ran before a big folder's first file was read: not "no matches", nothing was searched."""
    return loading and not searched


def header_text(count: int, more: bool, searched: int, loading: bool, total: int, matching: int | None = None) -> str:
    """``23 articles``, ``50+ articles``, ``50 of 1,234 articles`` or ``no matches``, and a note while loading
    (``nothing read yet`` before the first file is).

    ``matching`` is how many articles match when the search knows it (a
    one-character query counts them all); ``more`` says there are more than shown.
    """
    if count == 0 and nothing_read(searched, loading):
        return "nothing read yet — still loading"
    if count == 0:
        shown = "no matches"
    elif matching is not None and matching > count:
        shown = f"{count:,} of {matching:,} articles, newest first"
    else:
        shown = f"{count:,}{'+' if more else ''} article{'' if count == 1 and not more else 's'}"
    if loading:
        shown += f" — searched {searched:,} of {max(total, searched):,} so far, still loading"
    return shown


def passage_lines(
    passage: str, spans, width: int, match: Style | str, max_lines: int = PASSAGE_LINES, style: Style | str = ""
) -> list[Text]:
    """The passage in at most ``max_lines`` lines of ``width`` cells, its first match in view.

    A match that would fall below the last line (or under its closing …) is
    brought up by cutting the passage's start, marked with ….
    """
    if width <= 0:
        return []
    plain = passage.translate(CONTROLS_TO_SPACE)
    spans = [(max(0, start), min(len(plain), end)) for start, end in spans if end > start]
    lines = _fit(plain, spans, width, match, max_lines, style)
    marked = _marked_count(lines, match)
    if not spans or marked >= spans[0][1] - spans[0][0]:
        return lines
    # Keep about a third of a line before the match, for context; the cut
    # stands only if it shows more of the match (a long one that starts near
    # the beginning already shows as much as it can).
    first = spans[0][0]
    cut = first - (index_at_width(plain[first::-1], width // 3) - 1)
    if cut <= 0:
        return lines
    shifted = [(max(0, start - cut) + 1, end - cut + 1) for start, end in spans if end > cut]
    brought_up = _fit("…" + plain[cut:], shifted, width, match, max_lines, style)
    return brought_up if _marked_count(brought_up, match) > marked else lines


def _fit(plain: str, spans, width: int, match: Style | str, max_lines: int, style: Style | str) -> list[Text]:
    lines = _marked_lines(plain, spans, width, match, style)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        # Room for the ellipsis: cut the last line by cells, keeping its styles.
        last = last[: index_at_width(last.plain, width - 1)]
        last.append("…")
        lines = [*lines[: max_lines - 1], last]
    return lines


def _marked_count(lines: list[Text], match: Style | str) -> int:
    return sum(span.end - span.start for line in lines for span in line.spans if span.style == match)


def _marked_lines(plain: str, spans, width: int, match: Style | str, style: Style | str = "") -> list[Text]:
    text = Text(plain, style=style)
    for start, end in spans:
        if start < end:
            text.stylize(match, start, end)
    return wrap(text, width)


@dataclass(frozen=True)
class _Line:
    row: int  # index of the hit, or -1 for a line that belongs to no hit
    text: Text
    part_of_row: bool = True  # False: the blank line after a row (never in cursor colours)


class ResultsList(QuietScrollView, can_focus=True, inherit_bindings=False):
    """The hits of one search; enter opens the one under the cursor."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Down", id="results.down", show=False),
        Binding("k,up", "move(-1)", "Up", id="results.up", show=False),
        Binding("enter,l,right", "open", "Open", id="search.open", tooltip="Open the result at its match"),
        Binding("g,home", "first", "Top", id="results.top", show=False),
        Binding("G,end", "last", "Bottom", id="results.bottom", show=False),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", id="results.page_down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", id="results.page_up", show=False),
        *half_page_bindings("results"),
        *scroll_line_bindings("results"),
    ]
    COMPONENT_CLASSES = {
        "results-list--title",
        "results-list--meta",
        "results-list--match",
        "results-list--cursor",
        "results-list--note",
    }
    DEFAULT_CSS = """
    ResultsList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        /* Always a scrollbar, but only its thumb is seen (as fzf draws it): a list that
           comes to need one, or stops needing it, lays the screen out again otherwise
           (Textual's visibility of a scrollbar is a layout), the first key of every query. */
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;  /* the width never depends on the count: no re-wrap loop */
        scrollbar-background: $surface;
        scrollbar-background-hover: $surface;
        scrollbar-background-active: $surface;

        & > .results-list--title { text-style: bold; }
        & > .results-list--meta { color: $text-muted; }
        & > .results-list--note { color: $text-muted; }
        & > .results-list--match { background: $warning 50%; color: $text; text-style: bold; }
        & > .results-list--cursor {
            color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background;
        }
        &:focus > .results-list--cursor { color: $block-cursor-foreground; background: $block-cursor-background; }
        /* NO_COLOR: a match reversed; the cursor's row shown by its ▌, and
           underlined while the list has the focus (reversed, it would hide its matches). */
        &:nocolor > .results-list--meta, &:nocolor > .results-list--note { text-style: dim; }
        &:nocolor > .results-list--match { text-style: reverse bold; }
        &:nocolor:focus > .results-list--cursor { text-style: underline; }
    }
    """
    ALLOW_SELECT = False

    class HitChosen(Message):
        """The user asked to read a hit."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class HitHighlighted(Message):
        """The cursor is on another hit (the screen previews it)."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class MoreWanted(Message):
        """The cursor reached the last hit and more articles match: the screen searches for more."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self.cursor = 0
        self._lines: list[_Line] = []  # of the rows laid out so far: the first len(_row_starts) hits
        self._row_starts: list[int] = []
        self._width = -1  # the width the lines were laid out for
        self._layouts = 0  # layouts begun: the rest of an older one is not laid out
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] | None = None
        self._note: tuple[str, ...] = ()
        self.more = False  # more articles match than these hits
        self.taken = False  # the reader has moved the cursor in these results, or opened one

    # ------------------------------------------------------------ public

    @property
    def current(self) -> Hit | None:
        return self.hits[self.cursor] if 0 <= self.cursor < len(self.hits) else None

    def show(self, hits: list[Hit], *, keep: Path | None = None, note: tuple[str, ...] = NO_MATCHES) -> None:
        """New hits; the cursor stays on the article at ``keep`` if it is still there.

        ``note`` is shown when there are no hits.
        """
        before = self.current
        self.hits = list(hits)
        self._note = note
        paths = [hit.article.path for hit in self.hits]
        kept = keep in paths
        self.cursor = paths.index(keep) if kept else 0
        self.taken = self.taken and kept
        self._lay_out(force=True)
        if not kept:
            self.scroll_to(y=0, animate=False, force=True)
        self._reveal_cursor()  # a kept cursor stays put unless it moved out of sight
        # A new query's hit in the same article is a new hit too: its preview shows the new query's matches.
        if self.current is not None and self.current != before:
            self.post_message(self.HitHighlighted(self.current))

    def extend(self, hits: list[Hit]) -> None:
        """The hits shown, and more after them: the cursor, the rows laid out and the view stay."""
        self.hits = list(hits)
        self._sized()
        if len(self._row_starts) < len(self.hits) and self._width >= 0:
            self.set_timer(REST_DELAY, partial(self._lay_out_rest, self._layouts))

    def move_to(self, index: int) -> None:
        if not self.hits:
            return
        self.taken = True
        before = self.cursor
        self.cursor = max(0, min(len(self.hits) - 1, index))
        self._strips.clear()
        self._reveal_cursor()
        self.refresh()
        if self.cursor != before:
            self.post_message(self.HitHighlighted(self.hits[self.cursor]))
        if self.more and index >= len(self.hits) - 1:
            self.post_message(self.MoreWanted())

    def row_text(self, index: int) -> str:
        """The plain text of a row as drawn (one line per line)."""
        self._lay_out_rows(index + 1)
        return "\n".join(line.text.plain for line in self._lines if line.row == index and line.part_of_row)

    # ------------------------------------------------------------ actions

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.hits) - 1)

    def action_page(self, direction: int, lines: int | None = None) -> None:
        self._lay_out_rows(len(self.hits))
        if not self.hits or len(self._row_starts) != len(self.hits):
            return
        # The row about one screen (or ``lines``) further on, and at least the next one.
        target = self._row_starts[self.cursor] + direction * (lines or max(1, self.scrollable_content_region.height - 1))
        if direction > 0:
            self.move_to(max(self.cursor + 1, max(row for row, start in enumerate(self._row_starts) if start <= target)))
        else:
            self.move_to(min(self.cursor - 1, min(row for row, start in enumerate(self._row_starts) if start >= target)))

    def action_half_page(self, direction: int) -> None:
        self.action_page(direction, half_page(self))

    def action_scroll_lines(self, lines: int) -> None:
        """ctrl+e / ctrl+y: the view moves, the cursor stays on its hit while it is wholly in view."""
        self._lay_out_rows(len(self.hits))
        if not self.hits or len(self._row_starts) != len(self.hits):
            return
        height = self.scrollable_content_region.height
        top = max(0, min(len(self._lines) - height, self.scroll_offset.y + lines))
        self.scroll_to(y=top, animate=False, force=True, immediate=True)
        self.move_to(row_in_view(self._row_starts, len(self._lines), self.cursor, top, height))

    def action_open(self) -> None:
        if self.current is not None:
            self.taken = True
            self.post_message(self.HitChosen(self.current))

    # ------------------------------------------------------------ layout

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {
                "title": self._component("results-list--title"),
                "meta": self._component("results-list--meta"),
                "note": self._component("results-list--note"),
                # Full styles: a match and the cursor need their backgrounds.
                "match": self.get_component_rich_style("results-list--match"),
                "cursor": self.get_component_rich_style("results-list--cursor"),
            }
        return self._styles[name]

    def _component(self, name: str) -> Style:
        """A component's colour and text style, without its background (as in ArticleView)."""
        own = self.get_component_rich_style(name, partial=True)
        if own.color is None:
            return own.without_color
        return Style(color=self.get_component_rich_style(name).color) + own.without_color

    def _lay_out(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or not self.is_mounted:
            if force:  # hidden: laid out when first drawn; nothing stale meanwhile
                self._lines, self._row_starts, self._width = [], [], -1
            return
        if width == self._width and not force:
            return
        self._width = width
        self._layouts += 1
        self._lines, self._row_starts = [], []
        self._strips.clear()
        if not self.hits:
            room = max(1, width - GUTTER)
            for note in self._note:
                self._lines.extend(_Line(-1, text) for text in wrap(Text(note, style=self._style("note")), room))
        # What the view shows and the cursor's row now; the rest once this is painted.
        self._lay_out_rows(self.cursor + 1, lines=self.scroll_offset.y + self.scrollable_content_region.height)
        self._sized()
        self.refresh()
        if len(self._row_starts) < len(self.hits):
            # A timer, not call_after_refresh: that runs before the screen is drawn, not after.
            self.set_timer(REST_DELAY, partial(self._lay_out_rest, self._layouts))

    def _lay_out_rest(self, layout: int) -> None:
        if layout == self._layouts and self._width == self.scrollable_content_region.width:
            self._lay_out_rows(len(self.hits))
            self._sized()

    def _lay_out_rows(self, rows: int, lines: int = 0) -> None:
        """At least the first ``rows`` rows laid out, and as many as ``lines`` lines hold."""
        if self._width < 0:
            return
        room, match = max(1, self._width - GUTTER), self._style("match")
        while len(self._row_starts) < len(self.hits) and (len(self._row_starts) < rows or len(self._lines) < lines):
            row = len(self._row_starts)
            self._row_starts.append(len(self._lines))
            self._lines.extend(_Line(row, text) for text in self._row(self.hits[row], room, match))
            self._lines.append(_Line(row, Text(), part_of_row=False))

    def _sized(self) -> None:
        """The list's height: exact once every row is laid out, until then as if the rest were like the first."""
        laid, count = len(self._row_starts), len(self.hits)
        height = len(self._lines) if laid in (0, count) else len(self._lines) + (count - laid) * -(-len(self._lines) // laid)
        self.set_virtual_size(Size(self._width, height))

    def _row(self, hit: Hit, room: int, match: Style) -> list[Text]:
        """Title, source · date, passage; a match in the title or source is marked there instead."""
        from ...search.index import SOURCE, TITLE

        article = hit.article
        title = " ".join(article.title.split()) or "(untitled)"
        source = article.source.strip()
        date = local_time(article.date).strftime("%Y-%m-%d") if article.date else ""
        meta = " · ".join(part for part in (source, date) if part)
        title_style, meta_style = self._style("title"), self._style("meta")
        also = [Text(line, style=meta_style) for line in (also_in(hit, room),) if line]  # copies: one line
        if hit.block == TITLE and hit.passage == title:
            return [*passage_lines(title, hit.spans, room, match, 1, title_style), *passage_lines(meta, (), room, match, 1, meta_style), *also]
        lines = passage_lines(title, (), room, match, 1, title_style)
        if hit.block == SOURCE and hit.passage == source:
            return [*lines, *passage_lines(meta, hit.spans, room, match, 1, meta_style), *also]
        return [*lines, *passage_lines(meta, (), room, match, 1, meta_style), *also, *passage_lines(hit.passage, hit.spans, room, match)]

    def _reveal_cursor(self) -> None:
        self._lay_out_rows(self.cursor + 1)
        if not self.hits or len(self._row_starts) <= self.cursor:
            return
        start = self._row_starts[self.cursor]
        end = self._row_starts[self.cursor + 1] if self.cursor + 1 < len(self._row_starts) else len(self._lines)
        self.scroll_to_region(Region(0, start, 1, end - start), animate=False, force=True, immediate=True)

    def _restyle(self) -> None:
        self._styles = None
        self._lay_out(force=True)

    def notify_style_update(self) -> None:
        # Also on focus and blur (:focus changes the cursor's colours).
        super().notify_style_update()
        self._styles = None
        self._width = -1  # lay out again with the new styles when next drawn

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def on_resize(self) -> None:
        self._lay_out()
        self._reveal_cursor()

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        if self._width != self.scrollable_content_region.width:
            self._lay_out(force=True)
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = self.scroll_offset.y + y
        if index >= len(self._lines) and len(self._row_starts) < len(self.hits):
            self._lay_out_rows(0, lines=index + 1)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            on_cursor = line.part_of_row and line.row == self.cursor and line.row >= 0
            gutter = Text("▌ " if on_cursor else "  ")
            text = Text.assemble(gutter, line.text)
            if on_cursor:
                # The whole row in cursor colours, then the matches on top so
                # they stay marked; the bar shows the cursor under NO_COLOR.
                text.pad_right(max(0, width - text.cell_len))
                match = self._style("match")
                marked = [span for span in text.spans if span.style == match]
                text.stylize(self._style("cursor"))
                for span in marked:
                    text.stylize(match, span.start, span.end)
            strip = Strip(text.render(self.app.console), text.cell_len).apply_style(base)
            strip = strip.crop_extend(0, width, base)
            self._strips[index] = strip
        return strip


def _rows(text: Text, width: int) -> int | None:
    """The rows ``text`` takes at ``width``: its lines, if each fits in one; None if one may wrap."""
    lines = text.plain.split("\n")
    return len(lines) if width > 0 and all(cell_width(line) <= width for line in lines) else None


class ResultsPane(Vertical):
    """The header line over the list."""

    DEFAULT_CSS = """
    ResultsPane > #results-header {
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        text-style: bold;
    }
    """

    def compose(self):
        yield Static(id="results-header")
        yield ResultsList(id="results")

    def _set_header(self, header: Text) -> None:
        # The same header again (most keys of a query: "50+ articles") is not set
        # again: setting a Static lays the screen out anew.
        shown = self.query_one("#results-header", Static)
        before = shown.content
        if not (isinstance(before, Text) and (before.plain, before.spans, before.style) == (header.plain, header.spans, header.style)):
            # Its height follows its lines: the screen is laid out again only when they may be more or fewer.
            width = shown.content_region.width
            rows = _rows(header, width)
            same_height = rows is not None and isinstance(before, Text) and _rows(before, width) == rows
            shown.update(header, layout=not same_height)

    def show(self, results: Results, *, loading: bool, total: int, keep: Path | None = None, problem: str | None = None) -> None:
        """The hits and their header; ``problem`` (an unknown filter) is a second header line."""
        header = Text(header_text(results.count, results.more, results.searched, loading, total, results.total))
        if problem:
            header.append("\n" + problem, style="not bold")
        self._set_header(header)
        listing = self.query_one(ResultsList)
        listing.more = results.more and not results.pending  # scrolling past the end asks for more once all are in
        listing.show(results.hits, keep=keep, note=() if nothing_read(results.searched, loading) else NO_MATCHES)

    def complete(self, results: Results) -> None:
        """The rest of the shown results' hits (their first ones unchanged): the header counted them already."""
        listing = self.query_one(ResultsList)
        listing.more = results.more
        listing.extend(results.hits)

    def ready(self) -> None:
        """No query yet: what to type."""
        self._empty(READY_HEADER, READY)

    def clear(self) -> None:
        """Nothing yet: the first search of a new query is still running."""
        self._empty("searching…", ())

    def _empty(self, header: str, note: tuple[str, ...]) -> None:
        self._set_header(Text(header))
        listing = self.query_one(ResultsList)
        listing.more = False
        listing.show([], note=note)

"""The sidebar: sources (or months and days) over the articles, drawn from the snapshot's arrays.

100,000 articles make 100,000 rows; a Textual Tree needs a node object for
each (4.5 s to build), so this widget draws lines itself (the line API): the
rows are numpy arrays rebuilt in milliseconds when the snapshot, the grouping
or a group's state changes, and a row becomes a Strip only when it is on
screen. The cursor follows an article (or a group), not a line number, so it
stays put while a big folder loads and rows are inserted above it.

numpy is imported by the methods that build and search the rows, not above:
the sidebar is composed, empty, before the core is loaded (reader/ui/__init__.py),
and its arrays are made by the first ``show()``; until then they are empty tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.signal import Signal
from textual.strip import Strip

from ...catalog.grouping import Group, Grouping, group_articles  # numpy-free until it groups
from ...parse.dates import local_time
from ...textwidth import cell_width, truncate
from .paging import half_page, half_page_bindings, row_in_view, scroll_line_bindings
from .quiet import QuietScrollView

if TYPE_CHECKING:
    import numpy as np

ICON_CLOSED = "▸ "
ICON_OPEN = "▾ "
_GUIDE_LAST, _GUIDE_MORE, _GUIDE_DOWN = "└ ", "├ ", "│ "
UNREAD_MARK = "•"  # in the guide's gap before the date, so titles keep their room


@dataclass(frozen=True)
class _Rows:
    """The visible rows: ``ref[i]`` is an article number (>= 0) or -1 - the index of a group in ``groups``."""

    ref: np.ndarray  # int64
    guides: tuple[str, ...]  # per distinct prefix, the guide text
    guide: np.ndarray  # int16: which guide each row draws
    groups: tuple[Group, ...]  # every group, in row order of their headers

    def __len__(self) -> int:
        return len(self.ref)


_NO_ROWS = _Rows((), ("",), (), ())  # type: ignore[arg-type] - empty: nothing is looked up in it


class Sidebar(QuietScrollView, can_focus=True, inherit_bindings=False):
    """Sources (or dates) → articles. Enter opens; h goes back up."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="sidebar.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="sidebar.up", show=False),
        Binding("enter,l,right", "open", "Open", id="sidebar.open", show=False, tooltip="Open / expand group"),
        Binding("h,left", "back", "Back", id="sidebar.back", show=False, tooltip="Collapse / go up"),
        Binding("g,home", "scroll_home", "Top", id="sidebar.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="sidebar.bottom", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", id="sidebar.page_down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", id="sidebar.page_up", show=False),
        *half_page_bindings("sidebar"),
        *scroll_line_bindings("sidebar"),
    ]
    COMPONENT_CLASSES = {"sidebar--date", "sidebar--count", "sidebar--source", "sidebar--cursor", "sidebar--guide", "sidebar--unread"}
    DEFAULT_CSS = """
    Sidebar { overflow-x: hidden; overflow-y: auto; color: $foreground; }
    /* No focus tint: on 16 colours it turned every row the grey of the cursor. */
    Sidebar:focus { background-tint: transparent; }
    Sidebar > .sidebar--date { color: $text-muted; }
    Sidebar > .sidebar--count { color: $text-muted; }
    Sidebar > .sidebar--source { color: $text-muted; }
    Sidebar > .sidebar--guide { color: $text-muted; }
    Sidebar > .sidebar--unread { color: $accent; text-style: bold; }
    Sidebar > .sidebar--cursor { color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background; }
    Sidebar:focus > .sidebar--cursor { color: $block-cursor-foreground; background: $block-cursor-background; text-style: $block-cursor-text-style; }
    /* NO_COLOR: the cursor reversed while the sidebar has the focus, underlined while it has not. */
    Sidebar:nocolor > .sidebar--date, Sidebar:nocolor > .sidebar--count,
    Sidebar:nocolor > .sidebar--source, Sidebar:nocolor > .sidebar--guide { text-style: dim; }
    Sidebar:nocolor > .sidebar--unread { text-style: bold; }
    Sidebar:nocolor > .sidebar--cursor { text-style: underline; }
    Sidebar:nocolor:focus > .sidebar--cursor { text-style: reverse bold; }
    """
    ALLOW_SELECT = False

    class ArticleOpened(Message):
        """The user asked to read an article (its number in the snapshot shown)."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grouping = Grouping.SOURCE
        self.snapshot = None
        self._groups: tuple[Group, ...] = ()
        self._expanded: set[tuple[str, ...]] = set()
        self._rows = _NO_ROWS
        self._cursor = -1  # row; -1: none yet
        self._anchor: tuple[str, object] | None = None  # ("article", number) or ("group", key): what the cursor is on
        self._anchor_group: tuple[str, ...] | None = None  # the anchored article's group, should it go
        # int64 arrays from the first show() on (_regroup):
        self._order: np.ndarray | tuple = ()  # every article in sidebar order, groups collapsed or not
        self._place: np.ndarray | tuple = ()  # article number → index in _order, -1 when not listed
        self._leaf_of: np.ndarray | tuple = ()  # article number → its innermost group's index in _leaf_keys
        self._leaf_keys: list[tuple[str, ...]] = []
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] | None = None
        self._unread: np.ndarray | None = None  # bool per article number (reading_state.py); None: no marks
        self._unread_counts: dict[tuple[str, ...], int] = {}  # per group, counted when its row is drawn
        # The cursor is on another row, or the rows changed under it. A signal, not a
        # message: a subscriber's redraw then goes out in the same frame as the cursor's.
        self.cursor_moved: Signal[Sidebar] = Signal(self, "cursor-moved")

    # -- content --------------------------------------------------------------------
    def show(self, snapshot) -> None:
        """Show another snapshot (more articles loaded, files changed): the cursor stays on its article."""
        older, self.snapshot = self.snapshot, snapshot
        if self._anchor is not None and self._anchor[0] == "article" and older is not None:
            number = snapshot.follow(self._anchor[1], older)
            if number is None:  # its file is gone: the article that takes its row
                number = self._successor(self._anchor[1], older, snapshot)
            self._anchor = ("article", number) if number is not None else ("group", self._anchor_group)
        self._regroup()

    def _successor(self, number: int, older, snapshot) -> int | None:
        """The next article of a vanished one's group that is still there (else the one before), in ``snapshot``."""
        if not 0 <= number < len(self._place) or self._place[number] < 0:
            return None
        at, group = int(self._place[number]), self._leaf_of[number]
        for step in (1, -1):
            place = at + step
            while 0 <= place < len(self._order) and self._leaf_of[self._order[place]] == group:
                found = snapshot.follow(int(self._order[place]), older)
                if found is not None:
                    return found
                place += step
        return None

    def set_grouping(self, grouping: Grouping) -> None:
        """Group by source or by date, keeping the current article under the cursor."""
        current = self.current
        self.grouping = grouping
        self._regroup()
        if current is not None:
            self.reveal(current)

    def set_unread(self, unread: np.ndarray | None) -> None:
        """Which articles of the shown snapshot are unread (marked, and counted in their groups)."""
        self._unread = unread
        self._unread_counts.clear()
        self._strips.clear()
        self.refresh()

    def next_of(self, flags: np.ndarray) -> int | None:
        """The first article after the cursor, in the sidebar's order and round to the top, whose flag is set."""
        import numpy as np

        order = self._order
        if not len(order) or len(flags) < len(self._place):
            return None
        after = -1  # the cursor's article, or the row above a group's first article
        number = self.current
        if number is not None:
            after = int(self._place[number])
        elif (group := self.current_group) is not None:
            first = next(_leaf_groups((group,))).members
            after = int(self._place[first[0]]) - 1 if len(first) else -1
        hits = np.flatnonzero(np.roll(flags[order], -(after + 1)))
        return int(order[(int(hits[0]) + after + 1) % len(order)]) if len(hits) else None

    @property
    def article_count(self) -> int:
        return len(self._order)

    @property
    def current(self) -> int | None:
        """The article under the cursor (its number in the snapshot), or None on a group."""
        if not 0 <= self._cursor < len(self._rows):
            return None
        ref = int(self._rows.ref[self._cursor])
        return ref if ref >= 0 else None

    @property
    def current_path(self) -> str | None:
        number = self.current
        return self.snapshot.path(number) if number is not None else None

    @property
    def groups(self) -> tuple[Group, ...]:
        """The outermost groups, in order."""
        return self._groups

    def is_open(self, group: Group) -> bool:
        return group.key in self._expanded

    @property
    def current_group(self) -> Group | None:
        if not 0 <= self._cursor < len(self._rows):
            return None
        ref = int(self._rows.ref[self._cursor])
        return self._rows.groups[-1 - ref] if ref < 0 else None

    def reveal(self, number: int) -> None:
        """Open the article's groups and put the cursor on it (a copy: on its listed copy)."""
        number = self._listed(number)
        group = self._group_of(number)
        if group is None:
            return
        for depth in range(1, len(group) + 1):
            self._expanded.add(group[:depth])
        self._layout()
        import numpy as np

        rows = np.flatnonzero(self._rows.ref == number)
        if len(rows):
            self._move(int(rows[0]))

    def neighbour(self, number: int | None, step: int) -> int | None:
        """The article before (-1) or after (+1) in the sidebar's order, across groups."""
        if not len(self._order):
            return None
        number = self._listed(number) if number is not None else None
        if number is None or not 0 <= number < len(self._place) or self._place[number] < 0:
            return int(self._order[0] if step > 0 else self._order[-1])
        target = int(self._place[number]) + step
        return int(self._order[target]) if 0 <= target < len(self._order) else None

    def _listed(self, number: int) -> int:
        """The article whose row stands for ``number``: itself, or the copy listed for it."""
        return self.snapshot.copies.representative(number) if self.snapshot is not None else number

    def row_text(self, row: int) -> str:
        """A row's text as drawn (for tests)."""
        return self._line(row, max(1, self.scrollable_content_region.width)).plain

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    # -- rows -----------------------------------------------------------------------
    def _regroup(self) -> None:
        import numpy as np

        snapshot = self.snapshot
        self._groups = group_articles(snapshot, self.grouping) if snapshot is not None else ()
        leaves = [group.members for group in _leaf_groups(self._groups)]
        self._order = np.concatenate(leaves) if leaves else np.empty(0, dtype=np.int64)
        count = snapshot.article_count if snapshot is not None else 0
        self._place = np.full(count, -1, dtype=np.int64)
        self._place[self._order] = np.arange(len(self._order))
        self._leaf_keys = [group.key for group in _leaf_groups(self._groups)]
        self._leaf_of = np.full(count, -1, dtype=np.int64)
        for index, group in enumerate(_leaf_groups(self._groups)):
            self._leaf_of[group.members] = index
        self._unread_counts.clear()
        self._layout()

    def _group_of(self, number: int) -> tuple[str, ...] | None:
        """The key of the (innermost) group holding the article."""
        if not 0 <= number < len(self._leaf_of) or self._leaf_of[number] < 0:
            return None
        return self._leaf_keys[int(self._leaf_of[number])]

    def _layout(self) -> None:
        """Rebuild the visible rows from the groups and which of them are open; the cursor keeps its anchor."""
        import numpy as np

        refs: list[np.ndarray] = []
        guide_of: list[np.ndarray] = []
        guides: list[str] = []
        guide_numbers: dict[str, int] = {}
        groups: list[Group] = []

        def guide(text: str) -> int:
            number = guide_numbers.get(text)
            if number is None:
                number = guide_numbers[text] = len(guides)
                guides.append(text)
            return number

        def add(group: Group, lead: str, last: bool, depth: int) -> None:
            groups.append(group)
            refs.append(np.array([-len(groups)], dtype=np.int64))
            own = "" if depth == 0 else lead + (_GUIDE_LAST if last else _GUIDE_MORE)
            guide_of.append(np.array([guide(own)], dtype=np.int16))
            if group.key not in self._expanded:
                return
            inner = "" if depth == 0 else lead + ("  " if last else _GUIDE_DOWN)
            if group.children:
                for index, child in enumerate(group.children):
                    add(child, inner, index == len(group.children) - 1, depth + 1)
                return
            members = group.members
            if len(members):
                refs.append(members.astype(np.int64))
                numbers = np.full(len(members), guide(inner + _GUIDE_MORE), dtype=np.int16)
                numbers[-1] = guide(inner + _GUIDE_LAST)
                guide_of.append(numbers)

        for group in self._groups:
            add(group, "", True, 0)
        if refs:
            self._rows = _Rows(np.concatenate(refs), tuple(guides), np.concatenate(guide_of), tuple(groups))
        else:
            self._rows = _NO_ROWS
        self._strips.clear()
        self.set_virtual_size(Size(max(1, self.scrollable_content_region.width), len(self._rows)))
        before = self._cursor
        if self._restore_cursor() and before >= 0 and self._cursor != before:
            # Its row came after rows that came or went above it (newer articles, a load under
            # way, the other grouping): the view moves with it, so that it stays on its line of
            # the screen rather than drift out of sight. (On another row, a group closed over it,
            # the rows above stay where they were.)
            self.scroll_to(y=max(0, self.scroll_offset.y + self._cursor - before), animate=False, force=True, immediate=True)
        self.refresh()
        self.cursor_moved.publish(self)

    def _restore_cursor(self) -> bool:
        """The cursor on its anchor's row; whether that is the anchor itself (not its group, nor a row near it)."""
        if self._anchor is None:
            # No row chosen yet: the first row, as soon as there is one (a key
            # pressed while nothing was listed must not leave the cursor nowhere).
            self._cursor = -1 if not len(self._rows) else max(0, min(self._cursor, len(self._rows) - 1))
            return False
        import numpy as np

        kind, value = self._anchor
        itself = True
        if kind == "article":
            number = value
            rows = np.flatnonzero(self._rows.ref == number) if number is not None else []
            if len(rows):
                self._cursor = int(rows[0])
                return True
            # The article is in a closed group now (or gone): its group, else the nearest row.
            key = self._group_of(number) if number is not None else None
            itself = False
            if key is not None:
                value, kind = key, "group"
        if kind == "group" and value:
            shown = {group.key: row for row, group in self._group_rows()}
            for depth in range(len(value), 0, -1):  # the innermost group that is on a row
                if value[:depth] in shown:
                    self._cursor = shown[value[:depth]]
                    return itself and depth == len(value)
        self._cursor = min(max(self._cursor, 0), len(self._rows) - 1) if len(self._rows) else -1
        return False

    def _group_rows(self):
        import numpy as np

        if not len(self._rows):
            return
        groups = self._rows.groups
        for row in np.flatnonzero(self._rows.ref < 0).tolist():
            yield row, groups[-1 - int(self._rows.ref[row])]

    # -- moving ---------------------------------------------------------------------
    def _move(self, row: int) -> None:
        if not len(self._rows):
            return
        row = max(0, min(len(self._rows) - 1, row))
        previous, self._cursor = self._cursor, row
        ref = int(self._rows.ref[row])
        if ref >= 0:
            self._anchor = ("article", ref)
            self._anchor_group = self._group_of(ref)
        else:
            self._anchor = ("group", self._rows.groups[-1 - ref].key)
        for changed in (previous, row):
            self._strips.pop(changed, None)
        scrolled = self.scroll_offset
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, force=True, immediate=True)
        if self.scroll_offset == scrolled and self.size.width and self.size.height:  # laid out, not scrolled
            # Only the two rows whose cursor mark changed are drawn again (not the 20-odd
            # in sight): a third of a move's CPU at 100,000 articles.
            for changed in {previous, row}:
                if 0 <= changed < len(self._rows):
                    self.refresh_line(changed)
        else:
            self.refresh()
        if row != previous:
            self.cursor_moved.publish(self)

    def action_cursor_down(self) -> None:
        self._move(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self._cursor - 1 if self._cursor > 0 else 0)

    def action_scroll_home(self) -> None:
        self._move(0)

    def action_scroll_end(self) -> None:
        self._move(len(self._rows) - 1)

    def action_page_down(self) -> None:
        self._move(self._cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move(self._cursor - max(1, self.scrollable_content_region.height - 1))

    def action_half_page(self, direction: int) -> None:
        """ctrl+d / ctrl+u: the view and the cursor move together (see paging.py)."""
        lines = direction * half_page(self)
        self.scroll_to(y=self.scroll_offset.y + lines, animate=False, force=True, immediate=True)
        self._move(self._cursor + lines)

    def action_scroll_lines(self, lines: int) -> None:
        """ctrl+e / ctrl+y: the view moves, the cursor stays on its row while it can."""
        height = self.scrollable_content_region.height
        top = max(0, min(len(self._rows) - height, self.scroll_offset.y + lines))
        self.scroll_to(y=top, animate=False, force=True, immediate=True)
        self._move(row_in_view(range(len(self._rows)), len(self._rows), max(0, self._cursor), top, height))

    def action_open(self) -> None:
        number = self.current
        if number is not None:
            self.post_message(self.ArticleOpened(number))
            return
        group = self.current_group
        if group is None:
            return
        if group.key not in self._expanded:
            self._expanded.add(group.key)
            self._layout()
        elif self._cursor + 1 < len(self._rows):
            self._move(self._cursor + 1)  # into the open group

    def action_back(self) -> None:
        group = self.current_group
        if group is not None and group.key in self._expanded:
            self._expanded.discard(group.key)
            self._layout()
            return
        parent = self._parent_key()
        if parent is not None:
            for row, candidate in self._group_rows():
                if candidate.key == parent:
                    self._move(row)
                    return

    def _parent_key(self) -> tuple[str, ...] | None:
        number = self.current
        if number is not None:
            return self._group_of(number)
        group = self.current_group
        return group.key[:-1] if group is not None and len(group.key) > 1 else None

    def toggle(self, row: int) -> None:
        """A click: open the article, or open/close the group, under ``row``."""
        if not 0 <= row < len(self._rows):
            return
        self._move(row)
        number = self.current
        if number is not None:
            self.post_message(self.ArticleOpened(number))
            return
        group = self.current_group
        if group is not None:
            (self._expanded.discard if group.key in self._expanded else self._expanded.add)(group.key)
            self._layout()

    def on_click(self, event) -> None:
        event.stop()
        self.toggle(self.scroll_offset.y + event.y)

    # -- drawing --------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        if self._styles is None:
            # The cursor with its background (partial styles have none), except
            # under NO_COLOR: a style with colours and reverse comes out with
            # the colours swapped and no reverse, and then the colours go.
            bare = getattr(self.app, "no_color", False)
            self._styles = {}
            for name in ("date", "count", "source", "guide", "cursor", "unread"):
                style = self.get_component_rich_style(f"sidebar--{name}", partial=name != "cursor")
                self._styles[name] = style.without_color if bare else style
        return self._styles[name]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def on_focus(self) -> None:
        self._styles = None
        self._strips.clear()
        self.refresh()

    on_blur = on_focus

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.notify_style_update())

    def on_resize(self) -> None:
        self._strips.clear()
        self.set_virtual_size(Size(max(1, self.scrollable_content_region.width), len(self._rows)))

    def _line(self, row: int, width: int) -> Text:
        rows = self._rows
        ref = int(rows.ref[row])
        guide = rows.guides[int(rows.guide[row])]
        room = max(1, width - cell_width(guide))
        line = Text()
        unread = self._unread if self._unread is not None and len(self._unread) == self.snapshot.article_count else None
        if ref >= 0 and unread is not None and unread[ref]:
            line.append(guide[:-1], style=self._style("guide"))
            line.append(UNREAD_MARK, style=self._style("unread"))
        else:
            line.append(guide, style=self._style("guide"))
        if ref < 0:
            group = rows.groups[-1 - ref]
            icon = ICON_OPEN if group.key in self._expanded else ICON_CLOSED
            count = f" {group.count:,}"
            if unread is not None and (waiting := self._unread_count(group, unread)):
                count = f" {waiting:,}/{group.count:,}"  # unread / all, as newsboat shows them
            line.append(icon)
            line.append(truncate(group.label, max(1, room - cell_width(icon) - len(count))))
            line.append(count, style=self._style("count"))
            return line
        snapshot = self.snapshot
        if self.grouping is Grouping.SOURCE:
            date = snapshot.date(ref)
            prefix, prefix_style = (local_time(date).strftime("%m-%d ") if date else "      "), self._style("date")
        else:
            prefix, prefix_style = truncate(snapshot.sources[ref], 8) + " ", self._style("source")
        line.append(prefix, style=prefix_style)
        self._append_title(line, ref, max(1, room - cell_width(prefix)))
        return line

    def _append_title(self, line: Text, ref: int, room: int) -> None:
        """The article's title cut to ``room`` cells, then ``×2`` if it has copies (reader.catalog.copies)."""
        mark = self.snapshot.copies.mark(ref)
        mark = " " + mark if mark else ""
        # A title is data: appended as text, never parsed as markup.
        line.append(truncate(" ".join(self.snapshot.titles[ref].split()), max(1, room - cell_width(mark))))
        line.append(mark, style=self._style("count"))

    def _unread_count(self, group: Group, unread: np.ndarray) -> int:
        found = self._unread_counts.get(group.key)
        if found is None:
            found = self._unread_counts[group.key] = sum(int(unread[leaf.members].sum()) for leaf in _leaf_groups((group,)))
        return found

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = self.scroll_offset.y + y
        if row >= len(self._rows) or width <= 0:
            return Strip.blank(max(0, width), base)
        strip = self._strips.get(row)
        if strip is None:
            text = self._line(row, width)
            if row == self._cursor:
                # The whole row in the cursor's colours (dates and counts too),
                # so that it reads as one bar, in every theme and under NO_COLOR.
                text = Text(text.plain)
                text.pad_right(max(0, width - text.cell_len))
                text.stylize(self._style("cursor"))  # a span: Text.render ignores a Text's own style
            strip = Strip(text.render(self.app.console), text.cell_len).apply_style(base).crop_extend(0, width, base)
            self._strips[row] = strip
        return strip


def _leaf_groups(groups: tuple[Group, ...]):
    for group in groups:
        if group.children:
            yield from group.children
        else:
            yield group

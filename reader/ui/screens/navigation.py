"""The main screen's keys as less, vim and newsboat users expect, and the sidebar's width.

MainScreen inherits it first; it uses MainScreen's widgets and its
focus_sidebar, _opened_number, snapshot, finding, close_find and query_text.

- ``q`` and ``esc`` go back one level (ArticleView's and the search's (searching.py)
  bindings call ``close_article`` and ``search_back``): the find bar closes,
  the article goes back to its list, the results to the sidebar; ``q`` quits
  only from the list, where nothing is left to close (the app's own ``q``).
- Counts: digits typed before a key (reader/ui/counts.py), shown in the
  status line while they are typed.
- ``<`` / ``>`` narrow and widen the sidebar by a few columns, the article
  keeping at least ARTICLE_MIN columns of text; remembered in settings.json.
- While the sidebar has the focus, the status line shows the full title of
  the article under the cursor, unless that is the open one (whose title is
  in the article pane): 80 columns show 39 CJK characters of it, the sidebar
  about 9. Moving the cursor only redraws that line.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from ...store.settings import load_settings, update_settings
from ..counts import AS_LINES, REPEATED, Count
from ..widgets.article_view import ArticleView
from ..widgets.paging import HALF_PAGE_ATTRIBUTE
from ..widgets.sidebar import Sidebar
from ..widgets.status import StatusLine

WIDTH_STEP = 4  # columns per < or >: two CJK characters
SIDEBAR_MIN = 20  # as app.tcss's min-width
ARTICLE_MIN = 30  # columns of article text kept beside the sidebar
ARTICLE_CHROME = 3  # the article pane's left padding (2) and scrollbar (1)


class Navigation(Screen):
    BINDINGS = [
        Binding("less_than_sign", "sidebar_width(-1)", "Narrower", id="sidebar.narrower", show=False, tooltip="Narrow the sidebar"),
        Binding("greater_than_sign", "sidebar_width(1)", "Wider", id="sidebar.wider", show=False, tooltip="Widen the sidebar"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = Count()
        self.sidebar_width: int | None = None  # columns asked for with < and > (None: the stylesheet's)

    def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.title_of = self._cursor_title
        self.query_one(Sidebar).cursor_moved.subscribe(self, lambda _sidebar: status.refresh(), immediate=True)
        self.sidebar_width = load_settings(self.app.settings_path).sidebar_width
        self._apply_sidebar_width()
        warnings = getattr(self.app, "keymap_warnings", [])
        if warnings:  # also notified; here until the first key
            more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
            self.query_one(StatusLine).show_note(warnings[0] + more)

    # -- q, esc ---------------------------------------------------------------------
    def action_close_article(self) -> None:
        """q or esc in the article: the find bar first (finding.py), else back to the list it came from."""
        if self.finding:
            self.close_find()
            return
        self.action_focus_sidebar()

    # -- counts ---------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        status = self.query_one(StatusLine)
        status.show_note(None)  # a keymap warning stays until the first key
        if isinstance(self.app.focused, Input):
            return  # typed text
        if self.count.pending and event.key == "escape":
            self.count.clear()
            event.stop()
            return
        digit = event.character is not None and event.character.isdigit()
        if digit and event.key not in self.active_bindings and self.count.add(event.character):
            status.show_note(f"{self.count.value}  (a count: now a key to repeat, esc to drop it)")
            event.stop()
            return
        if not self.count.pending:
            return
        count = self.count.take()
        active = self.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return
        if active.binding.id in AS_LINES:
            setattr(active.node, HALF_PAGE_ATTRIBUTE, count)  # then the key does as usual
        elif active.binding.id in REPEATED:
            event.stop()
            for _ in range(count):
                await self.app.run_action(active.binding.action, active.node)

    # -- the sidebar's width ------------------------------------------------------------
    def action_sidebar_width(self, direction: int) -> None:
        # The width asked for last, not the one drawn: keys pressed faster than the layout still add up.
        current = self._bounded(self.sidebar_width) if self.sidebar_width is not None else self.query_one(Sidebar).outer_size.width
        wanted = self._bounded(current + direction * WIDTH_STEP)
        if wanted == current:
            self.app.bell()
            return
        self.sidebar_width = wanted
        self._apply_sidebar_width()
        update_settings({"sidebar_width": wanted}, self.app.settings_path)

    def _bounded(self, width: int) -> int:
        return max(SIDEBAR_MIN, min(width, self.size.width - ARTICLE_MIN - ARTICLE_CHROME))

    def _apply_sidebar_width(self) -> None:
        """The width asked for, within bounds; none under NARROW_BELOW, where the sidebar takes turns."""
        styles = self.query_one(Sidebar).styles
        if self.sidebar_width is None or self.has_class("narrow"):
            styles.width = styles.max_width = None  # the stylesheet's
            return
        styles.width = styles.max_width = self._bounded(self.sidebar_width)

    def on_resize(self) -> None:
        self._apply_sidebar_width()  # after MainScreen's on_resize has set "narrow"
        self.query_one(StatusLine).refresh()  # in turns, the open article's title is out of sight

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sidebar_width":  # while the sidebar is beside the article
            return not self.query_text and not self.has_class("narrow") and not self.has_class("hide-sidebar")
        if action == "close_article":  # nothing to close in an empty folder: q quits there
            return not self.has_class("empty")
        return super().check_action(action, parameters)

    # -- the cursor's title ------------------------------------------------------------
    def on_descendant_focus(self) -> None:
        self.query_one(StatusLine).refresh()

    def on_descendant_blur(self) -> None:
        self.query_one(StatusLine).refresh()

    def _cursor_title(self) -> str | None:
        """The whole title under the sidebar's cursor while the sidebar has the focus, unless it is the open one beside it."""
        sidebar = self.query_one(Sidebar)
        number = sidebar.current
        if number is None or self.app.focused is not sidebar or self.query_text:
            return None
        beside = not self.has_class("narrow") and self.query_one(ArticleView).display
        if beside and number == self._opened_number():
            return None
        return " ".join(self.snapshot.titles[number].split())

"""The main screen: search bar, sidebar, article pane, status line, footer.

The screen owns the loaded articles and wires keys to the widgets; the
widgets know nothing of each other. Loading runs in a thread worker and
arrives in batches, so the first paint never waits for a big folder.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ...grouping import Grouping, article_order
from ...library import load_batches
from ...model import Article
from ..messages import BatchLoaded, LoadingFinished
from ..widgets.article_view import ArticleView
from ..widgets.sidebar import Sidebar
from ..widgets.status import StatusLine

NARROW_BELOW = 60  # columns; under this the sidebar and the article take turns

EMPTY_FOLDER = (
    "No articles here.\n\n"
    "reader reads .md, .markdown, .txt, .html and .htm files — Markdown with front "
    "matter, RSS dumps, saved web pages and plain text — in the folders you name "
    "and all the folders inside them (hidden ones excepted).\n\n"
    "Press q to quit."
)


class SearchBar(Input):
    """Takes focus with /, leaves with esc (the search itself arrives with the index)."""

    BINDINGS = [Binding("escape", "leave", "Leave search", id="search.leave", show=False, tooltip="Leave the search bar")]

    def action_leave(self) -> None:
        self.screen.action_leave_search()


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("s", "toggle_grouping", "Group", id="sidebar.grouping", tooltip="Group by source / date"),
        Binding("backslash", "toggle_sidebar", "Sidebar", id="sidebar.toggle", show=False, tooltip="Hide or show the sidebar"),
        Binding("right_square_bracket", "step_article(1)", "Next", id="article.next", tooltip="Next article"),
        Binding("left_square_bracket", "step_article(-1)", "Previous", id="article.previous", show=False, tooltip="Previous article"),
        Binding("space", "page_article(1)", "Page down", id="article.page_down_anywhere", show=False),
        Binding("b", "page_article(-1)", "Page up", id="article.page_up_anywhere", show=False),
        Binding("h,left", "focus_sidebar", "Back to sidebar", id="article.back", show=False, tooltip="Back to the sidebar"),
    ]

    def __init__(self, paths: list[Path], clock=time.perf_counter) -> None:
        super().__init__()
        self.paths = paths
        self.clock = clock
        self.problems: list[tuple[Path, str]] = []
        self.opened: Article | None = None
        self._started = 0.0
        self._before_search = None

    def compose(self) -> ComposeResult:
        yield SearchBar(placeholder="/ search — full-text search arrives with the search index", id="search")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            yield ArticleView(id="article")
        yield Static(id="empty")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._started = self.clock()
        self.query_one(StatusLine).update(Text("loading…"))
        self.query_one(Sidebar).focus()
        self._load()

    # -- loading --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        for batch in load_batches(self.paths):
            # Articles live as long as the app: move them out of the cyclic
            # garbage collector's sight, or every full collection walks
            # millions of objects (about 0.15 s each at 10,000 articles) and
            # the cursor stalls while it does.
            gc.freeze()
            self.post_message(BatchLoaded(batch))
        self.post_message(LoadingFinished(self.clock() - self._started))

    @on(BatchLoaded)
    def _add_batch(self, message: BatchLoaded) -> None:
        batch = message.batch
        self.problems += batch.problems
        sidebar = self.query_one(Sidebar)
        sidebar.add_articles(batch.articles)
        self.query_one(StatusLine).show_progress(batch.done, batch.total, len(sidebar.articles))

    @on(LoadingFinished)
    def _finish_loading(self, message: LoadingFinished) -> None:
        sidebar = self.query_one(Sidebar)
        articles = sidebar.articles
        sources = len({article.source for article in articles})
        self.query_one(StatusLine).show_summary(len(articles), sources, len(self.problems), message.seconds)
        if not articles:
            self.add_class("empty")
            self.query_one("#empty", Static).update(Text(EMPTY_FOLDER))
            return
        if self.opened is None:
            newest = min(articles, key=article_order)
            sidebar.reveal(newest)
            self._open(newest, focus=False)

    # -- articles -------------------------------------------------------------------
    @on(Sidebar.ArticleOpened)
    def _article_chosen(self, message: Sidebar.ArticleOpened) -> None:
        self._open(message.article, focus=True)

    def _open(self, article: Article, *, focus: bool) -> None:
        self.opened = article
        view = self.query_one(ArticleView)
        view.show(article)
        if self.has_class("narrow"):
            self.remove_class("show-sidebar")
        if focus or self.has_class("narrow"):
            view.focus()

    def action_step_article(self, step: int) -> None:
        sidebar = self.query_one(Sidebar)
        article = sidebar.neighbour(self.opened, step)
        if article is None:
            self.app.bell()
            return
        sidebar.reveal(article)
        self._open(article, focus=False)

    def action_page_article(self, direction: int) -> None:
        view = self.query_one(ArticleView)
        if direction > 0:
            view.action_page_down()
        else:
            view.action_page_up()

    # -- focus and layout -----------------------------------------------------------
    def action_focus_sidebar(self) -> None:
        if self.has_class("narrow"):
            self.add_class("show-sidebar")
        self.remove_class("hide-sidebar")
        self.query_one(Sidebar).focus()

    def action_focus_search(self) -> None:
        self.query_one(SearchBar).focus()

    def on_descendant_focus(self, event) -> None:
        # Remember where the reader was, however focus reached the search bar (/ or tab).
        if not isinstance(event.widget, SearchBar):
            self._before_search = event.widget

    def action_leave_search(self) -> None:
        target = self._before_search if self._before_search is not None else self.query_one(Sidebar)
        if not target.display:
            target = self.query_one(ArticleView)
        target.focus()

    def action_toggle_grouping(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.set_grouping(sidebar.grouping.other())
        if self.opened is not None and sidebar.current_article is None:
            sidebar.reveal(self.opened)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        if self.has_class("narrow"):
            self.toggle_class("show-sidebar")
            (sidebar if self.has_class("show-sidebar") else self.query_one(ArticleView)).focus()
            return
        self.toggle_class("hide-sidebar")
        if self.has_class("hide-sidebar") and sidebar.has_focus:
            self.query_one(ArticleView).focus()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_BELOW
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self.remove_class("show-sidebar")
            if narrow and self.query_one(Sidebar).has_focus:
                self.query_one(ArticleView).focus()

    @property
    def grouping(self) -> Grouping:
        return self.query_one(Sidebar).grouping

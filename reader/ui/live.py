"""The live folder in the app: refreshes come in as snapshots; the open article and the cursor stay put.

``Live`` is an invisible widget of the main screen. It owns the catalog's
LiveFolder (reader.catalog.watch), which refreshes the catalog in a thread of
its own whenever the folders change (or every few seconds when they cannot
be watched) and publishes each new snapshot as the load does, with
``CatalogChanged``: the screen shows it like any other (the sidebar follows
its cursor's article, a search runs again). What is left here:

- the open article: followed from snapshot to snapshot; when its file
  changed, the new version is shown at the same place; when it is gone, it
  stays on screen and the status line says so;
- ``R``: a refresh now, "reloading…" in the status line, then the summary
  (also when nothing changed);
- what the thread reports (how the folders are watched, a failed refresh)
  arrives as messages, since it cannot touch the screen itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from ..catalog import Progress
from ..catalog.watch import LiveFolder, live_mode
from ..model import Article
from ..store.damage import Damaged
from ..store.errorlog import failure_line, log_failure
from .messages import CatalogChanged
from .widgets.article_view import ArticleView
from .widgets.status import StatusLine

GONE_NOTE = "this file is gone"


class Live(Widget):
    DEFAULT_CSS = "Live { display: none; }"

    @dataclass
    class Noticed(Message):
        text: str

    @dataclass
    class Failed(Message):
        error: BaseException

    @dataclass
    class Unchanged(Message):
        """A refresh asked for by hand found nothing to change."""

        seconds: float

    def __init__(self) -> None:
        super().__init__()
        self._mode = live_mode()
        self.folder: LiveFolder | None = None
        self._main = None  # the screen, kept for the thread (which must not walk the DOM)
        self._gone: str | None = None  # the path of the open article, when its file is gone
        self._followed: tuple[str, object, int] | None = None  # (path, snapshot, number) of the open article

    def on_mount(self) -> None:
        self._main = self.screen

    # -- the thread -----------------------------------------------------------------
    def start(self) -> None:
        """Start watching (once the first load is done; R starts it sooner)."""
        if self.folder is None and self._main is not None:
            self.folder = LiveFolder(
                list(self._main.paths), self._refresh, mode=self._mode,
                notice=lambda text: self.post_message(self.Noticed(text)),
                failed=lambda error: self.post_message(self.Failed(error)),
            )
            self.folder.start()

    def _refresh(self, why: str) -> None:
        """In the live folder's thread: refresh the catalog; new snapshots go to the screen as the load's do."""
        screen = self._main
        started = time.perf_counter()
        snapshot = screen.catalog.refresh(screen.publish)
        if snapshot is None and why == "request":
            self.post_message(self.Unchanged(time.perf_counter() - started))

    def reload(self) -> None:
        """R: look at the folders now; "reloading…" until the summary comes."""
        self._main.query_one(StatusLine).show_line(Text("reloading…"))
        self._main._set_status()
        self.start()
        if self.folder is not None:
            self.folder.request()

    def on_unmount(self) -> None:
        if self.folder is not None:
            self.folder.stop()

    def on_live_noticed(self, message: Noticed) -> None:
        self.app.notify(message.text, severity="information", markup=False, timeout=6)

    def on_live_failed(self, message: Failed) -> None:
        error = message.error
        if isinstance(error, Damaged):
            self._main._cache_damaged(error)  # as on a load: the cache is set aside and the folders read again
            return
        line = failure_line("reload failed", error, log_failure("reload failed", error))
        self._main.query_one(StatusLine).show_failure(line)
        self._main._set_status()

    def on_live_unchanged(self, message: Unchanged) -> None:
        screen = self._main
        screen.post_message(CatalogChanged(screen.snapshot, Progress(0, 0, 0, message.seconds, finished=True)))

    # -- the screen's side ----------------------------------------------------------
    def snapshot_changed(self, older, snapshot, progress: Progress) -> None:
        """A new snapshot is the screen's: follow the open article into it; start watching after the first load."""
        self._follow_open(older, snapshot)
        if progress.finished:
            self.start()

    @property
    def gone(self) -> bool:
        """Whether the open article's file is gone (it stays on screen)."""
        opened = self._main.opened if self._main is not None else None
        return opened is not None and str(opened.path) == self._gone

    def status_first(self) -> Text | None:
        """What the status line says before the loading line: that the open article's file is gone (first: a
        long line is cut), or nothing."""
        return Text().append(GONE_NOTE, style="bold") if self.gone else None  # the note bold, not the line after it

    def _follow_open(self, older, snapshot) -> None:
        opened: Article | None = self._main.opened
        if opened is None:
            self._followed = self._gone = None
            return
        path = str(opened.path)
        followed = self._followed
        if followed is not None and followed[0] == path and followed[1] is older:
            old_number: int | None = followed[2]
        else:  # opened since the last snapshot (or gone in it): looked up by its path
            old_number = older.locate(None, path)
        number = snapshot.follow(old_number, older) if old_number is not None else snapshot.number_of(path)
        self._gone = path if number is None else None
        self._followed = (path, snapshot, number) if number is not None else None
        if number is None or (old_number is not None and snapshot.same_entry(number, older, old_number)):
            return
        fresh = self._main.article(number)
        if fresh is not None and fresh != opened:
            self._show_again(fresh)

    def _show_again(self, article: Article) -> None:
        """The open article's file changed: its new version, at the same place."""
        screen = self._main
        view = screen.query_one(ArticleView)
        layout = view.layout
        anchor = layout.anchor_at(round(view.scroll_y)) if layout is not None and layout.lines else None
        highlights = screen.search.mark_matches(article) if screen.query_text and screen.search.reading_hit() else None
        screen.opened = article
        view.show(article, highlights=highlights)
        if anchor is not None and view.layout is not None:
            view.scroll_to(y=view.layout.line_of(anchor), animate=False, force=True)

"""The reading state in the app: read marks, bookmarks, and your place, kept across runs.

MainScreen owns one ReadingState. It binds the keys (``BINDINGS``: m, u, B, ')
to it and tells it three things: a snapshot arrived, an article opened, the
screen goes. The state itself is reader/store/state.py (SQLite); this part
keeps what the screen needs in memory, so that painting never asks the
database: the read keys as a KeySet, turned into one bool array per snapshot
for the sidebar.

- An article open for READ_AFTER seconds is read (the screen's clock decides,
  so a test with a clock that never moves never sees one go read by itself).
- The last article opened and the place in it are saved when it opens, every
  CHECKPOINT_EVERY seconds if the reader has moved, and when the screen goes;
  at the next start the article is opened there once loading has it, unless
  the reader has pressed a key or opened something by then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from weakref import WeakSet

from textual.app import SystemCommand
from textual.binding import Binding
from textual.timer import Timer

from ..store.state import Place, State
from ..textwidth import truncate
from .widgets.article_view import ArticleView
from .widgets.results import ResultsList
from .widgets.sidebar import Sidebar

if TYPE_CHECKING:
    import numpy as np

    from ..catalog.keys import KeySet
    from ..model import Article
    from .screens.main import MainScreen

# reader.catalog.keys (and numpy) are imported where they are used: the screen imports this
# module before its first paint, and mounts the state after it (reader/ui/__init__.py).

READ_AFTER = 3.0  # seconds an article stays open before it counts as read
CHECKPOINT_EVERY = 5.0  # seconds between saves of the place while reading (a lost terminal loses no more)

# MainScreen's bindings for the state; its action_… methods hand them to ReadingState.
BINDINGS = [
    Binding("m", "toggle_read", "Read / unread", id="state.toggle_read", show=False, tooltip="Read / unread (group: all)"),
    Binding("u", "next_unread", "Next unread", id="state.next_unread", show=False, tooltip="Next unread article"),
    Binding("B", "toggle_bookmark", "Bookmark", id="state.bookmark", show=False, tooltip="Bookmark / unbookmark"),
    Binding("apostrophe", "show_bookmarks", "Bookmarks", id="state.bookmarks", show=False, tooltip="Bookmarks, newest first"),
]


class ReadingState:
    def __init__(self, screen: MainScreen, clock: Callable[[], float]) -> None:
        self.screen = screen
        self.clock = clock
        self.state: State | None = None
        self.read: KeySet | frozenset[str] = frozenset()  # the read keys: from mount() on, a KeySet from the first snapshot on
        self._restore: Place | None = None  # the place to go back to, until loading has its article
        self._looked: WeakSet = WeakSet()  # segments already searched for it
        self._unread: np.ndarray | None = None  # of self._snapshot
        self._snapshot = None
        self._opened_key: str | None = None
        self._opened_at = 0.0
        self._waiting = False  # the open article is on its way to being read (not decided by m)
        self._timer: Timer | None = None
        self._saved: Place | None = None
        self._noticed = 0
        self._view: ArticleView | None = None  # kept: at unmount it can no longer be queried

    # -- the screen's calls -----------------------------------------------------------
    def mount(self) -> None:
        """Open the state (before the first snapshot), and start saving the place as the reader moves."""
        self._view = self.screen.query_one(ArticleView)
        self.state = State()
        # A KeySet (and numpy with it) when the first snapshot comes: imported here, on the
        # interface's thread, it held up the loading worker's start by 50-100 ms.
        self.read = frozenset(self.state.read_keys())
        self._restore = self.state.last_place()
        self._show_notices()
        self.screen.set_interval(CHECKPOINT_EVERY, self.checkpoint)

    def snapshot_changed(self, snapshot, *, may_restore: bool) -> None:
        """A new snapshot is in the sidebar: its marks; and the last place, if this is when it arrives."""
        from ..catalog.keys import KeySet, live_numbers

        if not isinstance(self.read, KeySet):
            self.read = KeySet(self.read)
        self._snapshot = snapshot
        self._refresh_marks()
        place = self._restore
        if place is None:
            return
        if not may_restore:  # the reader has moved, or something is open: they win
            self._restore = None
            return
        number = live_numbers(snapshot, [place.key], self._looked).get(place.key)
        if number is not None:
            self._restore = None
            same_file = snapshot.number_of(place.path) if place.path else None
            if same_file is not None and snapshot.key(same_file) == place.key:
                number = same_file  # of two copies of the article, the one that was open
            if self.screen.open_number(number) is not None:
                self._view.scroll_to_place((place.block, place.fraction))

    def opened(self, article: Article) -> None:
        """An article is on the pane: the last place now, and read once it has been open READ_AFTER seconds."""
        self._stop_timer()
        self._opened_key, self._waiting = None, False
        number = self.screen.snapshot.number_of(article.path)
        if number is None:
            return
        self._opened_key = key = self.screen.snapshot.key(number)
        self._opened_at = self.clock()
        self._save_place(Place(key, -1, 0.0, str(article.path)))
        self._waiting = key not in self.read
        if self._waiting:
            self._timer = self.screen.set_timer(READ_AFTER, self.check_read)

    def check_read(self) -> None:
        """Mark the open article read if it has been open long enough (the timer's call; again later if not)."""
        self._stop_timer()
        key = self._opened_key
        if key is None or key in self.read or not self._waiting:
            return
        waited = self.clock() - self._opened_at
        if waited >= READ_AFTER:
            self._mark([key], True)
        else:
            self._timer = self.screen.set_timer(READ_AFTER - waited, self.check_read)

    def checkpoint(self) -> None:
        """Save the place in the open article if the reader has moved since it was last saved."""
        if self._opened_key is None or self._saved is None or self._view is None:
            return
        block, fraction = self._view.place
        place = Place(self._opened_key, int(block), float(fraction), self._saved.path)
        if place != self._saved:
            self._save_place(place)

    def close(self) -> None:
        """The screen goes: the place is saved and the database closed."""
        self._stop_timer()
        self.checkpoint()
        if self.state is not None:
            self.state.close()

    # -- keys -------------------------------------------------------------------------
    def toggle_read(self) -> None:
        """m: the article in focus read or unread; on a group, all of it read (or, if it all is, unread)."""
        from ..catalog.keys import keys_of

        numbers = self._targets(groups=True)
        if not numbers:
            self.screen.app.bell()
            return
        keys = list(dict.fromkeys(keys_of(self.screen.snapshot, numbers)))
        unread = [key for key in keys if key not in self.read]
        self._mark(unread if unread else keys, bool(unread))
        if self._opened_key in keys:
            self._waiting = False  # the reader said so: the timer must not undo it
            self._stop_timer()

    def next_unread(self) -> None:
        """u: open the next unread article after the cursor, in the sidebar's order (round to the top)."""
        if self.screen.query_text or self._unread is None:
            self.screen.app.bell()
            return
        number = self.screen.query_one(Sidebar).next_of(self._unread)
        if number is None:
            self.screen.app.bell()
            return
        self.screen.open_number(number)

    def toggle_bookmark(self) -> None:
        """B: bookmark the article in focus, or drop its bookmark."""
        numbers = self._targets(groups=False)
        if not numbers or self.state is None:
            self.screen.app.bell()
            return
        snapshot, number = self.screen.snapshot, numbers[0]
        key, meta = snapshot.key(number), snapshot.meta(number)
        title = truncate(" ".join(meta.title.split()), 40)
        if self.state.is_bookmarked(key):
            self.state.unbookmark(key)
            self.screen.notify(f"Bookmark removed: {title}", markup=False, timeout=3)
        else:
            self.state.bookmark(key, title=meta.title, source=meta.source, path=str(meta.path))
            self.screen.notify(f"Bookmarked: {title} (' lists them)", markup=False, timeout=3)
        self._show_notices()

    def show_bookmarks(self) -> None:
        """': the Bookmarks view; enter there opens the article."""
        from ..catalog.keys import live_numbers
        from .screens.bookmarks import BookmarksScreen

        if self.state is None:
            return
        bookmarks = self.state.bookmarks()
        present = live_numbers(self.screen.snapshot, [bookmark.key for bookmark in bookmarks])
        self.screen.app.push_screen(BookmarksScreen(bookmarks, set(present)), self._bookmark_chosen)

    def _bookmark_chosen(self, key: str | None) -> None:
        from ..catalog.keys import live_numbers

        number = live_numbers(self.screen.snapshot, [key]).get(key) if key else None
        if number is not None:
            self.screen.open_number(number, focus=True)

    def commands(self) -> Iterator[SystemCommand]:
        """For the command palette."""
        yield SystemCommand("Mark read or unread", "The article in focus; on a group, all of it (m)", self.toggle_read)
        yield SystemCommand("Next unread article", "After the cursor, in the sidebar's order (u)", self.next_unread)
        yield SystemCommand("Bookmark or unbookmark", "The article in focus (B)", self.toggle_bookmark)
        yield SystemCommand("Show bookmarks", "Bookmarked articles, newest first (')", self.show_bookmarks)

    # -- inside -----------------------------------------------------------------------
    def _targets(self, *, groups: bool) -> list[int]:
        """The articles a key acts on: the sidebar's or the results' cursor while it has the focus, else the open article."""
        screen = self.screen
        sidebar, results = screen.query_one(Sidebar), screen.query_one(ResultsList)
        if sidebar.has_focus and sidebar.current is not None:
            return [sidebar.current]
        if sidebar.has_focus and sidebar.current_group is not None:
            if not groups:
                return []
            group = sidebar.current_group
            leaves = group.children or (group,)
            return [n for leaf in leaves for n in leaf.members.tolist()]
        if results.has_focus and results.current is not None and results.current.number is not None:
            return [results.current.number]
        number = screen.snapshot.number_of(screen.opened.path) if screen.opened is not None else None
        return [number] if number is not None else []

    def _mark(self, keys: list[str], read: bool) -> None:
        (self.read.add if read else self.read.discard)(keys)
        if self.state is not None:
            self.state.mark_read(keys, read)
            self._show_notices()
        self._refresh_marks()

    def _refresh_marks(self) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        self._unread = ~self.read.flags(snapshot)
        self.screen.query_one(Sidebar).set_unread(self._unread)

    def _save_place(self, place: Place) -> None:
        self._saved = place
        if self.state is not None:
            self.state.set_last_place(place)
            self._show_notices()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _show_notices(self) -> None:
        if self.state is None:
            return
        for notice in self.state.notices[self._noticed:]:
            self.screen.notify(notice, severity="warning", markup=False, timeout=10)
        self._noticed = len(self.state.notices)

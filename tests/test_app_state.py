"""Reading state in the app: read after a few seconds, m, u, B, ', and the place restored at the next start.

The seeds in the sidebar, grouped by source: Aljazeera 半岛网 (003),
voachinese.com (001), 未名新闻 (004), 观察者网 (002, 000); at start 002, the
newest, is open under the cursor. Each test has its own state folder
(conftest), shared by the apps a test starts one after the other.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import make_app, pace_loading, seed_path, wait_until_loaded
from reader.catalog.snapshot import snapshot_of
from reader.parse.load import load_article
from reader.store.state import STATE_FILE, Place, State, state_path
from reader.ui import reading_state
from reader.ui.keys import key_label
from reader.ui.reading_state import READ_AFTER
from reader.ui.screens.bookmarks import BookmarksScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.sidebar import UNREAD_MARK, Sidebar
from test_colours import no_color, screen_cells, sixteen_colours, text_of  # noqa: F401 (fixtures)

SIZE = (80, 24)


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def running(paths=None, *, clock=None, cache: bool = True, wait: bool = True):
    """The app (over the seeds): r.app, r.pilot, r.screen, r.sidebar, r.view, r.bells (bells rung)."""
    app = make_app(paths)
    if clock is not None:
        app.clock = clock
    app.cache = cache
    bells: list[int] = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        if wait:
            await wait_until_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        yield SimpleNamespace(app=app, pilot=pilot, screen=screen, sidebar=screen.query_one(Sidebar),
                              view=screen.query_one(ArticleView), bells=bells)


async def press(r, *keys: str) -> None:
    await r.pilot.press(*keys)
    await r.pilot.pause()


def seed(article) -> str:
    return Path(article.path).name[:3]


def rows(r) -> list[str]:
    return [r.sidebar.row_text(row) for row in range(r.sidebar.row_count)]


def unread_seeds(r) -> list[str]:
    """The seeds marked unread in the sidebar (expanded groups only), top to bottom."""
    snapshot = r.screen.snapshot
    found = []
    for row in range(r.sidebar.row_count):
        number = int(r.sidebar._rows.ref[row])
        if number >= 0 and r.sidebar.row_text(row)[1] == UNREAD_MARK:
            found.append(Path(snapshot.path(number)).name[:3])
    return found


def notices(r) -> list[str]:
    return [notification.message for notification in r.app._notifications]


def seed_key(prefix: str) -> str:
    return snapshot_of([load_article(seed_path(prefix))]).key(0)


# ---------------------------------------------------------------- read after a few seconds


@pytest.mark.asyncio
async def test_an_article_open_for_a_few_seconds_is_read():
    clock = Clock()
    async with running(clock=clock) as r:
        assert seed(r.screen.opened) == "002"
        assert unread_seeds(r) == ["002", "000"]
        assert rows(r)[3].startswith("▾ 观察者网 2/2")
        clock.now += READ_AFTER - 0.1
        r.screen.reading.check_read()  # what the timer calls
        await r.pilot.pause()
        assert unread_seeds(r) == ["002", "000"]
        clock.now += 0.2
        r.screen.reading.check_read()
        await r.pilot.pause()
        assert unread_seeds(r) == ["000"]
        assert rows(r)[3].startswith("▾ 观察者网 1/2") and rows(r)[4].startswith("├ 01-23")
        assert State().read_keys() == {seed_key("002")}
        # Another article, open for less than READ_AFTER, stays unread.
        await press(r, "j", "enter")
        assert seed(r.screen.opened) == "000"
        clock.now += 1
        r.screen.reading.check_read()
        assert unread_seeds(r) == ["000"]


@pytest.mark.asyncio
async def test_the_timer_marks_the_open_article_read_by_itself(monkeypatch):
    import time

    monkeypatch.setattr(reading_state, "READ_AFTER", 0.05)
    async with running(clock=time.perf_counter) as r:
        for _ in range(500):
            if unread_seeds(r) == ["000"]:
                break
            await r.pilot.pause(0.01)
        assert unread_seeds(r) == ["000"]


@pytest.mark.asyncio
async def test_a_clock_that_does_not_move_never_marks_anything_read():
    async with running() as r:  # conftest's clock: always 0
        r.screen.reading.check_read()
        await r.pilot.pause()
        assert unread_seeds(r) == ["002", "000"]


# ---------------------------------------------------------------- m


@pytest.mark.asyncio
async def test_m_toggles_the_article_under_the_cursor_or_the_open_one_or_a_whole_group():
    clock = Clock()
    async with running(clock=clock) as r:
        await press(r, "j", "m")  # the sidebar's cursor: 000
        assert unread_seeds(r) == ["002"]
        await press(r, "m")
        assert unread_seeds(r) == ["002", "000"]
        await press(r, "tab", "m")  # in the article pane: the open article, 002
        assert r.app.focused is r.view
        assert unread_seeds(r) == ["000"]
        await press(r, "m")  # unread again, by hand: the timer must not undo it
        clock.now += 10
        r.screen.reading.check_read()
        assert unread_seeds(r) == ["002", "000"]
        await press(r, "shift+tab", "k", "k", "m")  # the cursor was on 000; up to its group: all of it read
        assert r.sidebar.current_group.label == "观察者网"
        assert unread_seeds(r) == [] and rows(r)[3] == "▾ 观察者网 2"
        await press(r, "m")  # all of it read: all of it unread again
        assert unread_seeds(r) == ["002", "000"]
        await press(r, "g", "m")
        assert rows(r)[0].startswith("▸ Aljazeera 半岛网 1") and "/" not in rows(r)[0]
    again = State()
    assert again.read_keys() == {seed_key("003")}


# ---------------------------------------------------------------- u


@pytest.mark.asyncio
async def test_u_opens_the_next_unread_after_the_cursor_wrapping_and_rings_when_there_is_none():
    async with running() as r:
        await press(r, "j", "m", "k")  # 000 read; the cursor back on 002
        await press(r, "u")  # after 002: 000 is read, so round to the top, 003
        assert seed(r.screen.opened) == "003" and r.sidebar.current_path == str(r.screen.opened.path)
        assert r.app.focused is r.sidebar  # u opens, like ], without moving the focus
        await press(r, "u")
        assert seed(r.screen.opened) == "001"
        await press(r, "g", "u")  # on a group row: its own first article is after it
        assert seed(r.screen.opened) == "003"
        for _ in range(4):  # 003 001 004 002 all read; 000 already is
            await press(r, "m", "u")
        assert r.bells == [1] and seed(r.screen.opened) == "002"
        assert unread_seeds(r) == []


# ---------------------------------------------------------------- B and '


@pytest.mark.asyncio
async def test_B_bookmarks_and_the_bookmarks_view_lists_them_newest_first_and_opens_one():
    async with running() as r:
        await press(r, "tab", "B")  # the open article, 002
        assert any(message.startswith("Bookmarked: _我们会给一个书面回复") for message in notices(r))
        await press(r, "shift+tab", "g", "enter", "j", "B")  # the sidebar's cursor: 003
        assert seed(r.screen.opened) == "002"  # bookmarking opens nothing
        await press(r, "k", "B")  # a group: nothing to bookmark
        assert r.bells == [1]
        await press(r, "apostrophe")
        view = r.app.screen
        assert isinstance(view, BookmarksScreen)
        assert [Path(b.path).name[:3] for b in view.bookmarks] == ["003", "002"]
        await press(r, "escape")
        assert r.app.screen is r.screen and seed(r.screen.opened) == "002"
        await press(r, "apostrophe", "enter")
        assert r.app.screen is r.screen and seed(r.screen.opened) == "003" and r.app.focused is r.view
        await press(r, "apostrophe", "j", "enter")
        assert r.app.screen is r.screen and seed(r.screen.opened) == "002"
        await press(r, "apostrophe", "enter")
        assert seed(r.screen.opened) == "003"
        await press(r, "B")  # again on the open one: the bookmark goes
        assert any(message.startswith("Bookmark removed:") for message in notices(r))
    assert [b.key for b in State().bookmarks()] == [seed_key("002")]


@pytest.mark.asyncio
async def test_a_bookmark_whose_article_is_not_here_is_listed_but_does_not_open():
    State().bookmark("url:https://example.com/elsewhere", title="别处的文章", source="别处")
    async with running() as r:
        await press(r, "apostrophe")
        view = r.app.screen
        assert isinstance(view, BookmarksScreen) and view.present == set()
        await press(r, "enter")
        assert r.app.screen is view and r.bells == [1]
        await press(r, "apostrophe")
        assert r.app.screen is r.screen


# ---------------------------------------------------------------- the next start


@pytest.mark.asyncio
async def test_the_next_start_opens_the_last_article_at_its_place_with_the_marks_and_bookmarks():
    async with running() as r:
        await press(r, "j", "enter")  # 000, in the article pane
        await press(r, *["j"] * 9, "B")
        await press(r, "shift+tab", "g", "m")
        place = r.view.place
        assert place[0] >= 0 and seed(r.screen.opened) == "000"
    async with running() as r:
        assert seed(r.screen.opened) == "000" and r.sidebar.current_path == str(r.screen.opened.path)
        assert r.view.place == place
        assert r.app.focused is r.sidebar
        assert rows(r)[0].startswith("▸ Aljazeera 半岛网 1") and "/" not in rows(r)[0]  # 003 read
        await press(r, "apostrophe")
        assert [Path(b.path).name[:3] for b in r.app.screen.bookmarks] == ["000"]


@pytest.mark.asyncio
async def test_the_last_article_is_restored_when_loading_reaches_it(monkeypatch):
    State().set_last_place(Place(seed_key("004"), 2, 0.0))
    release = threading.Event()
    pace_loading(monkeypatch, hold_before=2, release=release)  # 000 and 001 first, then a wait
    async with running(cache=False, wait=False) as r:
        for _ in range(500):
            if r.screen.snapshot.live_count == 2:
                break
            await r.pilot.pause(0.01)
        assert r.screen.snapshot.live_count == 2 and r.screen.opened is None
        release.set()
        await wait_until_loaded(r.pilot)
        assert seed(r.screen.opened) == "004" and r.view.place == (2, 0.0)
        assert r.view.scroll_y == r.view.layout.block_starts[2]


@pytest.mark.asyncio
async def test_a_reader_who_presses_a_key_before_the_last_article_arrives_stays_where_they_are(monkeypatch):
    State().set_last_place(Place(seed_key("004"), 2, 0.0))
    release = threading.Event()
    pace_loading(monkeypatch, hold_before=2, release=release)
    async with running(cache=False, wait=False) as r:
        for _ in range(500):
            if r.screen.snapshot.live_count == 2:
                break
            await r.pilot.pause(0.01)
        await press(r, "j")
        release.set()
        await wait_until_loaded(r.pilot)
        assert r.screen.opened is None  # neither the last article nor the newest


@pytest.mark.asyncio
async def test_of_two_copies_of_the_last_article_the_one_that_was_open_comes_back(tmp_path):
    body = "<p>同一篇文章，存了两次。</p>" * 40
    for name, day in (("a.md", 2), ("b.md", 1)):
        (tmp_path / name).write_text(f"---\ntitle: 副本{name}\ndate: 2022-01-0{day}\n---\n{body}\n", encoding="utf-8")
    key = snapshot_of([load_article(tmp_path / "a.md")]).key(0)
    assert key == snapshot_of([load_article(tmp_path / "b.md")]).key(0)  # copies: one key
    State().set_last_place(Place(key, 5, 0.0, str(tmp_path / "b.md")))
    async with running([tmp_path]) as r:
        assert Path(r.screen.opened.path).name == "b.md" and r.view.place == (5, 0.0)


@pytest.mark.asyncio
async def test_a_last_article_that_is_gone_means_the_newest_as_before():
    State().set_last_place(Place("url:https://example.com/gone", 3, 0.5))
    async with running() as r:
        assert seed(r.screen.opened) == "002" and r.view.place == (-1, 0.0)


# ---------------------------------------------------------------- damaged, unwritable


@pytest.mark.asyncio
async def test_a_damaged_state_is_set_aside_with_one_notice_and_the_app_goes_on():
    path = state_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage\xff" * 500)
    async with running() as r:
        (notice,) = [message for message in notices(r) if "reading state" in message]
        assert notice.startswith("reading state was damaged: set aside as")
        await press(r, "m")
        assert unread_seeds(r) == ["000"]
    assert State().read_keys() == {seed_key("002")}
    async with running() as r:
        assert not [message for message in notices(r) if "reading state" in message]


@pytest.mark.asyncio
async def test_an_unwritable_state_folder_is_a_notice_and_marks_for_this_run(monkeypatch, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv("READER_STATE_DIR", str(blocker / "reader"))
    async with running() as r:
        assert any(message.startswith("reading state is not kept this time:") for message in notices(r))
        await press(r, "m", "j", "B")
        assert unread_seeds(r) == ["000"]
        await press(r, "apostrophe")
        assert [Path(b.path).name[:3] for b in r.app.screen.bookmarks] == ["000"]
    assert not (tmp_path / STATE_FILE).exists()


# ---------------------------------------------------------------- the marks' look


@pytest.mark.asyncio
@pytest.mark.parametrize("terminal", ["no_color", "sixteen_colours"])
async def test_the_unread_mark_shows_without_colour_and_on_16_colours(terminal, request):
    request.getfixturevalue(terminal)
    async with running() as r:
        await press(r, "tab")  # the cursor row, unfocused, keeps its mark too
        cells = screen_cells(r.app)
        region = r.sidebar.scrollable_content_region
        lines = [row[region.x:region.right] for row in cells[region.y:region.bottom]]
        marked = [row for row in lines if len(row) > 1 and row[1].char == UNREAD_MARK]
        assert [text_of(row)[2:7] for row in marked] == ["01-23", "01-11"]
        # Off the cursor's row (which is drawn in the cursor's style) the mark is bold, the guide beside it is not.
        assert marked[1] is lines[5] and marked[1][1].bold and not marked[1][0].bold


def test_the_readme_lists_the_reading_state_keys_as_the_help_names_them():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("| key | action |", 1)[1].split("\n\n", 1)[0]
    for binding in reading_state.BINDINGS:
        assert f"| `{key_label(binding.key)}` |" in table, binding.id
    assert key_label("apostrophe") == "'"
    assert "state.sqlite3" in readme and "READ_AFTER" not in readme
    assert f"open for {READ_AFTER:g} seconds is read" in readme

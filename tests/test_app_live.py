"""The live folder in the app: files added, changed and removed while it runs, and R.

The app runs on a copy of the seeds with its real watcher (watchfiles over
inotify), or polling, or by hand only (READER_LIVE=off); each test changes
the folder and waits, with a deadline, for the screen to show it. The
cursor and the open article must stay where the reader left them.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from conftest import copy_of_the_seeds, make_app, until, wait_until_loaded
from reader.catalog import catalog as catalog_module
from reader.catalog import watch
from reader.ui.live import GONE_NOTE, Live
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine

FRONT = "---\ntitle: '{title}'\ndate: 2022-01-{day:02d} 08:00\ncategories: [新媒体, {source}, 国际]\n---\n{body}\n"


def write(path: Path, title: str, body: str = "<p>正文。</p>", day: int = 1, source: str = "测试社") -> None:
    path.write_text(FRONT.format(title=title, body=body, day=day, source=source), encoding="utf-8")


@pytest.fixture
def news(tmp_path) -> Path:
    top = copy_of_the_seeds(tmp_path / "news")
    return top


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).content)


async def started(pilot) -> Live:
    """The app loaded and its live folder watching (its first refresh done)."""
    await wait_until_loaded(pilot)
    live = pilot.app.screen.query_one(Live)
    await until(pilot, lambda: live.folder is not None and live.folder.refreshes >= 1, "the first refresh")
    return live


@asynccontextmanager
async def live_app(paths: list[Path], *, watching: bool = True):
    """(app, pilot): the app on ``paths``, loaded, and unless ``watching`` is False its first refresh done."""
    app = make_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await (started(pilot) if watching else wait_until_loaded(pilot))
        yield app, pilot


def seed_path(news: Path, prefix: str) -> Path:
    (path,) = news.glob(f"{prefix}_*.txt")
    return path


def row_of(sidebar: Sidebar, path: Path) -> int:
    number = sidebar.snapshot.number_of(path)
    sidebar.reveal(number)
    return sidebar.cursor_row


@pytest.mark.asyncio
async def test_a_file_added_appears_and_the_cursor_and_the_open_article_stay(news):
    async with live_app([news]) as (app, pilot):
        live = app.screen.query_one(Live)
        assert live.folder.mode == "watching"
        sidebar = app.screen.query_one(Sidebar)
        opened = app.screen.opened
        row_of(sidebar, seed_path(news, "003"))  # the cursor on another article than the open one
        chosen = sidebar.current_path
        assert chosen != str(opened.path) and sidebar.article_count == 5
        write(news / "new.md", "新来的一篇", source="观察者网", day=30)  # newest, in the cursor's group
        await until(pilot, lambda: sidebar.article_count == 6, "the new article")
        assert sidebar.current_path == chosen and app.screen.opened is opened
        assert app.screen.query_one(ArticleView).article is opened
        assert any(sidebar.row_text(row).endswith("01-30 新来的一篇") for row in range(sidebar.row_count))
        assert status(app).startswith("6 articles · 4 sources")


@pytest.mark.asyncio
async def test_the_sidebars_tables_are_made_in_the_thread_that_loads_not_in_the_interfaces(news, monkeypatch):
    """Copies and sources (60-250 ms a snapshot at 100,000 articles) are ready when a snapshot of files read
    reaches the screen (a first read here, then the live folder's); only the cache's, before any file is read
    (empty here), are left to the interface."""
    import threading

    from reader.catalog import snapshot as snapshot_module

    made: list[tuple[str, int]] = []
    real = snapshot_module.copy_groups

    def recorded(snapshot):
        made.append((threading.current_thread().name, snapshot.article_count))
        return real(snapshot)

    monkeypatch.setattr(snapshot_module, "copy_groups", recorded)
    async with live_app([news]) as (app, pilot):
        sidebar = app.screen.query_one(Sidebar)
        loaded = len(made)
        write(news / "new.md", "新来的一篇", day=30)
        await until(pilot, lambda: sidebar.article_count == 6, "the new article")
        assert sidebar.snapshot.has("copies") and sidebar.snapshot.has("source_numbers")
    assert loaded >= 1 and len(made) > loaded  # the first load's snapshots, then the live folder's
    assert {count for _, count in made} >= {5, 6}
    assert [(thread, count) for thread, count in made if count and thread == threading.main_thread().name] == []


@pytest.mark.asyncio
async def test_rows_added_above_the_cursor_leave_it_where_it_stood_on_the_screen(news):
    """A folder that fills in above the cursor (newer articles, a load under way) must not push it out of sight."""
    async with live_app([news]) as (app, pilot):
        sidebar = app.screen.query_one(Sidebar)
        row_of(sidebar, seed_path(news, "002"))  # in 观察者网, the cursor on its older article
        chosen, before = sidebar.current_path, sidebar.cursor_row - sidebar.scroll_offset.y
        assert 0 <= before < sidebar.scrollable_content_region.height
        for day in range(1, 29):
            write(news / f"new{day:02d}.md", f"新来的第{day}篇", source="观察者网", day=day if day != 23 else 24)
        await until(pilot, lambda: sidebar.article_count == 33, "the new articles")
        await pilot.pause()
        assert sidebar.current_path == chosen
        assert sidebar.cursor_row - sidebar.scroll_offset.y == before  # the same line of the screen


@pytest.mark.asyncio
async def test_the_open_articles_file_deleted_keeps_it_open_with_a_note(news):
    async with live_app([news]) as (app, pilot):
        sidebar = app.screen.query_one(Sidebar)
        view = app.screen.query_one(ArticleView)
        opened = app.screen.opened
        row_of(sidebar, seed_path(news, "004"))
        chosen = sidebar.current_path
        assert chosen != str(opened.path)
        Path(opened.path).unlink()
        await until(pilot, lambda: sidebar.article_count == 4, "the deletion")
        assert app.screen.opened is opened and view.article is opened  # still there to read
        assert status(app).startswith(f"{GONE_NOTE} · 4 articles")
        assert sidebar.current_path == chosen  # the cursor did not move
        await pilot.press("j", "k", "enter")  # another article: the note goes
        assert app.screen.opened is not opened and GONE_NOTE not in status(app)


@pytest.mark.asyncio
async def test_the_article_under_the_cursor_deleted_gives_its_row_to_the_next(news):
    async with live_app([news]) as (app, pilot):
        sidebar = app.screen.query_one(Sidebar)
        # 观察者网 holds two articles: the cursor on the newer one, which goes.
        first, second = seed_path(news, "004"), seed_path(news, "002")
        row = row_of(sidebar, first)
        first.unlink()
        await until(pilot, lambda: sidebar.article_count == 4, "the deletion")
        assert sidebar.current_path == str(second) and sidebar.cursor_row == row


@pytest.mark.asyncio
async def test_the_open_article_changed_on_disk_shows_its_new_version_at_the_same_place(news):
    async with live_app([news]) as (app, pilot):
        view = app.screen.query_one(ArticleView)
        target = news / "long.md"
        paragraphs = "".join(f"<p>第{n}段，北约东扩的历史。</p>" for n in range(60))
        write(target, "长文", paragraphs, day=29)
        sidebar = app.screen.query_one(Sidebar)
        await until(pilot, lambda: sidebar.article_count == 6, "the long article")
        row_of(sidebar, target)
        await pilot.press("enter")
        assert app.screen.opened.title == "长文"
        for _ in range(30):
            await pilot.press("j")
        block, _fraction = view.layout.anchor_at(round(view.scroll_y))
        assert block > 5
        write(target, "长文（更新）", paragraphs, day=29)
        info = target.stat()
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
        await until(pilot, lambda: view.article.title == "长文（更新）", "the new version")
        assert app.screen.opened is view.article and sidebar.article_count == 6
        await pilot.pause()
        assert view.layout.anchor_at(round(view.scroll_y))[0] == block  # the same paragraph at the top
        assert GONE_NOTE not in status(app)


@pytest.mark.asyncio
async def test_R_reloads_by_hand_and_says_so(news, monkeypatch):
    monkeypatch.setenv("READER_LIVE", "off")  # nothing but R looks at the folder
    shown: list[str] = []
    real = StatusLine.update

    def update(self, content=""):
        shown.append(str(content))
        return real(self, content)

    monkeypatch.setattr(StatusLine, "update", update)
    async with live_app([news], watching=False) as (app, pilot):
        sidebar = app.screen.query_one(Sidebar)
        write(news / "new.md", "按R才有")
        await pilot.pause(0.3)
        assert sidebar.article_count == 5  # not watched
        shown.clear()
        await pilot.press("R")
        await until(pilot, lambda: sidebar.article_count == 6, "the reload")
        await until(pilot, lambda: status(app).startswith("6 articles"), "the summary")
        assert shown[0] == "reloading…"
        shown.clear()
        await pilot.press("R")  # nothing changed: still a summary after "reloading…"
        await until(pilot, lambda: len(shown) > 1 and shown[-1].startswith("6 articles"), "the second summary")
        assert shown[0] == "reloading…" and sidebar.article_count == 6


@pytest.mark.asyncio
async def test_polling_finds_changes_too(news, monkeypatch):
    monkeypatch.setenv("READER_LIVE", "poll")
    monkeypatch.setattr(watch, "POLL_SECONDS", 0.1)
    async with live_app([news]) as (app, pilot):
        live = app.screen.query_one(Live)
        assert live.folder.mode == "polling"
        sidebar = app.screen.query_one(Sidebar)
        write(news / "polled.md", "轮询找到的")
        await until(pilot, lambda: sidebar.article_count == 6, "the polled article")
        seed_path(news, "001").unlink()
        await until(pilot, lambda: sidebar.article_count == 5, "the polled deletion")


@pytest.mark.asyncio
async def test_a_refresh_that_finds_nothing_repaints_nothing(news, monkeypatch):
    shows: list = []
    real = Sidebar.show
    monkeypatch.setattr(Sidebar, "show", lambda self, snapshot: (shows.append(snapshot), real(self, snapshot)))
    async with live_app([news]) as (app, pilot):
        live = app.screen.query_one(Live)
        before, count = len(shows), live.folder.refreshes
        path = seed_path(news, "001")
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # an event, and no change
        (news / "notes.jpg").write_bytes(b"x")  # not an article: no refresh at all
        await until(pilot, lambda: live.folder.refreshes > count, "the refresh")
        await pilot.pause(0.2)
        assert len(shows) == before


@pytest.mark.asyncio
async def test_a_search_runs_again_when_the_folder_changes(news):
    async with live_app([news]) as (app, pilot):
        await pilot.press("slash")
        app.screen.query_one("#search").value = '"华约解散"'
        results = app.screen.query_one(ResultsList)
        await pilot.pause(0.2)
        assert len(results.hits) == 0
        write(news / "a.md", "华约", "<p>华约解散了。</p>", day=20)
        write(news / "b.md", "又是华约", "<p>华约解散以后。</p>", day=21)
        await until(pilot, lambda: len(results.hits) == 2, "the new hits")
        (news / "b.md").unlink()
        await until(pilot, lambda: len(results.hits) == 1, "one hit fewer")
        await pilot.press("enter")  # the hit opens in the snapshot it is now in
        assert app.screen.opened is not None and app.screen.opened.title == "华约"


@pytest.mark.asyncio
async def test_changes_and_R_while_a_big_folder_is_still_loading(tmp_path, monkeypatch):
    """Loading and refreshing at once, both running for real: the end is the folder as it is."""
    top = tmp_path / "big"
    top.mkdir()
    for number in range(300):
        write(top / f"a{number:03d}.md", f"第{number}篇", f"<p>第{number}篇的正文。</p>", day=number % 28 + 1)
    monkeypatch.setattr(catalog_module, "FIRST_TASKS", (10,))
    monkeypatch.setattr(catalog_module, "TASK_FILES", 10)  # 30 batches, each published
    app = make_app([top])
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.screen.query_one(Sidebar)
        await until(pilot, lambda: sidebar.article_count >= 10, "the first batch")
        loading = sidebar.article_count < 300
        write(top / "new.md", "加载时新来的", day=28)
        (top / "a150.md").unlink()
        await pilot.press("R")
        (top / "a299.md").unlink()
        # Counts alone pass through 299 on the way (the load ends with 299 when
        # a150 was gone before its batch, new.md not yet seen): wait for the
        # very picture, which a refresh (R) and the watch (a299) bring about.
        expected = {f"第{number}篇" for number in range(299) if number != 150} | {"加载时新来的"}

        def titles() -> set[str]:
            return set(sidebar.snapshot.titles[n] for n in sidebar.snapshot.live.tolist())

        await until(pilot, lambda: titles() == expected and status(app).startswith("299 articles"), "the final picture")
        live = app.screen.query_one(Live)
        assert live.folder is not None and live.folder.refreshes >= 1
        assert sidebar.article_count == 299
        assert loading  # R came while the folder was still loading
        assert "stopped" not in status(app) and "failed" not in status(app)


@pytest.mark.asyncio
async def test_a_hit_from_before_a_change_opens_the_new_version(news):
    target = seed_path(news, "003")  # in the first part: its new version goes into a part of its own
    write(target, "华约", "<p>华约解散了。</p>", day=20)
    async with live_app([news]) as (app, pilot):
        await pilot.press("slash")
        app.screen.query_one("#search").value = '"华约解散"'
        results = app.screen.query_one(ResultsList)
        await until(pilot, lambda: len(results.hits) == 1, "the hit")
        stale = results.hits[0]
        write(target, "华约（改）", "<p>华约解散了，改过。</p>", day=20)
        info = target.stat()
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
        snapshot = lambda: app.screen.snapshot  # noqa: E731
        await until(pilot, lambda: snapshot().titles[snapshot().number_of(target)] == "华约（改）", "the new version")
        assert snapshot().number_of(target) != stale.number
        app.screen.search.open_hit(stale)  # as a click on the results before they were searched again
        assert app.screen.opened.title == "华约（改）"


@pytest.mark.asyncio
async def test_a_renamed_article_keeps_the_cursor_and_stays_open(news):
    async with live_app([news]) as (app, pilot):
        sidebar, view = app.screen.query_one(Sidebar), app.screen.query_one(ArticleView)
        opened = app.screen.opened
        row = row_of(sidebar, Path(opened.path))
        moved = news / "renamed.txt"
        os.rename(opened.path, moved)
        await until(pilot, lambda: sidebar.snapshot.number_of(moved) is not None, "the rename")
        await pilot.pause()
        assert sidebar.current_path == str(moved) and sidebar.cursor_row == row
        assert str(app.screen.opened.path) == str(moved) and view.article.title == opened.title
        assert GONE_NOTE not in status(app)


async def _searched_with_a_newer_match_coming(news: Path, app, pilot, taken_by: str | None):
    """"华约" in two articles; the cursor left alone, or taken by ``taken_by``; then a newer one is written."""
    write(news / "a.md", "华约一", "<p>华约解散了。</p>", day=20)
    write(news / "b.md", "华约二", "<p>华约解散以后。</p>", day=21)
    results = app.screen.query_one(ResultsList)
    await pilot.press("slash")
    app.screen.query_one("#search").value = "华约"
    await until(pilot, lambda: [hit.article.title for hit in results.hits] == ["华约二", "华约一"], "the two hits")
    await pilot.press("down")
    if taken_by == "moving":
        await pilot.press("j")
    elif taken_by == "opening":
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.opened is not None and app.screen.opened.title == "华约二", "the hit open")
    chosen = results.current.article.title
    write(news / "c.md", "华约三", "<p>华约解散之后。</p>", day=22)
    await until(pilot, lambda: len(results.hits) == 3, "the newer hit")
    assert results.hits[0].article.title == "华约三"  # it came in above the others
    return results, chosen


@pytest.mark.asyncio
async def test_an_untouched_cursor_stays_on_the_newest_match_as_newer_ones_come(news):
    """As fzf's: the cursor left alone is on the top row, whatever comes to stand there."""
    async with live_app([news]) as (app, pilot):
        results, chosen = await _searched_with_a_newer_match_coming(news, app, pilot, None)
        assert chosen == "华约二"
        assert results.cursor == 0 and results.current.article.title == "华约三"


@pytest.mark.asyncio
@pytest.mark.parametrize("taken_by", ["moving", "opening"])
async def test_a_cursor_the_reader_took_stays_on_its_article_as_newer_ones_come(news, taken_by):
    async with live_app([news]) as (app, pilot):
        results, chosen = await _searched_with_a_newer_match_coming(news, app, pilot, taken_by)
        assert chosen == ("华约一" if taken_by == "moving" else "华约二")
        assert results.current.article.title == chosen and results.cursor == (2 if taken_by == "moving" else 1)


@pytest.mark.asyncio
async def test_a_cursor_the_reader_took_keeps_its_article_when_newer_matches_push_it_past_the_first_page(news):
    """A one-character query while a folder loads: results come newest first, 50 at a time."""
    for day in range(1, 28):
        for hour in (8, 9):
            path = news / f"old-{day:02d}-{hour}.md"
            path.write_text(FRONT.format(title=f"旧闻{day}日{hour}时", body="<p>华约旧事。</p>", day=day, source="测试社").replace(
                "08:00", f"{hour:02d}:00"), encoding="utf-8")
    async with live_app([news]) as (app, pilot):
        await pilot.press("slash", *"华约")
        results = app.screen.query_one(ResultsList)
        await until(pilot, lambda: len(results.hits) == 50, "the first page")
        await pilot.press("tab", *["down"] * 40)
        chosen = results.current.article.title
        assert results.cursor == 40
        for number in range(12):  # newer than every one shown: the chosen one is pushed to place 52
            write(news / f"new-{number:02d}.md", f"新闻{number}", "<p>华约新事。</p>", day=28)
        await until(pilot, lambda: any(hit.article.title == "新闻11" for hit in results.hits), "the newer matches")
        assert results.current.article.title == chosen and results.cursor == 52
        assert len(results.hits) > 52

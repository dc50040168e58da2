"""In the app: an article saved twice is one sidebar row with ×2 and one search result with "also in",
`p` says where its copies are, and times are the user's local time. Pressed through Pilot at 80×24."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SEEDS, seed_path, set_zone
from reader.ui.screens.problems import ProblemsScreen
from test_app_search import running, search_for, settle, press

VOA_TITLE = "美俄今日举行化解乌克兰危机会谈，双方“鸡同鸭讲”立场相差甚远"  # seed 001
VOA_FILE = seed_path("001").name


@pytest.fixture
def archive(tmp_path) -> Path:
    """The seeds, and seed 001 saved a second time under another folder and name."""
    shutil.copytree(SEEDS, tmp_path / "news")
    (tmp_path / "saved-again").mkdir()
    shutil.copy(seed_path("001"), tmp_path / "saved-again" / "voa.txt")
    return tmp_path


def rows(sidebar) -> list[str]:
    return [sidebar.row_text(row) for row in range(sidebar.row_count)]


@pytest.mark.asyncio
async def test_an_article_saved_twice_is_one_row_with_a_count(archive):
    async with running([archive]) as r:
        r.sidebar.reveal(r.screen.snapshot.number_of(archive / "news" / VOA_FILE))
        await r.pilot.pause()
        drawn = rows(r.sidebar)
        voa = [row for row in drawn if "01-10" in row]
        assert len(voa) == 1 and voa[0].rstrip().endswith("×2")
        assert any(row.startswith("▾ voachinese.com 1") for row in drawn)  # the group counts it once
        assert r.sidebar.article_count == 5
        assert "5 articles" in str(r.screen.query_one("#status").content)
        # ] steps through the five articles, never to the copy.
        r.sidebar.reveal(r.sidebar.neighbour(None, 1))  # the first article
        await press(r, "enter")
        seen = [r.screen.opened.path]
        for _ in range(4):
            await press(r, "right_square_bracket")
            seen.append(r.screen.opened.path)
        assert len(set(seen)) == 5 and archive / "saved-again" / "voa.txt" not in seen


@pytest.mark.asyncio
async def test_a_search_result_says_where_else_the_article_is(archive):
    async with running([archive]) as r:
        await search_for(r, "谢尔曼")
        (voa,) = [hit for hit in r.results.hits if hit.article.title == VOA_TITLE]
        assert voa.article.path == archive / "news" / VOA_FILE
        assert voa.copies == (archive / "saved-again" / "voa.txt",)
        row = r.results.row_text(r.results.hits.index(voa))
        assert "also in " in row and row.split("also in ")[1].split("\n")[0].endswith("saved-again/voa.txt")
        assert len({hit.article.title for hit in r.results.hits}) == len(r.results.hits)


@pytest.mark.asyncio
async def test_the_sidebar_finds_the_listed_row_for_a_copy(archive):
    async with running([archive]) as r:
        copy = r.screen.snapshot.number_of(archive / "saved-again" / "voa.txt")
        listed = r.screen.snapshot.number_of(archive / "news" / VOA_FILE)
        assert copy is not None and listed is not None and copy != listed
        r.sidebar.reveal(copy)
        await r.pilot.pause()
        assert r.sidebar.current == listed
        assert r.sidebar.neighbour(copy, 1) == r.sidebar.neighbour(listed, 1)


@pytest.mark.asyncio
async def test_p_lists_the_copies_the_open_article_first(archive):
    async with running([archive]) as r:
        listed = r.screen.snapshot.number_of(archive / "news" / VOA_FILE)
        r.sidebar.reveal(listed)
        await press(r, "enter")
        assert r.screen.opened.title == VOA_TITLE
        await press(r, "p")
        screen = r.app.screen
        assert isinstance(screen, ProblemsScreen)
        assert "1 with copies" in str(screen.query_one("Vertical").border_title)
        (row,) = [row.plain for row in screen.copies]
        assert row.splitlines() == [
            f"{archive / 'news' / VOA_FILE}  (the open article)",
            f"  also in: {archive / 'saved-again' / 'voa.txt'}",
        ]
        await press(r, "escape")


@pytest.mark.asyncio
async def test_without_copies_p_says_nothing_of_them():
    async with running() as r:
        await press(r, "p")
        screen = r.app.screen
        assert isinstance(screen, ProblemsScreen) and screen.copies == []
        assert "with copies" not in str(screen.query_one("Vertical").border_title)


@pytest.mark.asyncio
@pytest.mark.parametrize(("zone", "day", "header"), [
    ("UTC", "01-10", "voachinese.com · 2022-01-10 16:06"),
    ("Asia/Shanghai", "01-11", "voachinese.com · 2022-01-11 00:06"),
    ("America/New_York", "01-10", "voachinese.com · 2022-01-10 11:06"),
])
async def test_the_sidebar_and_the_article_show_local_times(monkeypatch, zone, day, header):
    set_zone(monkeypatch, zone)
    async with running() as r:
        r.sidebar.reveal(r.screen.snapshot.number_of(seed_path("001")))
        await r.pilot.pause()
        assert r.sidebar.row_text(r.sidebar.cursor_row).lstrip("└├ •").startswith(f"{day} 美俄今日")  # • unread
        await press(r, "enter")
        assert r.screen.opened.title == VOA_TITLE
        lines = [line.plain for line in r.view.layout.lines[:4]]
        assert any(line.startswith(header) for line in lines), lines
        r.sidebar.focus()
        await press(r, "s")  # by date: the days of the user's zone
        assert r.sidebar.grouping.value == "date"
        days = [child.key for group in r.sidebar.groups for child in group.children]
        assert ("2022-01", f"2022-{day}") in days
        (group,) = [child for group in r.sidebar.groups for child in group.children if child.key[-1] == f"2022-{day}"]
        assert r.screen.snapshot.number_of(seed_path("001")) in group.members.tolist()

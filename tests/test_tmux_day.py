"""One day with reader in tmux: read three articles, bookmark one, quit; the next start has it all.

The real program at 80×24 (tests/test_tmux.py's Tmux), with its own state,
config and cache folders, started twice. Articles are read by the clock (open
for READ_AFTER seconds), so this test waits that long three times; the polls
have deadlines that bound a hang and time nothing.
"""

from __future__ import annotations

import shlex
import time

import pytest

from test_tmux import DEADLINE, READER, SEEDS, tmux  # noqa: F401 (the fixture)

TITLE_000 = "美俄谈了7个半小时，_有用_但没啥进展"
TITLE_003 = "白宫出台非常规声明"


def start(tmux, tmp_path, status_file) -> str:
    env = {"XDG_CONFIG_HOME": tmp_path / "config", "XDG_STATE_HOME": tmp_path / "state", "XDG_CACHE_HOME": tmp_path / "cache"}
    reader = shlex.join(["env", "-u", "READER_THEME", *(f"{k}={v}" for k, v in env.items()), str(READER), str(SEEDS)])
    tmux.start(shlex.join(["sh", "-c", f"{reader}; echo $? > {shlex.quote(str(status_file))}"]), 80, 24)
    return tmux.wait_for(lambda s: "5 articles · " in s, "the summary in the status line")


def quit_(tmux, status_file) -> None:
    if "q Back" in tmux.screen():  # in the article q goes back to the list first; there it quits
        tmux.send("q")
        tmux.wait_for(lambda s: "q Quit" in s, "the list's footer, with q Quit")
    tmux.send("q")
    end = time.monotonic() + DEADLINE
    while not (status_file.exists() and status_file.read_text().endswith("\n")):
        if time.monotonic() > end:
            pytest.fail(f"reader still running after q:\n{tmux.screen()}")
        time.sleep(0.1)
    assert status_file.read_text().strip() == "0"
    tmux.kill()


def sidebar(screen: str) -> list[str]:
    return [line.partition("▕")[0].rstrip() for line in screen.splitlines()[1:-2]]


def article(screen: str) -> list[str]:
    return [line.partition("▕")[2].rstrip() for line in screen.splitlines()[1:-2]]


def test_a_day_of_reading_is_there_the_next_morning(tmux, tmp_path):
    status = tmp_path / "exit-1"
    screen = start(tmux, tmp_path, status)
    assert "▾ 观察者网 2/2" in screen and "├•01-23" in screen  # all unread; 002 open

    # 1. 002, open at start: read once it has been open a few seconds.
    screen = tmux.wait_for(lambda s: "├ 01-23" in s, "002 read")
    assert "▾ 观察者网 1/2" in screen
    # 2. 000: down, open.
    tmux.send("j")
    tmux.send("Enter")
    screen = tmux.wait_for(lambda s: "└ 01-11" in s and TITLE_000 in s, "000 read")
    assert "▾ 观察者网 2" in sidebar(screen)
    # 3. u: the next unread after 000, round to the top: 003, under Aljazeera.
    tmux.send("h")  # back to the sidebar
    tmux.send("u")
    screen = tmux.wait_for(lambda s: TITLE_003 in s, "003 opened by u")
    screen = tmux.wait_for(lambda s: "▾ Aljazeera 半岛网 1" in sidebar(s), "003 read")
    # Bookmark it, and read on a page.
    tmux.send("B")
    tmux.wait_for(lambda s: "Bookmarked:" in s, "the bookmark's notice")
    tmux.send("Tab")
    before = tmux.screen()
    tmux.send("Space")
    screen = tmux.wait_for_change(before, "a page down")
    tmux.wait_for(lambda s: "Bookmarked:" not in s, "the notice gone")
    place = [line for line in article(tmux.screen()) if line.strip()][:3]
    assert place and not any(TITLE_003 in line for line in place)  # below the title
    quit_(tmux, status)

    # The next morning.
    tmux.__init__(tmp_path)
    status = tmp_path / "exit-2"
    screen = start(tmux, tmp_path, status)
    screen = tmux.wait_for(lambda s: [line for line in article(s) if line.strip()][:3] == place, "003 at its place")
    rows = sidebar(screen)
    assert "▾ Aljazeera 半岛网 1" in rows and "▸ voachinese.com 1/1" in rows and "▸ 未名新闻 1/1" in rows
    tmux.send("'")
    screen = tmux.wait_for(lambda s: "Bookmarks: 1" in s, "the bookmarks")
    assert TITLE_003 in screen
    tmux.send("Escape")
    tmux.wait_for(lambda s: "Bookmarks: 1" not in s, "the bookmarks closed")  # esc then q at once would be alt+q
    quit_(tmux, status)

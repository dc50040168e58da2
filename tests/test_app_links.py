"""o opens the article's url (or copies it where no browser can show), L lists its links; through Pilot at 80×24.

The browser is never started: ``webbrowser.get`` is replaced by a fake that
records what it was asked to open, and the environment says whether this is
an SSH session.
"""

from __future__ import annotations

import subprocess
import webbrowser
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import make_app, wait_until_loaded
from reader.links import Link
from reader.ui import browser as browser_module
from reader.ui.browser import open_in_browser
from reader.ui.screens.links import LinksScreen, link_row, middle_cut
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_view import ArticleView
from reader.textwidth import cell_width
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine

SIZE = (80, 24)
URL = "https://www.voachinese.com/a/US-and-Russia-hold-crunch-talks-over-Ukraine-border-crisis-20220110/6390398.html"
TASS = "https://tass.ru/politika/13384011"
WHITE_HOUSE = "https://www.whitehouse.gov/briefing-room/statements-releases/2022/01/10/fact-sheet-u-s-diplomatic-engagement/"


def write_articles(folder: Path) -> Path:
    """Three articles: one with a url and links (newest, opened at the start), one with twelve links, one with none."""
    folder.mkdir(exist_ok=True)
    (folder / "a.md").write_text(
        "---\ntitle: 美俄今日举行化解乌克兰危机会谈\nsource: 美国之音\ndate: 2022-01-12\n"
        f"url: {URL}\n---\n"
        f'<p>据<a href="{TASS}">塔斯社</a>报道，俄罗斯副外长里亚布科夫与美国副国务卿舍曼在日内瓦举行会谈。</p>\n'
        f"<p>白宫当天发表声明，详情请见：{WHITE_HOUSE}。</p>\n"
        f'<p>又据<a href="{TASS}">塔斯社</a>，会谈持续了七个半小时。</p>\n',
        encoding="utf-8",
    )
    many = "".join(f'<p><a href="https://example.com/{n}">链接{n}</a></p>\n' for n in range(1, 13))
    (folder / "b.md").write_text(f"---\ntitle: 十二个链接\nsource: 测试\ndate: 2022-01-11\n---\n{many}", encoding="utf-8")
    (folder / "c.md").write_text("---\ntitle: 没有链接\nsource: 测试\ndate: 2022-01-10\n---\n<p>北约东扩。</p>\n", encoding="utf-8")
    return folder


class FakeBrowser:
    def __init__(self, succeeds: bool = True) -> None:
        self.opened: list[str] = []
        self.succeeds = succeeds

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return self.succeeds


@pytest.fixture
def fake_browser(monkeypatch) -> FakeBrowser:
    fake = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: fake)
    return fake


@pytest.fixture(autouse=True)
def _no_ssh(monkeypatch):
    for variable in ("SSH_CONNECTION", "SSH_TTY", "TMUX", "READER_THEME"):
        monkeypatch.delenv(variable, raising=False)


@asynccontextmanager
async def running(folder: Path, size=SIZE):
    app = make_app([folder])
    async with app.run_test(size=size) as pilot:
        await wait_until_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        yield SimpleNamespace(app=app, pilot=pilot, screen=screen, view=screen.query_one(ArticleView))


async def press(r, *keys: str) -> None:
    await r.pilot.press(*keys)
    await r.pilot.pause()
    await r.app.workers.wait_for_complete()  # the browser is chosen and started in a thread
    await r.pilot.pause()
    await r.pilot.pause()


async def open_titled(r, title: str) -> None:
    """Open the article of that title from the sidebar, as enter does."""
    snapshot = r.screen.snapshot
    number = next(n for n in snapshot.newest_first.tolist() if snapshot.titles[n] == title)
    sidebar = r.screen.query_one(Sidebar)
    sidebar.reveal(number)
    sidebar.focus()
    await press(r, "enter")
    assert r.view.article.title == title


def status(r) -> str:
    return str(r.screen.query_one(StatusLine).content)


def note(r) -> str:
    return str(r.app.screen.query_one("#links-note").content)


# ---------------------------------------------------------------- o


@pytest.mark.asyncio
async def test_o_opens_the_url_in_the_browser(tmp_path, fake_browser):
    async with running(write_articles(tmp_path / "news")) as r:
        assert r.view.article.url == URL
        await press(r, "o")
        assert fake_browser.opened == [URL]
        assert status(r).startswith("opened in the browser: https://www.voachinese.com/a/")
        assert r.app.clipboard == ""


@pytest.mark.asyncio
async def test_o_over_ssh_copies_the_url_with_osc_52_and_says_so(tmp_path, fake_browser, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")
    async with running(write_articles(tmp_path / "news")) as r:
        await press(r, "o")
        assert fake_browser.opened == []
        assert r.app.clipboard == URL
        assert status(r).startswith("copied (OSC 52), no browser over SSH: https://www.voachinese.com/")
        assert len(status(r)) <= SIZE[0] - 2  # cut to the status line


@pytest.mark.asyncio
async def test_o_with_no_browser_copies_the_url(tmp_path, monkeypatch):
    def no_browser(using=None):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    async with running(write_articles(tmp_path / "news")) as r:
        await press(r, "o")
        assert r.app.clipboard == URL
        assert status(r).startswith("copied (OSC 52), no browser found")


@pytest.mark.asyncio
async def test_o_on_an_article_without_url_says_so(tmp_path, fake_browser):
    async with running(write_articles(tmp_path / "news")) as r:
        await open_titled(r, "没有链接")
        await press(r, "o")
        assert fake_browser.opened == [] and r.app.clipboard == ""
        assert status(r) == "this article has no url"


def test_ssh_tty_alone_means_ssh_too(fake_browser):
    opened = open_in_browser(URL, {"SSH_TTY": "/dev/pts/3"})
    assert opened.copy and "SSH" in opened.note and fake_browser.opened == []


def test_only_a_text_browser_means_copy(monkeypatch):
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.GenericBrowser("w3m"))
    opened = open_in_browser(URL, {})
    assert opened.copy and "text browser" in opened.note


def test_a_browser_that_fails_to_start_means_copy(monkeypatch):
    monkeypatch.setattr(webbrowser, "get", lambda using=None: FakeBrowser(succeeds=False))
    assert open_in_browser(URL, {}).copy


def test_a_command_browser_is_started_with_its_output_kept_off_the_screen(monkeypatch):
    started = []
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser(["xdg-open", "%s"]))
    monkeypatch.setattr(browser_module.subprocess, "Popen", lambda command, **options: started.append((command, options)))
    opened = open_in_browser(URL, {"DISPLAY": ":0"})
    assert not opened.copy and opened.note == "opened in the browser"
    ((command, options),) = started
    assert command == ["xdg-open", URL]
    assert options["stdout"] is options["stderr"] is options["stdin"] is subprocess.DEVNULL
    assert options["start_new_session"]


def test_an_address_that_is_not_a_web_link_is_never_opened(fake_browser):
    opened = open_in_browser("file:///etc/passwd", {})
    assert opened.copy and fake_browser.opened == []


# ---------------------------------------------------------------- L


def test_link_rows_are_two_lines_cut_to_the_width():
    row = link_row(3, Link("拒绝向爱沙尼亚所购德国武器发放提供给乌克兰的许可", WHITE_HOUSE, 0), 2, 30)
    first, second = row.plain.split("\n")
    assert first.startswith(" 3  拒绝") and first.endswith("…")
    assert second == "    https://www.whit…gagement/"
    assert cell_width(first) <= 30 and cell_width(second) <= 30
    assert link_row(1, Link("", URL, -1), 1, 80).plain.startswith("1  the article itself\n")


def test_middle_cut_keeps_the_host_and_the_end():
    cut = middle_cut(WHITE_HOUSE, 40)
    assert len(cut) == 40 and cut.startswith("https://www.whitehouse") and cut.endswith("engagement/") and "…" in cut
    assert middle_cut(TASS, 40) == TASS


@pytest.mark.asyncio
async def test_L_lists_the_links_and_enter_opens_one(tmp_path, fake_browser):
    async with running(write_articles(tmp_path / "news")) as r:
        await press(r, "L")
        screen = r.app.screen
        assert isinstance(screen, LinksScreen)
        assert [link.url for link in screen.links] == [URL, TASS, WHITE_HOUSE]  # TASS twice, listed once
        assert [link.text for link in screen.links] == ["", "塔斯社", ""]
        await press(r, "j", "enter")
        assert fake_browser.opened == [TASS]
        assert note(r).startswith("opened in the browser: https://tass.ru/")
        assert r.app.screen is screen  # the list stays, for the next link
        await press(r, "escape")
        assert r.app.screen is r.screen


@pytest.mark.asyncio
async def test_L_then_a_number_opens_that_link(tmp_path, fake_browser):
    async with running(write_articles(tmp_path / "news")) as r:
        await press(r, "L", "3")
        assert fake_browser.opened == [WHITE_HOUSE]
        assert r.app.screen.options.highlighted == 2


@pytest.mark.asyncio
async def test_L_y_copies_the_highlighted_link(tmp_path, fake_browser):
    async with running(write_articles(tmp_path / "news")) as r:
        await press(r, "L", "j", "y")
        assert r.app.clipboard == TASS and fake_browser.opened == []
        assert note(r) == f"copied (OSC 52): {TASS}"


@pytest.mark.asyncio
async def test_L_over_ssh_copies_instead_of_opening(tmp_path, fake_browser, monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/3")
    async with running(write_articles(tmp_path / "news")) as r:
        await press(r, "L", "2")
        assert r.app.clipboard == TASS and fake_browser.opened == []
        assert note(r).startswith("copied (OSC 52), no browser over SSH")


@pytest.mark.asyncio
async def test_L_with_twelve_links_waits_for_a_second_digit(tmp_path, fake_browser):
    async with running(write_articles(tmp_path / "news")) as r:
        await open_titled(r, "十二个链接")
        await press(r, "L", "1")
        assert fake_browser.opened == []  # 1, or 10, 11, 12?
        assert r.app.screen.options.highlighted == 0
        await press(r, "2")
        assert fake_browser.opened == ["https://example.com/12"]
        await press(r, "5")  # no 5x: at once
        assert fake_browser.opened[-1] == "https://example.com/5"
        await press(r, "1", "enter")  # 1, then enter: 1 itself
        assert fake_browser.opened[-1] == "https://example.com/1"
        await press(r, "9", "9")
        assert fake_browser.opened[-1] == "https://example.com/9"  # 9 opened at once; the next 9 is 9 again
        await press(r, "0")
        assert note(r) == "no link 0"


@pytest.mark.asyncio
async def test_L_on_an_article_without_links_says_so(tmp_path):
    async with running(write_articles(tmp_path / "news")) as r:
        await open_titled(r, "没有链接")
        await press(r, "L")
        assert r.app.screen is r.screen
        assert status(r) == "this article has no links"


@pytest.mark.asyncio
async def test_the_article_pane_draws_links_as_osc_8_hyperlinks(tmp_path):
    async with running(write_articles(tmp_path / "news"), size=(120, 40)) as r:
        console = r.app.console
        drawn = "".join(r.view.render_line(y).render(console) for y in range(r.view.size.height))
        for url in (URL, TASS, WHITE_HOUSE):
            assert f"\x1b]8;id=" in drawn and f";{url}\x1b\\" in drawn, url

"""The key table, pressed through Textual's Pilot on the whole app with the seed folder.

The seeds in the sidebar, grouped by source (the start-up grouping):
Aljazeera 半岛网 (003), voachinese.com (001), 未名新闻 (004), 观察者网 (002, 000);
only 观察者网 is expanded at start, with the newest article, 002, under the cursor.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

from conftest import make_app, wait_until_loaded
from reader.catalog.grouping import Grouping
from reader.store.settings import Settings, load_settings, save_settings
from reader.ui.keys import _PAIRS, _TWINS, all_bindings, key_label, label_keys
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen, SearchBar
from reader.ui.themes import THEME_ORDER, load_themes
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine

SIZE = (80, 24)
NEWEST_TITLE = "_我们会给一个书面回复，但内容请俄方保密_"


@pytest.fixture(autouse=True)
def _no_theme_env(monkeypatch):
    monkeypatch.delenv("READER_THEME", raising=False)


@asynccontextmanager
async def running(paths=None, *, size=SIZE, **options):
    """The app, loaded, and its main parts: r.app, r.pilot, r.screen, r.sidebar, r.view."""
    app = make_app(paths, **options)
    async with app.run_test(size=size) as pilot:
        await wait_until_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        sidebar, view = screen.query_one(Sidebar), screen.query_one(ArticleView)
        yield SimpleNamespace(app=app, pilot=pilot, screen=screen, sidebar=sidebar, view=view)


async def press(r, *keys: str) -> None:
    await r.pilot.press(*keys)
    await r.pilot.pause()


def seed(article) -> str:
    return article.path.name[:3]


def cursor_label(sidebar: Sidebar) -> str:
    """The seed number of the article under the cursor, or the group's label."""
    group = sidebar.current_group
    if group is not None:
        return group.label
    assert sidebar.current_path is not None
    return Path(sidebar.current_path).name[:3]


def on_open_article(r) -> bool:
    """The sidebar's cursor is on the article the pane shows."""
    return r.sidebar.current_path == str(r.view.article.path)


async def focus_article(r) -> None:
    """The app starts in the sidebar; tab moves to the article."""
    await press(r, "tab")
    assert r.app.focused is r.view


# ---------------------------------------------------------------- start-up


@pytest.mark.asyncio
async def test_start_up_shows_the_newest_article_under_the_cursor():
    async with running() as r:
        assert seed(r.view.article) == "002" and r.view.article.title == NEWEST_TITLE
        assert on_open_article(r)
        assert r.app.focused is r.sidebar
        status = str(r.screen.query_one(StatusLine).content)
        assert status == "5 articles · 4 sources · 0 skipped · loaded in 0.00 s"


@pytest.mark.asyncio
async def test_an_empty_folder_shows_the_friendly_empty_state(tmp_path):
    async with running([tmp_path]) as r:
        assert r.screen.has_class("empty")
        empty = r.screen.query_one("#empty")
        assert empty.display and not r.screen.query_one("#panes").display
        text = str(empty.content)
        assert "No articles here" in text and ".md" in text and ".txt" in text
        assert str(r.screen.query_one(StatusLine).content).startswith("0 articles · 0 sources")
        await press(r, "q")  # as the empty state says
        assert r.app.return_code == 0


# ---------------------------------------------------------------- j / k, ↓ / ↑


@pytest.mark.asyncio
@pytest.mark.parametrize("down, up", [("j", "k"), ("down", "up")])
async def test_down_up_move_the_sidebar_cursor_or_scroll_the_article(down, up):
    async with running() as r:
        await press(r, down)
        assert cursor_label(r.sidebar) == "000"
        await press(r, down)  # the last line: stays
        assert cursor_label(r.sidebar) == "000"
        await press(r, up, up)
        assert cursor_label(r.sidebar) == "观察者网"
        assert seed(r.view.article) == "002" and r.app.focused is r.sidebar  # moving opens nothing
        await focus_article(r)
        await press(r, down, down, down)
        assert r.view.scroll_y == 3
        await press(r, up)
        assert r.view.scroll_y == 2
        assert cursor_label(r.sidebar) == "观察者网"  # the sidebar did not move


# ---------------------------------------------------------------- enter, l, →


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["enter", "l", "right"])
async def test_open_key_expands_a_group_enters_it_and_opens_the_article(key):
    async with running() as r:
        await press(r, "g")
        group = r.sidebar.current_group
        assert cursor_label(r.sidebar) == "Aljazeera 半岛网" and not r.sidebar.is_open(group)
        await press(r, key)
        assert r.sidebar.is_open(group) and r.sidebar.current_group == group
        await press(r, key)
        assert cursor_label(r.sidebar) == "003"
        assert seed(r.view.article) == "002" and r.app.focused is r.sidebar  # nothing opened yet
        await press(r, key)
        assert seed(r.view.article) == "003" and r.screen.opened is r.view.article
        assert r.app.focused is r.view


# ---------------------------------------------------------------- h, ←


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["h", "left"])
async def test_back_key_goes_to_the_sidebar_then_up_to_the_group_then_collapses_it(key):
    async with running() as r:
        await focus_article(r)
        await press(r, key)
        assert r.app.focused is r.sidebar and cursor_label(r.sidebar) == "002"
        await press(r, key)
        group = r.sidebar.current_group
        assert cursor_label(r.sidebar) == "观察者网" and r.sidebar.is_open(group)
        await press(r, key)
        assert not r.sidebar.is_open(group) and r.sidebar.current_group == group
        assert r.app.focused is r.sidebar


# ---------------------------------------------------------------- tab / shift+tab


@pytest.mark.asyncio
async def test_tab_and_shift_tab_cycle_sidebar_article_search():
    async with running() as r:
        search = r.screen.query_one(SearchBar)
        for key, expected in [("tab", [r.view, search, r.sidebar]), ("shift+tab", [search, r.view, r.sidebar])]:
            seen = []
            for _ in expected:
                await press(r, key)
                seen.append(r.app.focused)
            assert seen == expected, key


# ---------------------------------------------------------------- space / b, pgdn / pgup


@pytest.mark.asyncio
@pytest.mark.parametrize("down, up", [("space", "b"), ("pagedown", "pageup")])
async def test_page_keys_page_the_article(down, up):
    async with running() as r:
        await focus_article(r)
        page = r.view.scrollable_content_region.height - 1
        await press(r, down)
        assert r.view.scroll_y == page
        await press(r, down)
        assert r.view.scroll_y == min(2 * page, r.view.max_scroll_y)
        await press(r, up, up)
        assert r.view.scroll_y == 0


@pytest.mark.asyncio
async def test_space_pages_the_article_from_the_sidebar_too():
    async with running() as r:
        await press(r, "space")
        assert r.view.scroll_y == r.view.scrollable_content_region.height - 1
        assert r.app.focused is r.sidebar and cursor_label(r.sidebar) == "002"


@pytest.mark.asyncio
async def test_b_pages_the_article_up_from_the_sidebar_too():
    async with running() as r:
        await focus_article(r)
        await press(r, "space", "space", "shift+tab")
        assert r.app.focused is r.sidebar and r.view.scroll_y > 0
        before = r.view.scroll_y
        await press(r, "b")
        assert r.view.scroll_y == before - (r.view.scrollable_content_region.height - 1)
        assert r.app.focused is r.sidebar and cursor_label(r.sidebar) == "002"


# ---------------------------------------------------------------- g / G, home / end


@pytest.mark.asyncio
@pytest.mark.parametrize("top, bottom", [("g", "G"), ("home", "end")])
async def test_top_bottom_in_the_sidebar_and_in_the_article(top, bottom):
    async with running() as r:
        await press(r, top)
        assert r.sidebar.cursor_row == 0 and cursor_label(r.sidebar) == "Aljazeera 半岛网"
        await press(r, bottom)
        assert r.sidebar.cursor_row == r.sidebar.row_count - 1 and cursor_label(r.sidebar) == "000"
        assert r.view.scroll_y == 0 and r.view.max_scroll_y > 0
        await focus_article(r)
        await press(r, bottom)
        assert r.view.scroll_y == r.view.max_scroll_y
        await press(r, top)
        assert r.view.scroll_y == 0
        assert cursor_label(r.sidebar) == "000"


# ---------------------------------------------------------------- ] / [


@pytest.mark.asyncio
async def test_next_and_previous_article_follow_the_sidebar_order_and_keep_the_focus():
    async with running() as r:
        await press(r, "g", "right_square_bracket")  # steps from the open article, not the cursor
        assert seed(r.view.article) == "000" and cursor_label(r.sidebar) == "000"
        assert r.app.focused is r.sidebar
        await press(r, "left_square_bracket")
        await focus_article(r)
        await press(r, "j", "j", "right_square_bracket")
        assert seed(r.view.article) == "000" and r.view.scroll_y == 0  # a new article starts at its top
        walked = [seed(r.view.article)]
        for key in ["right_square_bracket"] + ["left_square_bracket"] * 5:
            await press(r, key)
            walked.append(seed(r.view.article))
            assert on_open_article(r) and r.app.focused is r.view
        # 000 is the last (stays); then back through 002, 004 (in a collapsed group, revealed), 001, 003.
        assert walked == ["000", "000", "002", "004", "001", "003", "003"]


# ---------------------------------------------------------------- / and esc


@pytest.mark.asyncio
async def test_slash_focuses_search_typed_keys_are_text_and_escape_returns():
    async with running() as r:
        await press(r, "slash")
        assert isinstance(r.app.focused, SearchBar)
        await press(r, "escape")
        assert r.app.focused is r.sidebar
        await focus_article(r)
        await press(r, "slash", "q", "s", "t", "j")
        assert r.screen.query_one(SearchBar).value == "qstj"  # typed, not quit / group / theme / move
        assert r.app.is_running and r.app.theme == "reader-dark" and r.view.scroll_y == 0
        assert r.sidebar.grouping is Grouping.SOURCE and cursor_label(r.sidebar) == "002"
        await press(r, "escape")
        assert r.app.focused is r.view


@pytest.mark.asyncio
async def test_escape_returns_where_focus_was_when_search_was_reached_by_tab():
    async with running() as r:
        await press(r, "tab", "tab")  # sidebar → article → search
        assert isinstance(r.app.focused, SearchBar)
        await press(r, "escape")
        assert r.app.focused is r.view


# ---------------------------------------------------------------- s


@pytest.mark.asyncio
async def test_s_groups_by_date_and_back_keeping_the_open_article():
    async with running() as r:
        await press(r, "k")  # cursor on a group: s must still find the open article
        await press(r, "s")
        assert r.sidebar.grouping is Grouping.DATE
        assert [group.label for group in r.sidebar.groups] == ["2022-01", "2021-06"]
        assert cursor_label(r.sidebar) == "002" and seed(r.view.article) == "002"
        await press(r, "s")
        assert r.sidebar.grouping is Grouping.SOURCE
        assert r.sidebar.groups[0].label == "Aljazeera 半岛网"
        assert cursor_label(r.sidebar) == "002" and on_open_article(r)
        assert r.app.focused is r.sidebar


# ---------------------------------------------------------------- \


@pytest.mark.asyncio
async def test_backslash_hides_and_shows_the_sidebar():
    async with running() as r:
        await press(r, "backslash")
        assert r.screen.has_class("hide-sidebar") and not r.sidebar.display
        assert r.app.focused is r.view  # the focus left the hidden sidebar
        await press(r, "backslash")
        assert not r.screen.has_class("hide-sidebar") and r.sidebar.display
        assert r.sidebar.region.width > 0 and cursor_label(r.sidebar) == "002"
        await press(r, "backslash", "h")  # h also brings a hidden sidebar back
        assert r.sidebar.display and r.app.focused is r.sidebar


# ---------------------------------------------------------------- narrow (under 60 columns)


@pytest.mark.asyncio
async def test_narrow_sidebar_takes_turns_with_the_article():
    async with running(size=(50, 20)) as r:
        assert r.screen.has_class("narrow") and not r.sidebar.display
        assert r.app.focused is r.view and seed(r.view.article) == "002"
        await press(r, "backslash")
        assert r.sidebar.display and not r.view.display and r.app.focused is r.sidebar
        await press(r, "j", "enter")
        assert seed(r.view.article) == "000"
        assert not r.sidebar.display and r.view.display and r.app.focused is r.view
        await press(r, "h")
        assert r.sidebar.display and r.app.focused is r.sidebar
        await r.pilot.resize_terminal(*SIZE)
        await r.pilot.pause()
        assert not r.screen.has_class("narrow") and r.sidebar.display and r.view.display
        await r.pilot.resize_terminal(50, 20)  # narrowing with the focus in the sidebar
        await r.pilot.pause()
        assert r.screen.has_class("narrow") and not r.sidebar.display and r.app.focused is r.view


# ---------------------------------------------------------------- t and the saved theme


@pytest.mark.asyncio
async def test_t_cycles_the_themes_wraps_and_the_next_start_uses_the_choice(tmp_path):
    settings = tmp_path / "settings.json"
    async with running(settings_path=settings) as r:
        assert r.app.theme == "reader-dark"
        seen = []
        for _ in range(len(r.app.available_themes)):
            await press(r, "t")
            seen.append(r.app.theme)
            if r.app.theme == "reader-dark":
                break
        assert seen[:2] == list(THEME_ORDER[1:]) and seen[-1] == "reader-dark" and len(seen) >= 3
        await press(r, "t")
        assert r.app.theme == "reader-light"
    assert load_settings(settings).theme == "reader-light"
    async with running(theme=None, settings_path=settings) as r:
        assert r.app.theme == "reader-light"


@pytest.mark.asyncio
async def test_theme_argument_then_env_beat_the_saved_theme(tmp_path, monkeypatch):
    settings = tmp_path / "settings.json"
    save_settings(Settings(theme="reader-light"), settings)
    async with running(theme="reader-high-contrast", settings_path=settings) as r:
        assert r.app.theme == "reader-high-contrast"
    save_settings(Settings(theme="reader-light"), settings)
    monkeypatch.setenv("READER_THEME", "high-contrast")
    async with running(theme=None, settings_path=settings) as r:
        assert r.app.theme == "reader-high-contrast"
    async with running(theme="reader-dark", settings_path=settings) as r:
        assert r.app.theme == "reader-dark"  # the argument beats the environment


@pytest.mark.asyncio
async def test_a_theme_argument_or_env_is_not_saved_as_the_choice(tmp_path, monkeypatch):
    settings = tmp_path / "settings.json"
    save_settings(Settings(theme="reader-light"), settings)
    async with running(theme="reader-high-contrast", settings_path=settings) as r:
        assert r.app.theme == "reader-high-contrast"
    monkeypatch.setenv("READER_THEME", "sepia")
    async with running(theme=None, settings_path=settings) as r:
        assert r.app.theme == "reader-sepia"
    assert load_settings(settings).theme == "reader-light"


# ---------------------------------------------------------------- ?


from reader.ui.screens.help import TITLE as HELP_TITLE  # noqa: E402  (atop a column on the bare screen)


def help_rows(screen: HelpScreen) -> list[tuple[str, str]]:
    """(keys, description) of every row of the help tables, as drawn."""
    console = Console(width=200)
    rows = []
    for static in screen.query("Static"):
        keys, descriptions = (list(column.cells) for column in static.content.columns)
        for key, description in zip(keys, descriptions):
            rows.append((console.render_str(str(key)).plain, str(description)))
    return rows


@pytest.mark.asyncio
async def test_help_lists_every_key_grouped_and_closes_with_escape_or_q():
    async with running() as r:
        await press(r, "question_mark")
        assert isinstance(r.app.screen, HelpScreen)
        rows = help_rows(r.app.screen)
        sections = [description for keys, description in rows if not keys and description and description != HELP_TITLE]
        # At 80×24 in two columns, each section whole in one (screens/help.py): Moving, Article, … | Sidebar, Search, App.
        assert sorted(sections) == sorted(["Moving", "Sidebar", "Article", "Layout", "Search", "Reading state", "App"])
        shown_keys = {key for keys, _ in rows for key in label_keys(keys)}
        bindings = all_bindings(r.app)
        assert len(bindings) >= 20
        paired = {second for second, _text in _PAIRS.values()}
        for binding in bindings:
            keys = set(label_keys(key_label(binding.key)))
            assert keys <= shown_keys, binding.id
            if binding.id in _PAIRS:  # one row with the binding after it
                second, text = _PAIRS[binding.id]
                (row_keys,) = [row_keys for row_keys, description in rows if description == text]
                assert keys <= label_keys(row_keys), binding.id
            elif binding.id not in _TWINS and binding.id not in paired:  # twins: listed under their row
                assert (key_label(binding.key), binding.tooltip or binding.description) in rows, binding.id
        await press(r, "escape")
        assert r.app.screen is r.screen and r.app.is_running
        await press(r, "question_mark", "q")  # q closes the help, it does not quit
        assert r.app.screen is r.screen and r.app.is_running


# ---------------------------------------------------------------- q


@pytest.mark.asyncio
async def test_q_quits():
    async with running() as r:
        assert r.app.return_code is None
        await press(r, "q")
        assert r.app.return_code == 0
    assert not r.app.is_running


# ---------------------------------------------------------------- ctrl+p


@pytest.mark.asyncio
async def test_command_palette_lists_and_runs_reader_actions():
    from textual.command import CommandList, CommandPalette

    async with running() as r:
        titles = {command.title for command in r.app.get_system_commands(r.screen)}
        assert {"Group by source or date", "Hide or show the sidebar", "Next theme", "Show keys"} <= titles
        await press(r, "ctrl+p")
        assert isinstance(r.app.screen, CommandPalette)
        await r.pilot.press(*"group")
        commands = r.app.screen.query_one(CommandList)
        hits: list[str] = []
        for _ in range(200):  # the palette searches in a worker: wait for the hit
            await r.pilot.pause(0.01)
            hits = [str(getattr(getattr(option, "hit", None), "text", "")) for option in commands.options]
            if "Group by source or date" in hits:
                break
        assert "Group by source or date" in hits
        commands.highlighted = hits.index("Group by source or date")
        await press(r, "enter")
        await r.pilot.pause()
        assert r.app.screen is r.screen
        assert r.sidebar.grouping is Grouping.DATE and cursor_label(r.sidebar) == "002"


TEXTUAL_COMMANDS = {"Theme", "Keys", "Screenshot", "Maximize", "Minimize"}


async def run_from_palette(r, title: str) -> None:
    """ctrl+p, type the command's title, pick it, enter: as a user runs it."""
    from textual.command import CommandList, CommandPalette

    await press(r, "ctrl+p")
    assert isinstance(r.app.screen, CommandPalette)
    r.app.screen.query_one("#--input").value = title
    commands = r.app.screen.query_one(CommandList)
    hits: list[str] = []
    for _ in range(200):  # the palette searches in a worker: wait for the hit
        await r.pilot.pause(0.01)
        hits = [str(getattr(getattr(option, "hit", None), "text", "")) for option in commands.options]
        if title in hits:
            break
    assert title in hits, (title, hits)
    commands.highlighted = hits.index(title)
    await press(r, "enter")
    await r.pilot.pause()
    await r.app.workers.wait_for_complete()
    await r.pilot.pause()


def offered(r) -> list[str]:
    return [command.title for command in r.app.get_system_commands(r.app.screen)]


async def sane(r, themes: list[str]) -> None:
    """Alive, on one of reader's own screens, in a reader theme, keys going somewhere; then back to the main screen."""
    from reader.ui.screens.bookmarks import BookmarksScreen
    from reader.ui.screens.problems import ProblemsScreen

    assert r.app.is_running and r.app.return_code is None
    assert isinstance(r.app.screen, (MainScreen, HelpScreen, ProblemsScreen, BookmarksScreen)), r.app.screen
    assert r.app.theme in themes
    assert r.app.focused is not None or not isinstance(r.app.screen, MainScreen)
    assert not r.app.screen.query("HelpPanel")  # Textual's keys panel, which esc, ? and q do not close
    for _ in range(3):  # a modal closes with esc
        if r.app.screen is r.screen:
            break
        await press(r, "escape")
    assert r.app.screen is r.screen


async def back_to_the_start(r) -> None:
    """The main screen as it starts: no query, the sidebar shown and focused."""
    if r.screen.query_text:
        r.screen.action_clear_search()
    if r.screen.has_class("hide-sidebar"):
        await press(r, "backslash")
    r.sidebar.focus()
    await r.pilot.pause()


async def search_with_hits(r) -> None:
    await press(r, "slash", *"北约")
    await r.app.workers.wait_for_complete()
    await press(r, "down")
    assert r.screen.query_text == "北约"


async def open_a_hit(r) -> None:
    await search_with_hits(r)
    await press(r, "enter")
    assert r.screen.matches and r.app.focused is r.view


SETUPS = {"start": None, "search": search_with_hits, "reading a hit": open_a_hit}  # ctrl+p does not open over a modal


@pytest.mark.asyncio
async def test_the_palette_offers_only_readers_commands_and_themes():
    async with running() as r:
        for name, setup in SETUPS.items():
            await back_to_the_start(r)
            if setup is not None:
                await setup(r)
            titles = offered(r)
            assert titles and not TEXTUAL_COMMANDS & set(titles), (name, titles)
            assert len(titles) == len(set(titles)), titles
            themes = ["reader-" + title.removeprefix("Theme: ") for title in titles if title.startswith("Theme: ")]
            assert themes == r.app.reader_themes == [theme.name for theme in load_themes()[0]], (name, titles)
            assert "Quit" in titles


@pytest.mark.asyncio
async def test_the_palette_offers_next_match_where_n_works_not_over_a_preview():
    """Offered for a preview once its 80 ms had passed and not before: a palette opened at either moment differed."""
    async with running() as r:
        await search_with_hits(r)
        for _ in range(200):  # the preview: the article under the cursor shown, its matches marked
            if r.screen.matches:
                break
            await r.pilot.pause(0.02)
        assert r.screen.matches and r.app.focused is not r.view
        assert not r.screen.check_action("next_match", (1,))  # n does nothing here …
        assert "Next match" not in offered(r) and "Previous match" not in offered(r)  # … nor is it offered
        await press(r, "enter")
        assert r.screen.check_action("next_match", (1,))
        assert {"Next match", "Previous match"} <= set(offered(r))


async def run_offered(r, title: str) -> None:
    """Run a command as the palette does once it closes: its callback, on the screen it was offered for."""
    (command,) = [command for command in r.app.get_system_commands(r.app.screen) if command.title == title]
    r.app.call_later(command.callback)
    await r.pilot.pause()
    await r.app.workers.wait_for_complete()
    await r.pilot.pause()


@pytest.mark.asyncio
async def test_every_palette_command_runs_and_leaves_the_app_sane(tmp_path):
    """Each command in turn, from the first state that offers it; a theme picked in the palette is remembered and accepted.

    Commands run as the palette runs them (their callback, after it closes);
    one theme and Quit go through the palette itself, typed and chosen, as
    test_command_palette_lists_and_runs_reader_actions does for a grouping.
    """
    settings = tmp_path / "settings.json"
    async with running(settings_path=settings) as r:
        themes = list(r.app.reader_themes)
        ran: set[str] = set()
        for name, setup in SETUPS.items():
            await back_to_the_start(r)
            if setup is not None:
                await setup(r)
            titles = [title for title in offered(r) if title != "Quit" and title not in ran]  # each once
            for title in titles:
                await back_to_the_start(r)
                if setup is not None:
                    await setup(r)
                assert title in offered(r), (name, title)
                await run_offered(r, title)
                ran.add(title)
                if title.startswith("Theme: "):
                    assert r.app.theme == "reader-" + title.removeprefix("Theme: ")
                await sane(r, themes)
        assert {"Next theme", "Show keys", "Search", "Clear the search", "Next match", "Show problems"} <= ran
        assert {"Mark read or unread", "Next unread article", "Bookmark or unbookmark", "Show bookmarks"} <= ran
        assert {title for title in ran if title.startswith("Theme: ")} == {"Theme: " + t.removeprefix("reader-") for t in themes}
        await back_to_the_start(r)
        await run_from_palette(r, "Theme: sepia")
        assert r.app.theme == "reader-sepia"
        await sane(r, themes)
        await run_from_palette(r, "Quit")
        assert r.app.return_code == 0
    assert load_settings(settings).theme == "reader-sepia"
    async with running(theme=None, settings_path=settings) as r:
        assert r.app.theme == "reader-sepia" and r.app.theme_warning is None


@pytest.mark.asyncio
async def test_keys_pressed_before_anything_is_listed_leave_the_cursor_on_the_first_row(monkeypatch):
    """j and enter while nothing is listed yet: once loading ends the cursor is on a row and enter works."""
    import threading

    from conftest import pace_loading

    release = threading.Event()
    pace_loading(monkeypatch, hold_before=0, release=release)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.row_count == 0
        await pilot.press("j", "enter", "j")  # the reader has touched a key: nothing is opened for them
        release.set()
        await wait_until_loaded(pilot)
        assert app.screen.opened is None
        assert sidebar.cursor_row == 0 and sidebar.current_group is not None
        await pilot.press("enter")  # the first group opens…
        assert sidebar.is_open(sidebar.current_group)
        await pilot.press("j", "enter")  # …and its first article is read
        await pilot.pause()
        assert app.screen.opened is not None
        assert app.screen.query_one(ArticleView).article is app.screen.opened

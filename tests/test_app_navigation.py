"""Keys as less, vim and newsboat users expect, pressed through Pilot at 80×24.

q and esc go back one level and q quits only from the list; ctrl+d/u, ctrl+f/b
and ctrl+e/y scroll every pane; counts; ctrl+z and ctrl+c; < and > and the
remembered width; the cursor's full title in the status line; remapping
from config.toml. The seeds' layout is described in test_app_keys.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.store.paths import config_dir
from reader.store.settings import load_settings, update_settings
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.navigation import ARTICLE_CHROME, ARTICLE_MIN, SIDEBAR_MIN, WIDTH_STEP
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.status import StatusLine
from test_app_keys import SIZE, cursor_label, focus_article, help_rows, press, running, seed

SUMMARY = "5 articles · 4 sources · 0 skipped · loaded in 0.00 s"
LONG_TITLE = "白宫出台非常规声明：美国在与俄罗斯会谈前回顾与盟友的关系"  # seed 003, 29 characters


@pytest.fixture(autouse=True)
def _no_theme_env(monkeypatch):
    monkeypatch.delenv("READER_THEME", raising=False)


def status(r) -> StatusLine:
    return r.screen.query_one(StatusLine)


def many_articles(folder: Path, count: int = 60) -> Path:
    """``count`` short articles from one source, newest first as numbered: one long group in the sidebar."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        day = f"2022-{1 + number // 28:02d}-{1 + number % 28:02d}"
        (folder / f"{number:03d}.md").write_text(
            f"---\ntitle: 第{number}篇\nauthor: 一个来源\ndate: {day}\n---\n正文{number}。\n", encoding="utf-8"
        )
    return folder


async def search_for(r, query: str) -> None:
    await press(r, "slash", *query)
    await r.app.workers.wait_for_complete()
    await r.pilot.pause()


# ---------------------------------------------------------------- q and esc


@pytest.mark.asyncio
async def test_q_closes_the_article_and_quits_only_from_the_sidebar():
    async with running() as r:
        await press(r, "j", "enter")
        assert seed(r.view.article) == "000" and r.app.focused is r.view
        await press(r, "q")
        assert r.app.is_running and r.app.return_code is None
        assert r.app.focused is r.sidebar and cursor_label(r.sidebar) == "000"
        assert seed(r.view.article) == "000"  # closing keeps the article in its pane
        await press(r, "q")
        assert r.app.return_code == 0


@pytest.mark.asyncio
async def test_q_while_searching_goes_back_to_the_results_then_clears_then_quits():
    async with running() as r:
        await search_for(r, "北约")
        results = r.screen.query_one(ResultsList)
        await press(r, "down", "enter")
        assert r.app.focused is r.view and r.screen.query_text == "北约"
        await press(r, "q")
        assert r.app.focused is results and r.screen.query_text == "北约" and r.app.is_running
        await press(r, "q")
        assert r.screen.query_text == "" and r.app.focused is r.sidebar and r.app.is_running
        await press(r, "q")
        assert r.app.return_code == 0


@pytest.mark.asyncio
async def test_q_in_the_search_bar_is_typed():
    async with running() as r:
        await press(r, "slash", "q")
        assert r.screen.query_one("#search").value == "q" and r.app.is_running


@pytest.mark.asyncio
async def test_escape_goes_back_one_level_everywhere():
    async with running() as r:
        await focus_article(r)
        await press(r, "escape")  # article → sidebar, not searching
        assert r.app.focused is r.sidebar and r.app.is_running
        await press(r, "escape")  # the sidebar is the top: nothing happens
        assert r.app.focused is r.sidebar and r.app.is_running and cursor_label(r.sidebar) == "002"
        for key, screen in (("question_mark", HelpScreen), ("p", ProblemsScreen)):
            await press(r, key)
            assert isinstance(r.app.screen, screen)
            await press(r, "escape")
            assert r.app.screen is r.screen
        await search_for(r, "北约")
        await press(r, "down", "enter")
        await press(r, "escape")  # article → results
        assert r.app.focused is r.screen.query_one(ResultsList)
        await press(r, "escape")  # results → the query cleared
        assert r.screen.query_text == "" and r.app.focused is r.sidebar


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["q", "escape"])
async def test_q_and_escape_in_the_article_close_the_find_bar_first(key):
    from reader.ui.widgets.find_bar import FindBar, FindInput

    async with running() as r:
        await focus_article(r)
        await press(r, "f")
        r.screen.query_one(FindInput).value = "北约"
        await press(r, "enter")
        assert r.app.focused is r.view and r.screen.finding and r.screen.matches
        await press(r, key)  # the find goes: one level
        assert not r.screen.query_one(FindBar).display and r.app.focused is r.view
        await press(r, key)  # then the article: back to the list
        assert r.app.focused is r.sidebar and r.app.is_running


@pytest.mark.asyncio
async def test_q_in_the_narrow_layout_shows_the_list_and_then_quits():
    async with running(size=(50, 20)) as r:
        assert r.app.focused is r.view and not r.sidebar.display
        await press(r, "q")
        assert r.sidebar.display and r.app.focused is r.sidebar and r.app.is_running
        await press(r, "q")
        assert r.app.return_code == 0


# ---------------------------------------------------------------- ctrl+d/u, ctrl+f/b, ctrl+e/y in the article


@pytest.mark.asyncio
async def test_vim_keys_scroll_the_article_by_half_a_page_a_page_and_a_line():
    async with running() as r:
        await focus_article(r)
        height = r.view.scrollable_content_region.height
        assert height == 21  # 80×24: search bar, status line and footer take three
        assert r.view.max_scroll_y > 3 * height
        steps = [("ctrl+d", 10), ("ctrl+d", 20), ("ctrl+u", 10), ("ctrl+f", 30), ("ctrl+b", 10),
                 ("ctrl+e", 11), ("ctrl+e", 12), ("ctrl+y", 11), ("ctrl+u", 1), ("ctrl+u", 0)]
        for key, expected in steps:
            await press(r, key)
            assert r.view.scroll_y == expected, key


@pytest.mark.asyncio
async def test_vim_keys_move_the_sidebar_cursor_and_its_view(tmp_path):
    async with running([many_articles(tmp_path)]) as r:
        assert r.app.focused is r.sidebar
        height = r.sidebar.scrollable_content_region.height
        assert height == 21 and r.sidebar.row_count == 61
        assert r.sidebar.cursor_row == 1 and r.sidebar.scroll_offset.y == 0
        await press(r, "ctrl+d")  # cursor and view move together, half a page
        assert (r.sidebar.cursor_row, r.sidebar.scroll_offset.y) == (11, 10)
        await press(r, "ctrl+u")
        assert (r.sidebar.cursor_row, r.sidebar.scroll_offset.y) == (1, 0)
        await press(r, "ctrl+f")  # a page, as pgdn
        assert r.sidebar.cursor_row == 21
        await press(r, "ctrl+b")
        assert r.sidebar.cursor_row == 1
        await press(r, "g", "ctrl+e", "ctrl+e")  # the view moves; the cursor keeps to the top row in view
        assert (r.sidebar.cursor_row, r.sidebar.scroll_offset.y) == (2, 2)
        await press(r, "ctrl+y", "ctrl+y")  # and stays on its row while that is in view
        assert (r.sidebar.cursor_row, r.sidebar.scroll_offset.y) == (2, 0)
        await press(r, "G", "ctrl+y")  # at the bottom: the cursor keeps to the bottom row in view
        assert (r.sidebar.cursor_row, r.sidebar.scroll_offset.y) == (59, 39)
        await press(r, "ctrl+y")
        assert (r.sidebar.cursor_row, r.sidebar.scroll_offset.y) == (58, 38)
        assert r.app.focused is r.sidebar


@pytest.mark.asyncio
async def test_vim_keys_move_the_results_cursor_and_its_view(tmp_path):
    async with running([many_articles(tmp_path)]) as r:
        await search_for(r, "正文")
        results = r.screen.query_one(ResultsList)
        await press(r, "down")
        assert r.app.focused is results and len(results.hits) >= 20 and results.cursor == 0
        starts = results._row_starts
        await press(r, "ctrl+d")  # the hit about half a page further on
        half = results.scrollable_content_region.height // 2
        assert results.cursor == max(row for row, start in enumerate(starts) if start <= half)
        await press(r, "ctrl+u")
        assert results.cursor == 0
        await press(r, "ctrl+e")  # the first hit leaves the view: the cursor goes to the next
        assert results.scroll_offset.y == 1 and results.cursor == 1
        await press(r, "ctrl+y")
        assert results.scroll_offset.y == 0 and results.cursor == 1  # still wholly in view: it stays
        await press(r, "ctrl+f")
        assert results.cursor > 1


# ---------------------------------------------------------------- counts


@pytest.mark.asyncio
async def test_a_count_repeats_a_move_and_shows_while_typed():
    async with running() as r:
        await focus_article(r)
        await press(r, "5")
        assert status(r).shown.startswith("5 ") and str(status(r).content) == SUMMARY
        await press(r, "j")
        assert r.view.scroll_y == 5 and status(r).shown == SUMMARY
        await press(r, "1", "2", "down")
        assert r.view.scroll_y == 17
        await press(r, "2", "space")
        assert r.view.scroll_y == 17 + 2 * 20
        await press(r, "3", "k", "j")  # the count goes with its key only
        assert r.view.scroll_y == 17 + 40 - 3 + 1


@pytest.mark.asyncio
async def test_a_count_before_ctrl_d_is_lines_and_stays_the_half_page():
    async with running() as r:
        await focus_article(r)
        await press(r, "3", "ctrl+d")
        assert r.view.scroll_y == 3
        await press(r, "ctrl+d")  # as in less and vim, the count stays
        assert r.view.scroll_y == 6
        await press(r, "ctrl+u")
        assert r.view.scroll_y == 3


@pytest.mark.asyncio
async def test_a_count_steps_several_articles_and_several_rows():
    async with running() as r:
        # Sidebar order: 003, 001, 004, 002 (open), 000.
        await press(r, "3", "left_square_bracket")
        assert seed(r.view.article) == "003" and r.app.focused is r.sidebar
        await press(r, "2", "right_square_bracket")
        assert seed(r.view.article) == "004"
        await press(r, "g", "4", "j")
        assert r.sidebar.cursor_row == 4


@pytest.mark.asyncio
async def test_a_count_before_u_skips_to_a_later_unread_article():
    async with running() as r:
        # Nothing is read yet; from 002 the next unread ones in sidebar order are 000, then round to 003.
        await press(r, "2", "u")
        assert seed(r.view.article) == "003"


@pytest.mark.asyncio
async def test_escape_drops_a_count_and_a_lone_zero_is_no_count():
    async with running() as r:
        await focus_article(r)
        await press(r, "4", "escape")
        assert r.app.focused is r.view  # esc only dropped the count
        assert status(r).shown == SUMMARY
        await press(r, "j")
        assert r.view.scroll_y == 1
        await press(r, "0", "j")
        assert r.view.scroll_y == 2
        await press(r, "1", "0", "j")
        assert r.view.scroll_y == 12


@pytest.mark.asyncio
async def test_a_count_before_a_key_that_does_not_move_is_forgotten():
    async with running() as r:
        await press(r, "3", "t")
        assert r.app.theme == "reader-light"  # once
        await focus_article(r)
        await press(r, "j")
        assert r.view.scroll_y == 1


@pytest.mark.asyncio
async def test_digits_in_the_search_bar_are_typed():
    async with running() as r:
        await press(r, "slash", "2", "0", "2", "2")
        assert r.screen.query_one("#search").value == "2022" and status(r).shown == str(status(r).content)


# ---------------------------------------------------------------- ctrl+z, ctrl+c


@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["sidebar", "article", "search bar", "help"])
async def test_ctrl_z_suspends_from_anywhere(monkeypatch, where):
    async with running() as r:
        calls = []
        monkeypatch.setattr(r.app, "action_suspend_process", lambda: calls.append(True))
        keys = {"sidebar": [], "article": ["tab"], "search bar": ["slash"], "help": ["question_mark"]}[where]
        await press(r, *keys, "ctrl+z")
        assert calls == [True] and r.app.is_running


@pytest.mark.asyncio
@pytest.mark.parametrize("keys", [[], ["tab"], ["slash", "x"], ["question_mark"]])
async def test_ctrl_c_quits_from_anywhere(keys):
    async with running() as r:
        await press(r, *keys, "ctrl+c")
        assert r.app.return_code == 0


# ---------------------------------------------------------------- < and >


def sidebar_width(r) -> int:
    return r.sidebar.outer_size.width


@pytest.mark.asyncio
async def test_angle_brackets_narrow_and_widen_the_sidebar_within_bounds(tmp_path):
    settings = tmp_path / "settings.json"
    async with running(settings_path=settings) as r:
        start = sidebar_width(r)
        assert start == 26  # a third of 80
        await press(r, "greater_than_sign")
        assert sidebar_width(r) == start + WIDTH_STEP
        widest = SIZE[0] - ARTICLE_MIN - ARTICLE_CHROME
        for _ in range(10):
            await press(r, "greater_than_sign")
        assert sidebar_width(r) == widest
        assert r.view.scrollable_content_region.width == ARTICLE_MIN  # the article keeps 30 columns
        assert all(line.cell_len <= ARTICLE_MIN for line in r.view.layout.lines)
        for _ in range(10):
            await press(r, "less_than_sign")
        assert sidebar_width(r) == SIDEBAR_MIN
        await press(r, "greater_than_sign")
        assert sidebar_width(r) == SIDEBAR_MIN + WIDTH_STEP
    assert load_settings(settings).sidebar_width == SIDEBAR_MIN + WIDTH_STEP


@pytest.mark.asyncio
async def test_the_sidebar_width_is_kept_after_a_restart_and_a_theme_change(tmp_path):
    settings = tmp_path / "settings.json"
    async with running(settings_path=settings) as r:
        narrow_row = r.sidebar.row_text(r.sidebar.cursor_row).rstrip()
        await press(r, "greater_than_sign", "greater_than_sign")
        wide = sidebar_width(r)
        await press(r, "t")  # saving the theme keeps the width
    assert json.loads(settings.read_text(encoding="utf-8")) == {"sidebar_width": wide, "theme": "reader-light"}
    async with running(settings_path=settings, theme=None) as r:
        assert sidebar_width(r) == wide and r.app.theme == "reader-light"
        row = r.sidebar.row_text(r.sidebar.cursor_row).rstrip()
        assert len(row) > len(narrow_row) and row.startswith(narrow_row[:-1])  # more of the title


@pytest.mark.asyncio
async def test_a_saved_width_too_wide_for_the_terminal_is_bounded_and_narrow_layout_ignores_it(tmp_path):
    settings = tmp_path / "settings.json"
    update_settings({"sidebar_width": 70}, settings)
    async with running(settings_path=settings) as r:
        assert sidebar_width(r) == SIZE[0] - ARTICLE_MIN - ARTICLE_CHROME
        await r.pilot.resize_terminal(50, 20)
        await r.pilot.pause()
        await press(r, "backslash")  # the sidebar's turn: the whole width
        assert r.sidebar.display and sidebar_width(r) == 50
        await press(r, "greater_than_sign")  # nothing to widen in turns
        assert sidebar_width(r) == 50
        await r.pilot.resize_terminal(120, 40)
        await r.pilot.pause()
        assert sidebar_width(r) == 70
    assert load_settings(settings).sidebar_width == 70


@pytest.mark.asyncio
async def test_angle_brackets_are_typed_in_the_search_bar_and_do_nothing_while_searching():
    async with running() as r:
        start = sidebar_width(r)
        await press(r, "slash", "less_than_sign")
        assert r.screen.query_one("#search").value == "<"
        await press(r, "backspace", *"北约")
        await r.app.workers.wait_for_complete()
        await press(r, "down", "greater_than_sign")
        assert sidebar_width(r) == start


# ---------------------------------------------------------------- the cursor's title in the status line


@pytest.mark.asyncio
async def test_the_status_line_shows_the_full_title_under_the_cursor():
    async with running() as r:
        assert status(r).shown == SUMMARY  # the cursor is on the open article: its title is in the pane
        await press(r, "g", "l", "j")  # onto 003, whose title the sidebar cuts
        assert cursor_label(r.sidebar) == "003"
        row = r.sidebar.row_text(r.sidebar.cursor_row)
        assert LONG_TITLE not in row and row.rstrip().endswith("…")
        assert status(r).shown == LONG_TITLE and str(status(r).content) == SUMMARY
        await press(r, "k")  # a group: the summary again
        assert status(r).shown == SUMMARY
        await press(r, "j", "tab")  # the focus leaves the sidebar
        assert r.app.focused is r.view and status(r).shown == SUMMARY
        await press(r, "shift+tab", "enter")  # opened: its title is in the pane now
        assert seed(r.view.article) == "003"
        await press(r, "h")
        assert r.app.focused is r.sidebar and status(r).shown == SUMMARY


@pytest.mark.asyncio
async def test_the_status_line_cuts_a_title_too_long_for_it_and_never_hides_a_failure():
    async with running() as r:
        line = status(r)
        line.title_of = lambda: "长" * 60
        rendered = line.render()
        assert SIZE[0] - 3 <= rendered.cell_len <= SIZE[0] - 2 and str(rendered).endswith("…")  # 38 CJK + …
        line.show_failure("loading stopped: disk on fire")
        assert line.shown == "loading stopped: disk on fire"


@pytest.mark.asyncio
async def test_the_title_is_never_that_of_an_article_since_opened():
    async with running() as r:
        await press(r, "j")  # 000 under the cursor, 002 open
        assert status(r).shown == "美俄谈了7个半小时，_有用_但没啥进展"
        await press(r, "right_square_bracket")  # ] from the sidebar opens 000 and keeps the focus
        assert seed(r.view.article) == "000" and r.app.focused is r.sidebar
        assert status(r).shown == SUMMARY


# ---------------------------------------------------------------- remapping from config.toml


def write_config(text: str) -> Path:
    path = config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.asyncio
async def test_keys_remapped_in_config_toml_work_and_the_help_shows_them():
    write_config('[keys]\n"article.down" = "ctrl+n,x"\nsidebar.down = ["ctrl+n"]\napp.help = "F"\n')
    async with running() as r:
        assert r.app.keymap_warnings == []
        await press(r, "ctrl+n")
        assert cursor_label(r.sidebar) == "000"
        await focus_article(r)
        await press(r, "ctrl+n", "x", "j")  # j is no longer down
        assert r.view.scroll_y == 2
        await press(r, "question_mark")
        assert r.app.screen is r.screen  # ? gave way to F
        await press(r, "F")
        assert isinstance(r.app.screen, HelpScreen)
        rows = help_rows(r.app.screen)
        assert ("^n x", "Down") in rows and ("F", "This help") in rows
        assert ("j ↓ ^e", "Down") not in rows


@pytest.mark.asyncio
async def test_a_bad_entry_in_config_toml_is_one_line_of_warning_and_the_rest_works():
    write_config('[keys]\n"article.dwn" = "x"\n"article.up" = "ctlr+p"\n"sidebar.down" = "ctrl+n"\n')
    async with running() as r:
        warnings = r.app.keymap_warnings
        assert len(warnings) == 2 and all("\n" not in warning for warning in warnings)
        assert "article.dwn" in warnings[0] and "did you mean article.down?" in warnings[0]
        assert "'ctlr+p' is not a key" in warnings[1]
        notified = [notification.message for notification in r.app._notifications]
        assert warnings[0] in notified and warnings[1] in notified
        assert status(r).shown == warnings[0] + " (and 1 more)"
        await press(r, "ctrl+n")  # the good entry works; the first key clears the warning line
        assert cursor_label(r.sidebar) == "000" and status(r).shown != warnings[0] + " (and 1 more)"
        await focus_article(r)
        await press(r, "j", "j", "k")  # article.up kept its own keys
        assert r.view.scroll_y == 1


@pytest.mark.asyncio
async def test_config_toml_that_is_not_toml_warns_and_the_app_starts():
    write_config("[keys\narticle.down = ")
    async with running() as r:
        (warning,) = r.app.keymap_warnings
        assert warning.startswith("config.toml: not valid TOML") and "\n" not in warning
        await press(r, "j")
        assert cursor_label(r.sidebar) == "000"


@pytest.mark.asyncio
async def test_reader_never_writes_config_toml(tmp_path):
    path = write_config('[keys]\n"article.down" = "ctrl+n"\n')
    before = path.read_bytes()
    async with running(settings_path=tmp_path / "settings.json") as r:
        await press(r, "t", "greater_than_sign")
    assert path.read_bytes() == before
    assert sorted(entry.name for entry in path.parent.iterdir()) == ["config.toml"]


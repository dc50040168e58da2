"""Screenshots of the whole app, compared with the SVGs in tests/__snapshots__/.

Each screen is taken at 80×24 (the smallest terminal the README promises to
look right in) and at 120×40. Every screenshot waits for the loading worker,
and the clock from conftest never moves, so the status line always reads
"loaded in 0.00 s". Nothing that blinks has focus: the sidebar or the article
pane holds it, never the search bar.

After a deliberate change of the look, regenerate with
``pytest tests/test_snapshots.py --snapshot-update`` and LOOK at the new SVGs
before committing them.
"""

from __future__ import annotations

import io

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from rich.text import Text

from conftest import _SCRATCH, SEEDS, fixed_clock, make_app, until, wait_until_loaded
from reader.ui.app import ReaderApp
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen, SearchBar
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine
from test_colours import screen_cells
from test_themes import VGA

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

NEWEST_TITLE = "_我们会给一个书面回复，但内容请俄方保密_"  # seed 002
CAPTIONED_TITLE = "美俄谈了7个半小时，_有用_但没啥进展"  # seed 000
CAPTION_MARK = "▣"
SUMMARY = "5 articles · 4 sources · 0 skipped · loaded in 0.00 s"


async def loaded(pilot) -> None:
    """Wait for the articles, then check the things every screenshot relies on."""
    await wait_until_loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    assert str(screen.query_one(StatusLine).content) == SUMMARY
    assert screen.opened is not None and screen.opened.title == NEWEST_TITLE
    # A focused search bar would blink; keep its cursor still in any case.
    search = screen.query_one(SearchBar)
    search.cursor_blink = False
    assert not search.has_focus


@pytest.mark.parametrize("size", SIZES)
def test_startup(snap_compare, size):
    """After loading: sources in the sidebar, the newest article (002) open, summary in the status line."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        assert pilot.app.screen.query_one(Sidebar).has_focus

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_article_with_captions(snap_compare, size):
    """Seed 000 opened from the sidebar (j, enter), scrolled so its first ▣ caption is in view."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        await pilot.press("j", "enter")
        await pilot.pause()
        assert screen.opened is not None and screen.opened.title == CAPTIONED_TITLE
        view = screen.query_one(ArticleView)
        assert view.has_focus
        lines = [line.plain for line in view.layout.lines]
        first_caption = next(y for y, line in enumerate(lines) if line.startswith(CAPTION_MARK))
        # Two lines of the paragraph above it for context.
        view.scroll_to(y=first_caption - 3, animate=False, force=True)
        await pilot.pause()
        await pilot.pause()
        top = round(view.scroll_y)
        assert top <= first_caption < top + view.scrollable_content_region.height

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_grouped_by_date(snap_compare, size):
    """`s` regroups the sidebar by month and day; the open article stays under the cursor."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        sidebar = pilot.app.screen.query_one(Sidebar)
        assert sidebar.current is not None
        assert sidebar.snapshot.titles[sidebar.current] == NEWEST_TITLE

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_wider_sidebar_and_the_title_under_the_cursor(snap_compare, tmp_path):
    """80×24, `>` `>` then `j`: the sidebar 34 columns wide, the status line holding 000's whole title."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("greater_than_sign", "greater_than_sign", "j")
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.query_one(Sidebar).outer_size.width == 34
        assert screen.query_one(StatusLine).shown == CAPTIONED_TITLE

    assert snap_compare(make_app(settings_path=tmp_path / "settings.json"), terminal_size=(80, 24), run_before=run_before)


def test_a_row_with_copies(snap_compare, tmp_path):
    """Seed 001 saved twice (another folder, another name) is one row, ``×2`` after its title in the count's colour."""
    import shutil

    from conftest import seed_path

    shutil.copytree(SEEDS, tmp_path / "news")
    (tmp_path / "saved-again").mkdir()
    shutil.copy(seed_path("001"), tmp_path / "saved-again" / "voa.txt")

    async def run_before(pilot) -> None:
        await loaded(pilot)
        sidebar = pilot.app.screen.query_one(Sidebar)
        sidebar.reveal(sidebar.snapshot.number_of(tmp_path / "news" / seed_path("001").name))
        await pilot.press("k")  # the cursor on the group: the row drawn as every row is
        await pilot.pause()
        assert any(sidebar.row_text(row).rstrip().endswith("×2") for row in range(sidebar.row_count))

    assert snap_compare(make_app([tmp_path]), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size):
    """`?` shows every key over the main screen."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_light_theme(snap_compare, size):
    """The start-up screen in reader-light."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        assert pilot.app.theme == "reader-light"

    assert snap_compare(make_app(theme="reader-light"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_no_color(snap_compare, size, monkeypatch):
    """NO_COLOR: no colour at all, yet the sidebar cursor and the captions stay visible.

    Seed 000 is opened and scrolled to its first caption, so one screenshot shows both.
    """
    monkeypatch.setenv("NO_COLOR", "1")  # read (and removed) by App.__init__
    app = make_app()

    async def run_before(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        sidebar = screen.query_one(Sidebar)
        await pilot.press("j", "enter", "h")  # open seed 000, then back to the sidebar
        await pilot.pause()
        assert screen.opened is not None and screen.opened.title == CAPTIONED_TITLE
        view = screen.query_one(ArticleView)
        lines = [line.plain for line in view.layout.lines]
        first_caption = next(y for y, line in enumerate(lines) if line.startswith(CAPTION_MARK))
        view.scroll_to(y=first_caption - 3, animate=False, force=True)
        await pilot.pause()
        await pilot.pause()
        assert sidebar.has_focus

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_bar_focused_before_the_first_key(snap_compare, size):
    """/ pressed, nothing typed: the results pane in the sidebar's place says what to type."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.query_one(SearchBar).has_focus and screen.has_class("searching")

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


async def opened_at_a_match(pilot) -> None:
    """/北约, down into the results, enter: the article opened at its first match, the results beside it."""
    await loaded(pilot)
    screen = pilot.app.screen
    await pilot.press("slash", *"北约")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    assert screen.query_text == "北约" and screen.matches
    assert screen.query_one(ArticleView).has_focus


@pytest.mark.parametrize("size", SIZES)
def test_opened_at_a_match(snap_compare, size):
    """Search results (their cursor unfocused) and the article opened at a match, every match marked."""
    assert snap_compare(make_app(), terminal_size=size, run_before=opened_at_a_match)


class SixteenColourApp(ReaderApp):
    """The app as a 16-colour terminal (TERM=xterm, TERM=linux) shows it.

    Its screenshots downgrade every colour the way Rich does for 16 colours
    and draw the ANSI slots in the VGA palette, so a cursor or a match that
    would vanish on such a terminal vanishes in the SVG too.
    """

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        console = Console(width=self.size.width, record=True, file=io.StringIO(), force_terminal=True,
                          color_system="standard", legacy_windows=False, safe_box=False)
        for row in screen_cells(self, ColorSystem.STANDARD):
            line = Text(no_wrap=True, end="")
            for cell in row:
                if cell.char:
                    line.append(cell.char, Style(
                        color=None if cell.fg is None else RichColor.from_ansi(cell.fg),
                        bgcolor=None if cell.bg is None else RichColor.from_ansi(cell.bg),
                        bold=cell.bold, dim=cell.dim, italic=cell.italic, underline=cell.underline, reverse=cell.reverse,
                    ))
            console.print(line)
        return console.export_svg(title=title or f"{self.title} (16 colours)", theme=VGA_TERMINAL)


VGA_TERMINAL = TerminalTheme((0, 0, 0), (170, 170, 170), [RichColor.parse(c).triplet for c in VGA[:8]],
                             [RichColor.parse(c).triplet for c in VGA[8:]])


def sixteen_colour_app(theme: str) -> SixteenColourApp:
    return SixteenColourApp([SEEDS], theme=theme, settings_path=_SCRATCH / "settings.json", clock=fixed_clock)


def test_sixteen_colours_startup(snap_compare):
    """reader-dark on 16 colours: the sidebar's cursor on a background of its own."""
    assert snap_compare(sixteen_colour_app("reader-dark"), terminal_size=(80, 24), run_before=loaded)


@pytest.mark.parametrize("theme", ["reader-dark", "reader-light", "reader-sepia", "reader-high-contrast"])
def test_sixteen_colours_opened_at_a_match(snap_compare, theme):
    """Every theme on 16 colours: the results' cursor and every match on backgrounds of their own."""
    assert snap_compare(sixteen_colour_app(theme), terminal_size=(80, 24), run_before=opened_at_a_match)


def test_no_color_search_results(snap_compare, monkeypatch):
    """NO_COLOR, in the results: matches reversed, the cursor's row marked by ▌ and underlined."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"北约")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down")
        screen, results = pilot.app.screen, pilot.app.screen.query_one(ResultsList)
        # The result under the cursor is previewed once the cursor has rested (a real timer: wait for it).
        await until(pilot, lambda: results.current is not None and screen.search.hit is results.current
                    and screen.opened is not None and screen.opened.path == results.current.article.path,
                    "the preview")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.focused is results

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


async def some_read(pilot) -> None:
    """000 read (j m), and Aljazeera's one article (g m on its group); 001, 002 and 004 unread."""
    await loaded(pilot)
    await pilot.press("j", "m", "g", "m")
    await pilot.pause()
    sidebar = pilot.app.screen.query_one(Sidebar)
    assert sidebar.row_text(0) == "▸ Aljazeera 半岛网 1" and sidebar.row_text(3).startswith("▾ 观察者网 1/2")


@pytest.mark.parametrize("size", SIZES)
def test_unread_marks(snap_compare, size):
    """Unread articles marked • before their date; each group counts unread / all, or all alone when all are read."""
    assert snap_compare(make_app(), terminal_size=size, run_before=some_read)


def test_sixteen_colours_unread_marks(snap_compare):
    """The unread marks on 16 colours (reader-dark)."""
    assert snap_compare(sixteen_colour_app("reader-dark"), terminal_size=(80, 24), run_before=some_read)

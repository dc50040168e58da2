"""Colour as the terminal receives it: NO_COLOR means none at all, 16 colours still show everything.

`reader show` runs in a pseudo-terminal and its bytes are read. The app is
rendered over seeds/ at 80×24 and the checks read the segments Textual
composed for the screen (what it writes to the terminal), with every colour
downgraded the way Rich downgrades it for a 16-colour terminal, never the
theme files.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.color import ColorSystem, ColorType
from rich.console import Console
from rich.style import Style

from conftest import make_app, seed_path, wait_until_loaded
from test_themes import VGA, XTERM_DEFAULTS, contrast
from reader.ui.themes import load_themes
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.sidebar import Sidebar

READER = [sys.executable, "-m", "reader.cli"]
# Colour in SGR: 30-37, 90-97 and 38;… (foreground), 40-47, 100-107 and 48;… (background).
_COLOUR_PARAMETER = re.compile(r"(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38|48)\Z")
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def sgr_parameters(output: str) -> set[str]:
    """Every SGR parameter in ``output``; the arguments of 38;5;n and 38;2;r;g;b are not listed."""
    found: set[str] = set()
    for match in _SGR.finditer(output):
        parameters = match.group(1).split(";") if match.group(1) else ["0"]
        index = 0
        while index < len(parameters):
            parameter = parameters[index]
            found.add(parameter)
            if parameter in ("38", "48") and index + 1 < len(parameters):
                index += 3 if parameters[index + 1] == "5" else 5
            else:
                index += 1
    return found


def colour_parameters(output: str) -> set[str]:
    return {parameter for parameter in sgr_parameters(output) if _COLOUR_PARAMETER.match(parameter)}


def test_sgr_parameters_reads_colours_and_attributes():
    output = "\x1b[1;38;5;252;48;2;1;2;3mx\x1b[0m\x1b[3m\x1b[97;100my\x1b[m"
    assert sgr_parameters(output) == {"0", "1", "3", "38", "48", "97", "100"}
    assert colour_parameters(output) == {"38", "48", "97", "100"}
    assert colour_parameters("\x1b[1;2;3;4;7;39;49m") == set()


# ---------------------------------------------------------------- reader show


def show_in_a_terminal(*, no_color: str | None) -> str:
    """`reader show` of seed 001 (a link and a caption) in a pseudo-terminal, as the terminal receives it."""
    import pty

    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env.update(COLUMNS="80", LINES="24", TERM="xterm-256color", COLORTERM="truecolor")
    if no_color is not None:
        env["NO_COLOR"] = no_color
    leader, follower = pty.openpty()
    command = [*READER, "show", str(seed_path("001"))]
    with subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, env=env) as child:
        os.close(follower)  # the child holds its own copy; reading ends when it exits
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other end is closed, everything is read
                break
            if not chunk:
                break
            output += chunk
        os.close(leader)
        errors = child.stderr.read()
    assert child.wait(timeout=60) == 0, errors
    return output.decode("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_show_on_a_terminal_under_no_color_has_no_colour_and_no_hyperlinks():
    output = show_in_a_terminal(no_color="1")
    assert "\x1b]8;" not in output  # no OSC 8 hyperlink
    assert colour_parameters(output) == set()
    # Still a terminal: the title is bold, captions italic, the url underlined.
    assert {"1", "3", "4"} <= sgr_parameters(output)
    assert "https://www.voachinese.com/" in output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [None, ""], ids=["unset", "empty"])
def test_show_on_a_terminal_links_unless_no_color_is_set_and_not_empty(no_color):
    """no-color.org: NO_COLOR counts when it is present and not empty."""
    output = show_in_a_terminal(no_color=no_color)
    assert "\x1b]8;" in output
    assert {"1", "3", "4"} <= sgr_parameters(output)


# ---------------------------------------------------------------- the app, as the terminal receives it


@dataclass(frozen=True)
class Cell:
    """One terminal cell: a character (or "" for the right half of a wide one) and its look.

    Colours are ANSI slots 0-15 after Rich's downgrade to 16 colours, or None
    for the terminal's own colour; ``colour`` is False when no colour at all
    was sent (neither a colour nor an explicit default).
    """

    char: str
    fg: int | None
    bg: int | None
    bold: bool
    dim: bool
    italic: bool
    underline: bool
    reverse: bool
    colour: bool

    @property
    def paper(self) -> tuple[str, int | None]:
        """What the eye sees behind the character: the background, or the foreground when reversed."""
        return ("reversed", self.fg) if self.reverse else ("plain", self.bg)

    @property
    def look(self) -> tuple:
        """Everything but the character and boldness."""
        return (self.paper, self.fg, self.dim, self.italic, self.underline)


def _slot(colour: RichColor | None, system: ColorSystem) -> tuple[int | None, bool]:
    if colour is None:
        return None, False
    if colour.type is ColorType.DEFAULT:
        return None, True
    downgraded = colour.downgrade(system)
    if downgraded.type is ColorType.DEFAULT:
        return None, True
    return downgraded.number, True


def screen_cells(app, system: ColorSystem = ColorSystem.STANDARD) -> list[list[Cell]]:
    """The whole screen (modal screens over the ones below) as the terminal gets it.

    The compositor's segments, as App.export_screenshot takes them; colours are
    downgraded as Textual's Strip.render_ansi does for ``system``. Nothing is
    rendered to escape codes, so no style's cached codes from another colour
    system can leak in.
    """
    width, height = app.size
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    rows: list[list[Cell]] = [[]]
    for segment in console.render(update):
        if segment.control:
            continue
        if segment.text == "\n":
            rows.append([])
            continue
        style = segment.style or Style()
        fg, fg_sent = _slot(style.color, system)
        bg, bg_sent = _slot(style.bgcolor, system)
        look = dict(fg=fg, bg=bg, bold=bool(style.bold), dim=bool(style.dim), italic=bool(style.italic),
                    underline=bool(style.underline), reverse=bool(style.reverse), colour=fg_sent or bg_sent)
        for char in segment.text:
            rows[-1].append(Cell(char, **look))
            if cell_len(char) == 2:
                rows[-1].append(Cell("", **look))
    return [row for row in rows if row][:height]


def text_of(cells: list[Cell]) -> str:
    return "".join(cell.char for cell in cells)


def region_rows(cells: list[list[Cell]], widget) -> list[list[Cell]]:
    """The cells of ``widget``'s content (no padding, border or scrollbar), row by row, top to bottom."""
    region = widget.scrollable_content_region
    return [row[region.x:region.right] for row in cells[region.y:region.bottom]]


def marks(row: list[Cell]) -> set:
    return {cell.paper for cell in row if cell.char.strip()}


def looks(row: list[Cell]) -> set:
    return {cell.look for cell in row if cell.char.strip()}


def occurrences(rows: list[list[Cell]], word: str) -> list[tuple[list[Cell], list[Cell]]]:
    """Each occurrence of ``word`` in the rows, read on across line ends: (its cells, the cells beside it).

    Wrapped text may break a word between two lines, so the rows are read as
    one text with each row's trailing blanks left out. A wide character
    covers two cells; the cell beside is the whole character before and after.
    """
    chars: list[tuple[str, list[Cell]]] = []
    for row in rows:
        end = len(text_of(row).rstrip())  # in characters, continuation cells ("") excluded
        seen = 0
        for x, cell in enumerate(row):
            if not cell.char:
                if chars and seen:
                    chars[-1][1].append(cell)
                continue
            if seen >= end:
                break
            chars.append((cell.char, [cell]))
            seen += 1
    text = "".join(char for char, _ in chars)
    found = []
    start = text.find(word)
    while start >= 0:
        after = start + len(word)
        cells = [cell for _, group in chars[start:after] for cell in group]
        beside = [group[0] for _, group in chars[max(0, start - 1):start] + chars[after:after + 1]]
        found.append((cells, beside))
        start = text.find(word, after)
    return found


def check_matches(rows: list[list[Cell]], word: str, *, by_paper: bool) -> int:
    """Every occurrence of ``word`` differs from the characters beside it by more than bold; the count checked.

    ``by_paper``: by its background (or reverse video); otherwise by any of
    background, reverse, colour, underline, italic or dim.
    """
    checked = 0
    for cells, beside in occurrences(rows, word):
        assert beside
        assert_legible(cells)
        for cell in cells:
            for other in beside:
                if by_paper:
                    assert cell.paper != other.paper, (word, cell, other)
                else:
                    assert cell.look != other.look, (word, cell, other)
        checked += 1
    return checked


THEMES = [theme.name for theme in load_themes()[0]]
SIZE = (80, 24)
WORD = "北约"  # in four seeds, twice in a passage of 002


@pytest.fixture(autouse=True)
def _no_theme_env(monkeypatch):
    monkeypatch.delenv("READER_THEME", raising=False)


@pytest.fixture
def sixteen_colours(monkeypatch):
    """A terminal such as TERM=xterm or TERM=linux, over SSH.

    Textual's console takes its colour system from TEXTUAL_COLOR_SYSTEM
    (read once, when Textual is imported; "auto" unless set), and on "auto"
    Rich decides from the environment the App copies when it is made:
    COLORTERM=truecolor or 24bit gives true colour, otherwise TERM's suffix
    (-256color …), and a TERM without one, such as xterm or linux, gives the
    16 ANSI colours.
    """
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)


def colour_system(app) -> ColorSystem:
    return {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}[
        app.console.color_system
    ]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def sidebar_cursor(app) -> tuple[list[Cell], list[list[Cell]]]:
    """The sidebar's cursor row and its other rows, as drawn."""
    sidebar = app.screen.query_one(Sidebar)
    rows = region_rows(screen_cells(app, colour_system(app)), sidebar)
    top = sidebar.scroll_offset.y
    cursor = sidebar.cursor_row - top
    assert 0 <= cursor < len(rows)
    lines = range(min(len(rows), sidebar.row_count - top))
    others = [rows[y] for y in lines if y != cursor]
    assert len(others) >= 4
    return rows[cursor], others


def stands_out(row: list[Cell], others: list[list[Cell]], *, by_paper: bool) -> set:
    """What ``row`` shows that no other row does: backgrounds (or reverse video), or any look."""
    own = marks if by_paper else looks
    found = own(row) - set().union(*(own(other) for other in others))
    assert found, (text_of(row), own(row))
    return found


def assert_legible(cells: list[Cell]) -> None:
    """Text on a background of its own reads: at least 3:1 on the VGA colours (TERM=linux) and on xterm's."""
    for cell in cells:
        if not cell.char.strip() or cell.fg is None or cell.bg is None:
            continue
        fg, bg = (cell.bg, cell.fg) if cell.reverse else (cell.fg, cell.bg)
        for palette in (VGA, XTERM_DEFAULTS):
            assert contrast(palette[fg], palette[bg]) >= 3, (cell, palette[fg], palette[bg])


def results_cursor(app) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """The lines of the results cursor's row (marked ▌) and the other lines with text."""
    rows = region_rows(screen_cells(app, colour_system(app)), app.screen.query_one(ResultsList))
    cursor = [row for row in rows if row[0].char == "▌"]
    others = [row for row in rows if row[0].char != "▌" and text_of(row).strip()]
    assert len(cursor) >= 3 and len(others) >= 3
    return cursor, others


async def search(pilot) -> None:
    """/北约, then down into the results."""
    await pilot.press("slash", *WORD)
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)
    assert pilot.app.focused is pilot.app.screen.query_one(ResultsList)


@pytest.mark.asyncio
@pytest.mark.parametrize("theme", THEMES)
async def test_on_16_colours_the_cursors_and_the_matches_show(sixteen_colours, theme):
    app = make_app(theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_loaded(pilot)
        assert app.theme == theme
        assert app.console.color_system == "standard"
        # The sidebar's cursor, focused (at start) and not (in the article): its own background.
        cursor, others = sidebar_cursor(app)
        focused = stands_out(cursor, others, by_paper=True)
        assert_legible(cursor)
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is app.screen.query_one(ArticleView)
        cursor, others = sidebar_cursor(app)
        blurred = stands_out(cursor, others, by_paper=True)
        assert_legible(cursor)
        assert focused != blurred  # which pane has the focus shows
        await pilot.press("shift+tab")
        await settle(pilot)
        # The results: the cursor's row has its own background; every match differs from its neighbours.
        await search(pilot)
        cursor, others = results_cursor(app)
        stands_out([cell for row in cursor for cell in row[1:]], others, by_paper=True)
        assert_legible([cell for row in cursor for cell in row])
        assert check_matches([*cursor, *others], WORD, by_paper=True) >= 3
        assert occurrences(cursor, WORD)  # a match on the cursor's own background too
        # The article opened at the match: every match marked.
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        assert app.focused is view
        assert check_matches(region_rows(screen_cells(app, colour_system(app)), view), WORD, by_paper=True) >= 1
        # ... and the results beside it, their cursor now unfocused.
        cursor, others = results_cursor(app)
        stands_out([cell for row in cursor for cell in row[1:]], others, by_paper=True)
        assert_legible([cell for row in cursor for cell in row])
        assert occurrences(cursor, WORD)
        assert check_matches([*cursor, *others], WORD, by_paper=True) >= 3


def uncoloured(app) -> list[list[Cell]]:
    """The screen, after checking that not one cell was sent a colour (nor an explicit default)."""
    cells = screen_cells(app, colour_system(app))
    coloured = [(y, text_of(row)) for y, row in enumerate(cells) if any(cell.colour for cell in row)]
    assert not coloured, coloured
    return cells


def widget_rows(app, selector: str) -> list[list[Cell]]:
    return region_rows(uncoloured(app), app.screen.query_one(selector))


@pytest.mark.asyncio
async def test_no_color_sends_no_colour_yet_everything_still_shows(no_color):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until_loaded(pilot)
        assert app.no_color and app.console.color_system == "256"
        # The search bar's placeholder is not a query: dimmed.
        (bar,) = widget_rows(app, "#search")
        assert all(cell.dim for cell in bar if cell.char.strip())
        # The sidebar's cursor: reversed while focused, marked otherwise, and the two differ.
        uncoloured(app)
        cursor, others = sidebar_cursor(app)
        stands_out(cursor, others, by_paper=True)
        focused = looks(cursor)
        await pilot.press("tab")
        await settle(pilot)
        cursor, others = sidebar_cursor(app)
        stands_out(cursor, others, by_paper=False)
        assert looks(cursor) != focused
        # A caption (▣) and the status line each look unlike the body text.
        view = app.screen.query_one(ArticleView)
        caption = next(y for y, line in enumerate(view.layout.lines) if line.plain.startswith("▣"))
        view.scroll_to(y=caption - 2, animate=False, force=True)
        await settle(pilot)
        rows = widget_rows(app, "#article")
        captions = [row for row in rows if text_of(row).startswith("▣")]
        body = [row for row in rows if text_of(row).strip() and not text_of(row).startswith(("▣", " "))]
        assert captions and body
        for row in captions:
            assert all(cell.italic for cell in row[2:] if cell.char.strip())
            stands_out(row[2:], body, by_paper=False)
        (status,) = widget_rows(app, "StatusLine")
        stands_out(status, body, by_paper=True)
        # The search bar's caret shows (held still, not blinking).
        app.screen.query_one("#search").cursor_blink = False
        await pilot.press("slash")
        await settle(pilot)
        (bar,) = widget_rows(app, "#search")
        assert any(cell.reverse for cell in bar)
        await pilot.press("escape")
        await settle(pilot)
        # The results: every match reversed, on the cursor's row too, which is
        # marked by its ▌ and, while focused, underlined.
        await search(pilot)
        uncoloured(app)
        cursor, others = results_cursor(app)
        stands_out([cell for row in cursor for cell in row[1:]], others, by_paper=False)
        focused = looks([cell for row in cursor for cell in row[1:]])
        assert occurrences(cursor, WORD)
        assert check_matches([*cursor, *others], WORD, by_paper=True) >= 3
        # The article opened at the match: the matches reversed there too; the results beside it keep theirs.
        await pilot.press("enter")
        await settle(pilot)
        assert check_matches(widget_rows(app, "#article"), WORD, by_paper=True) >= 1
        cursor, others = results_cursor(app)
        assert looks([cell for row in cursor for cell in row[1:]]) != focused
        assert check_matches([*cursor, *others], WORD, by_paper=True) >= 3
        # A notification, the help, the problems and the palette: no colour either.
        await pilot.press("y")
        await settle(pilot)
        assert any("Copied" in text_of(row) for row in uncoloured(app))
        for keys in (["question_mark"], ["p"], ["ctrl+p", *"theme", "down"]):
            await pilot.press(*keys)
            await settle(pilot)
            assert app.screen is not app.screen_stack[1]
            cells = uncoloured(app)
            if keys[0] == "ctrl+p":  # the highlighted command looks unlike the others
                commands = [row for row in cells if "Theme: " in text_of(row)]
                assert len(commands) == len(app.reader_themes)
                assert len({frozenset(looks(row)) for row in commands}) == 2
            await pilot.press("escape")
            await settle(pilot)

"""The theme files: they load, they are legible (also in 16 colours), they cycle, they ship."""

from __future__ import annotations

import asyncio
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.app import App, ComposeResult
from textual.theme import Theme
from textual.widgets import Footer, Input, OptionList, Static

from reader.ui.themes import DEFAULT_THEME, THEME_ORDER, load_themes, next_theme, parse_theme, theme_names

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {"reader-dark": True, "reader-light": False, "reader-high-contrast": True}

# The 16 ANSI colours, by slot, as xterm defines them and as VGA did (Rich's
# STANDARD palette). A colour "is" slot n if it is either definition of n.
XTERM = ["#000000", "#800000", "#008000", "#808000", "#000080", "#800080", "#008080", "#C0C0C0",
         "#808080", "#FF0000", "#00FF00", "#FFFF00", "#0000FF", "#FF00FF", "#00FFFF", "#FFFFFF"]
# What xterm itself shows for each slot unless configured otherwise.
XTERM_DEFAULTS = ["#000000", "#CD0000", "#00CD00", "#CDCD00", "#0000EE", "#CD00CD", "#00CDCD", "#E5E5E5",
                  "#7F7F7F", "#FF0000", "#00FF00", "#FFFF00", "#5C5CFF", "#FF00FF", "#00FFFF", "#FFFFFF"]
VGA = ["#000000", "#AA0000", "#00AA00", "#AA5500", "#0000AA", "#AA00AA", "#00AAAA", "#AAAAAA",
       "#555555", "#FF5555", "#55FF55", "#FFFF55", "#5555FF", "#FF55FF", "#55FFFF", "#FFFFFF"]


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    text = hex_colour.lstrip("#")
    r, g, b = (int(text[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ansi_slot(hex_colour: str) -> int:
    """The ANSI colour Rich sends for ``hex_colour`` on a 16-colour terminal."""
    number = RichColor.parse(hex_colour).downgrade(ColorSystem.STANDARD).number
    assert number is not None
    return number


@pytest.fixture(scope="module")
def themes() -> dict[str, Theme]:
    loaded, problems = load_themes()
    assert problems == []
    return {theme.name: theme for theme in loaded}


def colour(theme: Theme, name: str) -> str:
    """A theme colour or variable as the app will see it (the variable wins)."""
    value = theme.variables.get(name) or getattr(theme, name.replace("-", "_"), None)
    assert isinstance(value, str) and value.startswith("#") and len(value) == 7, (theme.name, name, value)
    return value


def text_pairs(theme: Theme) -> dict[str, tuple[str, str]]:
    """Every (foreground, background) pair reader shows text in."""
    footer = theme.variables.get("footer-background", theme.panel)
    assert footer is not None
    return {
        "body": (colour(theme, "foreground"), colour(theme, "background")),
        "muted": (colour(theme, "text-muted"), colour(theme, "background")),
        "cursor": (colour(theme, "block-cursor-foreground"), colour(theme, "block-cursor-background")),
        "cursor unfocused": (
            colour(theme, "block-cursor-blurred-foreground"), colour(theme, "block-cursor-blurred-background"),
        ),
        "selection": (colour(theme, "screen-selection-foreground"), colour(theme, "screen-selection-background")),
        "footer": (colour(theme, "footer-description-foreground"), footer),
        "footer keys": (colour(theme, "footer-key-foreground"), footer),
        "title and bullets": (colour(theme, "accent"), colour(theme, "surface")),
        "match": (colour(theme, "match-foreground"), colour(theme, "match-background")),
    }


def test_every_theme_file_loads():
    files = sorted(entry.name for entry in resources.files("reader.themes").iterdir() if entry.name.endswith(".toml"))
    loaded, problems = load_themes()
    assert problems == []
    assert len(files) >= 3
    assert len(loaded) == len(files)
    assert all(isinstance(theme, Theme) for theme in loaded)
    for theme in loaded:  # Textual can build every variable from it
        variables = theme.to_color_system().generate()
        assert variables["background"] and variables["foreground"]


def test_required_themes_exist_with_the_right_dark_flag(themes):
    assert DEFAULT_THEME == "reader-dark"
    for name, dark in REQUIRED.items():
        assert name in themes
        assert themes[name].dark is dark


def test_cycle_order_is_default_light_high_contrast_then_by_name(themes):
    loaded, _ = load_themes()
    names = [theme.name for theme in loaded]
    assert names[:3] == list(THEME_ORDER) == ["reader-dark", "reader-light", "reader-high-contrast"]
    assert names[3:] == sorted(names[3:])
    assert [theme.name for theme in load_themes()[0]] == names  # stable from one load to the next
    assert theme_names(reversed(loaded)) == names


@pytest.mark.parametrize("name", ["reader-dark", "reader-light", "reader-high-contrast", "reader-sepia"])
def test_text_contrast(themes, name):
    if name not in themes:
        pytest.skip(f"no {name}")
    theme = themes[name]
    minimum = 7.0 if name == "reader-high-contrast" else 4.5
    for what, (fg, bg) in text_pairs(theme).items():
        assert contrast(fg, bg) >= minimum, (name, what, fg, bg, round(contrast(fg, bg), 2))


def test_dark_is_not_pure_black_and_light_is_not_pure_white(themes):
    dark, light = themes["reader-dark"], themes["reader-light"]
    assert dark.background.upper() != "#000000" and dark.foreground.upper() != "#FFFFFF"
    assert light.background.upper() != "#FFFFFF"
    # Soft, not harsh: comfortably legible but well below the 21:1 of white on black.
    assert 7 <= contrast(dark.foreground, dark.background) <= 15


def test_high_contrast_uses_only_the_16_ansi_colours(themes):
    theme = themes["reader-high-contrast"]
    assert theme.background.upper() == "#000000" and theme.foreground.upper() == "#FFFFFF"
    fields = [theme.primary, theme.secondary, theme.accent, theme.warning, theme.error, theme.success,
              theme.foreground, theme.background, theme.surface, theme.panel]
    colours = [value for value in fields if value] + [
        value for value in theme.variables.values() if value.startswith("#")
    ]
    assert len(colours) > 20
    for value in colours:
        value = value.upper()
        slots = {slot for slot in range(16) if value in (XTERM[slot], VGA[slot])}
        assert slots, f"{value} is not one of the 16 ANSI colours"
        # ... and Rich sends it to that very slot, so 16 colours look as intended.
        assert ansi_slot(value) in slots, (value, ansi_slot(value))


@pytest.mark.parametrize("name", ["reader-dark", "reader-light", "reader-high-contrast", "reader-sepia"])
def test_legible_when_downgraded_to_16_colours(themes, name):
    if name not in themes:
        pytest.skip(f"no {name}")
    theme = themes[name]
    minimum = 7.0 if name == "reader-high-contrast" else 4.5
    for what, (fg, bg) in text_pairs(theme).items():
        fg16, bg16 = VGA[ansi_slot(fg)], VGA[ansi_slot(bg)]
        assert contrast(fg16, bg16) >= minimum, (name, what, fg, bg, fg16, bg16)
        # xterm's own palette is harsher (its grey is #7F7F7F, its yellow #CDCD00): legible at least.
        fg16, bg16 = XTERM_DEFAULTS[ansi_slot(fg)], XTERM_DEFAULTS[ansi_slot(bg)]
        assert contrast(fg16, bg16) >= 3, (name, what, fg, bg, fg16, bg16)
    # The cursor row must stand out from the rows around it.
    background = ansi_slot(colour(theme, "background"))
    assert ansi_slot(colour(theme, "block-cursor-background")) != background
    assert ansi_slot(colour(theme, "block-cursor-blurred-background")) != background


def test_next_theme_cycles_and_wraps():
    names = ["reader-dark", "reader-light", "reader-high-contrast"]
    assert next_theme("reader-dark", names) == "reader-light"
    assert next_theme("reader-light", names) == "reader-high-contrast"
    assert next_theme("reader-high-contrast", names) == "reader-dark"
    assert next_theme("textual-dark", names) == "reader-dark"  # not one of ours: start at the first
    assert next_theme("reader-dark", []) == "reader-dark"
    seen, current = [], "reader-dark"
    for _ in range(6):
        current = next_theme(current, names)
        seen.append(current)
    assert seen == names[1:] + names + names[:1]


GOOD = """
[theme]
name = "{name}"
primary = "#336699"
background = "#101010"
foreground = "#E0E0E0"
dark = true
[theme.variables]
"block-cursor-background" = "#336699"
"input-selection-background" = "#336699 40%"
"block-cursor-text-style" = "bold underline"
"""

MALFORMED = {
    "syntax.toml": '[theme\nname = "x"',
    "no-table.toml": 'name = "x"\nprimary = "#000000"\n',
    "no-primary.toml": '[theme]\nname = "x"\n',
    "no-name.toml": '[theme]\nprimary = "#000000"\n',
    "bad-name.toml": '[theme]\nname = "has space"\nprimary = "#000000"\n',
    "typo.toml": '[theme]\nname = "x"\nprimary = "#000000"\nbackgroud = "#111111"\n',
    "bad-colour.toml": '[theme]\nname = "x"\nprimary = "#00000"\n',
    "colour-type.toml": '[theme]\nname = "x"\nprimary = 12\n',
    "dark-type.toml": '[theme]\nname = "x"\nprimary = "#000000"\ndark = "yes"\n',
    "spread.toml": '[theme]\nname = "x"\nprimary = "#000000"\nluminosity_spread = 7\n',
    "variables-type.toml": '[theme]\nname = "x"\nprimary = "#000000"\nvariables = "red"\n',
    "bad-variable.toml": '[theme]\nname = "x"\nprimary = "#000000"\n[theme.variables]\n"border" = "not a colour"\n',
    "bad-style.toml": '[theme]\nname = "x"\nprimary = "#000000"\n[theme.variables]\n"link-style" = "sparkly"\n',
    "bad-variable-name.toml": '[theme]\nname = "x"\nprimary = "#000000"\n[theme.variables]\n"Border;" = "#000000"\n',
}


@pytest.mark.parametrize("filename", sorted(MALFORMED))
def test_a_malformed_theme_is_skipped_and_reported(tmp_path, filename):
    (tmp_path / "good.toml").write_text(GOOD.format(name="good"), encoding="utf-8")
    (tmp_path / filename).write_text(MALFORMED[filename], encoding="utf-8")
    loaded, problems = load_themes(tmp_path)
    assert [theme.name for theme in loaded] == ["good"]
    assert len(problems) == 1 and problems[0].startswith(f"{filename}: ")


def test_unreadable_duplicate_and_foreign_files_are_skipped(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD.format(name="same"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD.format(name="same"), encoding="utf-8")
    (tmp_path / "latin1.toml").write_bytes(GOOD.format(name="latin").encode("utf-8") + b"# caf\xe9\n")
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "notes.txt").write_text("not a theme", encoding="utf-8")
    loaded, problems = load_themes(tmp_path)
    assert [theme.name for theme in loaded] == ["same"]
    assert sorted(problem.split(":")[0] for problem in problems) == ["b.toml", "latin1.toml"]
    theme = loaded[0]
    assert theme.variables["input-selection-background"] == "#336699 40%"


def test_a_missing_folder_gives_no_themes_and_a_problem(tmp_path):
    loaded, problems = load_themes(tmp_path / "nowhere")
    assert loaded == [] and len(problems) == 1


def test_parse_theme_keeps_every_field():
    theme = parse_theme(GOOD.format(name="good"))
    assert (theme.name, theme.primary, theme.background, theme.foreground, theme.dark) == (
        "good", "#336699", "#101010", "#E0E0E0", True,
    )
    assert theme.variables["block-cursor-text-style"] == "bold underline"


class _ThemeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("新闻 正文 text")
        yield OptionList("一", "二", "三")
        yield Input("选中")
        yield Footer()


def test_every_theme_applies_in_a_running_app(themes):
    """Textual accepts every variable: switching to each theme re-parses the CSS without error."""

    async def run() -> list[str]:
        app = _ThemeApp()
        applied = []
        async with app.run_test(size=(80, 24)) as pilot:
            for theme in themes.values():
                app.register_theme(theme)
            for name in themes:
                app.theme = name
                await pilot.pause()
                assert app.current_theme.name == name
                applied.append(app.get_css_variables()["block-cursor-background"])
        return applied

    applied = asyncio.run(run())
    assert [value.upper() for value in applied] == [
        theme.variables["block-cursor-background"].upper() for theme in themes.values()
    ]


def test_the_package_ships_every_folder_and_the_themes():
    """pyproject lists packages by hand (see the comment there): no folder may be left out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "reader").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert folders - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "reader.themes" in listed
    assert config["package-dir"]["reader.themes"] == "themes"
    assert "*.toml" in config["package-data"]["reader.themes"]
    shipped = {path.name for path in (ROOT / "themes").iterdir() if path.is_file()}
    assert {"__init__.py", "dark.toml", "light.toml", "high-contrast.toml"} <= shipped
    assert all(name == "__init__.py" or name.endswith(".toml") for name in shipped)


def test_each_theme_file_is_named_after_its_theme(themes):
    """dark.toml holds reader-dark …: the file names are the short names --theme and READER_THEME take."""
    for entry in resources.files("reader.themes").iterdir():
        if entry.name.endswith(".toml"):
            assert parse_theme(entry.read_text(encoding="utf-8")).name == "reader-" + entry.name.removesuffix(".toml")


def test_the_theme_option_help_names_every_theme(capsys, themes):
    from reader.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["some-folder", "--help"])
    assert done.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    shown = help_text.split("--theme NAME colour theme: ", 1)[1].split(" (", 1)[0]
    assert sorted(shown.replace(" or ", ", ").split(", ")) == sorted(name.removeprefix("reader-") for name in themes)

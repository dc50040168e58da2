"""reader's colour themes: TOML files in the ``reader.themes`` package, as Textual themes.

Each file holds one ``[theme]`` table whose keys are :class:`textual.theme.Theme`
fields (``name``, ``primary``, ``background``, ``dark`` …) and an optional
``[theme.variables]`` table of Textual CSS variables (``block-cursor-background``,
``footer-key-foreground`` …). Colours only, never layout.

In the source tree the files live in the top-level ``themes/`` folder; the
installed package carries them as ``reader.themes`` (see pyproject.toml), so
they are read with :mod:`importlib.resources` and work from a wheel as well.

A malformed file is skipped and reported in the problems that
:func:`load_themes` returns next to the themes; loading never raises.

Besides Textual's variables a theme sets reader's own (:data:`READER_VARIABLES`):
``match-background`` and ``match-foreground``, the colours of a search match.
Every colour a theme uses is chosen so that Rich's downgrade to the 16 ANSI
colours (TERM=xterm, TERM=linux) still tells the cursor, the unfocused cursor,
a match and the page apart; tests/test_colours.py checks it on the screen.

Under NO_COLOR no colour is sent at all (:class:`NoColour`): the terminal's own
foreground and background, with bold, italic, underline, dim and reverse; the
widgets' ``:nocolor`` rules say which.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.filter import LineFilter
from textual.theme import Theme

from ..store.settings import THEMES_PACKAGE
DEFAULT_THEME = "reader-dark"
# The cycle order of ``t``: the default first, then light, then high contrast;
# any other theme follows, by name.
THEME_ORDER: tuple[str, ...] = ("reader-dark", "reader-light", "reader-high-contrast")

# reader's own CSS variables, with the values used when a theme leaves one out
# (Textual's fallback theme, when every theme file is broken): dark ink on gold.
READER_VARIABLES: dict[str, str] = {"match-background": "#E6C15C", "match-foreground": "#1D1F23"}

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_VARIABLE = re.compile(r"[a-z][a-z0-9-]*\Z")
_PERCENT = re.compile(r"\d+(\.\d+)?%\Z")
_COLOUR_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent",
                  "foreground", "background", "surface", "panel", "boost")
_BOOL_FIELDS = ("dark", "ansi")
_FLOAT_FIELDS = ("luminosity_spread", "text_alpha")
_KNOWN_FIELDS = frozenset(field.name for field in dataclasses.fields(Theme))
_MAX_FILE_BYTES = 256 * 1024


class ThemeError(ValueError):
    """A theme file that cannot be turned into a Theme."""


def load_themes(source: Traversable | Path | None = None) -> tuple[list[Theme], list[str]]:
    """Every ``*.toml`` theme in ``source`` (default: the ``reader.themes`` package), and the problems.

    Returns ``(themes, problems)``: the themes in cycle order (see THEME_ORDER),
    and one line ``"file.toml: reason"`` for each file that was skipped because
    it could not be read, is malformed, or names a theme another file already
    defined. Never raises; with no usable file at all the list is empty.
    """
    problems: list[str] = []
    if source is None:
        try:
            source = resources.files(THEMES_PACKAGE)
        except (ImportError, TypeError, OSError) as error:  # package missing from a broken install
            return [], [f"{THEMES_PACKAGE}: {error}"]
    try:
        entries = sorted((entry for entry in source.iterdir() if entry.name.endswith(".toml")), key=lambda entry: entry.name)
    except OSError as error:
        return [], [f"{source}: {error.strerror or error}"]

    themes: dict[str, Theme] = {}
    for entry in entries:
        try:
            if not entry.is_file():
                continue
            data = entry.read_bytes()
            if len(data) > _MAX_FILE_BYTES:
                raise ThemeError("file too large for a theme")
            theme = parse_theme(data.decode("utf-8"))
        except OSError as error:
            problems.append(f"{entry.name}: {error.strerror or error}")
            continue
        except UnicodeDecodeError:
            problems.append(f"{entry.name}: not UTF-8")
            continue
        except (tomllib.TOMLDecodeError, ThemeError) as error:
            problems.append(f"{entry.name}: {error}")
            continue
        except Exception as error:  # noqa: BLE001 - a bad theme must never stop start-up
            problems.append(f"{entry.name}: {type(error).__name__}: {error}")
            continue
        if theme.name in themes:
            problems.append(f"{entry.name}: theme {theme.name!r} is already defined by another file")
            continue
        themes[theme.name] = theme
    return sorted(themes.values(), key=lambda theme: theme_sort_key(theme.name)), problems


def parse_theme(text: str) -> Theme:
    """One theme file's text as a Theme; raises ThemeError (or TOMLDecodeError) if malformed."""
    document = tomllib.loads(text)
    table = document.get("theme")
    if not isinstance(table, dict):
        raise ThemeError("no [theme] table")
    unknown = sorted(set(table) - _KNOWN_FIELDS)
    if unknown:
        raise ThemeError(f"unknown key(s) in [theme]: {', '.join(unknown)}")

    name = table.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ThemeError("'name' must be letters, digits, '-' or '_'")
    if "primary" not in table:
        raise ThemeError("'primary' is required")
    fields: dict[str, object] = {"name": name}
    for key in _COLOUR_FIELDS:
        if key in table:
            fields[key] = _colour(key, table[key])
    for key in _BOOL_FIELDS:
        if key in table:
            if not isinstance(table[key], bool):
                raise ThemeError(f"{key!r} must be true or false")
            fields[key] = table[key]
    for key in _FLOAT_FIELDS:
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ThemeError(f"{key!r} must be a number from 0 to 1")
            fields[key] = float(value)
    variables = table.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError("[theme.variables] must be a table")
    fields["variables"] = {key: _variable(key, value) for key, value in variables.items()}

    theme = Theme(**fields)  # type: ignore[arg-type]
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError, TypeError) as error:
        raise ThemeError(f"colours do not combine: {error}") from None
    return theme


def _colour(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeError(f"{key!r} must be a colour string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{key!r}: not a colour: {value!r}") from None
    return value


def _variable(key: str, value: object) -> str:
    """A CSS variable's value, checked enough that it cannot break the app's stylesheet."""
    if not _VARIABLE.match(key):
        raise ThemeError(f"variable {key!r}: names are lower-case letters, digits and '-'")
    if not isinstance(value, str) or not value.strip():
        raise ThemeError(f"variable {key!r} must be a non-empty string")
    if "style" in key.split("-"):  # block-cursor-text-style, link-style-hover …
        if not set(value.split()) <= VALID_STYLE_FLAGS:
            raise ThemeError(f"variable {key!r}: not a text style: {value!r}")
        return value
    colour, _, alpha = value.strip().rpartition(" ")
    if not colour or not _PERCENT.match(alpha):
        colour = value.strip()
    if colour not in ("auto", "initial", "transparent"):
        try:
            Color.parse(colour)
        except ColorParseError:
            raise ThemeError(f"variable {key!r}: not a colour: {value!r}") from None
    return value


def theme_sort_key(name: str) -> tuple[int, str]:
    """Sort key for the cycle order: THEME_ORDER first, then the rest by name."""
    try:
        return (THEME_ORDER.index(name), name)
    except ValueError:
        return (len(THEME_ORDER), name)


def theme_names(themes: Iterable[Theme]) -> list[str]:
    """The names of ``themes``, in cycle order."""
    return sorted((theme.name for theme in themes), key=theme_sort_key)


def next_theme(current: str, names: Sequence[str]) -> str:
    """The theme after ``current`` in ``names``, wrapping round; the first if ``current`` is not there."""
    if not names:
        return current
    try:
        index = list(names).index(current)
    except ValueError:
        return names[0]
    return names[(index + 1) % len(names)]


class NoColour(LineFilter):
    """NO_COLOR: every colour taken out of what is drawn; bold, italic, underline, dim and reverse stay.

    Textual's own NO_COLOR filter paints in greys (38;5;252 on 48;5;234 …),
    which override the terminal's colours; this one sends no colour code at all.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, None if style is None else _colourless(style), control) for text, style, control in segments]


@lru_cache(maxsize=4096)
def _colourless(style: Style) -> Style:
    # without_color drops the meta too, and Textual keeps mouse targets there.
    bare, meta = style.without_color, style.meta
    return bare + Style.from_meta(meta) if meta else bare

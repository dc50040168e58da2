"""reader's own files: where they live, how they are written; the theme choice, the sidebar's width, NO_COLOR.

reader keeps its preferences in ``settings.json`` in the user's config folder
(``$XDG_CONFIG_HOME/reader``, by default ``~/.config/reader``) and anything it
remembers between runs in ``$XDG_STATE_HOME/reader`` (``~/.local/state/reader``).
It writes nowhere else.

Every write is atomic (:func:`atomic_write`): the new content goes to a
temporary file in the same folder, is flushed to disk, and replaces the old
file in one rename, so a crash or a full disk leaves either the old file or the
new one, never half of one. A file that cannot be parsed is set aside as
``settings.json.corrupt-YYYYMMDDTHHMMSS`` and the defaults are used. Nothing
here raises on a missing, unreadable or unwritable file: a preference that
cannot be loaded or saved must never stop the app.

Pure: no Textual here (a test checks it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from contextlib import suppress
from importlib import resources
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

from .atomic import atomic_write, set_aside
from .paths import config_dir, state_dir

APP_NAME = "reader"
SETTINGS_FILE = "settings.json"
THEME_PREFIX = "reader-"
THEMES_PACKAGE = "reader.themes"  # the top-level themes/ folder, shipped as a package
_MAX_SETTINGS_BYTES = 1024 * 1024


@dataclass
class Settings:
    """The user's remembered preferences; ``None`` means "not chosen"."""

    theme: str | None = None
    sidebar_width: int | None = None  # columns, border included, as set with < and >


def settings_path() -> Path:
    """Where the settings live: ``config_dir() / "settings.json"``."""
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults; never raises.

    Missing or unreadable file: defaults. A file that is not valid JSON, or holds
    values of the wrong type, is set aside (:func:`set_aside`) and the defaults
    are returned. Unknown keys (from a newer reader, or added by hand) are
    ignored here and kept by :func:`save_settings`.
    """
    try:
        path = settings_path() if path is None else path
        data = _read(path)
    except (OSError, RuntimeError, ValueError):
        return Settings()
    settings = _parse(data)
    if settings is None:
        set_aside(path)
        return Settings()
    return settings


def _read(path: Path) -> bytes:
    with open(path, "rb") as file:
        return file.read(_MAX_SETTINGS_BYTES + 1)


def _json_object(data: bytes) -> dict | None:
    """The JSON object in ``data``, or None if it is too big, not JSON, or not an object."""
    if len(data) > _MAX_SETTINGS_BYTES:
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return raw if isinstance(raw, dict) else None


def _parse(data: bytes) -> Settings | None:
    raw = _json_object(data)
    if raw is None:
        return None
    theme = raw.get("theme")
    if theme is not None and not isinstance(theme, str):
        return None
    width = raw.get("sidebar_width")
    if width is not None and (type(width) is not int or not 0 < width < 10_000):
        return None
    return Settings(theme=theme, sidebar_width=width)


def save_settings(settings: Settings, path: Path | None = None) -> bool:
    """Write ``settings`` atomically, creating the folder if needed; False if it could not be saved.

    Every key of the file on disk that ``Settings`` does not know (from a newer
    reader, or a keymap added by hand) is written back in its place with its
    value unchanged; the known keys take the values in ``settings``. A file on
    disk that is not a JSON object is simply replaced. Never raises: a full
    disk, a read-only home or no home at all only means the preference is not
    remembered.
    """
    return update_settings(asdict(settings), path)


def update_settings(changes: Mapping[str, object], path: Path | None = None) -> bool:
    """Write only the keys in ``changes`` (names of ``Settings`` fields), keeping every other key on disk.

    What two parts of the app remember (the theme, the sidebar's width) is
    saved by each without knowing of the other: each writes its own key and
    leaves the rest of the file as it is. False if it could not be saved;
    a file problem never raises (a name that is not a setting is a bug, and does).
    """
    unknown = set(changes) - {field.name for field in fields(Settings)}
    if unknown:
        raise ValueError(f"not a setting: {', '.join(sorted(unknown))}")
    try:
        path = settings_path() if path is None else path
        try:
            kept = _json_object(_read(path)) or {}
        except OSError:
            kept = {}
        # None is "not chosen": written over a key the file has, left out otherwise.
        chosen = {name: value for name, value in changes.items() if value is not None or name in kept}
        data = (json.dumps({**kept, **chosen}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except (RuntimeError, TypeError, ValueError, RecursionError):
        return False
    return atomic_write(path, data)


def shipped_theme_names() -> list[str]:
    """The short names of the themes that ship with reader (``dark``, ``light`` …), sorted.

    Each theme file is named after its theme (``dark.toml`` holds
    ``reader-dark``; tests/test_themes.py checks it), so the names come from
    the file names and nothing has to be parsed: ``reader --help`` stays
    cheap. Empty if the package cannot be listed (a broken install).
    """
    try:
        entries = resources.files(THEMES_PACKAGE).iterdir()
        return sorted(entry.name.removesuffix(".toml") for entry in entries if entry.name.endswith(".toml"))
    except (ImportError, TypeError, OSError):
        return []


def wants_no_color(environ: Mapping[str, str] | None = None) -> bool:
    """True if the user asked for no colour: ``NO_COLOR`` is set and not empty (no-color.org).

    No colour means none at all, not grey: the terminal's own foreground and
    background, with bold, italic, underline, dim and reverse only.
    """
    return bool((os.environ if environ is None else environ).get("NO_COLOR"))


def resolve_theme_name(requested: str, available: list[str]) -> str | None:
    """The available theme ``requested`` names, or None.

    Case does not matter, ``_`` and spaces count as ``-``, and the ``reader-``
    prefix may be left out: ``dark``, ``Light`` and ``high contrast`` name
    ``reader-dark``, ``reader-light`` and ``reader-high-contrast``.
    """
    wanted = "-".join(requested.replace("_", " ").split()).casefold()
    if not wanted:
        return None
    by_key = {name.casefold(): name for name in available}
    return by_key.get(wanted) or by_key.get(THEME_PREFIX + wanted)


def choose_theme(
    cli: str | None, env: str | None, saved: str | None, available: list[str], default: str
) -> tuple[str, str | None]:
    """The theme to start with, and a warning for the user if a requested name is unknown.

    Precedence: ``--theme``, then ``READER_THEME``, then the saved choice, then
    ``default``. An unknown or empty name is passed over for the next one; an
    unknown ``--theme`` or ``READER_THEME`` gives a warning, an unknown saved
    name (a theme file since removed) silently falls back. If ``default`` is
    not available either, the first available theme is used; with nothing
    available at all, ``default`` is returned as it is.
    """
    unknown: list[str] = []
    chosen: str | None = None
    for label, requested in (("--theme", cli), ("READER_THEME", env), (None, saved)):
        if requested is None or not requested.strip():
            continue
        chosen = resolve_theme_name(requested, available)
        if chosen is not None:
            break
        if label is not None:
            unknown.append(f"Unknown theme {requested.strip()!r} (from {label}).")
    if chosen is None:
        chosen = resolve_theme_name(default, available) or (available[0] if available else default)
    if not unknown:
        return chosen, None
    names = ", ".join(name.removeprefix(THEME_PREFIX) for name in available)
    return chosen, " ".join(unknown) + f" Using {chosen}; themes: {names}."

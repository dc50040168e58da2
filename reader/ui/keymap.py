"""Key remapping: the ``[keys]`` table of ``config.toml``, checked before the app uses it.

The file lives in the config folder (``$XDG_CONFIG_HOME/reader/config.toml``)
and is the user's: reader reads it and never writes it (what reader itself
remembers goes to ``settings.json``). Each entry names a binding by its id and
gives its keys, as a comma-separated string or a list::

    [keys]
    "article.down" = "j,down,ctrl+n"
    "app.quit" = ["q", "ctrl+q"]
    sidebar.wider = ">"          # a bare dotted key is the same id

The keys replace the binding's own. A key is a character (``j``, ``G``,
``<``, ``?``) or a name (``down``, ``pagedown``, ``escape``, ``f5``,
``space``, ``comma``), with ``ctrl+``, ``shift+``, ``alt+`` in front if
wanted (a comma with a modifier needs the list form: ``["ctrl+,"]``). Anything
wrong (the file is not TOML, an id no binding has, a key that is no key) is one
line of warning and the entry is left out: that binding keeps its own keys,
and the app starts all the same.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path

from textual.app import App
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from ..store.paths import config_dir

CONFIG_FILE = "config.toml"
_MAX_BYTES = 1024 * 1024
_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Key names Textual gives keys that are no character's name ("pagedown", "f5", "slash").
_NAMES = frozenset({key.value.rsplit("+", 1)[-1] for key in Keys if not key.value.startswith("<")} | set(KEY_NAME_REPLACEMENTS.values()))


def config_path() -> Path:
    """``config_dir() / "config.toml"``."""
    return config_dir() / CONFIG_FILE


def apply_keymap_file(app: App) -> list[str]:
    """Remap the app's keys from the config file; each problem is notified, and returned."""
    from .keys import binding_ids

    keymap, warnings = load_keymap(binding_ids(type(app)))
    app.set_keymap(keymap)
    for warning in warnings:
        app.notify(warning, severity="warning", markup=False, timeout=15)
    return warnings


def load_keymap(known: Collection[str], path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The keymap of the config file (binding id → keys, comma-separated) and one warning line per problem.

    No file: no keymap, no warning. Never raises.
    """
    try:
        path = config_path() if path is None else path
        with open(path, "rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return {}, []
    except (OSError, RuntimeError) as error:
        return {}, [f"{CONFIG_FILE}: cannot be read ({getattr(error, 'strerror', None) or error}); keys not remapped"]
    if len(data) > _MAX_BYTES:
        return {}, [f"{CONFIG_FILE}: over 1 MB; keys not remapped"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}, [f"{CONFIG_FILE}: not UTF-8; keys not remapped"]
    return parse_keymap(text, known)


def parse_keymap(text: str, known: Collection[str]) -> tuple[dict[str, str], list[str]]:
    """The ``[keys]`` table of a config file's text, checked against the ``known`` binding ids."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return {}, [f"{CONFIG_FILE}: not valid TOML ({error}); keys not remapped"]
    table = document.get("keys")
    if table is None:
        return {}, []
    if not isinstance(table, dict):
        return {}, [f"{CONFIG_FILE}: keys must be a table ([keys]); keys not remapped"]
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, value in _flatten(table).items():
        problem = _unknown_id(binding_id, known)
        if problem is None:
            keys, problem = _keys(value)
            if problem is None:
                keymap[binding_id] = ",".join(keys)
                continue
        warnings.append(f"{CONFIG_FILE}: [keys] {binding_id}: {problem}; ignored")
    return keymap, warnings


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """``{"article": {"down": "j"}}`` (from ``article.down = "j"``) → ``{"article.down": "j"}``."""
    flat: dict[str, object] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _unknown_id(binding_id: str, known: Collection[str]) -> str | None:
    if binding_id in known:
        return None
    near = difflib.get_close_matches(binding_id, list(known), n=1)
    return "no binding has this id" + (f" (did you mean {near[0]}?)" if near else "")


def _keys(value: object) -> tuple[list[str], str | None]:
    """The keys of one entry in Textual's spelling, or the problem with them."""
    if isinstance(value, str):
        # "," alone is the comma key; otherwise commas separate keys.
        parts = [value] if value.strip() == "," else value.split(",")
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        parts = list(value)
    else:
        return [], 'keys must be a string such as "j,down" or a list of strings'
    keys = [part.strip() for part in parts]
    if not keys or not all(keys):
        return [], "an empty key"
    for key in keys:
        if not is_key(key):
            return [], f"{key!r} is not a key"
    return [_spelled(key) for key in keys], None


def _split(key: str) -> tuple[list[str], str]:
    """``"ctrl+shift+x"`` → (["ctrl", "shift"], "x"); a ``+`` key stays one: ``"ctrl++"``."""
    if len(key) > 1 and key.endswith("++"):
        return key[:-2].split("+"), "+"
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    return modifiers, base


def is_key(key: str) -> bool:
    """Whether Textual can bind ``key``: a character, or a key name, after modifiers such as ``ctrl+``."""
    modifiers, base = _split(key)
    if any(modifier not in _MODIFIERS for modifier in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _NAMES or key_to_character(base) is not None  # "question_mark", "less_than_sign"


def _spelled(key: str) -> str:
    """The comma key by its name (Textual's key lists are comma-separated); the rest as written."""
    modifiers, base = _split(key)
    return "+".join([*modifiers, "comma"]) if base == "," else key

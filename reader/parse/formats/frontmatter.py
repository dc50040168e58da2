"""Front matter: the metadata block between ``---`` lines at the top of a file.

Archives write it as flat ``key: value`` lines and short lists, and building a
full YAML document for that costs more than the rest of parsing an article. So
a small reader handles exactly that flat subset, and anything it is not sure of
goes to python-frontmatter's YAML handler (PyYAML's safe loader: tags such as
``!!python/object/apply`` are refused, never run). TOML front matter between
``+++`` lines is read with tomllib.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..fields import scalar_text

_OPENING = re.compile(r"\A\ufeff?(?:[ \t]*\r?\n)*(---|\+\+\+)[ \t]*\r?\n")
# The value (group 2) still has its trailing spaces: stripping them in the
# pattern (a lazy ".*?" before "[ \t]*$") made a run of spaces inside a
# value quadratic.
_KEY_LINE = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t](.*)|\r)?\Z")
_ITEM_LINE = re.compile(r"[ \t]*-(?:[ \t](.*)|\r)?\Z")
_TRAILING = " \t\r"
_PLAIN_OK = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#]*|-[^\s#][^#]*")
_YAML_HANDLER = YAMLHandler()
MAX_FRONT_MATTER = 64 * 1024


@dataclass
class FrontMatter:
    fields: dict[str, object]
    body: str
    problems: list[str] = field(default_factory=list)


def split_front_matter(text: str) -> FrontMatter | None:
    """The metadata and the rest, or None when the text has no front matter."""
    opening = _OPENING.match(text)
    if opening is None:
        return None
    fence = opening.group(1)
    start = opening.end()
    closing = re.compile(rf"^{re.escape(fence)}[ \t]*\r?$", re.MULTILINE).search(text, start)
    if closing is None:
        return _unclosed(text, start)
    raw = text[start:closing.start()]
    body = text[closing.end():]
    if len(raw) > MAX_FRONT_MATTER:
        return FrontMatter({}, body, [f"front matter larger than {MAX_FRONT_MATTER // 1024} KB, ignored"])
    if fence == "+++":
        return _toml(raw, body)
    fields = _flat_yaml(raw)
    if fields is not None:
        return FrontMatter(fields, body)
    return _full_yaml(raw, body)


def _unclosed(text: str, start: int) -> FrontMatter:
    # Keep what is clearly metadata (the key lines right after the fence) and
    # treat the rest as the body, so the article still shows. Only as much as
    # closed front matter may hold is looked at.
    problems = ["front matter is never closed"]
    end = start
    while end < len(text):
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end + 1
        if line_end - start > MAX_FRONT_MATTER:
            problems.append(f"front matter larger than {MAX_FRONT_MATTER // 1024} KB, ignored")
            return FrontMatter({}, text[end:], problems)
        line = text[end:line_end].removesuffix("\n")
        if not (_KEY_LINE.match(line) or _ITEM_LINE.match(line)):
            break
        end = line_end
    fields = _flat_yaml(text[start:end].removesuffix("\n")) or {}
    return FrontMatter(fields, text[end:], problems)


def _toml(raw: str, body: str) -> FrontMatter:
    try:
        return FrontMatter(tomllib.loads(raw), body)
    except (tomllib.TOMLDecodeError, ValueError) as error:
        return FrontMatter({}, body, [f"front matter is not valid TOML: {_first_line(error)}"])


def _full_yaml(raw: str, body: str) -> FrontMatter:
    try:
        loaded = _YAML_HANDLER.load(raw)
    except yaml.YAMLError as error:
        return FrontMatter({}, body, [f"front matter is not valid YAML: {_first_line(error)}"])
    except (ValueError, TypeError, RecursionError, OverflowError) as error:
        return FrontMatter({}, body, [f"front matter could not be read: {_first_line(error)}"])
    if loaded is None:
        return FrontMatter({}, body)
    if not isinstance(loaded, dict):
        return FrontMatter({}, body, [f"front matter is a {type(loaded).__name__}, not a set of fields"])
    # A key may be any YAML scalar, even an integer too long to write (then dropped).
    keys = ((scalar_text(key), value) for key, value in loaded.items())
    return FrontMatter({key: value for key, value in keys if key is not None}, body)


def _first_line(error: Exception) -> str:
    return str(error).strip().split("\n", 1)[0][:200]


def _flat_yaml(raw: str) -> dict[str, object] | None:
    """The flat subset archives use, or None to let real YAML decide.

    Values come back as strings (or lists of strings), never as YAML would type
    them; the loader interprets each field it knows, so that is enough.
    """
    fields: dict[str, object] = {}
    bare: set[str] = set()  # `key:` with nothing after it, which YAML reads as null
    list_key: str | None = None
    for line in raw.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE.match(line)
        if item is not None and list_key is not None:
            value = _scalar((item.group(1) or "").strip(_TRAILING))
            if value is None:
                return None
            target = fields[list_key]
            assert isinstance(target, list)
            target.append(value)
            bare.discard(list_key)
            continue
        key_line = _KEY_LINE.match(line)
        if key_line is None or line[0] in " \t":
            return None  # nested mappings, block scalars, continuation lines
        key, text = key_line.group(1), (key_line.group(2) or "").strip(_TRAILING)
        if key in fields:
            return None  # YAML decides what a repeated key means
        if not text:
            fields[key] = []  # a list follows, or the value is empty
            list_key = key
            bare.add(key)
            continue
        list_key = None
        if text.startswith("["):
            values = _flow_list(text)
            if values is None:
                return None
            fields[key] = values
            continue
        value = _scalar(text)
        if value is None:
            return None
        fields[key] = value
    return {key: (None if key in bare else value) for key, value in fields.items()}


_NULLS = frozenset({"~", "null", "Null", "NULL"})


def _scalar(text: str) -> str | None:
    if not text:
        return ""
    if text[0] == "'":
        if len(text) >= 2 and text.endswith("'") and "'" not in text[1:-1].replace("''", ""):
            return text[1:-1].replace("''", "'")
        return None
    if text[0] == '"':
        if len(text) >= 2 and text.endswith('"') and '"' not in text[1:-1] and "\\" not in text:
            return text[1:-1]
        return None
    if " #" in text:
        text = text.split(" #", 1)[0].rstrip()
    if not _PLAIN_OK.fullmatch(text) or ": " in text or text.endswith(":"):
        return None  # let YAML say what this means
    if text in _NULLS:
        return None
    return text


def _flow_list(text: str) -> list[str] | None:
    if not text.endswith("]") or text.count("[") != 1 or "]" in text[:-1]:
        return None
    inner = text[1:-1].strip()
    if not inner:
        return []
    if "#" in inner or "'" in inner or '"' in inner:
        return None  # comments and quoted commas: YAML's call
    values = []
    for part in inner.split(","):
        value = _scalar(part.strip())
        if value is None or not value:
            return None
        values.append(value)
    return values

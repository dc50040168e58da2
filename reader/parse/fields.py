"""Front-matter values as the loader needs them: text, lists of text, dates.

YAML gives whatever the author typed: a title that is a number or a list, an
author that is a mapping, a date YAML already parsed. Each reader below takes
any of those, bounds its size (an alias bomb is a few hundred bytes that nest
into billions of nodes, so nothing here walks more than a few levels or
items), and says what it could not use. Text is HTML-unescaped once: archives
copy titles and names as the page's HTML wrote them (``&quot;``).
"""

from __future__ import annotations

from datetime import date, datetime

from .clean import clean_field, unescape_entities
from .dates import parse_date

_MAX_ITEMS = 50


def lower_keys(fields: dict[str, object]) -> dict[str, object]:
    return {text.strip().lower(): value for key, value in fields.items() if (text := scalar_text(key)) is not None}


def scalar_text(value: object) -> str | None:
    """``str(value)``, or None for an integer too long to write.

    Python writes at most 4,300 decimal digits, but YAML and TOML build larger
    integers from hexadecimal (``0xfff…``) or base-60 (``59:59:…``) text.
    """
    try:
        return str(value)
    except ValueError:
        return None


def first(fields: dict[str, object], *keys: str) -> tuple[str, object] | None:
    for key in keys:
        value = fields.get(key)
        if value not in (None, "", [], {}):
            return key, value
    return None


def as_text(value: object, problems: list[str], name: str) -> str:
    """One line of text from a scalar, a short list or a mapping with a name."""
    if isinstance(value, str):
        return clean_field(unescape_entities(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as typed: the fast reader keeps text
    if isinstance(value, (int, float, datetime, date)):
        return _number(value, problems, name)
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value"):
            inner = value.get(key)
            if isinstance(inner, str):
                return clean_field(unescape_entities(inner))
            if isinstance(inner, (int, float)):
                return _number(inner, problems, name)
        problems.append(f"{name} is a mapping without a name, ignored")
        return ""
    if isinstance(value, (list, tuple)):
        items = as_list(value)
        if name == "title":
            problems.append("title is a list, shown joined")
        return clean_field(" ".join(items) if name == "title" else ", ".join(items))
    problems.append(f"{name} has an unusable value ({type(value).__name__}), ignored")
    return ""


def _number(value: object, problems: list[str], name: str) -> str:
    text = scalar_text(value)
    if text is None:
        problems.append(f"{name} is a number too long to show, ignored")
        return ""
    return clean_field(text)


def as_list(value: object) -> list[str]:
    """Short scalar items; nested structures are skipped, never expanded."""
    if isinstance(value, str):
        return [item for item in (clean_field(unescape_entities(part)) for part in value.split(",")) if item]
    if not isinstance(value, (list, tuple)):
        text = None if isinstance(value, (dict, bool)) or value is None else scalar_text(value)
        return [clean_field(text)] if text else []
    items = []
    for item in value[:_MAX_ITEMS]:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = clean_field(unescape_entities(scalar_text(item) or ""), limit=200)
            if text:
                items.append(text)
    return items


def as_date(value: object, problems: list[str]) -> datetime | None:
    parsed = parse_date(value)
    if parsed is None:
        shown = value if isinstance(value, str) else value.isoformat() if isinstance(value, date) else type(value).__name__
        problems.append(f"date {clean_field(str(shown), limit=60)!r} not understood")
    return parsed

"""Dates as archives write them, turned into timezone-aware datetimes.

Naive times (no offset given) are taken as UTC: the archive does not say where
it was written, and UTC keeps sorting stable on every machine. Shown dates keep
the offset they were written with, so a user sees the time the source printed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from ..model import DateOrigin

_EPOCH_DIGITS = re.compile(r"-?\d{9,13}")
# 2022-01-10 16:06, 2022/1/10 16:06:38, 2022.01.10, 2022年1月10日 16时06分
_LOOSE_YMD = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:[T\s]+|(?<=日))(\d{1,2})\s*[:时時点點]\s*(\d{1,2})\s*分?(?:\s*:?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)
_RFC2822_HINT = re.compile(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}|\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")
_MIN_YEAR, _MAX_YEAR = 1970, 2200
_MAX_EPOCH = 10**14  # milliseconds reach the year 5138: past _MAX_YEAR, within a float


def parse_date(value: object) -> datetime | None:
    """Any date an archive may hold, or None when it is not a date (or not between 1970 and 2200)."""
    if isinstance(value, date):  # YAML and TOML build these themselves: range-check them too
        if not _MIN_YEAR <= value.year <= _MAX_YEAR:
            return None  # and 0001-01-01+14:00 would overflow when compared in UTC
        if isinstance(value, datetime):
            return _aware(value)
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if _EPOCH_DIGITS.fullmatch(text):
        return _from_epoch(int(text))
    parsed = _iso(text) or _loose(text) or _rfc2822(text)
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return parsed


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _from_epoch(number: float) -> datetime | None:
    # Bound first: a YAML or TOML number may be too big for a float
    # (10**312 / 1000 raises OverflowError), or NaN (every comparison False).
    if not -_MAX_EPOCH <= number <= _MAX_EPOCH:
        return None
    # 13 digits are milliseconds (1641833943000); 10 are seconds.
    seconds = number / 1000 if abs(number) >= 1e11 else number
    try:
        parsed = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return parsed if _MIN_YEAR <= parsed.year <= _MAX_YEAR else None


def _iso(text: str) -> datetime | None:
    if not text[:4].isdigit():
        return None
    try:
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def _loose(text: str) -> datetime | None:
    match = _LOOSE_YMD.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    whole_seconds, _, fraction = (second or "0").partition(".")
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(whole_seconds),
            int((fraction + "000000")[:6]), tzinfo=_zone(zone),
        )
    except ValueError:  # day 31 of February, or an offset of +24:00 or more
        return None


def _zone(text: str | None) -> timezone:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if minutes >= 60:
        raise ValueError("minutes of an offset run to 59")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _rfc2822(text: str) -> datetime | None:
    if not _RFC2822_HINT.search(text):
        return None
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def format_date(value: datetime | None, origin: DateOrigin | None = None) -> str:
    """``2022-01-11 10:55 GMT``; a date guessed from the file says so."""
    if value is None:
        return ""
    shown = value.strftime("%Y-%m-%d %H:%M")
    offset = value.utcoffset()
    if offset == timedelta(0):
        shown += " GMT"
    elif offset is not None:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        shown += f" {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    if origin is DateOrigin.FILE:
        shown += " (file date)"
    return shown


def iso_date(value: datetime | None) -> str | None:
    """ISO 8601 with its offset, for JSON output."""
    return value.isoformat() if value is not None else None

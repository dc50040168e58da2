"""Dates as archives write them, turned into timezone-aware datetimes, and shown in the user's zone.

Naive times (no offset given) are taken as UTC: the archive does not say where
it was written, and UTC keeps sorting stable on every machine. A parsed date
keeps the offset it was written with (``reader list --json`` prints it so);
shown, it is in the user's local time (``TZ`` honoured, as ``time.localtime``
reads it), with its offset written only when it is not the zone's offset now
(a summer date seen in winter): ``format_date``, ``local_time`` for one date,
``local_offsets`` for the arrays of a snapshot.
"""

from __future__ import annotations

import os
import re
import time
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


def local_time(value: datetime) -> datetime:
    """The same instant in the user's local time (``TZ``, as ``time.localtime`` reads it)."""
    try:
        return value.astimezone()
    except (OverflowError, OSError, ValueError):  # beyond what the C library converts: as written
        return value


def format_date(value: datetime | None, origin: DateOrigin | None = None, *, now: datetime | None = None) -> str:
    """``2022-01-11 18:55`` in local time; ``2022-07-11 12:55 -0400`` when the zone's offset then is not its offset ``now``.

    A date guessed from the file says so.
    """
    if value is None:
        return ""
    local = local_time(value)
    shown = local.strftime("%Y-%m-%d %H:%M")
    offset = local.utcoffset()
    if offset is not None and offset != local_time(now or datetime.now(timezone.utc)).utcoffset():
        shown += " " + offset_text(offset)
    if origin is DateOrigin.FILE:
        shown += " (file date)"
    return shown


def offset_text(offset: timedelta) -> str:
    """``GMT``, ``+0800``, ``-0530``."""
    if offset == timedelta(0):
        return "GMT"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def zone_key() -> tuple:
    """What names the local zone now: a cache of local times is good as long as this does not change."""
    return os.environ.get("TZ"), time.tzname, time.timezone, time.altzone, time.daylight


_WEEK = 7 * 86_400


def local_offsets(seconds):
    """The local zone's UTC offset (seconds, int64) at each of ``seconds`` (a numpy array of epoch seconds).

    A zone's offset changes a few times a year at most, so it is read
    (``time.localtime``) once a week over the span of the dates, and each
    change found is narrowed to its second by bisection; the offsets then
    come from one ``searchsorted``. 20 years of dates cost about 2,000 calls
    (2 ms), whatever the number of dates. An offset that changes and changes
    back within one week would be missed; no zone does that.
    """
    import numpy as np

    seconds = np.asarray(seconds, dtype=np.int64)
    if not len(seconds):
        return np.zeros(0, dtype=np.int64)
    low, high = int(seconds.min()), int(seconds.max())
    changes, offsets = _offset_changes(low, high)
    return np.asarray(offsets, dtype=np.int64)[np.searchsorted(np.asarray(changes, dtype=np.int64), seconds, side="right")]


def _offset_at(moment: int) -> int:
    try:
        return time.localtime(moment).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        return 0


def _offset_changes(low: int, high: int) -> tuple[list[int], list[int]]:
    """The seconds in (low, high] where the local offset changes, and the offsets: before the first, after each."""
    changes: list[int] = []
    offsets = [_offset_at(low)]
    previous = low
    for sample in [*range(low + _WEEK, high, _WEEK), high]:
        if sample <= previous:
            continue
        while _offset_at(sample) != offsets[-1]:
            before, after = previous, sample  # offset(before) is offsets[-1]; offset(after) is not
            while after - before > 1:
                middle = (before + after) // 2
                before, after = (middle, after) if _offset_at(middle) == offsets[-1] else (before, middle)
            changes.append(after)
            offsets.append(_offset_at(after))
            previous = after
        previous = sample
    return changes, offsets


def iso_date(value: datetime | None) -> str | None:
    """ISO 8601 with its offset, for JSON output."""
    return value.isoformat() if value is not None else None

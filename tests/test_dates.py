"""reader.parse.dates: every way archives write a date, as a timezone-aware datetime."""

from __future__ import annotations

import email.utils
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reader.parse.dates import format_date, local_offsets, local_time, parse_date
from reader.parse.load import parse_article
from reader.model import DateOrigin

from conftest import set_zone

UTC = timezone.utc
CST = timezone(timedelta(hours=8))


def tz(hours: int, minutes: int = 0) -> timezone:
    return timezone(timedelta(hours=hours, minutes=minutes))


# -- text that is a date ---------------------------------------------------------

PARSED = [
    # RFC 2822, as RSS feeds and the archive's front matter write it.
    pytest.param("Tue, 11 Jan 2022 10:55:39 GMT", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), id="rfc2822-gmt"),
    pytest.param("Mon, 10 Jan 2022 16:06:38 +0800", datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST), id="rfc2822-offset"),
    pytest.param("Mon, 10 Jan 2022 16:06:38 -0500", datetime(2022, 1, 10, 16, 6, 38, tzinfo=tz(-5)), id="rfc2822-negative"),
    # "-0000" means "UTC, zone unknown": email.utils gives a naive datetime for it.
    pytest.param("Mon, 10 Jan 2022 16:06:38 -0000", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="rfc2822-minus-zero"),
    pytest.param("10 Jan 2022 16:06:38 GMT", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="rfc2822-no-weekday"),
    pytest.param("  Tue, 11 Jan 2022 10:55:39 GMT \n", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), id="rfc2822-padded"),
    # ISO 8601.
    pytest.param("2022-01-10T16:06:38Z", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="iso-z"),
    pytest.param("2022-01-10T16:06:38.123Z", datetime(2022, 1, 10, 16, 6, 38, 123000, tzinfo=UTC), id="iso-millis-z"),
    pytest.param("2022-01-10T16:06:38+08:00", datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST), id="iso-offset"),
    pytest.param("2022-01-10T16:06:38+0800", datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST), id="iso-offset-no-colon"),
    pytest.param("2022-01-10T16:06:38.5-05:30", datetime(2022, 1, 10, 16, 6, 38, 500000, tzinfo=tz(-5, -30)), id="iso-fraction-negative-offset"),
    pytest.param("2022-01-10T16:06:38", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="iso-naive-is-utc"),
    pytest.param("2022-01-10T16:06:38.123456789Z", datetime(2022, 1, 10, 16, 6, 38, 123456, tzinfo=UTC), id="iso-nanoseconds-truncated"),
    pytest.param("2022-01-10", datetime(2022, 1, 10, tzinfo=UTC), id="iso-date-only"),
    # YYYY-MM-DD HH:MM[:SS] and its relatives.
    pytest.param("2022-01-10 16:06", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="ymd-hm"),
    pytest.param("2022-01-10 16:06:38", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="ymd-hms"),
    pytest.param("2022-01-10 16:06 GMT", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="ymd-hm-gmt"),
    pytest.param("2022-01-10 16:06 +08:00", datetime(2022, 1, 10, 16, 6, tzinfo=CST), id="ymd-hm-spaced-offset"),
    pytest.param("2022-01-10 16:06 -0530", datetime(2022, 1, 10, 16, 6, tzinfo=tz(-5, -30)), id="ymd-hm-negative-offset"),
    pytest.param("2022/1/10 16:06:38", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="slashes"),
    pytest.param("2022.01.10", datetime(2022, 1, 10, tzinfo=UTC), id="dots"),
    # Chinese.
    pytest.param("2022年1月10日 16:06", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="chinese-hm"),
    pytest.param("2022年1月10日", datetime(2022, 1, 10, tzinfo=UTC), id="chinese-date"),
    pytest.param("2022年1月10日 16:06:38", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="chinese-hms"),
    pytest.param("2022年1月10日 16时06分38秒", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="chinese-shi-fen-miao"),
    # dates.py's own comment lists "2022年1月10日 16时06分" as a supported form.
    pytest.param(
        "2022年01月10日 16时06分",
        datetime(2022, 1, 10, 16, 6, tzinfo=UTC),
        id="chinese-shi-fen",
    ),
    # Epochs as text (the RSS dump's comment holds milliseconds).
    pytest.param("1641833943000", datetime(2022, 1, 10, 16, 59, 3, tzinfo=UTC), id="epoch-ms-text"),
    pytest.param("1641833943", datetime(2022, 1, 10, 16, 59, 3, tzinfo=UTC), id="epoch-s-text"),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_date_text(text, expected):
    parsed = parse_date(text)
    assert parsed == expected
    # Equal instants are not enough: the offset the source wrote is kept.
    assert parsed.utcoffset() == expected.utcoffset()


# -- values that are already typed (YAML, TOML, JSON) ---------------------------------

TYPED = [
    pytest.param(date(2022, 1, 10), datetime(2022, 1, 10, tzinfo=UTC), id="date-is-midnight-utc"),
    pytest.param(datetime(2022, 1, 10, 16, 6, 38), datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="naive-datetime-is-utc"),
    pytest.param(datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST), datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST), id="aware-datetime-kept"),
    pytest.param(1641833943, datetime(2022, 1, 10, 16, 59, 3, tzinfo=UTC), id="epoch-seconds-int"),
    pytest.param(1641833943000, datetime(2022, 1, 10, 16, 59, 3, tzinfo=UTC), id="epoch-millis-int"),
    pytest.param(1641833943.5, datetime(2022, 1, 10, 16, 59, 3, 500000, tzinfo=UTC), id="epoch-seconds-float"),
]


@pytest.mark.parametrize(("value", "expected"), TYPED)
def test_parse_date_typed_values(value, expected):
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


# What PyYAML's safe loader hands the loader for each way a front matter date is written.
YAML_DATES = [
    pytest.param("date: 2022-01-10", datetime(2022, 1, 10, tzinfo=UTC), date, id="yaml-date"),
    pytest.param("date: 2022-01-10 16:06:38", datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), datetime, id="yaml-naive-timestamp"),
    pytest.param("date: 2022-01-10T16:06:38.123Z", datetime(2022, 1, 10, 16, 6, 38, 123000, tzinfo=UTC), datetime, id="yaml-millis-z"),
    pytest.param("date: 2022-01-10T16:06:38+08:00", datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST), datetime, id="yaml-offset"),
    pytest.param("date: 1641833943000", datetime(2022, 1, 10, 16, 59, 3, tzinfo=UTC), int, id="yaml-epoch-int"),
    pytest.param("date: Tue, 11 Jan 2022 10:55:39 GMT", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), str, id="yaml-rfc2822-string"),
]


@pytest.mark.parametrize(("snippet", "expected", "yaml_type"), YAML_DATES)
def test_parse_date_of_yaml_values(snippet, expected, yaml_type):
    value = yaml.safe_load(snippet)["date"]
    assert type(value) is yaml_type  # the premise: this is what the YAML loader gives
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


# -- not dates ----------------------------------------------------------------------

NOT_DATES = [
    pytest.param("", id="empty"),
    pytest.param("   ", id="blank"),
    pytest.param("not a date", id="words"),
    pytest.param("yesterday", id="relative"),
    pytest.param("2022-13-01", id="month-13"),
    pytest.param("2022-02-30", id="february-30"),
    pytest.param("2022-01-10 25:00", id="hour-25"),
    pytest.param("Mon, 32 Jan 2022 10:00:00 GMT", id="rfc2822-day-32"),
    pytest.param("Tue, 11 Jan 2022 10:55:39 +9999", id="rfc2822-impossible-offset"),
    pytest.param("12345", id="short-number"),
    pytest.param("1969-12-31", id="before-1970"),
    pytest.param("2201-01-01", id="after-2200"),
    pytest.param("2022-01-10 " + "x" * 80, id="too-long"),
    pytest.param(None, id="none"),
    pytest.param(True, id="bool-true"),  # bool is an int subclass: not epoch 1
    pytest.param(False, id="bool-false"),
    pytest.param(["2022-01-10"], id="list"),
    pytest.param({"date": "2022-01-10"}, id="mapping"),
    pytest.param(10**20, id="huge-epoch"),
    pytest.param(10**312, id="epoch-past-a-float"),  # number / 1000 raised OverflowError
    pytest.param(-(10**312), id="negative-epoch-past-a-float"),
    pytest.param(1.0e308, id="huge-float-epoch"),
    pytest.param(float("nan"), id="nan"),
    pytest.param(float("inf"), id="infinity"),
    pytest.param(-100_000_000, id="negative-epoch-before-1970"),
    pytest.param("-100000000", id="negative-epoch-text"),
    # Out-of-range UTC offsets: datetime.timezone refuses |offset| >= 24 h.
    pytest.param(
        "2022-01-10 16:06 +2400",
        id="offset-24h",
    ),
    pytest.param(
        "2022-01-10T16:06+99:99",
        id="offset-99h",
    ),
]


@pytest.mark.parametrize("value", NOT_DATES)
def test_not_a_date_is_none(value):
    assert parse_date(value) is None


@given(st.text(max_size=80))
def test_parse_date_never_raises_and_is_aware(text):
    parsed = parse_date(text)
    assert parsed is None or parsed.utcoffset() is not None


_OFFSETS = st.builds(lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-14 * 60, 14 * 60))
_AWARE = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2199, 12, 31), timezones=_OFFSETS)


@given(_AWARE)
def test_iso_round_trip(value):
    parsed = parse_date(value.isoformat())
    assert parsed == value
    assert parsed.utcoffset() == value.utcoffset()


@given(_AWARE.map(lambda value: value.replace(microsecond=0)))
def test_rfc2822_round_trip(value):
    parsed = parse_date(email.utils.format_datetime(value))
    assert parsed == value
    assert parsed.utcoffset() == value.utcoffset()


@given(st.integers(min_value=0, max_value=7_000_000_000))
def test_epoch_seconds_and_millis_agree(seconds):
    # 10-digit seconds and 13-digit milliseconds name the same instant.
    if seconds < 100_000_000:  # fewer than 9 digits is not an epoch as text
        return
    assert parse_date(str(seconds)) == parse_date(str(seconds * 1000)) == datetime.fromtimestamp(seconds, tz=UTC)


# -- format_date: the user's local time ------------------------------------------------

WINTER, SUMMER = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 7, 15, tzinfo=UTC)  # "now", for zones with summer time
FORMATTED = [
    pytest.param("UTC", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), None, WINTER, "2022-01-11 10:55", id="utc-in-utc"),
    pytest.param("UTC", datetime(2022, 1, 10, 16, 6, tzinfo=CST), None, WINTER, "2022-01-10 08:06", id="east-in-utc"),
    pytest.param("Asia/Shanghai", datetime(2022, 1, 11, 10, 55, tzinfo=UTC), None, WINTER, "2022-01-11 18:55", id="utc-in-shanghai"),
    pytest.param("Asia/Shanghai", datetime(2022, 1, 10, 16, 6, tzinfo=CST), None, WINTER, "2022-01-10 16:06", id="shanghai-in-shanghai"),
    pytest.param("Asia/Shanghai", datetime(2022, 1, 10, 16, 6, tzinfo=tz(-5, -30)), None, WINTER, "2022-01-11 05:36", id="half-hour-west"),
    # Shanghai kept summer time from 1986 to 1991: that date's offset is not today's, so it is written.
    pytest.param("Asia/Shanghai", datetime(1988, 7, 1, 4, 0, tzinfo=UTC), None, WINTER, "1988-07-01 13:00 +0900", id="shanghai-1988-summer"),
    pytest.param("America/New_York", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), None, WINTER, "2022-01-10 11:06", id="new-york-winter-in-winter"),
    pytest.param("America/New_York", datetime(2022, 7, 10, 16, 6, tzinfo=UTC), None, WINTER, "2022-07-10 12:06 -0400", id="new-york-summer-in-winter"),
    pytest.param("America/New_York", datetime(2022, 7, 10, 16, 6, tzinfo=UTC), None, SUMMER, "2022-07-10 12:06", id="new-york-summer-in-summer"),
    pytest.param("America/New_York", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), None, SUMMER, "2022-01-10 11:06 -0500", id="new-york-winter-in-summer"),
    pytest.param("Europe/London", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), None, SUMMER, "2022-01-10 16:06 GMT", id="london-winter-in-summer"),
    pytest.param("UTC", datetime(2022, 1, 11, 10, 55, tzinfo=UTC), DateOrigin.METADATA, WINTER, "2022-01-11 10:55", id="metadata-unmarked"),
    pytest.param("UTC", datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC), DateOrigin.FILE, WINTER, "2020-09-13 12:26 (file date)", id="file-date-marked"),
    pytest.param("Asia/Shanghai", datetime(2022, 1, 10, 16, 6, tzinfo=CST), DateOrigin.FILE, WINTER, "2022-01-10 16:06 (file date)", id="file-date-local"),
    pytest.param("UTC", None, None, WINTER, "", id="none"),
    pytest.param("UTC", None, DateOrigin.FILE, WINTER, "", id="none-file"),
]


@pytest.mark.parametrize(("zone", "value", "origin", "now", "expected"), FORMATTED)
def test_format_date(monkeypatch, zone, value, origin, now, expected):
    set_zone(monkeypatch, zone)
    assert format_date(value, origin, now=now) == expected


def test_format_date_compares_with_the_offset_of_the_moment(monkeypatch):
    set_zone(monkeypatch, "America/New_York")
    summer = datetime(2022, 7, 10, 16, 6, tzinfo=UTC)
    expected = "2022-07-10 12:06" if time.localtime().tm_isdst else "2022-07-10 12:06 -0400"
    assert format_date(summer) == expected


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"])
def test_local_offsets_agree_with_localtime(monkeypatch, zone):
    set_zone(monkeypatch, zone)
    # 1980 to 2030: Shanghai's summer times of 1986–1991 and Lord Howe's half-hour one among them.
    seconds = np.random.default_rng(7).integers(315_532_800, 1_893_456_000, 5_000)
    seconds = np.concatenate((seconds, [315_532_800, 1_893_456_000]))
    assert local_offsets(seconds).tolist() == [time.localtime(int(s)).tm_gmtoff for s in seconds.tolist()]


def test_local_offsets_find_every_change_to_the_second(monkeypatch):
    set_zone(monkeypatch, "America/New_York")
    change = int(datetime(2022, 3, 13, 7, 0, tzinfo=UTC).timestamp())  # 02:00 EST became 03:00 EDT
    around = np.array([change - 1, change, change + 1, change - 3 * 86_400, change + 3 * 86_400])
    assert local_offsets(around).tolist() == [-18_000, -14_400, -14_400, -18_000, -14_400]
    assert local_offsets(np.array([], dtype=np.int64)).tolist() == []


def test_local_time_is_the_same_instant():
    value = datetime(2022, 1, 10, 16, 6, tzinfo=CST)
    assert local_time(value) == value


def test_text_file_date_is_shown_as_a_file_date():
    article = parse_article("标题\n\n正文。\n".encode(), Path("somewhere/x.txt"), mtime=1_600_000_000.0)
    assert article.date == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    assert article.date_origin is DateOrigin.FILE
    assert format_date(article.date, article.date_origin) == "2020-09-13 12:26 (file date)"


def test_stated_date_is_not_marked():
    data = "---\ntitle: 标题\ndate: Tue, 11 Jan 2022 10:55:39 GMT\n---\n<p>正文。</p>\n".encode()
    article = parse_article(data, Path("somewhere/x.md"), mtime=1_600_000_000.0)
    assert article.date_origin is DateOrigin.METADATA
    assert format_date(article.date, article.date_origin) == "2022-01-11 10:55"


# -- dates YAML and TOML built themselves --------------------------------------------

OUT_OF_RANGE_OBJECTS = [
    pytest.param(datetime(1, 1, 1, tzinfo=tz(14)), id="datetime-min-with-offset"),
    pytest.param(datetime(1, 1, 1), id="datetime-min-naive"),
    pytest.param(datetime.max.replace(tzinfo=tz(-14)), id="datetime-max-with-offset"),
    pytest.param(datetime(1969, 12, 31, 23, 59, tzinfo=UTC), id="before-1970"),
    pytest.param(datetime(2201, 1, 1, tzinfo=UTC), id="after-2200"),
    pytest.param(date(1, 1, 1), id="date-min"),
    pytest.param(date(9999, 12, 31), id="date-max"),
]


@pytest.mark.parametrize("value", OUT_OF_RANGE_OBJECTS)
def test_date_objects_outside_the_range_are_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "front",
    [
        "+++\ntitle = '远古'\ndate = 0001-01-01T00:00:00+14:00\n+++\n",
        "+++\ntitle = '远古'\ndate = 0001-01-01\n+++\n",
        "---\ntitle: 远古\ndate: 0001-01-01 00:00:00+14:00\nx: {a: 1}\n---\n",
        "---\ntitle: 远古\ndate: 9999-12-31\nx: {a: 1}\n---\n",
    ],
    ids=["toml-datetime", "toml-date", "yaml-datetime", "yaml-date"],
)
def test_front_matter_dates_outside_the_range_fall_back_to_the_file_date(front):
    article = parse_article((front + "<p>正文</p>\n").encode("utf-8"), Path("x.md"), mtime=1_600_000_000.0)
    assert article.date_origin is DateOrigin.FILE
    assert any("date" in problem for problem in article.problems)

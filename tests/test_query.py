"""parse_query: what the user typed, taken apart (reader.search.query)."""

from __future__ import annotations

import pytest

from reader.search.query import Query, parse_query

# raw → (text, exact, source, date_prefix, title_only)
CASES = [
    # plain text: words kept as typed, runs of spaces collapse to one
    ("核战争打不赢", ("核战争打不赢", False, None, None, False)),
    ("Wendy  Sherman", ("Wendy Sherman", False, None, None, False)),
    ("  北约  东扩  ", ("北约 东扩", False, None, None, False)),
    # curly quotes are punctuation (fuzzy text), not the exact-phrase syntax
    ("“有用”", ("“有用”", False, None, None, False)),
    # exact phrase in double quotes, closed or not
    ('"书面回复"', ("书面回复", True, None, None, False)),
    ('"书面回复', ("书面回复", True, None, None, False)),
    ('"核战争 打不赢"', ("核战争 打不赢", True, None, None, False)),
    ('""', ("", True, None, None, False)),
    # filters
    ("source:观察者网", ("", False, "观察者网", None, False)),
    ('source:"Aljazeera 半岛网"', ("", False, "Aljazeera 半岛网", None, False)),
    ('source:"Aljazeera 半岛网', ("", False, "Aljazeera 半岛网", None, False)),
    ("date:2022-01", ("", False, None, "2022-01", False)),
    ('date:"2022-01"', ("", False, None, "2022-01", False)),
    ("in:title", ("", False, None, None, True)),
    ('in:"title"', ("", False, None, None, True)),
    # filter names and the in: value are case-insensitive; values keep their case
    ("SOURCE:VOA", ("", False, "VOA", None, False)),
    ("Date:2022", ("", False, None, "2022", False)),
    ("IN:Title", ("", False, None, None, True)),
    # unknown filters and in: values are not text (Query.unknown reports them)
    ("in:body 北约", ("北约", False, None, None, False)),
    ("in:abstract", ("", False, None, None, False)),
    ("foo:bar 北约", ("北约", False, None, None, False)),
    # URLs and words ending in a colon are text
    ("http://example.com/a", ("http://example.com/a", False, None, None, False)),
    ("Re: 北约", ("Re: 北约", False, None, None, False)),
    ("10:30", ("10:30", False, None, None, False)),
    # filters without a value do nothing
    ("source:", ("", False, None, None, False)),
    ("date:", ("", False, None, None, False)),
    ("in:", ("", False, None, None, False)),
    # words that merely contain a colon are text
    ("北约source:观察者网", ("北约source:观察者网", False, None, None, False)),
    ('"a:b"', ("a:b", True, None, None, False)),
    # combinations, in any order
    ("source:观察者网 北约", ("北约", False, "观察者网", None, False)),
    ("北约 date:2022-01 东扩", ("北约 东扩", False, None, "2022-01", False)),
    ('source:观察者网 "书面回复"', ("书面回复", True, "观察者网", None, False)),
    (
        "SOURCE:观察者网 Date:2022-01 IN:title 北约",
        ("北约", False, "观察者网", "2022-01", True),
    ),
    ('in:title source:"Aljazeera 半岛网" date:2022-01-11 声明', ("声明", False, "Aljazeera 半岛网", "2022-01-11", True)),
    # empty
    ("", ("", False, None, None, False)),
    ("   ", ("", False, None, None, False)),
]


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=[raw or "<empty>" for raw, _ in CASES])
def test_parse_query(raw, expected):
    query = parse_query(raw)
    assert query.raw == raw
    assert (query.text, query.exact, query.source, query.date_prefix, query.title_only) == expected


def test_folded_is_the_folded_text():
    assert parse_query("ＣＮＮ “有用” Wendy_Sherman").folded == "cnn有用wendysherman"
    assert parse_query('"书面回复"').folded == "书面回复"
    assert parse_query("source:观察者网").folded == ""


@pytest.mark.parametrize(
    ("raw", "has_filters", "is_empty"),
    [
        ("", False, True),
        ("   ", False, True),
        ("，。……", False, True),  # punctuation only folds to nothing
        ('""', False, True),
        ("source:", False, True),
        ("北约", False, False),
        ("source:观察者网", True, False),
        ("date:2022", True, False),
        ("in:title", True, False),
        ("in:title ，", True, False),
        ("in:body", False, True),  # an unknown filter: nothing to search (Query.problem says why)
    ],
)
def test_has_filters_and_is_empty(raw, has_filters, is_empty):
    query = parse_query(raw)
    assert query.has_filters is has_filters
    assert query.is_empty is is_empty


def test_query_is_a_value():
    assert parse_query("source:观察者网 北约") == parse_query("source:观察者网 北约")
    assert parse_query("北约") == Query("北约", "北约")
    with pytest.raises(AttributeError):
        parse_query("北约").text = "东扩"  # frozen


@pytest.mark.parametrize(
    ("raw", "unknown", "says"),
    [
        ("foo:bar", ("foo:bar",), "the filters are source:NAME"),
        ("xsource:abc 北约", ("xsource:abc",), "unknown filter xsource:abc"),
        ("in:body 北约", ("in:body",), "in: takes only title"),
        ('IN:Body foo:"a b"', ("IN:Body", 'foo:"a b"'), "unknown filters IN:Body, foo:\"a b\""),
    ],
)
def test_unknown_filters_are_reported_in_one_line(raw, unknown, says):
    query = parse_query(raw)
    assert query.unknown == unknown
    assert says in query.problem and "\n" not in query.problem


@pytest.mark.parametrize("raw", ["北约", "source:观察者网 date:2022 in:title 北约", "http://x.com", "Re: 北约", ""])
def test_known_filters_and_text_are_no_problem(raw):
    assert parse_query(raw).unknown == () and parse_query(raw).problem is None

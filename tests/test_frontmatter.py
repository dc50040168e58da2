"""Front matter: the fast flat reader, its fallback to safe YAML, and bad input.

The fast reader (``_flat_yaml``) is an optimisation: for the flat subset it
must read exactly what PyYAML reads, and for anything else it must step aside
and let YAML decide. The tests watch which path ran (a spy on ``_full_yaml``)
so that "agrees with YAML" cannot pass just because YAML did the work.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from reader.parse.formats import frontmatter as frontmatter_module
from reader.parse.formats.frontmatter import split_front_matter
from reader.parse.load import parse_article
from reader.model import BlockKind, DateOrigin

MTIME = 1_600_000_000.0
FILE_DATE = datetime(2020, 9, 13, 12, 26, 40, tzinfo=timezone.utc)
BODY = "<h1>正文标题</h1>\n<p>第一段。</p>\n<p>第二段。</p>\n"


def wrap(raw: str, body: str = BODY) -> str:
    return f"---\n{raw}\n---\n{body}"


def load(text: str, name: str = "somewhere/x.md"):
    return parse_article(text.encode("utf-8"), Path(name), mtime=MTIME)


@pytest.fixture
def yaml_calls(monkeypatch):
    """Every front matter handed to the full YAML loader."""
    calls: list[str] = []
    real = frontmatter_module._full_yaml

    def spy(raw, body):
        calls.append(raw)
        return real(raw, body)

    monkeypatch.setattr(frontmatter_module, "_full_yaml", spy)
    return calls


# -- the fast reader agrees with YAML ------------------------------------------------
#
# How the two are compared: the fast reader returns strings (or lists of
# strings) for every value, and the loader interprets the fields it knows
# (fields.as_text / as_list / as_date). YAML types scalars instead:
# `comments: false` is False, `count: 42` is 42, `date: 2022-01-10` a date.
# So, key by key:
#   * where YAML gives a str or a list of str, the values must be equal;
#   * where YAML gives None (`key:` with nothing), the fast reader gives "":
#     both mean "no value" to the loader (fields.first skips both);
#   * where YAML gives a typed scalar, the fast reader must give the source
#     text as a string (checked exactly in TYPED_AS_TEXT below).
# The key sets must always be equal.

FLAT_SUBSET = [
    pytest.param("title: plain text", id="plain"),
    pytest.param("title: 美俄谈了7个半小时，有用但没啥进展", id="plain-chinese"),
    pytest.param("title: '美俄谈了7个半小时，_有用_但没啥进展'", id="single-quoted"),
    pytest.param('title: "double quoted"', id="double-quoted"),
    pytest.param("title: 'it''s quoted'", id="single-quoted-escape"),
    pytest.param("title: \"say 'hi'\"", id="double-with-single-inside"),
    pytest.param("title: '含 # 号'", id="quoted-hash"),
    pytest.param('title: 他说"有用"但没进展', id="plain-with-inner-quotes"),
    pytest.param("title: it's plain", id="plain-apostrophe"),
    pytest.param("title: value # trailing comment", id="trailing-comment"),
    pytest.param("# leading comment\ntitle: x\n  # indented comment\nauthor: y", id="comment-lines"),
    pytest.param("title: -dash start", id="plain-leading-dash"),
    pytest.param("title: 50% off, today", id="plain-percent-comma"),
    pytest.param("title : spaced key", id="space-before-colon"),
    pytest.param("url: https://www.guancha.cn/a/b.shtml?x=1&y=2", id="url"),
    pytest.param("date: Tue, 11 Jan 2022 10:55:39 GMT", id="rfc2822-string"),
    pytest.param("date: 2022-01-10 16:06", id="date-without-seconds-is-string"),
    pytest.param("categories: \n - 新媒体\n - 观察者网\n - 头条", id="block-list-seed-style"),
    pytest.param("categories:\n- a\n- b", id="block-list-column-0"),
    pytest.param("categories:\n  - 'a, b'\n  - \"c\"\n  # comment between\n  - d # trailing", id="block-list-quoted-items"),
    pytest.param("tags: [a, b, c]", id="flow-list"),
    pytest.param("categories: [ 中央社 ]", id="flow-list-single-spaced"),
    pytest.param(
        "tags: []",
        id="flow-list-empty",
    ),
    pytest.param("empty:\nafter: x", id="key-with-nothing"),
    pytest.param("empty:", id="key-with-nothing-last"),
    pytest.param("a: ''\nb: \"\"", id="empty-quoted"),
    pytest.param("og.title: x\nsource-url: y\nsnake_key: z", id="key-characters"),
    pytest.param("title: x\r\ntags: [a, b]\r\ncategories:\r\n - c\r\n", id="crlf"),
    pytest.param(
        "title: '白宫出台非常规声明'\ncategories: \n - 新媒体\n - Aljazeera 半岛网\n - 新闻\n"
        "headimg: 'https://picsum.photos/400/300?random=5727'\nauthor: Aljazeera 半岛网\ncomments: false\n"
        "date: Tue, 11 Jan 2022 10:01:21 GMT\nthumbnail: 'https://picsum.photos/400/300?random=5727'",
        id="seed-003-front-matter",
    ),
    pytest.param("comments: false\ncount: 42\nratio: 1.50\nday: 2022-01-10\ntime: 10:55\nlabel: x", id="typed-mixed"),
    pytest.param("title: a" + " " * 300 + "b   \nafter:    x   ", id="runs-of-spaces"),
    pytest.param("tags:\n-   a   b   \n-  c  ", id="list-items-with-spaces"),
]


def _comparable(value):
    if value is None:
        return None  # a bare `key:` is null in both readers
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return _TYPED


_TYPED = object()


@pytest.mark.parametrize("raw", FLAT_SUBSET)
def test_fast_reader_agrees_with_yaml(raw, yaml_calls):
    expected = yaml.safe_load(raw)
    assert isinstance(expected, dict)  # the premise: this is a valid flat mapping
    front = split_front_matter(wrap(raw))
    assert yaml_calls == [], "flat front matter should not need the YAML loader"
    assert front.problems == []
    assert set(front.fields) == {str(key) for key in expected}
    for key, value in expected.items():
        want = _comparable(value)
        if want is _TYPED:
            assert isinstance(front.fields[key], str), key
        else:
            assert front.fields[key] == want, key
    assert front.body.strip() == BODY.strip()


TYPED_AS_TEXT = [
    pytest.param("comments: false", "comments", "false", bool, id="bool"),
    pytest.param("count: 42", "count", "42", int, id="int"),
    pytest.param("ratio: 1.50", "ratio", "1.50", float, id="float-keeps-digits"),
    pytest.param("day: 2022-01-10", "day", "2022-01-10", date, id="date"),
    pytest.param("time: 10:55", "time", "10:55", int, id="sexagesimal"),  # YAML 1.1 reads 655
    pytest.param("stamp: 2022-01-10T16:06:38.123Z", "stamp", "2022-01-10T16:06:38.123Z", datetime, id="timestamp"),
]


@pytest.mark.parametrize(("raw", "key", "text", "yaml_type"), TYPED_AS_TEXT)
def test_fast_reader_keeps_typed_scalars_as_written(raw, key, text, yaml_type, yaml_calls):
    assert isinstance(yaml.safe_load(raw)[key], yaml_type)
    front = split_front_matter(wrap(raw))
    assert yaml_calls == []
    assert front.fields == {key: text}


# -- outside the subset: YAML decides, and gets it right ----------------------------------

OUTSIDE_SUBSET = [
    pytest.param("tags: ['a, b', \"c\", d e]", id="flow-list-quoted"),  # quoted commas: YAML's call
    pytest.param("title: x\nsummary: |\n  line one\n  line two", id="literal-block-scalar"),
    pytest.param("title: x\nsummary: >\n  folded\n  text", id="folded-block-scalar"),
    pytest.param("title: x\nauthor:\n  name: 张三\n  email: z@example.com", id="nested-mapping"),
    pytest.param("outlet: &o 新华社\nsource: *o", id="anchor-alias"),
    pytest.param('title: "esc\\"aped"', id="escaped-double-quote"),
    pytest.param('title: "tab\\there \\u4e2d"', id="escapes"),
    pytest.param("title: first line\n  continued", id="multi-line-plain"),
    pytest.param("tags: [a,\n  b]", id="multi-line-flow-list"),
    pytest.param("tags: [a, [b, c]]", id="nested-flow-list"),
    pytest.param("tags: {a: 1}", id="flow-mapping"),
    pytest.param("tags:\n  - name: a\n  - name: b", id="list-of-mappings"),
    pytest.param("title: a\ntitle: b", id="repeated-key"),
    pytest.param("url: https://example.com/a#frag", id="hash-without-space"),
    pytest.param("title: 'quoted' # comment", id="quoted-then-comment"),
    pytest.param("tags: ['a, b', c]", id="flow-item-with-comma"),
]


@pytest.mark.parametrize("raw", OUTSIDE_SUBSET)
def test_outside_subset_falls_back_to_yaml(raw, yaml_calls):
    # The front matter ends with the newline before the closing fence; block
    # scalars keep it ("clip" chomping), so YAML is given the same text.
    expected = yaml.safe_load(raw + "\n")
    front = split_front_matter(wrap(raw))
    assert len(yaml_calls) == 1, "front matter outside the flat subset must go to YAML"
    assert front.problems == []
    assert front.fields == expected
    assert front.body.strip() == BODY.strip()


def test_toml_front_matter():
    text = '+++\ntitle = "托姆"\ndate = 2022-01-10T16:06:38+08:00\ncategories = ["新媒体", "观察者网"]\n+++\n<p>正文。</p>\n'
    front = split_front_matter(text)
    assert front.fields["title"] == "托姆"
    assert front.fields["date"] == datetime(2022, 1, 10, 16, 6, 38, tzinfo=timezone(timedelta(hours=8)))
    assert front.problems == []
    article = load(text)
    assert (article.title, article.source, article.format) == ("托姆", "观察者网", "front-matter")
    assert article.date.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<p>正文</p>", id="html"),
        pytest.param("------\n正文", id="rss-underline-is-not-a-fence"),
        pytest.param("# title\n---\n正文", id="fence-not-at-top"),
        pytest.param("----\ntitle: x\n----\n", id="four-dashes"),
    ],
)
def test_no_front_matter(text):
    assert split_front_matter(text) is None


def test_leading_blank_lines_before_fence():
    # The archive writes a blank first line before the fence (see the seeds).
    front = split_front_matter("\n\n---\ntitle: x\n---\nbody")
    assert front.fields == {"title": "x"}
    assert front.body == "\nbody"


# -- bad front matter: the article still loads -------------------------------------------

BROKEN = [
    pytest.param("title: [unclosed", "not valid YAML", id="unclosed-flow"),
    pytest.param('title: "unterminated', "not valid YAML", id="unterminated-quote"),
    pytest.param("title: x\n\tauthor: y", "not valid YAML", id="tab-indent"),
    pytest.param("- 新媒体\n- 观察者网", "front matter is a list", id="list"),
    pytest.param("just a scalar line", "front matter is a str", id="scalar"),
    pytest.param("42", "front matter is a int", id="number"),
    pytest.param("title: a: b", "not valid YAML", id="colon-space-in-plain-value"),
]


@pytest.mark.parametrize(("raw", "problem"), BROKEN)
def test_broken_front_matter_still_loads(raw, problem):
    article = load(wrap(raw))
    assert len(article.problems) == 1
    assert problem in article.problems[0]
    assert article.format == "front-matter"
    # What could be read: the body, its heading as the title, the file's date.
    assert article.title == "正文标题"
    assert [block.text for block in article.blocks] == ["第一段。", "第二段。"]
    assert article.date == FILE_DATE
    assert article.date_origin is DateOrigin.FILE


def test_bad_toml_still_loads():
    article = load("+++\ntitle = \n+++\n" + BODY)
    assert len(article.problems) == 1 and "not valid TOML" in article.problems[0]
    assert article.title == "正文标题"
    assert [block.text for block in article.blocks] == ["第一段。", "第二段。"]


UNCLOSED = [
    pytest.param(
        "---\ntitle: 未闭合\nauthor: 某人\ndate: 2022-01-10\n<p>第一段。</p>\n<p>第二段。</p>\n",
        "somewhere/x.html", id="html-body",
    ),
    pytest.param(
        "---\ntitle: 未闭合\nauthor: 某人\ndate: 2022-01-10\n\n第一段。\n\n第二段。\n",
        "somewhere/x.txt", id="text-body",
    ),
    pytest.param(
        "---\r\ntitle: 未闭合\r\nauthor: 某人\r\ndate: 2022-01-10\r\n<p>第一段。</p><p>第二段。</p>\r\n",
        "somewhere/x.md", id="crlf",
    ),
]


@pytest.mark.parametrize(("text", "name"), UNCLOSED)
def test_never_closed_front_matter(text, name):
    article = load(text, name)
    assert article.problems == ("front matter is never closed",)
    assert (article.title, article.author, article.source) == ("未闭合", "某人", "某人")
    assert article.date == datetime(2022, 1, 10, tzinfo=timezone.utc)
    assert article.date_origin is DateOrigin.METADATA
    assert [block.text for block in article.blocks] == ["第一段。", "第二段。"]


# -- YAML tags that would run code ---------------------------------------------------

HOSTILE = [
    pytest.param('title: !!python/object/apply:os.system ["echo pwned"]', id="apply-os-system"),
    pytest.param('!!python/object/apply:os.system ["echo pwned"]', id="apply-as-document"),
    pytest.param('title: !!python/object/new:os.system ["echo pwned"]', id="new-os-system"),
    pytest.param("title: !!python/name:os.system", id="name"),
    pytest.param('title: x\ndate: !!python/object/apply:subprocess.check_output [["touch", "MARKER"]]', id="apply-subprocess"),
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_python_tags_are_refused_not_run(raw, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    ran: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args, **kwargs: ran.append(args) or 0)
    monkeypatch.chdir(tmp_path)
    article = parse_article(wrap(raw.replace("MARKER", str(marker))).encode(), Path("somewhere/x.md"), mtime=MTIME)
    assert ran == []
    assert not marker.exists()
    assert list(tmp_path.iterdir()) == []
    assert len(article.problems) == 1
    assert "not valid YAML" in article.problems[0]
    assert "python" in article.problems[0]  # the refused tag is named
    assert [block.text for block in article.blocks] == ["第一段。", "第二段。"]
    # Nothing of the hostile front matter was taken as a field.
    assert article.title == "正文标题"


def test_subprocess_tag_really_would_run(tmp_path):
    # Guard for the test above: the payload is live under an unsafe loader,
    # so its refusal by the article loader means something.
    marker = tmp_path / "pwned"
    yaml.unsafe_load(f'date: !!python/object/apply:subprocess.check_output [["touch", "{marker}"]]')
    assert marker.exists()


# -- titles that are not text ----------------------------------------------------------

# A block scalar elsewhere forces the YAML path, where the title arrives typed.
FORCE_YAML = "\nnote: |\n  x"

TITLES = [
    pytest.param("title: 42", "42", (), id="number-fast"),
    pytest.param("title: 42" + FORCE_YAML, "42", (), id="number-yaml"),
    pytest.param("title: 3.25" + FORCE_YAML, "3.25", (), id="float-yaml"),
    pytest.param("title: 2022-01-10" + FORCE_YAML, "2022-01-10", (), id="date-yaml"),
    pytest.param("title: [上篇, 下篇]", "上篇 下篇", ("title is a list, shown joined",), id="flow-list"),
    pytest.param("title:\n - 上篇\n - 下篇", "上篇 下篇", ("title is a list, shown joined",), id="block-list"),
    pytest.param("title: [上篇, 2]" + FORCE_YAML, "上篇 2", ("title is a list, shown joined",), id="mixed-list-yaml"),
    pytest.param("title:\n  text: 映射标题" + FORCE_YAML, "映射标题", (), id="mapping-with-text"),
]


@pytest.mark.parametrize(("raw", "title", "problems"), TITLES)
def test_title_that_is_not_a_string_becomes_text(raw, title, problems):
    article = load(wrap(raw))
    assert article.title == title
    assert isinstance(article.title, str)
    assert article.problems == problems


def test_empty_title_falls_back_to_the_body():
    article = load(wrap("title:\nauthor: 某人"))
    assert article.title == "正文标题"
    assert article.problems == ()


def test_author_mapping_without_a_name_is_a_problem():
    article = load(wrap("title: x\nauthor:\n  nick: 张三"))
    assert article.author == ""
    assert article.problems == ("author is a mapping without a name, ignored",)


def test_front_matter_keys_are_case_insensitive():
    article = load(wrap("Title: 大写\nAuthor: 某人\nDate: 2022-01-10"))
    assert (article.title, article.author) == ("大写", "某人")
    assert article.date == datetime(2022, 1, 10, tzinfo=timezone.utc)


def test_body_blocks_survive_typed_front_matter():
    article = load(wrap("title: x\ncomments: false\ncount: 42"))
    assert [block.kind for block in article.blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]


def test_unclosed_front_matter_is_read_up_to_its_size_limit():
    limit = frontmatter_module.MAX_FRONT_MATTER
    keys = "".join(f"k{i}: v\n" for i in range(limit // 6))  # key lines past the limit
    front = split_front_matter("---\ntitle: 标题\n" + keys + "<p>正文</p>\n")
    assert front.fields == {}
    assert front.problems == ["front matter is never closed", f"front matter larger than {limit // 1024} KB, ignored"]
    # Nothing is lost: what was not read as metadata is the body.
    assert front.body.startswith("k") and front.body.endswith("<p>正文</p>\n")
    assert len(front.body) > len(keys) - limit


def test_unclosed_front_matter_under_the_limit_keeps_its_fields():
    front = split_front_matter("---\ntitle: 标题\n" + "".join(f"k{i}: v\n" for i in range(3)) + "<p>正文</p>\n")
    assert front.fields == {"title": "标题", "k0": "v", "k1": "v", "k2": "v"}
    assert front.problems == ["front matter is never closed"]
    assert front.body == "<p>正文</p>\n"

"""Every kind of bad input: good articles still read, bad files explained, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from rich.cells import cell_len
from hypothesis import strategies as st

import hostile
from reader.catalog.library import load_library
from reader.parse.load import ArticleError, parse_article
from reader.render import render_article


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    top = tmp_path_factory.mktemp("hostile")
    expect = hostile.build(top)
    before = hostile.snapshot(top)
    library = load_library([top])
    return top, expect, before, library


def _by_name(top: Path, library):
    articles = {str(a.path.relative_to(top)): a for a in library.articles}
    problems = {str(p.relative_to(top)): reason for p, reason in library.problems}
    return articles, problems


def test_every_file_is_read_or_explained(folder):
    top, expect, _before, library = folder
    articles, problems = _by_name(top, library)
    for name, outcome in expect.items():
        if outcome.kind == "skipped":
            assert name not in articles and name not in problems, name
        elif outcome.kind == "problem":
            assert name in problems, name
            assert outcome.reason in problems[name], (name, problems[name])
        else:
            assert name in articles, (name, problems.get(name))
            article = articles[name]
            if outcome.title:
                assert article.title == outcome.title, name
            if outcome.kind == "read":
                assert any(outcome.reason in problem for problem in article.problems), (name, article.problems)


def test_nothing_is_listed_twice_and_links_do_not_loop(folder):
    _top, _expect, _before, library = folder
    paths = [article.path.resolve() for article in library.articles]
    assert len(paths) == len(set(paths))


def test_no_field_carries_control_characters(folder):
    _top, _expect, _before, library = folder
    for article in library.articles:
        texts = [article.title, article.source, article.author, article.url, *(b.text for b in article.blocks)]
        for text in texts:
            assert not any(ord(c) < 0x20 and c not in "\n\t" for c in text), (article.path, text[:40])
            assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text and "\ufffc" not in text


def test_markup_is_kept_as_text(folder):
    top, _expect, _before, library = folder
    articles, _ = _by_name(top, library)
    article = articles["attack-markup.md"]
    assert article.title == hostile.MARKUP
    assert article.blocks[0].text == hostile.MARKUP
    rendered = render_article(article, 80)
    assert hostile.MARKUP in rendered.plain.replace("\n", "")
    assert not any(span.style and "link file" in str(span.style) for span in rendered.spans)


def test_links_to_other_schemes_are_plain_text(folder):
    top, _expect, _before, library = folder
    articles, _ = _by_name(top, library)
    (block,) = articles["attack-links.md"].blocks
    assert block.text == "点这里 文件"
    assert block.spans == ()


def test_nothing_under_the_folder_changed(folder):
    top, _expect, before, _library = folder
    subprocess.run([sys.executable, "-m", "reader.cli", "list", str(top)], capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "reader.cli", "find", str(top), "正文"], capture_output=True, timeout=120)
    for article in load_library([top]).articles:
        render_article(article, 80)
    assert hostile.snapshot(top) == before
    assert not (top / "pwned").exists() and not Path("pwned").exists()


def test_command_line_reports_each_problem_on_one_line(folder):
    top, expect, _before, library = folder
    done = subprocess.run([sys.executable, "-m", "reader.cli", "list", str(top)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == len(library.problems)
    # One row per article on stdout, even for the file whose name holds a newline.
    assert len(done.stdout.splitlines()) == len(library.articles)


def test_a_file_that_vanishes_while_loading_is_a_problem(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("---\ntitle: 在\n---\n正文\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: 消失\n---\n正文\n", encoding="utf-8")
    real_open = open

    def vanishing_open(path, *args, **kwargs):
        if str(path).endswith("b.md"):
            raise FileNotFoundError(2, "No such file or directory")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", vanishing_open)
    library = load_library([tmp_path])
    assert [a.title for a in library.articles] == ["在"]
    assert [(p.name, r) for p, r in library.problems] == [("b.md", "no such file or directory")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_a_problem(tmp_path):
    locked = tmp_path / "locked.md"
    locked.write_text("---\ntitle: 锁\n---\n", encoding="utf-8")
    locked.chmod(0)
    library = load_library([tmp_path])
    assert library.problems and "permission" in library.problems[0][1]


@settings(max_examples=300, deadline=timedelta(seconds=2))
@given(st.binary(max_size=3000), st.sampled_from(["x.md", "x.txt", "x.html", "x"]))
def test_arbitrary_bytes_never_raise(data, name):
    try:
        article = parse_article(data, Path(name), 0.0)
    except ArticleError:
        return
    render_article(article, 40)


_PIECES = st.sampled_from(
    ["---\n", "+++\n", "title: ", "date: ", "<!--1641833943000-->\n", "[标题](http://x.cn)\n", "------\n", "<p>", "</p>",
     "<div><i>Mon, 10 Jan 2022 16:06:38 GMT</i></div>", "&#27;", "\x1b[31m", "[bold]", "**粗**", "# 标题\n", "\n\n", "中文", "：", "'", '"', "&a [*a]", "!!python/x"]
)


@settings(max_examples=300, deadline=timedelta(seconds=2))
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40).map("".join), st.sampled_from(["x.md", "x.txt", "x.html"]))
def test_arbitrary_text_never_raises(text, name):
    try:
        article = parse_article(text.encode("utf-8", "surrogatepass"), Path(name), 0.0)
    except ArticleError:
        return
    assert all(not any(ord(c) < 0x20 and c not in "\n\t" for c in b.text) for b in article.blocks)
    render_article(article, 40)


def test_show_prints_every_readable_hostile_file(folder, capsys):
    from reader.cli.main import main

    top, expect, _before, _library = folder
    for name, outcome in expect.items():
        if outcome.kind in ("good", "read") and name.startswith("num-"):
            assert main(["show", str(top / name), "--width", "40"]) == 0, (name, capsys.readouterr().err)
            assert outcome.title in capsys.readouterr().out, name


def _buggy(real, name: str):
    def load(path, *args, **kwargs):
        if Path(path).name == name:
            raise ZeroDivisionError("a parser bug\nwith a second line")
        return real(path, *args, **kwargs)

    return load


def test_a_parser_bug_costs_one_file_not_the_folder(tmp_path, monkeypatch):
    import reader.parse.load

    (tmp_path / "a.md").write_text("---\ntitle: 在\n---\n正文\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: 有错\n---\n正文\n", encoding="utf-8")
    monkeypatch.setattr(reader.parse.load, "load_article", _buggy(reader.parse.load.load_article, "b.md"))
    library = load_library([tmp_path])
    assert [a.title for a in library.articles] == ["在"]
    ((path, reason),) = library.problems
    assert path.name == "b.md"
    assert "ZeroDivisionError" in reason and "\n" not in reason


def test_show_reports_a_parser_bug_as_a_problem_of_the_file(tmp_path, monkeypatch, capsys):
    import reader.parse.load
    import reader.cli.showing
    from reader.cli.main import main

    path = tmp_path / "b.md"
    path.write_text("---\ntitle: 有错\n---\n正文\n", encoding="utf-8")
    monkeypatch.setattr(reader.parse.load, "load_article", _buggy(reader.parse.load.load_article, "b.md"))
    assert main(["show", str(path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(str(path) + ": ") and "ZeroDivisionError" in line and "internal error" not in line
    monkeypatch.undo()

    def broken_print(article, width):
        raise ZeroDivisionError("a renderer bug")

    monkeypatch.setattr(reader.cli.showing, "print_article", broken_print)
    assert main(["show", str(path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(str(path) + ": ") and "ZeroDivisionError" in line


@pytest.mark.parametrize("stall", hostile.STALLS, ids=lambda stall: stall.name)
def test_hostile_input_is_read_whole_and_every_line_fits(stall):
    # No timing here: bench/bench_parse.py --hostile prints the figures. At
    # these sizes a linear parser and renderer take well under a second and
    # a quadratic one many seconds.
    article = parse_article(stall.data(), Path("stall" + stall.suffix), 0.0)
    assert stall.expect(article), (article.title[:40], [b.text[:40] for b in article.blocks[:3]], article.problems)
    for width in (80, 20):
        lines = render_article(article, width).plain.split("\n")
        assert max(cell_len(line) for line in lines) <= width


@pytest.mark.parametrize(("name", "words"), [
    ("md-nested-quotes.md", ["深处的字"]),
    ("md-nested-lists.md", [f"第{i}项" for i in range(300)]),
])
def test_deeply_nested_markdown_keeps_every_word(folder, name, words):
    top, _expect, _before, library = folder
    articles, _ = _by_name(top, library)
    text = " ".join(block.text for block in articles[name].blocks)
    assert all(word in text for word in words)


def test_markdown_dense_with_markup_keeps_every_word(folder):
    top, _expect, _before, library = folder
    articles, _ = _by_name(top, library)
    text = " ".join(block.text for block in articles["md-dense.md"].blocks)
    assert text.count("链接") == text.count("强调") == 12_000


def test_long_ordinary_markdown_is_still_markdown(folder):
    top, _expect, _before, library = folder
    articles, _ = _by_name(top, library)
    article = articles["md-long.md"]
    assert article.problems == ()
    assert any(span.kind.value == "bold" for block in article.blocks for span in block.spans)

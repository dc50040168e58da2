"""An article's links: as terminal hyperlinks, as a numbered list, and whole in `reader show`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reader.model import Block, BlockKind, Span, SpanKind
from reader.links import Link, article_links, safe_link
from reader.render import render_article, render_block
from reader.textwidth import cell_width
from test_render import article, style_at

LONG_URL = (
    "https://www.whitehouse.gov/briefing-room/statements-releases/2022/01/10/"
    "fact-sheet-u-s-diplomatic-engagement-with-european-allies-and-partners-ahead-of-talks/"
)
GUANCHA = "https://www.guancha.cn/internation/2022_01_23_623275.shtml"


def linked(text: str, start: int, end: int, url: str | None) -> Block:
    return Block(BlockKind.PARAGRAPH, text, spans=(Span(start, end, SpanKind.LINK, url),))


# ------------------------------------------------------------------ urls written in the text


@pytest.mark.parametrize(
    "text, url",
    [
        ("详情请见：https://www.voachinese.com/a/6390398.html。", "https://www.voachinese.com/a/6390398.html"),
        ("See https://example.com/a.html, then read on.", "https://example.com/a.html"),
        ("(https://en.wikipedia.org/wiki/Minsk_(city))", "https://en.wikipedia.org/wiki/Minsk_(city)"),
        ("来源https://tass.ru/politika/13384011美俄会谈", "https://tass.ru/politika/13384011"),
    ],
)
def test_a_url_written_in_the_text_is_a_link(text, url):
    line = render_block(Block(BlockKind.PARAGRAPH, text), 200)[0]
    start = text.index(url)
    assert style_at(line, start).link == url
    assert style_at(line, start + len(url) - 1).link == url
    assert style_at(line, start + len(url)).link is None if start + len(url) < len(text) else True
    assert style_at(line, start - 1).link is None


def test_a_url_in_the_text_inside_a_link_keeps_the_link():
    block = linked("原文 https://a.example/x 见此", 0, 22, "https://b.example/")
    line = render_block(block, 200)[0]
    assert style_at(line, 5).link == "https://b.example/"


def test_urls_in_text_are_never_markup():
    line = render_block(Block(BlockKind.PARAGRAPH, "[link=file:///etc/passwd]x[/link] https://a.cn/[b]"), 200)[0]
    assert line.plain == "[link=file:///etc/passwd]x[/link] https://a.cn/[b]"
    assert style_at(line, 1).link is None


# ------------------------------------------------------------------ the list of links


def test_article_links_lists_the_url_then_each_link_once_in_order():
    a = article(
        blocks=(
            linked("拒绝向爱沙尼亚所购德国武器发放许可", 0, 8, GUANCHA),
            Block(BlockKind.PARAGRAPH, f"白宫声明：{LONG_URL}。"),
            linked("又见许可", 2, 4, GUANCHA),  # the same url again: listed once
            linked("危险", 0, 2, "javascript:alert(1)"),  # never a link
        )
    )
    assert article_links(a) == [
        Link("", a.url, -1),
        Link("拒绝向爱沙尼亚所", GUANCHA, 0),
        Link("", LONG_URL, 1),
    ]


def test_article_links_without_any():
    assert article_links(article(url="")) == []
    assert article_links(article(url="file:///etc/passwd")) == []


def test_link_text_is_cleaned_for_one_row():
    a = article(url="", blocks=(linked("第一行\n第二行\x1b[31m", 0, 12, GUANCHA),))
    assert article_links(a) == [Link("第一行 第二行 [31m", GUANCHA, 0)]


@pytest.mark.parametrize("url, safe", [(GUANCHA, GUANCHA), (" mailto:a@b.cn ", "mailto:a@b.cn"), ("javascript:x", None), ("https://a b", None), ("", None)])
def test_safe_link(url, safe):
    assert safe_link(url) == safe


# ------------------------------------------------------------------ whole urls


def test_render_article_with_whole_urls_keeps_long_urls_on_lines_of_their_own():
    a = article(url=LONG_URL, blocks=(Block(BlockKind.PARAGRAPH, f"美国白宫当天发表声明，详情请见：{LONG_URL}。舍曼表示双方将继续对话。"),))
    lines = render_article(a, 80, whole_urls=True).plain.split("\n")
    assert LONG_URL in lines  # the header's url
    assert f"{LONG_URL}。" in lines  # the body's, with the full stop that may not start a line
    assert all(cell_width(line) <= 80 for line in lines if "https://" not in line)
    # The pane's layout (whole_urls off) cuts it to the width.
    assert all(cell_width(line) <= 80 for line in render_article(a, 80).plain.split("\n"))


READER = [sys.executable, "-m", "reader.cli"]


def test_show_to_a_pipe_keeps_a_150_character_url_whole(tmp_path):
    url = LONG_URL[:150]
    assert len(url) == 150
    path = tmp_path / "a.md"
    path.write_text(
        f"---\ntitle: 美俄会谈\nurl: {url}\ndate: 2022-01-10\n---\n"
        f"<p>美国白宫当天发表声明，详情请见：{url}。舍曼表示双方将继续对话，然后一起吃了晚饭。</p>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    done = subprocess.run([*READER, "show", str(path)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert url in lines  # the header's line of its own
    assert f"{url}。" in lines
    assert "\x1b" not in done.stdout  # a pipe gets plain text
    assert all(cell_width(line) <= 80 for line in lines if url not in line)

"""parse_article: the layers of a file (front matter, RSS header, body) and the fields they settle."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import seed_path
from reader.parse.load import ArticleError, parse_article
from reader.model import BlockKind, DateOrigin, SpanKind

MTIME = 1_600_000_000.0
FILE_DATE = datetime(2020, 9, 13, 12, 26, 40, tzinfo=timezone.utc)
UTC = timezone.utc
CST = timezone(timedelta(hours=8))

RSS_HEADER = (
    "<!--1641833943000-->\n"
    "[美俄今日举行会谈](https://www.voachinese.com/a/talks-20220110/6390398.html)\n"
    "------\n\n"
)
RSS_FETCHED = datetime(2022, 1, 10, 16, 59, 3, tzinfo=UTC)  # 1641833943000 ms
DATE_LINE = "<div><i>Mon, 10 Jan 2022 16:06:38 GMT</i></div>"
RSS_PUBLISHED = datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC)


def load(text: str | bytes, name: str = "somewhere/x.md", mtime: float | None = MTIME):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_article(data, Path(name), mtime=mtime)


def texts(article) -> list[str]:
    return [block.text for block in article.blocks]


def kinds(article) -> list[BlockKind]:
    return [block.kind for block in article.blocks]


# -- front matter + HTML body (the archive's own format) ----------------------------------

def test_front_matter_html_article():
    text = (
        "\n---\n"
        "title: '美俄谈了7个半小时，_有用_但没啥进展'\n"
        "categories: \n - 新媒体\n - 观察者网\n - 头条\n"
        "headimg: 'https://i.guancha.cn/news/a.jpg'\n"
        "author: 观察者网\n"
        "comments: false\n"
        "date: Tue, 11 Jan 2022 10:55:39 GMT\n"
        "thumbnail: 'https://i.guancha.cn/news/a.jpg'\n"
        "tags: [美国, 俄罗斯]\n"
        "link: https://www.guancha.cn/internation/2022_01_11_621559.shtml\n"
        "---\n\n"
        '<div>\n<img src="a.jpg" alt="会谈现场（澎湃影像）">\n<p>\n【文/观察者网】正文第一段。\n</p>\n<p>第二段。</p>\n</div>\n'
    )
    article = load(text, "somewhere/x.txt")
    assert article.title == "美俄谈了7个半小时，_有用_但没啥进展"
    assert article.categories == ("新媒体", "观察者网", "头条")
    assert article.source == "观察者网"
    assert article.author == "观察者网"
    assert article.tags == ("美国", "俄罗斯")
    assert article.url == "https://www.guancha.cn/internation/2022_01_11_621559.shtml"
    assert article.date == datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC)
    assert article.date_origin is DateOrigin.METADATA
    assert article.format == "front-matter"
    assert article.problems == ()
    assert [(b.kind, b.text) for b in article.blocks] == [
        (BlockKind.CAPTION, "会谈现场（澎湃影像）"),
        (BlockKind.PARAGRAPH, "【文/观察者网】正文第一段。"),
        (BlockKind.PARAGRAPH, "第二段。"),
    ]


# -- front matter + Markdown body (blog exports) ---------------------------------------------

MARKDOWN_BODY = """
## 小标题

一段有[链接](https://example.com/a)和**粗体**和*斜体*的文字。

- 第一项
- 第二项
  - 嵌套项

1. 甲
2. 乙

> 引用的话

![日内瓦会场外景](https://example.com/p.jpg)

```
code  block
```
"""


@pytest.mark.parametrize("name", ["blog/x.md", "blog/x.markdown", "blog/x.txt", "blog/x"])
def test_front_matter_markdown_body_is_rendered(name):
    # Behind front matter the body is Markdown whatever the suffix says.
    article = load("---\ntitle: 博客\ndate: 2022-01-10\n---\n" + MARKDOWN_BODY, name)
    assert article.format == "front-matter"
    assert article.title == "博客"
    got = [(b.kind, b.text, b.level, b.ordinal) for b in article.blocks]
    assert got == [
        (BlockKind.HEADING, "小标题", 2, None),
        (BlockKind.PARAGRAPH, "一段有链接和粗体和斜体的文字。", 0, None),
        (BlockKind.LIST_ITEM, "第一项", 0, None),
        (BlockKind.LIST_ITEM, "第二项", 0, None),
        (BlockKind.LIST_ITEM, "嵌套项", 1, None),
        (BlockKind.LIST_ITEM, "甲", 0, 1),
        (BlockKind.LIST_ITEM, "乙", 0, 2),
        (BlockKind.QUOTE, "引用的话", 1, None),
        (BlockKind.CAPTION, "日内瓦会场外景", 0, None),
        (BlockKind.PRE, "code  block", 0, None),
    ]
    paragraph = article.blocks[1]
    found = {(span.kind, paragraph.text[span.start:span.end], span.url) for span in paragraph.spans}
    assert found == {
        (SpanKind.LINK, "链接", "https://example.com/a"),
        (SpanKind.BOLD, "粗体", None),
        (SpanKind.ITALIC, "斜体", None),
    }


@pytest.mark.parametrize(
    ("markdown", "kind", "url"),
    [
        pytest.param("[阅读原文](https://example.com/original)\n", BlockKind.PARAGRAPH, "https://example.com/original", id="paragraph"),
        pytest.param("- [相关报道](https://example.com/related)\n", BlockKind.LIST_ITEM, "https://example.com/related", id="list-item"),
    ],
)
def test_block_that_is_only_a_link_keeps_its_link(markdown, kind, url):
    article = load("---\ntitle: 博客\n---\n\n正文。\n\n" + markdown)
    block = article.blocks[-1]
    assert block.kind is kind
    assert [(span.kind, span.start, span.end, span.url) for span in block.spans] == [(SpanKind.LINK, 0, len(block.text), url)]


def test_paragraph_that_is_all_bold_keeps_its_bold():
    article = load("---\ntitle: 博客\n---\n\n正文。\n\n**全部加粗的一段**\n")
    (span,) = article.blocks[-1].spans
    assert (span.kind, span.start, span.end) == (SpanKind.BOLD, 0, len("全部加粗的一段"))


# -- RSS dumps --------------------------------------------------------------------

def test_rss_dump():
    article = load(RSS_HEADER + DATE_LINE + '<img src="a.jpg" width="100%"><div><small style="color: #999;">谢尔曼在日内瓦</small></div><p>正文。</p>', "feeds/x.txt")
    assert article.format == "rss"
    assert article.title == "美俄今日举行会谈"
    assert article.url == "https://www.voachinese.com/a/talks-20220110/6390398.html"
    assert article.source == "voachinese.com"
    assert article.date == RSS_PUBLISHED
    assert article.date_origin is DateOrigin.METADATA
    assert [(b.kind, b.text) for b in article.blocks] == [(BlockKind.CAPTION, "谢尔曼在日内瓦"), (BlockKind.PARAGRAPH, "正文。")]
    assert not any("Jan 2022" in block.text for block in article.blocks)
    assert article.problems == ()


DATE_LINES = [
    pytest.param(DATE_LINE, RSS_PUBLISHED, id="div-i"),
    pytest.param("<p><em>Mon, 10 Jan 2022 16:06:38 GMT</em></p>", RSS_PUBLISHED, id="p-em"),
    pytest.param("<div>2022-01-10 16:06</div>", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="div-iso"),
    pytest.param("<p><time>2022年1月10日 16:06</time></p>", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="time-chinese"),
]


@pytest.mark.parametrize(("line", "published"), DATE_LINES)
def test_rss_body_date_line_is_metadata(line, published):
    article = load(RSS_HEADER + line + "<p>正文。</p>", "feeds/x.txt")
    assert article.date == published
    assert texts(article) == ["正文。"]


def test_rss_line_that_is_not_a_date_stays_in_the_body():
    article = load(RSS_HEADER + "<div><i>编者按：这不是日期</i></div><p>正文。</p>", "feeds/x.txt")
    assert texts(article) == ["编者按：这不是日期", "正文。"]
    assert article.date == RSS_FETCHED  # the epoch comment is the next source
    assert article.date_origin is DateOrigin.METADATA


def test_rss_without_epoch_comment_needs_the_underline():
    underlined = load("[标题](https://www.example.com/a)\n------\n<p>正文。</p>", "feeds/x.txt")
    assert underlined.format == "rss"
    assert (underlined.title, underlined.url) == ("标题", "https://www.example.com/a")
    assert underlined.date == FILE_DATE and underlined.date_origin is DateOrigin.FILE
    # A bare link line could start any Markdown file: not an RSS header.
    bare = load("[标题](https://www.example.com/a)\n\n正文。\n", "notes/x.md")
    assert bare.format == "markdown"
    assert bare.url == ""


def test_seed_001_reads_as_rss():
    article = parse_article(seed_path("001").read_bytes(), Path("somewhere/x.txt"), mtime=MTIME)
    assert article.format == "rss"
    assert article.source == "voachinese.com"
    assert article.date == RSS_PUBLISHED
    assert article.url.startswith("https://www.voachinese.com/a/US-and-Russia")


# -- layers combine: front matter whose body is an RSS dump --------------------------------

COMBINED = [
    pytest.param(
        "title: 前言标题\ncategories: [ 中央社 ]\nfrom: https://www.cna.com.tw/news/1.aspx\ndate: 2022-01-11T08:00:00.123Z",
        dict(title="前言标题", source="中央社", url="https://www.cna.com.tw/news/1.aspx",
             date=datetime(2022, 1, 11, 8, 0, 0, 123000, tzinfo=UTC)),
        id="front-matter-wins-everything",
    ),
    pytest.param(
        "author: 某记者",
        dict(title="美俄今日举行会谈", source="某记者", url="https://www.voachinese.com/a/talks-20220110/6390398.html",
             date=RSS_PUBLISHED),
        id="title-url-date-from-rss",
    ),
    pytest.param(
        "title: 前言标题\nlink: https://www.bbc.com/zhongwen/simp/1",
        dict(title="前言标题", source="bbc.com", url="https://www.bbc.com/zhongwen/simp/1", date=RSS_PUBLISHED),
        id="link-key-and-host-source",
    ),
    pytest.param(
        "title: 前言标题\nurl: https://www.dw.com/zh/a-1",
        dict(title="前言标题", source="dw.com", url="https://www.dw.com/zh/a-1", date=RSS_PUBLISHED),
        id="url-key",
    ),
    pytest.param(
        "title: 前言标题",
        dict(title="前言标题", source="voachinese.com", url="https://www.voachinese.com/a/talks-20220110/6390398.html",
             date=RSS_PUBLISHED),
        id="source-from-rss-url-host",
    ),
    pytest.param(
        "title: ''\ndate: ''\nlink: ''",
        dict(title="美俄今日举行会谈", source="voachinese.com", url="https://www.voachinese.com/a/talks-20220110/6390398.html",
             date=RSS_PUBLISHED),
        id="empty-front-matter-values-do-not-win",
    ),
]


@pytest.mark.parametrize(("front", "expected"), COMBINED)
@pytest.mark.parametrize("name", ["somewhere/x.md", "somewhere/x.txt"])
def test_front_matter_plus_rss(front, expected, name):
    article = load(f"\n---\n{front}\n---\n\n" + RSS_HEADER + DATE_LINE + "<p>正文一。</p><p>正文二。</p>", name)
    assert article.format == "front-matter+rss"
    got = dict(title=article.title, source=article.source, url=article.url, date=article.date)
    assert got == expected
    assert article.date_origin is DateOrigin.METADATA
    assert texts(article) == ["正文一。", "正文二。"]
    assert article.problems == ()


def test_front_matter_plus_rss_without_date_line_uses_fetch_time():
    article = load("---\ntitle: 前言标题\n---\n" + RSS_HEADER + "<p>正文。</p>")
    assert article.date == RSS_FETCHED
    assert article.date_origin is DateOrigin.METADATA


def test_seed_001_behind_front_matter():
    front = "\n---\ntitle: 自定标题\ncategories: [ 美国之音 ]\n---\n\n".encode()
    article = parse_article(front + seed_path("001").read_bytes(), Path("somewhere/x.txt"), mtime=MTIME)
    assert article.format == "front-matter+rss"
    assert (article.title, article.source) == ("自定标题", "美国之音")
    assert article.url.startswith("https://www.voachinese.com/a/US-and-Russia")
    assert article.date == RSS_PUBLISHED
    assert not any("Mon, 10 Jan 2022" in block.text for block in article.blocks)


# -- source -----------------------------------------------------------------------

SOURCES = [
    pytest.param("categories: [新媒体, 观察者网, 头条]\nauthor: 某人", "观察者网", id="outlet-of-three"),
    pytest.param("categories:\n - 新媒体\n - Aljazeera 半岛网", "Aljazeera 半岛网", id="outlet-of-two"),
    pytest.param("categories: [ 中央社 ]\nauthor: 某人", "中央社", id="single-category-is-outlet"),
    pytest.param("category: 联合早报\nauthor: 某人", "联合早报", id="category-singular"),
    pytest.param("categories: 新媒体, 端传媒, 评论", "端传媒", id="categories-as-comma-string"),
    pytest.param("author: 某人\nlink: https://www.example.com/a", "某人", id="author-before-host"),
    pytest.param("link: https://www.example.com/a", "example.com", id="host-without-www"),
    pytest.param("from: https://news.example.org:8080/a", "news.example.org", id="host-keeps-subdomain"),
    pytest.param("title: 只有标题", "somewhere", id="parent-folder"),
    pytest.param("source: 路透社\ncategories: [新媒体, 观察者网]\nauthor: 某人", "路透社", id="explicit-source"),
    pytest.param("publisher: 美联社\nauthor: 某人", "美联社", id="explicit-publisher"),
    pytest.param("source: https://www.reuters.com/x\nauthor: 某人", "某人", id="source-that-is-a-url-is-skipped"),
    pytest.param("source: ''\nauthor: 某人", "某人", id="empty-source-is-skipped"),
]


@pytest.mark.parametrize(("front", "source"), SOURCES)
def test_source(front, source):
    article = load(f"---\ntitle: 标题\n{front}\n---\n<p>正文。</p>")
    assert article.source == source


FOLDER_SOURCES = [
    pytest.param("somewhere/2022-01/x.txt", "somewhere", id="year-month"),
    pytest.param("archive/2022/01/x.txt", "archive", id="year-then-month"),
    pytest.param("archive/202201/x.txt", "archive", id="yyyymm"),
    pytest.param("news/2022年1月/10日/x.txt", "news", id="chinese-date"),
    pytest.param("archive/2022-01-10/x.txt", "archive", id="day"),
    pytest.param("archive/backup-2022/x.txt", "backup-2022", id="name-with-a-year"),
]


@pytest.mark.parametrize(("path", "source"), FOLDER_SOURCES)
def test_a_date_folder_is_not_a_source(path, source):
    assert load("正文第一行\n\n第二段。\n", path).source == source
    assert load("<p>一段正文。</p>", path.replace(".txt", ".html")).source == source


ENTITIES = [
    pytest.param("title: 拜登政府称&quot;徒劳无益&quot;", "title", '拜登政府称"徒劳无益"', id="title"),
    pytest.param("title: 引号写成 &amp;quot;", "title", "引号写成 &quot;", id="title-decoded-once"),
    pytest.param("title: 'A &#8211; B'", "title", "A – B", id="numeric"),
    pytest.param("author: 张三&amp;李四", "author", "张三&李四", id="author"),
    pytest.param("source: 美&amp;亚", "source", "美&亚", id="source"),
    pytest.param("categories: [新媒体, 观察者&amp;网]", "categories", ("新媒体", "观察者&网"), id="categories"),
    pytest.param("title: 危险&#27;]52;c;eA==&#7;", "title", "危险]52;c;eA==", id="entities-never-bring-controls"),
]


@pytest.mark.parametrize(("front", "field", "expected"), ENTITIES)
def test_front_matter_entities_are_decoded(front, field, expected):
    article = load(f"---\n{front}\n---\n<p>正文。</p>")
    assert getattr(article, field) == expected


def test_rss_title_entities_are_decoded_once():
    header = "<!--1641833943000-->\n[拜登政府称&quot;徒劳无益&quot; &amp;amp;](https://www.voachinese.com/a/1.html)\n------\n\n"
    assert load(header + "<p>正文。</p>").title == '拜登政府称"徒劳无益" &amp;'


PAGE_SOURCES = [
    pytest.param('<meta property="og:site_name" content="端传媒"><meta name="author" content="某人">', "端传媒", id="og-site-name"),
    pytest.param('<meta name="author" content="某人">', "某人", id="meta-author"),
    pytest.param('<link rel="canonical" href="https://www.example.com/a">', "example.com", id="canonical-host"),
    pytest.param('<meta property="og:url" content="https://www.rfi.fr/cn/a">', "rfi.fr", id="og-url-host"),
    pytest.param("", "pages", id="parent-folder"),
]


@pytest.mark.parametrize(("head", "source"), PAGE_SOURCES)
def test_page_source(head, source):
    article = load(f"<html><head><title>标题</title>{head}</head><body><p>正文。</p></body></html>", "pages/x.html")
    assert article.source == source


def test_front_matter_categories_beat_og_site_name():
    # The archive's own word (front matter) is trusted before the page's.
    html = '<html><head><meta property="og:site_name" content="端传媒"></head><body><p>正文。</p></body></html>'
    article = load("---\ntitle: 标题\ncategories: [新媒体, 观察者网]\n---\n" + html)
    assert article.source == "观察者网"
    assert load("---\ntitle: 标题\n---\n" + html).source == "端传媒"


# -- plain HTML pages ----------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<title>{title}</title>
<meta property="og:site_name" content="Site">
{meta}
</head><body>
<header><p>导航</p></header>
<h1>Headline</h1>
<p>Body text.</p>
<footer><p>版权所有</p></footer>
</body></html>
"""

PAGES = [
    pytest.param("Headline - Site", id="dash"),
    pytest.param("Headline | Site", id="bar"),
    pytest.param("Headline_Site", id="underscore"),
    pytest.param("Headline — Site", id="em-dash"),
]


@pytest.mark.parametrize("title", PAGES)
def test_html_page_title_without_site_name(title):
    meta = '<meta property="article:published_time" content="2022-01-10T16:06:38+08:00">'
    article = load(PAGE.format(title=title, meta=meta), "pages/x.html")
    assert article.title == "Headline"
    assert article.source == "Site"
    assert article.format == "html"
    assert texts(article) == ["Body text."]  # the <h1> is the title, not repeated; header and footer dropped
    assert article.date == datetime(2022, 1, 10, 16, 6, 38, tzinfo=CST)
    assert article.date.utcoffset() == timedelta(hours=8)
    assert article.date_origin is DateOrigin.METADATA


PAGE_DATES = [
    pytest.param('<meta property="article:published_time" content="2022-01-10T16:06:38Z">', datetime(2022, 1, 10, 16, 6, 38, tzinfo=UTC), id="article-published-time"),
    pytest.param('<meta name="pubdate" content="2022-01-10">', datetime(2022, 1, 10, tzinfo=UTC), id="pubdate"),
    pytest.param('<meta itemprop="datePublished" content="2022-01-10 16:06">', datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="itemprop"),
    pytest.param('<meta name="date" content="Mon, 10 Jan 2022 16:06:38 GMT">', RSS_PUBLISHED, id="name-date-rfc2822"),
]


@pytest.mark.parametrize(("meta", "expected"), PAGE_DATES)
def test_html_page_meta_date(meta, expected):
    article = load(PAGE.format(title="Headline - Site", meta=meta), "pages/x.html")
    assert article.date == expected
    assert article.date_origin is DateOrigin.METADATA


def test_html_page_bad_meta_date_is_a_problem_and_falls_back_to_file_date():
    article = load(PAGE.format(title="Headline - Site", meta='<meta name="pubdate" content="某天">'), "pages/x.html")
    assert article.date == FILE_DATE
    assert article.date_origin is DateOrigin.FILE
    assert article.problems == ("date '某天' not understood",)


def test_og_title_beats_title_tag():
    html = '<html><head><title>Long - Site</title><meta property="og:title" content="短标题"></head><body><p>x</p></body></html>'
    assert load(html, "pages/x.html").title == "短标题"


def test_title_equal_to_site_name_is_kept():
    html = '<html><head><title>Site</title><meta property="og:site_name" content="Site"></head><body><p>x</p></body></html>'
    assert load(html, "pages/x.html").title == "Site"


def test_site_suffix_goes_when_the_page_states_the_headline():
    # Drupal: no og:site_name, but the <h1> says which part is the headline.
    html = "<html><head><title>Headline | Site</title></head><body><h1>Headline</h1><p>Body.</p></body></html>"
    article = load(html, "pages/x.html")
    assert (article.title, article.source) == ("Headline", "Site")
    assert texts(article) == ["Body."]


@pytest.mark.parametrize("html", [
    pytest.param("<h1>真正的标题</h1><article><p>第一段。</p><p>第二段。</p></article>", id="body"),
    pytest.param("<html><body><h1>真正的标题</h1><article><p>第一段。</p><p>第二段。</p></article></body></html>", id="page"),
])
def test_h1_before_the_article_is_the_title(html):
    article = load(html, "pages/x.html")
    assert article.title == "真正的标题"
    assert texts(article) == ["第一段。", "第二段。"]


def test_site_suffix_without_og_site_name_is_kept():
    html = "<html><head><title>Headline - Site</title></head><body><h1>Headline - Site</h1><p>Body.</p></body></html>"
    article = load(html, "pages/x.html")
    assert article.title == "Headline - Site"
    assert texts(article) == ["Body."]


TITLE_FALLBACKS = [
    pytest.param("<h2>第一个标题</h2><p>正文。</p>", "somewhere/x.html", "第一个标题", ["正文。"], id="html-first-heading"),
    pytest.param("<p>引子。</p><h3>稍后的标题</h3><p>正文。</p>", "somewhere/x.html", "稍后的标题", ["引子。", "稍后的标题", "正文。"], id="html-heading-in-first-three"),
    pytest.param("<p>第一行<br>第二行</p><p>正文。</p>", "somewhere/x.html", "第一行", ["第一行\n第二行", "正文。"], id="html-first-line"),
    pytest.param("# Markdown 标题\n\n正文。\n", "somewhere/x.md", "Markdown 标题", ["正文。"], id="md-heading"),
    pytest.param("正文第一行\n接着\n\n第二段。\n", "somewhere/x.md", "正文第一行接着", ["第二段。"], id="md-first-line"),
]


@pytest.mark.parametrize(("text", "name", "title", "body"), TITLE_FALLBACKS)
def test_title_without_metadata(text, name, title, body):
    article = load(text, name)
    assert article.title == title
    assert texts(article) == body
    assert article.date_origin is DateOrigin.FILE


# -- plain text ------------------------------------------------------------------

def test_plain_text_file():
    article = load("\n\n标题行\n第一段第一行\n第一段第二行\n\n\n第二段。\n \n第三段 ,  有空格。\n", "notes/x.txt")
    assert article.format == "text"
    assert article.title == "标题行"
    assert [(b.kind, b.text) for b in article.blocks] == [
        (BlockKind.PARAGRAPH, "第一段第一行第一段第二行"),
        (BlockKind.PARAGRAPH, "第二段。"),
        (BlockKind.PARAGRAPH, "第三段 , 有空格。"),
    ]
    assert article.date == FILE_DATE
    assert article.date_origin is DateOrigin.FILE
    assert article.source == "notes"
    assert article.problems == ()


def test_plain_text_crlf():
    article = load("Title line\r\n\r\nFirst paragraph\r\ncontinues.\r\n\r\nSecond.\r\n", "notes/x.txt")
    assert article.title == "Title line"
    assert texts(article) == ["First paragraph continues.", "Second."]


SUFFIXES = [
    pytest.param("notes/x.txt", "text", "# 标题", ["正文 **不是粗体**"], id="txt-is-literal"),
    pytest.param("notes/x.md", "markdown", "标题", ["正文 不是粗体"], id="md-is-rendered"),
    pytest.param("notes/x.markdown", "markdown", "标题", ["正文 不是粗体"], id="markdown-is-rendered"),
    pytest.param("notes/x.html", "html", "# 标题正文 **不是粗体**", [], id="html-is-one-line"),
]


@pytest.mark.parametrize(("name", "kind", "title", "body"), SUFFIXES)
def test_suffix_chooses_the_body_format(name, kind, title, body):
    article = load("# 标题\n\n正文 **不是粗体**\n", name)
    assert article.format == kind
    assert article.title == title
    assert texts(article) == body


def test_html_content_wins_over_suffix():
    article = load("<p>第一段。</p><p>第二段。</p>", "notes/x.txt")
    assert article.format == "html"
    assert article.title == "第一段。"
    assert texts(article) == ["第二段。"]


# -- dates in articles ----------------------------------------------------------------

ARTICLE_DATES = [
    pytest.param("date: Tue, 11 Jan 2022 10:55:39 GMT", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), id="rfc2822"),
    pytest.param("date: 2022-01-11T10:55:39.000Z", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), id="iso-millis"),
    pytest.param("date: 2022-01-11T18:55:39+08:00", datetime(2022, 1, 11, 18, 55, 39, tzinfo=CST), id="iso-offset"),
    pytest.param("date: 2022-01-11 10:55", datetime(2022, 1, 11, 10, 55, tzinfo=UTC), id="naive-is-utc"),
    pytest.param("date: 2022-01-11", datetime(2022, 1, 11, tzinfo=UTC), id="date-only"),
    pytest.param("date: 1641833943000", RSS_FETCHED, id="epoch-ms"),
    pytest.param("date: 2022年1月10日 16:06", datetime(2022, 1, 10, 16, 6, tzinfo=UTC), id="chinese"),
    pytest.param("published: 2022-01-11", datetime(2022, 1, 11, tzinfo=UTC), id="published-key"),
    pytest.param("created_at: 2022-01-11", datetime(2022, 1, 11, tzinfo=UTC), id="created-at-key"),
    # The YAML path: a block scalar makes the loader hand over typed values.
    pytest.param("date: 2022-01-11 10:55:39\nnote: |\n  x", datetime(2022, 1, 11, 10, 55, 39, tzinfo=UTC), id="yaml-naive-datetime"),
    pytest.param("date: 2022-01-11\nnote: |\n  x", datetime(2022, 1, 11, tzinfo=UTC), id="yaml-date"),
    pytest.param("date: 2022-01-11T18:55:39+08:00\nnote: |\n  x", datetime(2022, 1, 11, 18, 55, 39, tzinfo=CST), id="yaml-aware"),
    pytest.param("date: 1641833943\nnote: |\n  x", RSS_FETCHED, id="yaml-epoch-int"),
]


@pytest.mark.parametrize(("front", "expected"), ARTICLE_DATES)
def test_front_matter_dates(front, expected):
    article = load(f"---\ntitle: 标题\n{front}\n---\n<p>正文。</p>")
    assert article.date == expected
    assert article.date.utcoffset() == expected.utcoffset()
    assert article.date_origin is DateOrigin.METADATA
    assert article.problems == ()


DATE_FALLBACKS = [
    pytest.param("<p>正文。</p>", FILE_DATE, DateOrigin.FILE, id="to-file-date"),
    pytest.param(DATE_LINE + "<p>正文。</p>", RSS_PUBLISHED, DateOrigin.METADATA, id="to-body-date-line"),
    pytest.param(RSS_HEADER + "<p>正文。</p>", RSS_FETCHED, DateOrigin.METADATA, id="to-rss-fetch-time"),
    pytest.param(RSS_HEADER + DATE_LINE + "<p>正文。</p>", RSS_PUBLISHED, DateOrigin.METADATA, id="to-rss-date-line"),
]


@pytest.mark.parametrize("bad", ["date: 某年某月", "date: 2022-13-45", "date: [2022, 1]"])
@pytest.mark.parametrize(("body", "expected", "origin"), DATE_FALLBACKS)
def test_unparseable_front_matter_date_falls_back(bad, body, expected, origin):
    article = load(f"---\ntitle: 标题\n{bad}\n---\n{body}")
    assert article.date == expected
    assert article.date_origin is origin
    assert len(article.problems) == 1
    assert "not understood" in article.problems[0]
    assert texts(article) == ["正文。"]


def test_no_mtime_and_no_date():
    article = load("标题\n\n正文。\n", "notes/x.txt", mtime=None)
    assert article.date is None
    assert article.date_origin is None


def test_unrepresentable_mtime_gives_no_date():
    article = load("标题\n\n正文。\n", "notes/x.txt", mtime=1e20)
    assert article.date is None
    assert article.date_origin is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b" \n\t\n", id="blank"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", id="binary"),
    ],
)
def test_not_an_article(data):
    with pytest.raises(ArticleError):
        parse_article(data, Path("somewhere/x.txt"), mtime=MTIME)


def test_impossible_offset_in_front_matter_is_a_problem_not_a_crash():
    article = load("---\ntitle: 标题\ndate: 2022-01-10 16:06 +2400\n---\n" + DATE_LINE + "<p>正文。</p>")
    assert article.date == RSS_PUBLISHED
    assert article.problems == ("date '2022-01-10 16:06 +2400' not understood",)

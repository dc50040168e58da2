"""HTML to blocks: one test per rule, on small pages written to show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.parse.html import parse_html
from reader.model import Block, BlockKind, SpanKind


def blocks(html: str) -> list[Block]:
    return parse_html(html).blocks


def texts(html: str) -> list[str]:
    return [block.text for block in blocks(html)]


def captions(html: str) -> list[str]:
    return [block.text for block in blocks(html) if block.kind is BlockKind.CAPTION]


# -- captions ---------------------------------------------------------------------

CAPTION_CASES = [
    pytest.param(
        '<figure><img src="a.jpg" alt="alt text"><figcaption>图注：日内瓦会场</figcaption></figure><p>正文</p>',
        ["图注：日内瓦会场"], ["图注：日内瓦会场", "正文"], id="figcaption-beats-alt",
    ),
    pytest.param(
        '<p align="center"><img src="a.jpg" title="点击查看大图"></p>'
        '<p align="center"><span style="color:#666666;">参与会谈的舍曼（澎湃影像）</span></p><p>正文继续。</p>',
        ["参与会谈的舍曼（澎湃影像）"], ["参与会谈的舍曼（澎湃影像）", "正文继续。"], id="centred-grey-paragraph-after",
    ),
    pytest.param(
        '<p style="text-align:center;"><img src="a.jpg"></p><p style="text-align:center;">布林肯和拉夫罗夫 图自澎湃影像</p>',
        ["布林肯和拉夫罗夫 图自澎湃影像"], None, id="text-align-center",
    ),
    pytest.param(
        '<img src="a.jpg"><div><small style="color: #999;">谢尔曼在日内瓦（2022年1月10日）</small></div><p>正文</p>',
        ["谢尔曼在日内瓦（2022年1月10日）"], ["谢尔曼在日内瓦（2022年1月10日）", "正文"], id="small-in-next-element",
    ),
    pytest.param(
        '<div><img src="a.jpg" alt="车队驶过代表团驻地"/><div><small>车队驶过代表团驻地</small></div></div>',
        ["车队驶过代表团驻地"], ["车队驶过代表团驻地"], id="small-equal-to-alt-shown-once",
    ),
    pytest.param('<p><img src="a.jpg" alt="抵达日内瓦的车队"></p><p>正文很长的一段。</p>', ["抵达日内瓦的车队"], None, id="alt"),
    pytest.param('<p><img src="a.jpg" title="会谈现场"></p>', ["会谈现场"], None, id="title"),
    pytest.param('<p><img src="a.jpg" alt="" title="点击查看大图"></p><p>正文</p>', [], ["正文"], id="generic-title-is-no-caption"),
    pytest.param('<p><img src="a.jpg" alt="Click to enlarge"></p>', [], [], id="generic-english"),
    pytest.param('<p><img src="a.jpg" alt="IMG_2041.JPG"></p>', [], [], id="file-name-is-no-caption"),
    pytest.param('<p><img src="a.jpg" alt="image"></p>', [], [], id="image-word-is-no-caption"),
    pytest.param(
        '<p><img src="a.jpg"></p><p>这是一段很长的正文，它紧跟在图片后面，但它不是图注，因为它既没有居中，也没有灰色，更没有小字。</p>',
        [], None, id="plain-paragraph-after-image-is-body",
    ),
    pytest.param('<p><img src="a.jpg"></p><h2>小标题</h2>', [], ["小标题"], id="heading-after-image-is-not-caption"),
    pytest.param('<p>文字<img src="smile.gif" width="16" height="16" alt="微笑">继续</p>', [], ["文字继续"], id="icons-are-not-pictures"),
    pytest.param(
        '<p><img src="a.jpg" alt="同一张图"><img src="a.jpg" alt="同一张图"></p>', ["同一张图"], None, id="lazy-load-duplicate-once",
    ),
    pytest.param(
        '<p><img src="a.jpg"></p><p><em>An italic line under the picture</em></p>',
        ["An italic line under the picture"], None, id="italic-line-after",
    ),
]


# An image's alt text, then the same words again in the next block: one caption, shown and indexed once.
ALT = "拜登与普京在日内瓦会晤"
REPEATED_CAPTION_CASES = [
    pytest.param(f'<p>前文。</p><img src="a.jpg" alt="{ALT}"><p>{ALT}</p><p>正文。</p>', [ALT], ["前文。", ALT, "正文。"], id="plain-paragraph"),
    pytest.param(f'<p><img src="a.jpg" alt="{ALT}"></p><p>{ALT}</p><p>正文。</p>', [ALT], [ALT, "正文。"], id="image-in-its-own-paragraph"),
    pytest.param(f'<img src="a.jpg" alt="{ALT}"><p>{ALT}。</p><p>正文。</p>', [ALT], None, id="punctuation-aside"),
    pytest.param(f'<img src="a.jpg" alt="{ALT}"><p>拜登与 普京在日内瓦 会晤</p>', [ALT], None, id="spaces-aside"),
    pytest.param(f'<img src="a.jpg" alt="{ALT}"><div>{ALT}（路透社）</div><p>正文。</p>', [ALT + "（路透社）"], None, id="with-a-credit-the-fuller"),
    pytest.param(f'<img src="a.jpg" alt="{ALT}（路透社）"><p>{ALT}</p><p>正文。</p>', [ALT + "（路透社）"], None, id="alt-the-fuller"),
    pytest.param(
        f'<figure><img src="a.jpg" alt="{ALT}"><figcaption>{ALT}</figcaption></figure><p>{ALT}</p><p>正文。</p>',
        [ALT], [ALT, "正文。"], id="figcaption-then-paragraph",
    ),
    pytest.param(f'<img src="a.jpg" alt="{ALT}"><img src="b.jpg" alt="{ALT}"><p>正文。</p>', [ALT], None, id="two-pictures-one-caption"),
    pytest.param('<img src="a.jpg" alt="Biden and Putin"><p>BIDEN AND PUTIN</p>', ["Biden and Putin"], None, id="case-aside"),
    # Not the same words: both stay.
    pytest.param(
        '<img src="a.jpg" alt="拜登"><p>拜登与普京在日内瓦会晤，双方讨论了军控和网络安全。</p>',
        ["拜登"], ["拜登", "拜登与普京在日内瓦会晤，双方讨论了军控和网络安全。"], id="a-paragraph-that-says-more",
    ),
    pytest.param(f'<p>{ALT}</p><img src="a.jpg" alt="{ALT}"><p>正文。</p>', [ALT], [ALT, ALT, "正文。"], id="paragraph-before-is-the-text"),
    pytest.param(f'<img src="a.jpg" alt="{ALT}"><h2>{ALT}</h2>', [ALT], [ALT, ALT], id="a-heading-is-no-caption"),
]


@pytest.mark.parametrize("html, expected_captions, expected_texts", REPEATED_CAPTION_CASES)
def test_a_caption_repeated_in_the_next_block_is_one_caption(html, expected_captions, expected_texts):
    test_image_becomes_its_caption(html, expected_captions, expected_texts)


def test_a_repeated_caption_is_indexed_once():
    from reader.catalog.snapshot import snapshot_of
    from reader.parse.load import parse_article
    from reader.search.engine import search

    data = f'---\ntitle: 会晤\n---\n<p>前文。</p><img src="a.jpg" alt="{ALT}"><p>{ALT}</p><p>正文。</p>\n'.encode()
    article = parse_article(data, Path("x.md"), mtime=0.0)
    (hit,) = search(snapshot_of([article]), ALT).hits
    assert [block.text for block in article.blocks].count(ALT) == 1
    assert hit.block == 1 and article.blocks[1].kind is BlockKind.CAPTION


@pytest.mark.parametrize("html, expected_captions, expected_texts", CAPTION_CASES)
def test_image_becomes_its_caption(html, expected_captions, expected_texts):
    assert captions(html) == expected_captions
    if expected_texts is not None:
        assert texts(html) == expected_texts


def test_caption_stands_where_the_image_was():
    result = blocks('<p>前文。</p><p><img src="a.jpg" alt="图一"></p><p>后文。</p>')
    assert [(b.kind, b.text) for b in result] == [
        (BlockKind.PARAGRAPH, "前文。"), (BlockKind.CAPTION, "图一"), (BlockKind.PARAGRAPH, "后文。"),
    ]


def test_caption_text_is_clean():
    (caption,) = captions('<img src="a.jpg" alt="  图 &amp;\n注 \x1b[31m红  ">')
    assert caption == "图 & 注 红"  # the whole escape sequence goes, not just ESC


# -- noise ------------------------------------------------------------------------

NOISE_CASES = [
    pytest.param("<p>正文</p><script>alert('x')</script><style>p{}</style><noscript>请启用</noscript>", id="script-style-noscript"),
    pytest.param('<p>正文</p><iframe src="x">框架</iframe>', id="iframe"),
    pytest.param('<p>正文<ins class="adsbygoogle" data-ad-client="ca-pub">广告</ins></p>', id="adsbygoogle"),
    pytest.param('<p>正文</p><div class="ad-box">买买买</div>', id="ad-class"),
    pytest.param('<p>正文</p><div id="google_ads_1">买买买</div>', id="ad-id"),
    pytest.param('<p>正文</p><!--广告画开始--><div><table><tr><td>买买买</td></tr></table></div><!--广告画结束-->', id="ad-comment-markers"),
    pytest.param('<p>正文<font color="#F8F8F8">Mitbbs.com</font></p>', id="near-white-font"),
    pytest.param('<p>正文<span style="color: #fff">水印</span></p>', id="white-style"),
    pytest.param('<p>正文<span style="color:white !important">水印</span></p>', id="white-named"),
    pytest.param('<p>正文<span style="display:none">隐藏</span></p>', id="display-none"),
    pytest.param('<p>正文<span style="visibility: hidden">隐藏</span></p>', id="visibility-hidden"),
    pytest.param('<p>正文<span hidden>隐藏</span></p>', id="hidden-attribute"),
]


@pytest.mark.parametrize("html", NOISE_CASES)
def test_noise_is_dropped(html):
    assert texts(html) == ["正文"]


def test_white_text_on_a_dark_background_is_visible():
    assert texts('<div style="background:#003366"><p><font color="#ffffff">白字</font></p></div>') == ["白字"]


def test_grey_text_is_visible():
    assert texts('<p><span style="color:#666">灰字</span></p>') == ["灰字"]


def test_ad_start_without_end_drops_nothing():
    # A stray start marker must not swallow the rest of the article.
    assert texts("<p>一</p><!--广告开始--><p>二</p><p>三</p>") == ["一", "二", "三"]


def test_words_like_head_and_download_are_not_ads():
    assert texts('<div class="article-head download shadow"><p>正文</p></div>') == ["正文"]


# -- whitespace and characters ------------------------------------------------------------

WHITESPACE_CASES = [
    pytest.param("<p>  多个   空格  </p>", "多个 空格", id="runs-collapse"),
    pytest.param("<p>中文\n换行</p>", "中文换行", id="line-break-between-cjk-goes"),
    pytest.param("<p>English\nwords</p>", "English words", id="line-break-between-latin-is-a-space"),
    pytest.param("<p><span>美俄</span>\n<span>会谈</span></p>", "美俄会谈", id="no-space-when-inline-elements-join"),
    pytest.param("<p>【文/观察者网 刘程辉】</p>", "【文/观察者网 刘程辉】", id="typed-space-stays"),
    pytest.param("<p>据 <b>Reuters</b> 报道</p>", "据 Reuters 报道", id="mixed-spaces-kept"),
    pytest.param("<p>&ldquo;有用&rdquo; &amp; &lt;b&gt; &#x4E2D;&#25991;</p>", "“有用” & <b> 中文", id="entities-decoded"),
    pytest.param("<p>全角，标点。（括号）</p>", "全角，标点。（括号）", id="full-width-punctuation-kept"),
    pytest.param("<p>a&nbsp;&nbsp;b\u3000\u3000c</p>", "a b c", id="nbsp-and-ideographic-space"),
    pytest.param("<p>\u3000\u3000首行缩进</p>", "首行缩进", id="leading-ideographic-indent"),
    pytest.param("<p>x\u200by</p>", "xy", id="zero-width-space"),
]


@pytest.mark.parametrize("html, expected", WHITESPACE_CASES)
def test_whitespace_is_normalised(html, expected):
    assert texts(html) == [expected]


@pytest.mark.parametrize(
    "html",
    [
        "<p>a\x1b[31mred\x1b[0m b</p>",
        "<p>a&#27;[31mred b</p>",
        "<p>a\x1b]52;c;ZXZpbA==\x07 b</p>",
        "<p>a&#7;&#8;&#0; b\u202e</p>",
        "<p>a\x9b31m b</p>",
    ],
)
def test_control_characters_and_escapes_never_survive(html):
    (text,) = texts(html)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in text), repr(text)
    assert text.startswith("a") and text.endswith("b")


def test_br_is_a_line_break_and_two_end_a_paragraph():
    assert texts("<p>第一行<br>第二行<br><br>新段落</p>") == ["第一行\n第二行", "新段落"]


def test_runs_of_empty_paragraphs_and_breaks_leave_nothing():
    assert texts("<p></p><br><br><p> </p><p>正文</p><br><p>&nbsp;</p>") == ["正文"]


# -- structure ----------------------------------------------------------------------------

def test_headings_keep_their_level():
    result = blocks("<h1>一</h1><h3>三</h3><p>正文</p>")
    assert [(b.kind, b.level) for b in result] == [(BlockKind.HEADING, 1), (BlockKind.HEADING, 3), (BlockKind.PARAGRAPH, 0)]


def test_lists_keep_order_and_depth():
    result = blocks('<ol start="3"><li>三</li><li>四<ul><li>子项</li></ul></li></ol>')
    assert [(b.kind, b.text, b.level, b.ordinal) for b in result] == [
        (BlockKind.LIST_ITEM, "三", 0, 3),
        (BlockKind.LIST_ITEM, "四", 0, 4),
        (BlockKind.LIST_ITEM, "子项", 1, None),
    ]


@pytest.mark.parametrize(
    "html",
    [
        '<ol start="²"><li>一</li><li>二</li></ol>',  # str.isdigit says yes, int says no
        '<ol start="{}"><li>一</li><li>二</li></ol>'.format("9" * 4301),  # past int's digit limit
        '<ol start="١٢"><li>一</li><li>二</li></ol>',  # Arabic-Indic digits: a browser reads ASCII only
        '<ol start="x"><li>一</li><li>二</li></ol>',
    ],
    ids=["superscript", "4301-digits", "arabic-indic", "letter"],
)
def test_unreadable_list_start_counts_from_one(html):
    assert [b.ordinal for b in blocks(html)] == [1, 2]


@pytest.mark.parametrize("value", ["²", "9" * 4301, "-"], ids=["superscript", "4301-digits", "minus"])
def test_unreadable_item_value_keeps_counting(value):
    html = f'<ol start="5"><li>一</li><li value="{value}">二</li></ol>'
    assert [b.ordinal for b in blocks(html)] == [5, 6]


def test_item_value_renumbers_the_list():
    assert [b.ordinal for b in blocks('<ol><li value=" 7 ">一</li><li>二</li></ol>')] == [7, 8]


@pytest.mark.parametrize("width", ["²", "9" * 4301, "١٢"], ids=["superscript", "4301-digits", "arabic-indic"])
def test_images_with_unreadable_sizes_keep_their_caption(width):
    captions = [b.text for b in blocks(f'<p><img width="{width}" height="{width}" alt="图说">正文</p>') if b.kind is BlockKind.CAPTION]
    assert captions == ["图说"]


def test_tiny_images_are_icons():
    assert blocks('<p><img width="16px" alt="笑脸">正文</p>') == [Block(BlockKind.PARAGRAPH, "正文")]


@pytest.mark.parametrize("style", ["color:rgb({},0,0)".format("9" * 4301), "color:rgb(²,0,0)", "background:rgb({},9,9)".format("9" * 5000)],
                         ids=["4301-digits", "superscript", "background-5000-digits"])
def test_unreadable_colours_do_not_hide_text(style):
    assert [b.text for b in blocks(f'<p style="{style}">颜色</p>')] == ["颜色"]


def test_huge_rgb_channels_count_as_full():
    assert blocks('<p style="color:rgb(2550,2550,2550)">白</p>') == []


def test_block_quotes_nest():
    result = blocks("<blockquote><p>引文</p><blockquote><p>再引</p></blockquote></blockquote>")
    assert [(b.kind, b.text, b.level) for b in result] == [(BlockKind.QUOTE, "引文", 1), (BlockKind.QUOTE, "再引", 2)]


def test_preformatted_text_keeps_its_spaces():
    (block,) = blocks("<pre>def f():\n    return  1</pre>")
    assert block.kind is BlockKind.PRE and block.text == "def f():\n    return  1"


def test_data_table_becomes_rows():
    (block,) = blocks("<table><tr><th>国家</th><th>人数</th></tr><tr><td>美国</td><td>20</td></tr></table>")
    assert block.kind is BlockKind.TABLE
    assert block.rows == (("国家", "人数"), ("美国", "20"))
    assert "美国" in block.text


def test_layout_table_is_read_as_paragraphs():
    html = "<table><tr><td><p>第一段正文。</p><p>第二段正文。</p></td></tr></table>"
    assert [(b.kind, b.text) for b in blocks(html)] == [(BlockKind.PARAGRAPH, "第一段正文。"), (BlockKind.PARAGRAPH, "第二段正文。")]


def test_inline_spans_mark_bold_italic_and_links():
    (block,) = blocks('<p>前<strong>粗</strong><em>斜</em><a href="https://example.com/x">链接</a>后</p>')
    assert block.text == "前粗斜链接后"
    found = {(span.kind, block.text[span.start:span.end], span.url) for span in block.spans}
    assert found == {
        (SpanKind.BOLD, "粗", None),
        (SpanKind.ITALIC, "斜", None),
        (SpanKind.LINK, "链接", "https://example.com/x"),
    }


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "JaVaScRiPt:x"])
def test_unsafe_links_are_plain_text(href):
    (block,) = blocks(f'<p>点<a href="{href}">这里</a></p>')
    assert block.text == "点这里"
    assert not [span for span in block.spans if span.kind is SpanKind.LINK]


def test_bold_style_attribute_counts_as_bold():
    (block,) = blocks('<p><span style="font-weight:700">重</span>轻</p>')
    assert [(s.kind, s.start, s.end) for s in block.spans] == [(SpanKind.BOLD, 0, 1)]


def test_whole_page_reads_title_meta_and_article_only():
    page = """<!doctype html><html><head><title>标题 - 某报</title>
    <meta property="og:site_name" content="某报"><meta property="article:published_time" content="2022-01-10T08:00:00+08:00">
    </head><body><nav><a href="/">首页</a></nav><header>网站页眉</header>
    <article><h1>标题</h1><p>正文。</p></article><footer>版权所有</footer></body></html>"""
    document = parse_html(page)
    assert document.title == "标题 - 某报"
    assert document.meta["og:site_name"] == "某报"
    assert document.meta["article:published_time"] == "2022-01-10T08:00:00+08:00"
    assert [b.text for b in document.blocks] == ["标题", "正文。"]


# -- robustness ------------------------------------------------------------------------------

def test_deep_nesting_does_not_recurse():
    html = "<div>" * 20000 + "<p>深处</p>" + "</div>" * 20000
    assert "深处" in texts(html)


def test_too_deep_page_keeps_text_around_unclosed_tags():
    html = "<div>" * 2100 + "<p>深处</p><p>尾巴</p>" + "<a" * 50
    assert texts(html)[:2] == ["深处", "尾巴"]


@given(st.lists(st.sampled_from(["<div>", "</div>", "<a", "<p>", "</p>", "<br>", "<b>", "</b>", "x", " ", ">", "<", "</td >", "<img src=a>"]), max_size=30).map("".join))
def test_flattening_drops_the_same_tags_as_one_regex_over_the_page(html):
    from reader.parse.html import _NESTABLE_TAG, _flatten

    assert _flatten(html) == _NESTABLE_TAG.sub(lambda tag: "<br><br>" if tag.group(1) else "", html)


@pytest.mark.parametrize("html", ["<p>&#27;x</p>", "<p>&#7;</p><p>正文</p>", "<div>&#27;c<p>正文</p></div>"])
def test_a_paragraph_of_control_characters_leaves_no_empty_block(html):
    assert all(block.text for block in blocks(html))


def test_object_replacement_characters_go_and_replacement_characters_stay():
    assert texts("<p>正文\ufffc里<b>粗\ufffc</b>\ufffd</p><p>&#xfffc;二</p>") == ["正文里粗\ufffd", "二"]


def test_cut_off_html_renders_what_it_has():
    assert texts("<p>第一段。</p><p>第二段被截<b>断了") == ["第一段。", "第二段被截断了"]


@pytest.mark.parametrize("html", ["", "   ", "<!-- only a comment -->", "<html></html>", "\x00\x00"])
def test_empty_inputs_give_no_blocks(html):
    assert blocks(html) == []


def test_large_paragraph_is_handled():
    sentence = "这是一个很长的句子，用来测试数兆字节的段落。"
    (block,) = blocks("<p>" + sentence * 100_000 + "</p>")
    assert len(block.text) == len(sentence) * 100_000


def test_thousands_of_images():
    html = "".join(f'<p><img src="{i}.jpg" alt="图{i}"></p>' for i in range(3000))
    assert len(captions(html)) == 3000


_HTML_PIECES = st.sampled_from(
    list("<>/=\"' abcpdivimgsrcalt中文，。&;#x\n\t\x1b\x00")
    + ["<p>", "</p>", "<img ", "<br>", "<!--", "-->", "<b>", "</b>", "<table>", "<td>", "<li>", "&#27;", "alt=", "<a href=", "<pre>"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_HTML_PIECES, max_size=120).map("".join))
def test_any_input_gives_clean_blocks(html):
    result = blocks(html)
    for block in result:
        if block.kind is BlockKind.PRE:
            assert all(line == line.rstrip() for line in block.text.split("\n"))
        else:
            assert block.text == block.text.strip(" ")
        assert not any(ord(c) < 0x20 and c not in "\n\t" for c in block.text)
        for span in block.spans:
            assert 0 <= span.start < span.end <= len(block.text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_arbitrary_text_never_raises(html):
    parse_html(html)

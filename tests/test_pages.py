"""Whole saved pages (reader.parse.pages): the article only, with the page's own title, source and date.

The fixtures in tests/pages/ are small pages written for these tests, each of
one kind: WeChat, Drupal, WordPress, JSON-LD, og: tags only, and none at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import SEEDS
from reader.parse.html import parse_html
from reader.parse.load import parse_article
from reader.model import BlockKind, DateOrigin

PAGES = Path(__file__).resolve().parent / "pages"
MTIME = 1_600_000_000.0
FILE_DATE = datetime(2020, 9, 13, 12, 26, 40, tzinfo=timezone.utc)
UTC = timezone.utc
CST = timezone(timedelta(hours=8))


def fixture(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def load(html: str, path: str = "archive/x.html"):
    return parse_article(html.encode("utf-8"), Path(path), mtime=MTIME)


def texts(article) -> list[str]:
    return [block.text for block in article.blocks]


def shown(article) -> str:
    """Everything the reader shows of the body, as one string."""
    return "\n".join(texts(article))


# -- one page of each kind ---------------------------------------------------------------

KINDS = [
    pytest.param(
        "wechat.html", "山城的夜班公交：一条线路和它的乘客", "江岸观察", datetime(2020, 10, 5, 3, 49, 54, tzinfo=UTC),
        "晚上十一点以后，这条线路只剩下一辆车在跑。",
        ["Today", "The following article is from", "夜行笔记", "记录城市里晚归的人", "微信号", "功能介绍", "阅读", "江岸观察", "林小舟"],
        id="wechat"),
    pytest.param(
        "drupal.html", "湖畔社区图书室重新开放", "湖畔华人通讯", datetime(2016, 5, 26, 10, 12, tzinfo=CST),
        "关闭了两年的湖畔社区图书室本周四重新开放",
        ["提交", "Lu Wei", "san_.jpg", "跳转到主要内容", "首页", "添加新评论", "标签", "最新内容", "Powered by", "湖畔华人通讯"],
        id="drupal"),
    pytest.param(
        "wordpress.html", "港口城市的舊倉庫變身市集", "南風週報", datetime(2021, 3, 4, 9, 30, tzinfo=CST),
        "碼頭邊那排空置了十多年的紅磚倉庫",
        ["發佈於", "陳雨晴", "分享此文", "Facebook", "南風週報記者", "留言", "上週去過", "熱門文章", "上一篇", "分類"],
        id="wordpress-author-box"),
    pytest.param(
        "jsonld.html", "高原铁路完成全线铺轨", "西部经济网", datetime(2019, 11, 20, 15, 42, tzinfo=CST),
        "经过五年施工，这条穿越高原的铁路昨天完成了全线铺轨。",
        ["登录", "来源", "分享到", "责任编辑", "相关新闻", "排行榜", "版权所有", "首页"],
        id="json-ld"),
    pytest.param(
        "og-only.html", "老城区的最后一家照相馆", "城事", datetime(2023, 6, 18, 8, 5, tzinfo=CST),
        "照相馆开在老街的转角",
        ["周默", "分享", "复制链接", "👍", "订阅城事", "你可能还喜欢", "菜市场", "首页"],
        id="og-only"),
]


@pytest.mark.parametrize(("name", "title", "source", "date", "opening", "chrome"), KINDS)
def test_whole_page_reads_like_an_article(name, title, source, date, opening, chrome):
    article = load(fixture(name))
    assert article.title == title
    assert article.source == source
    assert article.date == date
    assert article.date.utcoffset() == date.utcoffset()
    assert article.date_origin is DateOrigin.METADATA
    assert article.blocks[0].kind is BlockKind.PARAGRAPH
    assert article.blocks[0].text.startswith(opening)
    body = shown(article)
    assert [word for word in chrome if word in body] == []
    assert title not in texts(article)  # the header shows it; the body does not repeat it
    assert article.format == "html"


def test_page_with_no_metadata():
    article = load(fixture("bare.html"), "archive/2021-03/x.html")
    assert article.title == "河边的早市"
    assert article.source == "archive"  # the folder, not the date folder it is filed in
    assert article.date == FILE_DATE and article.date_origin is DateOrigin.FILE
    assert texts(article)[0].startswith("天还没亮，河边的空地上就摆满了摊子。")
    assert len(article.blocks) == 3  # the menu, the comment and the footer are gone
    assert "路过的人" not in shown(article)


def test_undated_page_gets_the_date_written_in_it():
    html = fixture("bare.html").replace('<div class="post-body">', '<div class="post-info">发布时间：2021-03-04 10:20</div><div class="post-body">')
    article = load(html)
    assert article.date == datetime(2021, 3, 4, tzinfo=UTC)
    assert article.date_origin is DateOrigin.METADATA
    assert "发布时间" not in shown(article)


def test_a_year_alone_is_no_date():
    # htmldate reads "© 2019" as 2019-01-01; the file's time is nearer the truth.
    article = load(fixture("bare.html").replace("本站文章仅供交流", "© 2019 本站"))
    assert article.date_origin is DateOrigin.FILE


# -- body parts that stay --------------------------------------------------------------------

def test_captions_headings_and_hidden_article_of_a_wechat_page():
    article = load(fixture("wechat.html"))
    kinds = [(block.kind, block.text[:8]) for block in article.blocks]
    assert kinds == [
        (BlockKind.PARAGRAPH, "晚上十一点以后，"),
        (BlockKind.CAPTION, "深夜的终点站，车"),  # the grey line under the image
        (BlockKind.PARAGRAPH, "最常见的乘客是刚"),
        (BlockKind.HEADING, "末班车上的约定"),
        (BlockKind.PARAGRAPH, "有一次下大雨，一"),
        (BlockKind.PARAGRAPH, "线路明年可能调整"),
    ]


def test_figcaption_of_a_wordpress_page():
    article = load(fixture("wordpress.html"))
    assert (BlockKind.CAPTION, "週末的倉庫市集，攤位一路排到碼頭邊") in [(b.kind, b.text) for b in article.blocks]
    assert article.author == "陳雨晴"
    assert len(article.blocks) == 4


# -- where each field comes from, in order of trust ------------------------------------------

ARCHIVED = {"nickname": "存档里的公众号", "created_at": "2020-10-05 11:49:54", "url": "https://mp.weixin.qq.com/s/archived"}


def test_archive_comment_comes_first():
    article = load(f"<!-- {json.dumps(ARCHIVED, ensure_ascii=False)} -->\n" + fixture("wechat.html"))
    assert article.source == "存档里的公众号"
    assert article.url == "https://mp.weixin.qq.com/s/archived"
    # Written without an offset; the page's epoch time says which one it meant.
    assert article.date == datetime(2020, 10, 5, 11, 49, 54, tzinfo=CST)
    assert article.date.utcoffset() == timedelta(hours=8)
    assert texts(article)[0].startswith("晚上十一点以后")


def test_archive_comment_time_without_the_page_epoch_is_utc():
    page = fixture("wechat.html").replace('var ct = "1601869794";', "")
    article = load(f"<!-- {json.dumps(ARCHIVED)} -->\n" + page)
    assert article.date == datetime(2020, 10, 5, 11, 49, 54, tzinfo=UTC)


@pytest.mark.parametrize(("cut", "source"), [
    pytest.param([], "江岸观察", id="js-name"),
    pytest.param(['id="js_name"'], "江岸观察", id="profile-nickname"),
    pytest.param(['id="js_name"', 'class="profile_nickname"'], "江岸观察", id="var-nickname"),
    pytest.param(['id="js_name"', 'class="profile_nickname"', 'var nickname = "江岸观察";'], "林小舟", id="author-when-no-account"),
])
def test_wechat_account_is_the_source(cut, source):
    page = fixture("wechat.html")
    for text in cut:
        assert text in page
        page = page.replace(text, "")
    assert load(page).source == source


def test_wechat_publish_time_without_ct():
    page = fixture("wechat.html").replace('var ct = "1601869794";', "")
    assert load(page).date == datetime(2020, 10, 5, tzinfo=UTC)  # var publish_time = "2020-10-05"


@pytest.mark.parametrize("site", ["Medium", "Substack", "Matters", "Blogger", "微信公众平台"])
def test_a_platform_is_not_a_source(site):
    page = fixture("og-only.html").replace('content="城事">', f'content="{site}">\n<meta name="author" content="周默">')
    page = page.replace("| 城事</title>", f"| by 周默 | {site}</title>")
    assert load(page).source == "周默"


def test_platform_host_is_not_a_source():
    page = fixture("bare.html").replace("<title>", '<link rel="canonical" href="https://medium.com/@someone/a-1"><title>')
    article = load(page, "archive/x.html")
    assert article.url == "https://medium.com/@someone/a-1"
    assert article.source == "archive"


def test_json_ld_beats_meta_tags():
    article = load(fixture("jsonld.html"))
    assert article.author == "王立, 赵敏"  # not the meta author "编辑部"
    assert article.source == "西部经济网"  # not og:site_name "西部经济网 xbjj.example.cn"
    assert article.url == "https://xbjj.example.cn/2019/11/20/railway.html"


def test_json_ld_graph_and_entities():
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "站点"},
        {"@type": ["BlogPosting"], "headline": "拜登政府称&quot;徒劳无益&quot;", "datePublished": "2022-01-10T08:00:00+08:00",
         "author": "某人", "publisher": {"name": "某报"}}]}
    page = fixture("bare.html").replace("</head>", f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>')
    article = load(page)
    assert article.title == '拜登政府称"徒劳无益"'
    assert article.source == "某报"
    assert article.date == datetime(2022, 1, 10, 8, tzinfo=CST)


def test_broken_json_ld_is_ignored():
    page = fixture("og-only.html").replace("</head>", '<script type="application/ld+json">{"headline": </script></head>')
    assert load(page).title == "老城区的最后一家照相馆"


def test_time_element_beats_the_comments_times():
    article = load(fixture("wordpress.html"))
    assert article.date == datetime(2021, 3, 4, 9, 30, tzinfo=CST)  # not the update, nor a comment's


def test_front_matter_comes_before_the_page():
    front = "---\ntitle: 存档标题\ndate: 2022-02-02 10:00\ncategories: [网页, 存档源]\n---\n"
    article = load(front + fixture("jsonld.html"), "archive/x.md")
    assert (article.title, article.source, article.date) == ("存档标题", "存档源", datetime(2022, 2, 2, 10, tzinfo=UTC))
    assert article.format == "front-matter"
    assert texts(article)[0].startswith("经过五年施工")  # the body is still read as a whole page


def test_page_date_that_nobody_can_read_is_a_problem():
    page = fixture("og-only.html").replace("2023-06-18T08:05:00+08:00", "某天")
    article = load(page)
    assert "date '某天' not understood" in article.problems


# -- the fast path -----------------------------------------------------------------------

def test_bodies_never_go_to_the_page_reader():
    for path in sorted(SEEDS.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        assert parse_html(body).page is None, path.name
    assert parse_html(fixture("bare.html")).page is not None


def test_loading_bodies_does_not_import_the_extraction_library():
    code = (
        "import sys; from pathlib import Path; from reader.parse.load import load_article\n"
        f"[load_article(p) for p in sorted(Path({str(SEEDS)!r}).glob('*.txt'))]\n"
        "assert 'trafilatura' not in sys.modules and 'htmldate' not in sys.modules, 'imported'\n"
        f"load_article(Path({str(PAGES / 'jsonld.html')!r}))\n"
        "assert 'trafilatura' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert done.returncode == 0, done.stderr


def test_a_page_trafilatura_finds_nothing_in_is_read_whole():
    page = "<html><head><title>短页</title></head><body><nav><p>菜单</p></nav><p>只有一句话。</p><footer>版权</footer></body></html>"
    article = load(page)
    assert texts(article) == ["只有一句话。"]


def test_a_page_of_too_many_tags_is_read_without_the_libraries(monkeypatch):
    # Both libraries cost about 6 µs an element; a page of 250,000 <br> took seconds.
    from reader.parse import pages
    from reader.parse.pages import _extract

    def refuse(*_args, **_kwargs):
        raise AssertionError("a library was asked")

    monkeypatch.setattr(_extract, "main_texts", refuse)
    monkeypatch.setattr(_extract, "find_date", refuse)
    crowded = fixture("bare.html").replace("<p>天还没亮", "<p>" + "<br>" * (pages.MAX_TAGS + 1) + "天还没亮")
    article = load(crowded)
    assert texts(article)[0] == "首页文章列表关于本站"  # read as a body is: the menu is kept
    assert "天还没亮" in shown(article)
    assert article.date_origin is DateOrigin.FILE

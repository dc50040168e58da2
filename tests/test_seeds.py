"""Golden tests: what each sample article must read as."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from reader.model import BlockKind, DateOrigin

GOLDEN = {
    "000": dict(
        title="美俄谈了7个半小时，_有用_但没啥进展",
        source="观察者网",
        date=datetime(2022, 1, 11, 10, 55, 39, tzinfo=timezone.utc),
        format="front-matter",
        captions=[
            "参与会谈的美国常务副国务卿舍曼与俄副外长里亚布科夫（澎湃影像）",
            "英国《卫报》：美俄在乌克兰问题上的谈判“有用”但没有取得进展",
            "路透社：日内瓦会谈后，美俄在乌克兰问题上分歧依旧",
            "当地时间10日，美俄会谈团队依次进入位于美国驻日内瓦办事处的会场",
        ],
    ),
    "001": dict(
        title="美俄今日举行化解乌克兰危机会谈，双方“鸡同鸭讲”立场相差甚远",
        source="voachinese.com",
        date=datetime(2022, 1, 10, 16, 6, 38, tzinfo=timezone.utc),
        format="rss",
        captions=[
            "美国副国务卿温迪·谢尔曼（Wendy Sherman）在日内瓦与俄罗斯副外长谢尔盖· 里亚布科夫（Sergei Ryabkov）举行会晤。（2022年1月10日）",
            "美俄为化解乌克兰危机在日内瓦举行会谈前，一名美国保安走过抵达美国驻日内瓦代表团驻地的俄罗斯官员乘坐的车队。（2022年1月10日）",
        ],
    ),
    "002": dict(
        title="_我们会给一个书面回复，但内容请俄方保密_",
        source="观察者网",
        date=datetime(2022, 1, 23, 17, 9, 23, tzinfo=timezone.utc),
        format="front-matter",
        captions=["美国国务卿布林肯和俄罗斯外交部长拉夫罗夫2022年1月21日在瑞士日内瓦举行会谈 图自澎湃影像"],
    ),
    "003": dict(
        title="白宫出台非常规声明：美国在与俄罗斯会谈前回顾与盟友的关系",
        source="Aljazeera 半岛网",
        date=datetime(2022, 1, 11, 10, 1, 21, tzinfo=timezone.utc),
        format="front-matter",
        captions=[],
    ),
    "004": dict(
        title="十年后再回谈判桌，拜登普京面对面 美俄关系却仍难_破冰_？",
        source="未名新闻",
        date=datetime(2021, 6, 15, 20, 45, tzinfo=timezone.utc),
        format="front-matter",
        captions=[],  # its three images have no caption of any kind
    ),
}

# Text that must never reach the body: watermarks, ads, generic image titles, metadata.
NOISE = ["Mitbbs.com", "adsbygoogle", "广告", "点击查看大图", "Mon, 10 Jan 2022", "<", ">", "news_page_336_280"]


@pytest.mark.parametrize("seed", sorted(GOLDEN))
def test_metadata(seed_articles, seed):
    article, expected = seed_articles[seed], GOLDEN[seed]
    assert article.title == expected["title"]
    assert article.source == expected["source"]
    assert article.date == expected["date"]
    assert article.date.utcoffset() is not None
    assert article.date_origin is DateOrigin.METADATA
    assert article.format == expected["format"]
    assert article.problems == ()


@pytest.mark.parametrize("seed", sorted(GOLDEN))
def test_captions_exactly(seed_articles, seed):
    captions = [block.text for block in seed_articles[seed].blocks if block.kind is BlockKind.CAPTION]
    assert captions == GOLDEN[seed]["captions"]


@pytest.mark.parametrize("seed", sorted(GOLDEN))
def test_no_noise_in_body(seed_articles, seed):
    body = "\n".join(block.text for block in seed_articles[seed].blocks)
    for noise in NOISE:
        assert noise not in body, noise


@pytest.mark.parametrize("seed", sorted(GOLDEN))
def test_caption_paragraphs_are_not_shown_twice(seed_articles, seed):
    texts = [block.text for block in seed_articles[seed].blocks]
    assert len(texts) == len(set(texts)), "a block repeats"


def test_captions_sit_where_the_images_were(seed_articles):
    blocks = seed_articles["000"].blocks
    first_caption = next(i for i, block in enumerate(blocks) if block.kind is BlockKind.CAPTION)
    assert blocks[first_caption - 1].text.startswith("另外，此轮美俄会谈也只是本周一系列会议的开场")
    assert blocks[first_caption + 1].text.startswith("综合俄塔社、美国《纽约时报》报道")


def test_seed_001_body_starts_after_the_rss_header(seed_articles):
    article = seed_articles["001"]
    assert article.url.startswith("https://www.voachinese.com/a/US-and-Russia-hold-crunch-talks")
    assert article.blocks[0].kind is BlockKind.CAPTION
    assert article.blocks[1].text.startswith("在国际社会担忧俄罗斯可能入侵乌克兰之际")


def test_seed_003_keeps_headings_and_list(seed_articles):
    blocks = seed_articles["003"].blocks
    headings = [block.text for block in blocks if block.kind is BlockKind.HEADING]
    items = [block.text for block in blocks if block.kind is BlockKind.LIST_ITEM]
    assert headings[0] == "美国在与俄罗斯谈判之前，已经明确制定了三项原则："
    assert items == [
        "美国不会在欧洲人缺席的情况下，就有关欧洲的问题作出任何承诺。",
        "任何谈判都必须涉及双方的要求。",
        "只有在冲突降级的环境内才能取得真正的进展。",
    ]
    link_paragraph = blocks[0]
    (link,) = link_paragraph.spans
    assert link_paragraph.text[link.start:link.end] == "声明"
    assert link.url.startswith("https://www.whitehouse.gov/")


def test_seed_004_paragraphs_are_clean(seed_articles):
    blocks = seed_articles["004"].blocks
    assert blocks[0].text == "当地时间6月16日，美国总统拜登在其欧洲之行的最后一站瑞士日内瓦，将迎来他担任美国总统以来，与俄罗斯总统普京举行的首次会晤。"
    assert all(block.text.strip() == block.text and block.text for block in blocks)
    assert all(block.kind is BlockKind.PARAGRAPH for block in blocks)


def test_bylines_keep_their_typed_space(seed_articles):
    assert seed_articles["000"].blocks[0].text.startswith("【文/观察者网 刘程辉】“这是场有用的会谈")

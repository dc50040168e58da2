"""Publishing platforms: a site name that names one is not the article's source.

A WeChat public-account article says ``og:site_name`` "Weixin Official
Accounts Platform"; Medium, Substack, Matters and Blogger pages name the
platform too. The source a reader means is the account or the author, so a
platform's name, or its host, gives way to them.

WeChat is common enough in these archives, and its pages regular enough, to be
read by its own fields: the account's name (``#js_name``,
``.profile_nickname``, ``var nickname = "…"``), the publish time
(``var ct = "1601869794"``, ``#publish_time``) and the article itself in
``#js_content``, which a saved page often keeps hidden until its scripts run.
"""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from ..clean import clean_field
from ..dates import parse_date

_PLATFORM_NAMES = frozenset({
    "weixinofficialaccountsplatform", "微信公众平台", "微信公众号", "wechat", "weixin", "微信",
    "medium", "substack", "matters", "mattersnews", "matters.news", "matters.town", "blogger", "blogspot",
})
_PLATFORM_HOSTS = frozenset({
    "mp.weixin.qq.com", "weixin.qq.com", "medium.com", "substack.com", "matters.news", "matters.town",
    "blogger.com", "www.blogger.com",
})
_WECHAT_NAMES = frozenset({"weixinofficialaccountsplatform", "微信公众平台", "微信公众号", "wechat", "weixin", "微信"})
_WECHAT_HOST = "mp.weixin.qq.com"
# In the page's own script; bounded, so a page of script costs one linear scan.
_VAR = r"\bvar\s+{}\s*=\s*(?:htmlDecode\(\s*)?[\"']([^\"'\n]{{1,200}})[\"']"
_NICKNAME = re.compile(_VAR.format("nickname"))
_CT = re.compile(r"\bvar\s+ct\s*=\s*[\"']?(\d{9,11})\b")
_PUBLISH_TIME = re.compile(_VAR.format("publish_time"))
_BY_ID = etree.XPath("//*[@id=$id]")
_PROFILE_NICKNAME = etree.XPath("//*[contains(concat(' ', normalize-space(@class), ' '), ' profile_nickname ')]")


def _folded(name: str) -> str:
    return "".join(name.lower().split())


def is_platform_name(name: str) -> bool:
    return _folded(name) in _PLATFORM_NAMES


def is_platform_host(host: str) -> bool:
    host = host.lower().removeprefix("www.")
    return host in _PLATFORM_HOSTS or host.endswith(".blogspot.com") or host == "blogspot.com"


def is_wechat(site_name: str, host: str, root: etree._Element, html: str) -> bool:
    if _folded(site_name) in _WECHAT_NAMES or host == _WECHAT_HOST:
        return True
    # A page saved without its head still has the article's container.
    if 'id="js_content"' not in html:
        return False
    content = _by_id(root, "js_content")
    return content is not None and "rich_media" in (content.get("class") or "")


@dataclass
class WeChat:
    """What a WeChat page says of itself, and where its article is."""

    account: str
    date: datetime | None
    content: etree._Element | None


def read_wechat(root: etree._Element, html: str) -> WeChat:
    account = _element_text(_by_id(root, "js_name"))
    if not account:
        found = _PROFILE_NICKNAME(root)
        account = _element_text(found[0]) if found else ""
    if not account:
        account = _script_value(_NICKNAME, html)
    date = None
    ct = _CT.search(html)
    if ct is not None:
        date = parse_date(ct.group(1))
    if date is None:
        # Filled in by the page's script; a saved page has it only if saved after it ran.
        date = parse_date(_element_text(_by_id(root, "publish_time"))) or parse_date(_script_value(_PUBLISH_TIME, html))
    return WeChat(account, date, _by_id(root, "js_content"))


def _by_id(root: etree._Element, name: str) -> etree._Element | None:
    found = _BY_ID(root, id=name)
    return found[0] if found else None


def _element_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return clean_field("".join(element.itertext()), limit=200)


def _script_value(pattern: re.Pattern, html: str) -> str:
    found = pattern.search(html)
    # The page's script holds the text HTML-escaped, as the page shows it.
    return clean_field(html_entities.unescape(found.group(1)), limit=200) if found else ""

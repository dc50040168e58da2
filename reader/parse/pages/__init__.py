"""Whole saved web pages, read like a browser's reader view: the article only, and what the page says of it.

A page saved from a browser or a scraper holds the site around the article:
navigation, share buttons, bylines, author boxes, comments, scripts. Bodies
(the seeds, RSS dumps, front-matter files) hold only the article and never
come here: reader.parse.html sends a document here only when it opens as a whole
page does (``<html>``, ``<head>`` or ``<body>`` in its first 4 KB).

- :mod:`.content` finds the article's element with trafilatura's help;
- :mod:`.meta` reads the title, source, author, date and url in order of trust;
- :mod:`.platforms` knows the platforms whose name is not a source, and
  WeChat's own fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from reader.parse.pages import platforms
from .content import place_article
from .meta import PageMeta, read_meta

# Past this many tags a page is read as a body is, and htmldate is not asked:
# both libraries take about 6 µs an element (a page of 250,000 <br> took
# 3.9 s), and an article's page has a few thousand. Counting costs 0.5 ms a MB.
MAX_TAGS = 50_000


@dataclass
class Page:
    article: etree._Element | None  # None: read the page's body as before
    skip: set[etree._Element] = field(default_factory=set)
    meta: PageMeta = field(default_factory=PageMeta)


def read_page(root: etree._Element, html: str, head: dict[str, str], head_title: str,
              blocks: frozenset[str]) -> Page:
    """Where the article is in ``root`` and what the page says about it."""
    url = head.get("og:url") or head.get("canonical") or ""
    wechat = None
    if platforms.is_wechat(head.get("og:site_name", ""), _host(url), root, html):
        wechat = platforms.read_wechat(root, html)
    meta = read_meta(root, html, head, head_title, wechat)
    crowded = html.count("<") > MAX_TAGS
    if crowded:
        meta.html = ""  # no guessing either
    if wechat is not None and wechat.content is not None:
        return Page(_shown(wechat.content), meta=meta)
    body = root.find("body")
    if body is None or crowded:
        return Page(None, meta=meta)
    from ._extract import main_texts  # the library loads with the first whole page

    placement = place_article(body, main_texts(html), blocks)
    if placement is None:
        return Page(None, meta=meta)
    return Page(_shown(placement.article), placement.skip, meta)


def _shown(element: etree._Element) -> etree._Element:
    # A saved page keeps what its scripts would reveal hidden (WeChat's
    # #js_content is "visibility: hidden" until they run); the article is
    # shown, whatever its own style says.
    for name in ("style", "hidden"):
        element.attrib.pop(name, None)
    return element


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


__all__ = ["Page", "PageMeta", "platforms", "read_page"]

"""What a whole page says about itself: title, source, author, date and url.

Each field is taken from the most trustworthy place that states it:

1. the archive's own ``<!-- {json} -->`` comment before the page (``nickname``,
   ``created_at``, ``url``, …), written by the tool that saved it;
2. JSON-LD (``headline``, ``datePublished``, ``author``, ``publisher.name``);
3. meta tags (``og:*``, ``article:published_time``, ``author``, ``pubdate``, …);
4. dates marked up in the body (``itemprop="datePublished"``, Drupal's
   ``property="dc:date"``), then ``<time datetime>``;
5. the platform's own fields (WeChat's account name and publish time);
6. htmldate's reading of the page (:meth:`PageMeta.guessed_date`), asked only
   when nothing above states a date; the loader falls back on the file's time
   after that.

A site name that names a platform (WeChat, Medium, …) is never the source: the
account or the author is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import islice

from lxml import etree

from ..clean import clean_field, unescape_entities
from ..dates import parse_date
from reader.parse.pages import platforms

TITLE_SEPARATORS = (" - ", " | ", " _ ", "_", " – ", " — ", " · ", "｜", " :: ")
META_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published", "pubdate",
    "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "datepublished",
    "sailthru.date", "parsely-pub-date",
)
_META_AUTHOR_KEYS = ("author", "article:author", "og:article:author", "dc.creator", "byl")
_JSON_KEYS = {
    "title": ("title", "msg_title", "headline"),
    "source": ("nickname", "account", "source", "site_name", "sitename", "publisher", "site"),
    "author": ("author", "byline"),
    "date": ("created_at", "published_at", "publish_time", "published", "date", "time", "created", "pubdate"),
    "url": ("url", "link", "source_url", "permalink"),
}
_MAX_JSON = 256 * 1024
_MAX_NAME = 60
# Each scan of the tree costs about 0.5 µs an element, so a scan runs only when
# the page's text holds what it looks for, and tags are found with iter(tag), in C.
# Elements with schema.org or RDFa attributes; which ones mark what is decided in Python.
_MARKED = etree.XPath("//*[@itemprop or @property or @rel='author']")
_DATE_PROPERTIES = ("datepublished", "datecreated", "dc:date", "dc:created", "article:published_time")
# A byline's author as microformats mark it (WordPress: <span class="author vcard"><a class="fn">).
_VCARD_NAME = etree.XPath("(//*[contains(@class, 'vcard')]//*[contains(@class, 'fn')])[1]")


@dataclass
class PageMeta:
    title: str = ""
    source: str = ""  # the publication or the account; "" when the page names none
    author: str = ""
    url: str = ""
    date: datetime | None = None
    date_problems: list[str] = field(default_factory=list)
    html: str = field(default="", repr=False)  # kept for guessed_date, asked only when nothing states a date

    def guessed_date(self) -> datetime | None:
        """htmldate's reading of the page: the URL, the markup, then dates written in the text."""
        from ._extract import find_date  # htmldate and its date parsers load only for such pages

        return find_date(self.html, self.url)


def read_meta(root: etree._Element, html: str, head: dict[str, str], head_title: str,
              wechat: platforms.WeChat | None) -> PageMeta:
    page = PageMeta(html=html)
    archived = _archive_comment(html)
    ld = _json_ld(root, html)
    heading = _first_text(list(islice(root.iter("h1"), 1)))
    named = [archived.get("source", ""), ld.get("publisher", ""), head.get("og:site_name", ""),
             head.get("application-name", "")]
    site = next((name for name in named if name and not platforms.is_platform_name(name)), "")
    stated = archived.get("title") or ld.get("headline") or head.get("og:title") or head.get("twitter:title") or ""
    headline, suffix = split_site_name(head_title, [site, wechat.account if wechat else ""], [heading, stated])
    # "Headline | Site" whose headline the page states elsewhere; not "Headline | by Someone | Medium".
    if not site and suffix and not platforms.is_platform_name(_last_part(suffix)):
        site = suffix
    page.title = (split_site_name(stated, [site])[0] if stated else headline) or heading
    marked = _MARKED(root) if "itemprop" in html or "property=" in html or "author" in html else []
    page.author = archived.get("author") or ld.get("author") or _meta_author(head) or _byline_author(root, html, marked)
    page.source = site or (wechat.account if wechat else "")
    page.url = next((url for url in (archived.get("url"), ld.get("url"), head.get("og:url"), head.get("canonical"))
                     if url and "://" in url), "")
    page.date = _date(page, root, marked, archived, ld, head, wechat)
    return page


def split_site_name(title: str, sites: list[str], headlines: list[str] = ()) -> tuple[str, str]:
    """The headline of a ``<title>`` and the site name after it, if it has one.

    The site is known (``og:site_name``, …), or the part before the separator
    is a headline the page states elsewhere (its ``<h1>``, ``og:title``).
    """
    for separator in TITLE_SEPARATORS:
        for site in sites:
            suffix = separator + site
            if site and title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].strip(), site
        for headline in headlines:
            prefix = headline + separator
            if headline and title.startswith(prefix) and len(title) > len(prefix):
                return headline, title[len(prefix):].strip()
    return title, ""


def _last_part(text: str) -> str:
    for separator in TITLE_SEPARATORS:
        text = text.rsplit(separator, 1)[-1]
    return text.strip()


def _date(page: PageMeta, root: etree._Element, marked: list, archived: dict, ld: dict, head: dict,
          wechat: platforms.WeChat | None) -> datetime | None:
    exact = wechat.date if wechat else None
    for stated in (archived.get("date"), ld.get("date")):
        if stated not in (None, ""):
            parsed = parse_date(stated)
            if parsed is not None:
                return _with_offset_of(parsed, stated, exact)
            page.date_problems.append(f"date {clean_field(str(stated), limit=60)!r} not understood")
    for key in META_DATE_KEYS:
        if key in head:
            parsed = parse_date(head[key])
            if parsed is not None:
                return parsed
            page.date_problems.append(f"date {clean_field(head[key], limit=60)!r} not understood")
    for element in marked:
        names = f"{element.get('itemprop') or ''} {element.get('property') or ''}".lower()
        if any(name in names for name in _DATE_PROPERTIES):
            parsed = parse_date(element.get("content") or element.get("datetime") or _first_text([element]))
            if parsed is not None:
                return parsed
    times = [element for element in root.iter("time") if element.get("datetime")]
    for element in sorted(times, key=_published_first):
        parsed = parse_date(element.get("datetime"))
        if parsed is not None:
            return parsed
    return exact


def _published_first(element: etree._Element) -> int:
    # The article's own <time> says so; otherwise the first one (comments come later).
    marked = element.get("pubdate") is not None or any(
        word in (element.get("class") or "") for word in ("publish", "entry-date", "post-date"))
    return 0 if marked else 1


def _with_offset_of(parsed: datetime, stated: object, exact: datetime | None) -> datetime:
    """A time written without an offset, made exact by the page's epoch time when they agree.

    Archives write ``created_at: 2020-10-05 11:49:54`` in the saver's local time;
    WeChat's ``ct`` is the same moment in epoch seconds. The difference is the
    offset the archive meant, so the time shows as written and sorts correctly.
    """
    if exact is None or not isinstance(stated, str):
        return parsed
    try:
        naive = datetime.fromisoformat(stated.strip())
    except ValueError:
        return parsed
    if naive.tzinfo is not None:
        return parsed
    offset = naive - exact.replace(tzinfo=None)
    quarters = round(offset / timedelta(minutes=15))
    if abs(quarters) > 14 * 4 or abs(offset - quarters * timedelta(minutes=15)) > timedelta(minutes=2):
        return parsed
    return exact.astimezone(timezone(quarters * timedelta(minutes=15)))


def _archive_comment(html: str) -> dict[str, object]:
    """The ``<!-- {json} -->`` a saving tool wrote before the page."""
    start = html.lstrip("\ufeff \t\r\n")[:4]
    if start != "<!--":
        return {}
    opening = html.find("<!--")
    end = html.find("-->", opening, opening + _MAX_JSON)
    raw = html[opening + 4:end].strip() if end > 0 else ""
    if not raw.startswith("{"):
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, object] = {}
    for name, keys in _JSON_KEYS.items():
        for key in keys:
            value = data.get(key)
            if name == "date" and isinstance(value, (int, float)) and not isinstance(value, bool):
                found[name] = value
                break
            text = _json_text(value)
            if text:
                found[name] = text
                break
    return found


def _json_ld(root: etree._Element, html: str) -> dict[str, str]:
    """The fields of the page's JSON-LD article (NewsArticle, BlogPosting, …)."""
    best: dict | None = None
    if "ld+json" not in html:
        return {}
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or ""):
            continue
        raw = script.text or ""
        if len(raw) > _MAX_JSON:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            if any(isinstance(kind, str) and (kind.endswith("Article") or kind in ("BlogPosting", "Report"))
                   for kind in kinds):
                best = item
                break
            if best is None and ("datePublished" in item or "headline" in item):
                best = item
        if best is not None and best.get("@type") is not None and "headline" in best:
            break
    if best is None:
        return {}
    url = best.get("url") or best.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    return {
        "headline": _json_text(best.get("headline") or best.get("name")),
        "date": _json_text(best.get("datePublished") or best.get("dateCreated")),
        "author": _names(best.get("author")),
        "publisher": _names(best.get("publisher")),
        "url": _json_text(url),
    }


def _ld_items(data: object) -> list[dict]:
    items = data if isinstance(data, list) else [data]
    out = []
    for item in items[:20]:
        if isinstance(item, dict):
            graph = item.get("@graph")
            if isinstance(graph, list):
                out += [inner for inner in graph[:20] if isinstance(inner, dict)]
            else:
                out.append(item)
    return out


def _names(value: object) -> str:
    """A person or organisation as JSON-LD writes it: a string, a {"name": …}, or a list of them."""
    values = value[:10] if isinstance(value, list) else [value]
    names = []
    for item in values:
        name = _json_text(item.get("name") if isinstance(item, dict) else item)
        if name and "://" not in name and name not in names:
            names.append(name)
    return ", ".join(names)


def _json_text(value: object) -> str:
    # JSON written into a page holds text as the page's HTML did (&quot; …).
    return clean_field(unescape_entities(value), limit=500) if isinstance(value, str) else ""


def _meta_author(head: dict[str, str]) -> str:
    for key in _META_AUTHOR_KEYS:
        value = head.get(key, "")
        if value and "://" not in value and not value.startswith("@"):
            return value
    return ""


def _byline_author(root: etree._Element, html: str, marked: list) -> str:
    """The author a byline marks up: itemprop="author", rel="author", or a vCard's name."""
    found = [element for element in marked if element.get("itemprop") == "author" or element.get("rel") == "author"]
    found = [element for element in found if "".join(element.itertext()).strip()]
    name = _first_text(found[:1] or (_VCARD_NAME(root) if "vcard" in html else []))
    return name if len(name) <= _MAX_NAME else ""  # a whole author box marked as the author


def _first_text(elements: list) -> str:
    return clean_field("".join(elements[0].itertext()), limit=500) if elements else ""

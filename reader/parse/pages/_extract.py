"""The extraction libraries, behind two functions; importing this module imports them.

Only whole pages need them, so reader.parse.pages imports this module inside the
functions that use it: a worker that never meets a whole page never pays for
trafilatura (about 0.13 s to import, htmldate included).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

import lxml.html
import trafilatura
from htmldate import find_date as _htmldate

from ..dates import parse_date

_BLOCK_TAGS = ("p", "head", "item", "quote", "cell", "code")
# Both libraries log every page they give up on; that is an answer here, not news.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def main_texts(html: str) -> list[str]:
    """The text of each block trafilatura takes for the page's main content, in order."""
    # fast: no second-opinion extractors (readability, jusText), 10% to 30%
    # faster here. Precision first: fewer stray blocks matter more here than
    # recall, since the texts only place the article in reader's own tree; a
    # short article that precision gives up on gets the balanced reading.
    # Images are left out: reader finds them itself, and trafilatura's image
    # handling is quadratic in their number (177 s for a 1 MB page of them).
    for precision in (True, False):
        try:
            document = trafilatura.bare_extraction(
                html, fast=True, favor_precision=precision, include_comments=False, include_tables=True,
                include_images=False, with_metadata=False, deduplicate=False,
            )
        except Exception:  # a library's bug costs this page its extraction, never the page
            return []
        if document is not None and document.body is not None:
            # The innermost blocks: a quote's paragraphs, not the quote and its paragraphs again.
            return ["".join(element.itertext()) for element in document.body.iter(*_BLOCK_TAGS)
                    if next(element.iterdescendants(*_BLOCK_TAGS), None) is None]
    return []


def find_date(html: str, url: str = "") -> datetime | None:
    """htmldate's publication date: the URL, the markup, then dates written in the text."""
    try:
        # A tree, never a string: a string that looks like a URL is fetched.
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=_UTF8)
        found = _htmldate(tree, extensive_search=True, original_date=True, url=url or None)
    except Exception:
        return None
    if not found or (found.endswith("-01-01") and not _written_new_year(html, found[:4])):
        # With no day to go on htmldate answers the year's first day, from a
        # "© 2019" as readily as from a date: the file's time is nearer the truth.
        return None
    return parse_date(found)


def _written_new_year(html: str, year: str) -> bool:
    return re.search(rf"{year}\s*[-/.年]\s*0?1\s*[-/.月]\s*0?1(?!\d)", html) is not None


_UTF8 = lxml.html.HTMLParser(encoding="utf-8", recover=True, huge_tree=True, no_network=True)

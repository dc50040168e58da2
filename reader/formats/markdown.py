"""Markdown bodies, rendered to HTML so that one walk makes every body's blocks."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

# Lines that only HTML starts with; Markdown rarely does.
_HTML_START = re.compile(
    r"\A\s*(?:<!--|<!doctype|<(?:html|head|body|div|p|span|section|article|table|ul|ol|h[1-6]|img|br|font|center|figure|blockquote|pre|strong|b|a|i|em)\b)",
    re.IGNORECASE,
)
_HTML_TAGS = re.compile(r"</?(?:p|div|br|span|img|a|li|table|h[1-6])\b[^>]*>", re.IGNORECASE)


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # "html": blog exports mix raw HTML into Markdown; it goes through the same cleaning walk.
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])


def looks_like_html(body: str) -> bool:
    if _HTML_START.match(body):
        return True
    # Bodies that start with text but are full of tags (scraped fragments).
    sample = body[:4000]
    return len(_HTML_TAGS.findall(sample)) >= 3 and "\n\n" not in sample.strip()[:400]


def markdown_to_html(text: str) -> str:
    return _renderer().render(text)

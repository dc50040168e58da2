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


# markdown-it silently drops blocks nested deeper than this (quotes in quotes,
# or about ten nested lists). Raising it slows links down: each "[" may open a
# label that many levels deep, and a page of "[a" took five times as long at 100.
MAX_NESTING = 20


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # "html": blog exports mix raw HTML into Markdown; it goes through the same cleaning walk.
    options = {"html": True, "linkify": False, "maxNesting": MAX_NESTING}
    return MarkdownIt("commonmark", options).enable(["table", "strikethrough"])


def looks_like_html(body: str) -> bool:
    if _HTML_START.match(body):
        return True
    # Bodies that start with text but are full of tags (scraped fragments).
    sample = body[:4000]
    return len(_HTML_TAGS.findall(sample)) >= 3 and "\n\n" not in sample.strip()[:400]


# markdown-it is linear but slow on dense markup: a megabyte of "[a" took 7 s,
# of one-word list items 7 s, of emphasis 2.4 s (bench/bench_parse.py
# --hostile). _COST is what it spends per character, in microseconds, as
# measured; a long text estimated to cost more than _BUDGET microseconds per
# byte (half the 1 s per MB that loading and showing a file may take) is read
# as plain text instead.
_COST = {"\n": 20, "[": 15, "*": 8, "_": 8, "`": 4, "~": 4, "<": 3}
_BUDGET = 0.5
_ALWAYS_FAST = 64 * 1024  # characters: below this even the densest markup takes a fraction of a second


def too_dense(text: str) -> bool:
    """Whether laying out this Markdown would take seconds (see _COST)."""
    if len(text) < _ALWAYS_FAST:
        return False
    cost = sum(micros * text.count(char) for char, micros in _COST.items())
    return cost > _BUDGET * len(text.encode("utf-8", "surrogatepass"))


def markdown_to_html(text: str) -> str | None:
    """The HTML of a Markdown text, or None when it nests too deep for every word to be kept."""
    renderer = _renderer()
    tokens = renderer.parse(text)
    # Where the limit cut, the deepest opening tokens sit one level short of it.
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        return None
    return renderer.renderer.render(tokens, renderer.options, {})

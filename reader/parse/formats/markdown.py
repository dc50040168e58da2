"""Markdown bodies, rendered to HTML so that one walk makes every body's blocks.

cmark-gfm (GitHub's fork of CommonMark's reference parser, through cmarkgfm)
renders them: its parser is linear in the text whatever the markup (quotes
100,000 levels deep, a megabyte of ``[a`` or of emphasis: CommonMark's
pathological tests), keeps every level of nesting, and is eleven times as fast
as markdown-it-py on the bodies of the 100,000-article corpus (0.12 against
1.30 ms a body; see the README). Raw HTML in the Markdown is kept, since blog
exports mix it in: it goes through the same cleaning walk as any HTML body.
"""

from __future__ import annotations

import re

from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

# Lines that only HTML starts with; Markdown rarely does.
_HTML_START = re.compile(
    r"\A\s*(?:<!--|<!doctype|<(?:html|head|body|div|p|span|section|article|table|ul|ol|h[1-6]|img|br|font|center|figure|blockquote|pre|strong|b|a|i|em)\b)",
    re.IGNORECASE,
)
_HTML_TAGS = re.compile(r"</?(?:p|div|br|span|img|a|li|table|h[1-6])\b[^>]*>", re.IGNORECASE)
# GitHub's tables and ~~strikethrough~~; not its autolinks (a bare address
# stays text, as CommonMark has it) nor its tag filter (the walk cleans).
_EXTENSIONS = ["table", "strikethrough"]
_SURROGATE = re.compile("[\ud800-\udfff]")
_OPTIONS = Options.CMARK_OPT_UNSAFE  # raw HTML kept: "unsafe" for a browser, text for reader's walk


def looks_like_html(body: str) -> bool:
    if _HTML_START.match(body):
        return True
    # Bodies that start with text but are full of tags (scraped fragments).
    sample = body[:4000]
    return len(_HTML_TAGS.findall(sample)) >= 3 and "\n\n" not in sample.strip()[:400]


def markdown_to_html(text: str) -> str:
    """The HTML of a Markdown text."""
    try:
        return markdown_to_html_with_extensions(text, options=_OPTIONS, extensions=_EXTENSIONS)
    except UnicodeEncodeError:
        # cmark reads UTF-8, which a lone surrogate (a "\ud800" escape in YAML) has none of.
        return markdown_to_html_with_extensions(_SURROGATE.sub("\ufffd", text), options=_OPTIONS, extensions=_EXTENSIONS)

"""An article's links: which urls may become links, the urls written in its text, the list of them all.

Only http, https and mailto urls are links (a hyperlink in the terminal, a
row in the links list, a page for the browser); anything else stays text.
A url written out in the text (``详情请见：https://…。``) is a link too, less
the punctuation that ends the sentence after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.linebreak import URL
from reader.textwidth import CONTROLS_TO_SPACE
from reader.model import Article, SpanKind
from reader.model import Span as BlockSpan

__all__ = ["Link", "article_links", "links_of", "safe_link"]

_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_link(url: str | None) -> str | None:
    """The url if it may become a terminal hyperlink (or go to a browser), else None."""
    if not url:
        return None
    url = url.strip()
    if any(ord(char) <= 0x20 or 0x7F <= ord(char) <= 0x9F for char in url):
        return None  # no whitespace or control codes inside an OSC 8 sequence
    scheme, colon, rest = url.partition(":")
    if not colon or not rest or scheme.lower() not in _LINK_SCHEMES:
        return None
    return url


_TRAILING = ".,;:!?'\"*_~"  # ends a sentence rather than a url
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _urls_in_text(text: str) -> list[tuple[int, int]]:
    """Where urls are written in ``text``, less the punctuation that follows them.

    A closing bracket stays when the url opened it (``…/Minsk_(city)``).
    """
    found = []
    for match in URL.finditer(text):
        start, end = match.span()
        # Closers beyond the openers, counted once: a long run of them stays linear.
        unopened = {close: text.count(close, start, end) - text.count(open_, start, end) for close, open_ in _CLOSERS.items()}
        while end > start:
            last = text[end - 1]
            if last in _TRAILING:
                end -= 1
            elif unopened.get(last, 0) > 0:
                unopened[last] -= 1
                end -= 1
            else:
                break
        if safe_link(text[start:end]) is not None:
            found.append((start, end))
    return found


def links_of(text: str, spans: Sequence[BlockSpan]) -> list[tuple[int, int, str]]:
    """(start, end, url) of a block's links, its own and the urls written in its text, in order."""
    own = [
        (max(0, span.start), min(len(text), span.end), url)
        for span in spans
        if span.kind is SpanKind.LINK and (url := safe_link(span.url)) is not None
    ]
    written = [
        (start, end, text[start:end])
        for start, end in _urls_in_text(text)
        if not any(s < end and start < e for s, e, _url in own)  # a url inside a link is that link
    ]
    return sorted(link for link in own + written if link[0] < link[1])


@dataclass(frozen=True)
class Link:
    """One link of an article: its text as shown (empty for a url written out), the url, its block (-1: the header)."""

    text: str
    url: str
    block: int


def article_links(article: Article) -> list[Link]:
    """The article's own url, then every link of its body, in order; each url once."""
    links: list[Link] = []
    seen: set[str] = set()

    def add(text: str, url: str, block: int) -> None:
        if url not in seen:
            seen.add(url)
            links.append(Link(" ".join(text.translate(CONTROLS_TO_SPACE).split()), url, block))

    own = safe_link(article.url)
    if own is not None:
        add("", own, -1)
    for number, block in enumerate(article.blocks):
        for start, end, url in links_of(block.text, block.spans):
            written = block.text[start:end] == url
            add("" if written else block.text[start:end], url, number)
    return links

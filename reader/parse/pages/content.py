"""Where the article is in a whole page, as trafilatura sees it, placed in reader's own tree.

trafilatura decides which text is the article's (the strongest of the
article-extraction libraries on public benchmarks), but its output is its own
simplified XML: no captions next to their images, no colours, no hidden
watermarks. So its blocks are only used to place the article in the tree that
reader parsed, which reader's walk then reads as it reads any body:

1. every block element of the page that holds text is matched against
   trafilatura's blocks, in the page's order: a short text must be a whole
   block, a longer one most of one (a comment quoting the article is not);
2. the article is the deepest element holding nine tenths of the matched
   paragraphs' text (titles, bylines and buttons are too short to count);
3. inside it, text blocks that trafilatura left out before the first matched
   paragraph or after the last one are page furniture (a byline, a share bar,
   an author box), and are skipped; what lies between stays, since headings
   and captions are often left out by trafilatura but belong to the article.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from lxml import etree

_SHARE = 0.9
_ANCHOR = 40  # characters: shorter matches (titles, bylines, "👍 128") do not place the article
_SHORT = 12  # matched as a part of trafilatura's text from this length; shorter only whole
_MOST = 0.6  # of the block it is found in
_TRIES = 8  # occurrences of a text looked at before it is taken for a quote
_SEPARATOR = "\x00"
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_UNREAD = frozenset({"script", "style", "noscript", "template", "textarea", "title"})


@dataclass
class Placement:
    article: etree._Element
    skip: set[etree._Element] = field(default_factory=set)


def place_article(body: etree._Element, texts: list[str], blocks: frozenset[str]) -> Placement | None:
    """The article's element in ``body`` and the furniture inside it, from trafilatura's ``texts``."""
    extracted = _Extracted([key for key in map(_key, texts) if key])
    if not extracted.keys:
        return None
    owners = _text_owners(body, blocks)
    matched = [extracted.claim(key) for _, key in owners]
    anchors = [i for i, (element, key) in enumerate(owners)
               if matched[i] and len(key) >= _ANCHOR and element.tag not in _HEADINGS]
    if not anchors:
        anchors = [i for i in range(len(owners)) if matched[i]]
    if not anchors:
        return None
    article = _deepest_holding(owners, anchors)
    first, last = anchors[0], max(i for i in range(len(owners)) if matched[i])
    matched_elements = {owners[i][0] for i in range(len(owners)) if matched[i]}
    skip = set()
    for i, (element, _) in enumerate(owners):
        if matched[i] or first <= i <= last:
            continue
        if element is article or not _inside(element, article):
            continue
        if any(inner in matched_elements for inner in element.iterdescendants()):
            continue  # holds the article's text as well as its own
        skip.add(element)
    return Placement(article, skip)


def _key(text: str) -> str:
    # Whitespace differs between the two readings (inline elements, <br>); CJK text has none anyway.
    return "".join(text.split())


class _Extracted:
    """trafilatura's blocks, each claimed by the first element of the page that holds it.

    The blocks are in the page's order, so they are claimed in that order: a
    quote of the article further down the page (a comment, an author's bio)
    finds its block claimed already, and claims nothing.
    """

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.joined = _SEPARATOR.join(keys)
        self.starts = list(accumulate((len(key) + 1 for key in keys[:-1]), initial=0))
        self.last = -1  # the last block claimed

    def claim(self, key: str) -> bool:
        """Whether ``key`` is (nearly all of) one of the blocks after the last one claimed."""
        after = self.starts[self.last + 1] if self.last + 1 < len(self.starts) else len(self.joined)
        at = self.joined.find(key, after)
        for _ in range(_TRIES):
            if at < 0:
                break
            index = bisect_right(self.starts, at) - 1
            block = self.keys[index]
            # Short texts (a heading, a caption) only whole; longer ones as most of a block.
            if block == key or (len(key) >= _SHORT and len(key) >= _MOST * len(block)):
                if len(key) >= _ANCHOR:  # short texts repeat (a title, a list item): they claim no place
                    self.last = index
                return True
            at = self.joined.find(key, at + 1)
        # trafilatura may split one element in two (at <br><br>): both ends are still its.
        if len(key) >= 2 * _ANCHOR:
            head, tail = self.joined.find(key[:_ANCHOR], after), self.joined.rfind(key[-_ANCHOR:], after)
            if 0 <= head < tail:
                self.last = bisect_right(self.starts, tail) - 1
                return True
        return False


def _text_owners(body: etree._Element, blocks: frozenset[str]) -> list[tuple[etree._Element, str]]:
    """Each block element that holds text directly, with that text, in document order."""
    # A walk in Python, not the XPath .//text(): libxml2 takes quadratic time
    # over text among many siblings (a page of 12,000 comments: 6.5 s).
    parts: dict[etree._Element, list[str]] = {}
    for element in body.iter():
        text = element.text
        if text and not text.isspace() and isinstance(element.tag, str) and element.tag not in _UNREAD:
            _add(parts, element, text, blocks)
        tail = element.tail
        if tail and not tail.isspace() and element is not body:
            _add(parts, element.getparent(), tail, blocks)
    return [(element, _key("".join(pieces))) for element, pieces in parts.items()]


def _add(parts: dict, element: etree._Element | None, text: str, blocks: frozenset[str]) -> None:
    while element is not None and element.tag not in blocks:
        element = element.getparent()
    if element is not None:
        parts.setdefault(element, []).append(text)


def _deepest_holding(owners: list[tuple[etree._Element, str]], anchors: list[int]) -> etree._Element:
    """The deepest element whose subtree holds at least _SHARE of the anchors' text."""
    weight: dict[etree._Element, int] = {}
    depth: dict[etree._Element, int] = {}
    total = 0
    for i in anchors:
        element, key = owners[i]
        total += len(key)
        chain = [element, *element.iterancestors()]
        for level, ancestor in enumerate(reversed(chain)):
            weight[ancestor] = weight.get(ancestor, 0) + len(key)
            depth[ancestor] = level
    holding = [element for element, held in weight.items() if held >= _SHARE * total]
    return max(holding, key=depth.__getitem__)


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())

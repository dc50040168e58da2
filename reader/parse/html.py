"""HTML to blocks: the clean, structured text of an article body.

lxml parses (about 0.1 ms for a seed-sized article, against 1.9 ms for a
BeautifulSoup tree; see the README) and one iterative walk over the tree turns
it into blocks. The walk keeps an explicit stack, so 20,000 nested elements
cannot raise RecursionError, and skips what a reader of the page never saw:
scripts, ads, hidden and near-white text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .captions import find_caption, is_icon, one_caption_each
from .clean import clean_field, collapse_spaces, needs_cleaning, strip_controls
from .htmlstyle import html_integer, is_near_white, parse_color, parse_style
from .inline import InlineBuffer
from ..model import Block, BlockKind
from .pages import PageMeta, read_page

_DROPPED = frozenset({
    "script", "style", "noscript", "iframe", "template", "object", "embed", "canvas",
    "svg", "math", "button", "input", "select", "textarea", "option", "nav", "head",
    "audio", "video", "map", "dialog",
})
# Page furniture, dropped when reading a whole saved page rather than a body.
_PAGE_FURNITURE = frozenset({"header", "footer", "aside", "form"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "figure",
    "figcaption", "address", "center", "blockquote", "pre", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "hr", "form",
    "fieldset", "details", "summary", "body", "html", "h1", "h2", "h3", "h4", "h5", "h6",
    "listing", "xmp", "plaintext", "legend", "hgroup", "menu", "noframes", "frameset",
})
# Blocks that change the kind of what is inside them; the rest only separate paragraphs.
_STRUCTURAL = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "menu", "li", "blockquote", "pre",
    "listing", "xmp", "plaintext", "figcaption", "table",
})
_BOLD_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em", "cite", "dfn", "var"})
_AD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|adsbygoogle|sponsor\w*|google_ads?|adslot|adbox|adsense)(?:$|[\s_-])",
    re.IGNORECASE,
)
_AD_START = re.compile(r"广告.{0,8}(?:开始|開始)|\bad(?:s|vert\w*)?\s*(?:start|begin)", re.IGNORECASE)
_AD_END = re.compile(r"广告.{0,8}(?:结束|結束)|\bad(?:s|vert\w*)?\s*end\b", re.IGNORECASE)
_AD_END_COMMENT = re.compile(r"<!--(?:(?!-->).){0,60}?(?:广告.{0,8}(?:结束|結束)|\b[aA][dD](?:[sS]|[vV][eE][rR][tT]\w*)?\s*[eE][nN][dD]\b)")
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*>")
# Closing tags of blocks (group 1) become breaks; other tags go, except p, br and img.
_NESTABLE_TAG = re.compile(
    r"</(div|section|article|td|th|tr|li|h[1-6]|blockquote|table|ul|ol|dd|dt|center)\s*>"
    r"|<(?!/?(?:p|br|img)\b)/?[a-zA-Z][^>]*>",
    re.IGNORECASE,
)
# The cheap test that sends a document to reader.parse.pages: whole pages open so,
# bodies never do (about 1 µs; see the README).
_FULL_PAGE = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)
# A paragraph that is only an image's file name (Drupal prints the image field's so).
_FILE_NAME = re.compile(r"[\w\-.()~]{1,120}\.(?:jpe?g|png|gif|webp|bmp|svg|avif|tiff?|heic)", re.IGNORECASE)
_LINK_SCHEMES = ("http://", "https://", "mailto:")
# (bold, italic, link, coloured background) that an element turns on.
_UNCHANGED = (False, False, False, False)
_HIDING_ATTRIBUTES = frozenset({"hidden", "data-ad-client", "data-ad-slot"})
_TAG_CHANGES = {
    **{tag: (True, False, False, False) for tag in _BOLD_TAGS},
    **{tag: (False, True, False, False) for tag in _ITALIC_TAGS},
    "a": (False, False, True, False),
}

_PARSER = etree.HTMLParser(
    recover=True, huge_tree=True, remove_comments=False, remove_pis=True,
    no_network=True, default_doctype=False,
)


@dataclass
class HtmlDocument:
    blocks: list[Block]
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    heading: str = ""  # the page's <h1> when it stands outside the part read (before its <article>)
    page: PageMeta | None = None  # what a whole page says of itself (reader.parse.pages)


def parse_html(html: str) -> HtmlDocument:
    """Blocks, the <title> and the <meta> fields of a body or a whole page."""
    root = _parse(strip_controls(html))
    if root is None:
        return HtmlDocument([])
    document = HtmlDocument([])
    head = root.find("head")
    if head is not None:
        _read_head(head, document)
    full_page = is_whole_page(html)
    walker = _Walker(
        full_page=full_page,
        honour_ad_markers="<!--" in html and bool(_AD_END_COMMENT.search(html)),
        # The raw text was cleaned above; only numeric entities (&#27;) can
        # bring control characters back, so only then is each block checked.
        entities="&#" in html,
    )
    top = None
    if full_page:
        page = read_page(root, html, document.meta, document.title, _BLOCKS)
        document.page = page.meta
        top, walker.skip = page.article, page.skip
    if top is None:
        top = _content_root(root)
        document.heading = _heading_outside(root, top)
    walker.walk(top)
    document.blocks = one_caption_each(walker.blocks)
    return document


def is_whole_page(html: str) -> bool:
    """A page as a browser saves it, not an article's body: the cheap test that sends it to reader.parse.pages."""
    return _FULL_PAGE.search(html, 0, 4096) is not None


def _parse(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    root = _parse_with(html, _PARSER)
    if _too_deep(_PARSER):
        # libxml2 stops at 2,048 levels and drops the rest; flattened markup
        # loses the nesting but keeps every word.
        root = _parse_with(_flatten(html), _PARSER)
    return root


def _parse_with(html: str, parser: etree.HTMLParser) -> etree._Element | None:
    try:
        return etree.fromstring(html, parser)
    except ValueError:
        # "Unicode strings with encoding declaration are not supported".
        return _parse_with(_XML_DECLARATION.sub("", html, count=1), parser) if _XML_DECLARATION.match(html) else None
    except etree.ParserError:
        return None


def _too_deep(parser: etree.HTMLParser) -> bool:
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def _flatten(html: str) -> str:
    """Every tag but paragraphs, breaks and images removed; block ends become breaks."""
    # Every tag ends with ">": past the last one the pattern cannot match, and
    # trying it at each "<" there scanned to the end of the page each time
    # (quadratic in a run of unclosed "<a").
    end = html.rfind(">") + 1
    return _NESTABLE_TAG.sub(lambda tag: "<br><br>" if tag.group(1) else "", html[:end]) + html[end:]


def _read_head(head: etree._Element, document: HtmlDocument) -> None:
    title = head.find("title")
    if title is not None:
        document.title = clean_field("".join(title.itertext()), limit=500)
    for meta in head.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if name and content and name not in document.meta:
            document.meta[name] = clean_field(content, limit=500)
    for link in head.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            document.meta.setdefault("canonical", clean_field(link.get("href") or "", limit=500))


def _content_root(root: etree._Element) -> etree._Element:
    # A saved page keeps its article in <article> or <main>; the rest is the site around it.
    for tag in ("article", "main"):
        found = list(root.iter(tag))
        if len(found) == 1:
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def _heading_outside(root: etree._Element, top: etree._Element) -> str:
    """The first <h1>, when the walk starts at an <article> that does not hold it."""
    if top.tag not in ("article", "main"):
        return ""
    heading = next(root.iter("h1"), None)
    if heading is None or any(parent is top for parent in heading.iterancestors()):
        return ""
    return clean_field("".join(heading.itertext()), limit=500)


class _Walker:
    """One pass over the tree in document order, emitting blocks as it goes."""

    def __init__(self, *, full_page: bool, honour_ad_markers: bool, entities: bool = True) -> None:
        self.blocks: list[Block] = []
        self.entities = entities
        self.full_page = full_page
        self.honour_ad_markers = honour_ad_markers
        self.inline = InlineBuffer()
        self.in_ad = False
        self.bold = 0
        self.italic = 0
        self.links: list[str | None] = []
        self.heading = 0
        self.list_stack: list[list[int] | None] = []  # per list: [next ordinal] or None for bullets
        self.item_ordinal: int | None = None
        self.item_depth = 0
        self.in_item = 0
        self.quote = 0
        self.pre = 0
        self.caption = 0
        self.lit_background = 0  # inside a coloured background, near-white text is visible
        self.skip: set[etree._Element] = set()
        self.last_image: tuple[str, str] | None = None

    # -- the walk ---------------------------------------------------------
    # This loop runs for every element of every article at start-up: lxml's
    # iterwalk drives it from C, and an element with no attributes costs no
    # extra call. It never recurses, so nesting depth does not matter.
    def walk(self, top: etree._Element) -> None:
        walker = etree.iterwalk(top, events=("start", "end", "comment"))
        opened: list[tuple | None] = []  # per open element: what it changed, None if skipped
        push, pop = opened.append, opened.pop
        add_text = self._text
        pending = self.inline.runs  # the same list for the whole walk; tested for emptiness
        for event, element in walker:
            if event == "start":
                tag = element.tag
                attributes = element.items()
                changes = self._attribute_changes(tag, attributes) if attributes else _TAG_CHANGES.get(tag, _UNCHANGED)
                if changes is None or tag in _DROPPED or (self.skip and element in self.skip) or (
                    self.full_page and tag in _PAGE_FURNITURE
                ):
                    walker.skip_subtree()
                    push(None)
                    continue
                if tag in _BLOCKS:
                    if pending:
                        self._flush()
                    if tag in _STRUCTURAL:
                        self._open_block(element, tag)
                elif tag == "br":
                    self.inline.line_break()
                elif tag == "img":
                    self._image(element)
                if changes is not _UNCHANGED:
                    self._apply(changes, element)
                push(changes)
                text = element.text
                if text:
                    if tag in _BLOCKS and not len(element) and self._plain_block(text):
                        continue
                    add_text(text)
                continue
            if event == "end":
                changes = pop()
                if changes is not None:
                    tag = element.tag
                    if tag in _BLOCKS:
                        if pending:
                            self._flush()
                        if tag in _STRUCTURAL:
                            self._close_block(tag)
                    if changes is not _UNCHANGED:
                        self._undo(changes)
                if not opened:
                    break  # the top element's tail lies outside the content
            elif self.honour_ad_markers:
                self._comment(element.text or "")
            tail = element.tail
            if tail:
                add_text(tail)
        self._flush()

    def _attribute_changes(self, tag: str, attributes: list[tuple[str, str]]) -> tuple | None:
        """What the element turns on (bold, italic, link, background), or None to skip it."""
        bold, italic, link, background = _TAG_CHANGES.get(tag, _UNCHANGED)
        color = None
        # One pass over the attributes: most elements have one or two.
        for name, value in attributes:
            if name == "style":
                hidden, style_color, background_color, style_bold, style_italic, _ = parse_style(value)
                if hidden:
                    return None
                color = style_color or color
                bold = bold or style_bold
                italic = italic or style_italic
                background = background or _is_coloured(background_color)
            elif name == "color":
                color = color or value
            elif name in ("class", "id"):
                if _AD_CLASS.search(value):
                    return None
            elif name == "bgcolor":
                background = background or _is_coloured(value)
            elif name in _HIDING_ATTRIBUTES:
                return None
        if color and not self.lit_background and not background and is_near_white(color):
            return None
        changes = (bold, italic, link, background)
        return _UNCHANGED if changes == _UNCHANGED else changes

    def _comment(self, text: str) -> None:
        if _AD_START.search(text):
            self.in_ad = True
        elif _AD_END.search(text):
            self.in_ad = False

    # -- elements -----------------------------------------------------------
    def _apply(self, changes: tuple, element: etree._Element) -> None:
        bold, italic, link, background = changes
        self.bold += bold
        self.italic += italic
        self.lit_background += background
        if link:
            self.links.append(_safe_url(element.get("href")))

    def _undo(self, changes: tuple) -> None:
        bold, italic, link, background = changes
        self.bold -= bold
        self.italic -= italic
        self.lit_background -= background
        if link:
            self.links.pop()

    def _open_block(self, element: etree._Element, tag: str) -> None:
        if tag in _HEADINGS:
            self.heading = _HEADINGS[tag]
        elif tag in ("ul", "ol", "menu"):
            start = html_integer(element.get("start")) if tag == "ol" else None
            self.list_stack.append([1 if start is None else start] if tag == "ol" else None)
        elif tag == "li":
            self.in_item += 1
            self.item_depth = max(0, len(self.list_stack) - 1)
            counter = self.list_stack[-1] if self.list_stack else None
            if counter is not None:
                value = html_integer(element.get("value"))
                if value is not None:
                    counter[0] = value
                self.item_ordinal = counter[0]
                counter[0] += 1
            else:
                self.item_ordinal = None
        elif tag == "blockquote":
            self.quote += 1
        elif tag in ("pre", "listing", "xmp", "plaintext"):
            self.pre += 1
        elif tag == "figcaption":
            self.caption += 1
        elif tag == "table":
            from .tables import read_table  # tables are rare; keep the import off the common path

            table = read_table(element)
            if table is not None:
                self.blocks.append(table)
                self.skip.update(element.iter("tr"))

    def _close_block(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.heading = 0
        elif tag in ("ul", "ol", "menu"):
            if self.list_stack:
                self.list_stack.pop()
        elif tag == "li":
            self.in_item = max(0, self.in_item - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag in ("pre", "listing", "xmp", "plaintext"):
            self.pre = max(0, self.pre - 1)
        elif tag == "figcaption":
            self.caption = max(0, self.caption - 1)

    def _image(self, img: etree._Element) -> None:
        if self.in_ad or is_icon(img):
            return
        caption = find_caption(img)
        if caption is None:
            return  # an image nobody described disappears (see the README)
        if caption.element is not None:
            self.skip.add(caption.element)
        key = (img.get("src") or "", caption.text)
        if key == self.last_image:
            return  # the same picture twice in a row (lazy-load copies)
        self.last_image = key
        self._flush()
        self.blocks.append(Block(BlockKind.CAPTION, caption.text))

    # -- text -----------------------------------------------------------------
    def _text(self, text: str) -> None:
        if self.in_ad or (not self.inline.runs and text.isspace()):
            return
        link = self.links[-1] if self.links else None
        self.inline.add(text, self.bold > 0, self.italic > 0, link, preformatted=self.pre > 0)

    def _plain_block(self, text: str) -> bool:
        """A childless block of unstyled text (most paragraphs): emitted directly."""
        if self.in_ad or self.pre or self.bold or self.italic or self.links or not not self.inline.runs:
            return False
        paragraph = collapse_spaces(text).strip()
        if self.entities and needs_cleaning(paragraph):
            paragraph = collapse_spaces(strip_controls(paragraph)).strip()
        if paragraph and not (self.full_page and _FILE_NAME.fullmatch(paragraph)):
            self.blocks.append(self._block(paragraph, ()))
        return True

    def _flush(self) -> None:
        if not self.inline.runs:
            return
        for text, spans in self.inline.take(preformatted=self.pre > 0, check_controls=self.entities):
            if self.full_page and _FILE_NAME.fullmatch(text):
                continue  # an image's file name printed as text: page furniture
            self.blocks.append(self._block(text, spans))

    def _block(self, text: str, spans: tuple) -> Block:
        if self.pre:
            return Block(BlockKind.PRE, text)
        if self.caption:
            return Block(BlockKind.CAPTION, text)
        if self.heading:
            return Block(BlockKind.HEADING, text, spans, level=self.heading)
        if self.quote:
            return Block(BlockKind.QUOTE, text, spans, level=self.quote)
        if self.in_item:
            ordinal, self.item_ordinal = self.item_ordinal, None  # later paragraphs of the item get no number
            return Block(BlockKind.LIST_ITEM, text, spans, level=self.item_depth, ordinal=ordinal)
        return Block(BlockKind.PARAGRAPH, text, spans)


def _is_coloured(value: str | None) -> bool:
    if not value:
        return False
    rgb = parse_color(value)
    return rgb is not None and not is_near_white(value)


def _safe_url(href: str | None) -> str | None:
    """Only web and mail links stay links; javascript:, file: and the like become plain text."""
    if not href:
        return None
    href = strip_controls(href).strip()
    return href if href.lower().startswith(_LINK_SCHEMES) else None

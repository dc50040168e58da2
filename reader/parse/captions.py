"""Where an image's caption is, so the image can be shown as its caption.

In order: the ``<figcaption>`` of its figure; the short caption-looking element
right after it (a centred grey line, a ``<small>``, an italic line); its
``alt``; its ``title``. Generic texts such as 点击查看大图 ("click to view the
large picture") or a file name are not captions.

A caption repeated in the block after it (an image's ``alt`` followed by a
caption written out in a plain paragraph, or two images with one caption) is
one caption: ``one_caption_each`` keeps it once, with the fuller of the two
texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .clean import clean_field
from .htmlstyle import html_integer, is_grey, parse_style
from ..model import Block, BlockKind

_GENERIC = re.compile(
    r"^(?:点击|點擊|单击|單擊|click|tap)"
    r"|(?:大图|大圖|原图|原圖|放大|enlarge|full\s*size|larger)\W*$"
    r"|^(?:img|image|images|photo|picture|pic|图片|圖片|图像|圖像|照片|配图|配圖|插图|缩略图|thumbnail|logo|icon|banner|untitled|null|undefined|none)\W*\d*\W*$"
    r"|\.(?:jpe?g|png|gif|webp|bmp|svg|avif)\s*$"
    r"|^\W*$",
    re.IGNORECASE,
)
_CAPTION_CLASS = re.compile(r"caption|figcap|desc|pic_?txt|pic-?text|img-?text|photo-?text|credit|illustration", re.IGNORECASE)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIPPABLE = frozenset({"br"})
# Captions are a line or two; a long run of text after an image is the article going on.
_STRONG_LIMIT, _WEAK_LIMIT = 300, 160
_NOT_WORDS = re.compile(r"[\W_]+")  # spaces, punctuation and symbols: what "the same words" ignores


@dataclass(frozen=True, slots=True)
class Caption:
    text: str
    element: etree._Element | None  # shown as the caption, so the walk must skip it


def is_generic(text: str) -> bool:
    text = text.strip()
    # Generic labels are short; a sentence is never one.
    return len(text) <= 40 and bool(_GENERIC.search(text))


def is_icon(img: etree._Element) -> bool:
    """Emoji, bullets and tracking pixels: too small to be a picture worth a caption."""
    for attribute in ("width", "height"):
        size = html_integer((img.get(attribute) or "").strip().lower().removesuffix("px"))
        if size is not None and 0 <= size <= 32:
            return True
    return False


def find_caption(img: etree._Element) -> Caption | None:
    figure = _enclosing_figure(img)
    if figure is not None:
        for figcaption in figure.iter("figcaption"):
            text = _text_of(figcaption)
            if text:
                return Caption(text, figcaption)
    following = _following_caption(img)
    if following is not None:
        return following
    for attribute in ("alt", "title"):
        text = clean_field(img.get(attribute) or "", limit=_STRONG_LIMIT)
        if text and not is_generic(text):
            return Caption(text, None)
    return None


def _enclosing_figure(img: etree._Element) -> etree._Element | None:
    for depth, ancestor in enumerate(img.iterancestors()):
        if ancestor.tag == "figure":
            return ancestor
        if depth >= 3:
            break
    return None


def _following_caption(img: etree._Element) -> Caption | None:
    node = img
    for _ in range(3):  # climb out of wrappers that hold nothing but the image
        if (node.tail or "").strip():
            return None  # text runs on straight after the image
        candidate = node.getnext()
        while candidate is not None and (
            not isinstance(candidate.tag, str) or candidate.tag in _SKIPPABLE
        ):
            if (candidate.tail or "").strip():
                return None
            candidate = candidate.getnext()
        if candidate is not None:
            return _as_caption(candidate)
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or _has_text(parent):
            return None
        node = parent
    return None


def _has_text(element: etree._Element) -> bool:
    return any(text.strip() for text in element.itertext())


def _as_caption(element: etree._Element) -> Caption | None:
    tag = element.tag
    if tag in _HEADINGS or tag == "img" or element.find(".//img") is not None:
        return None
    text = _text_of(element)
    if not text or is_generic(text):
        return None
    strength = _caption_signal(element, text)
    limit = _STRONG_LIMIT if strength == 2 else _WEAK_LIMIT if strength == 1 else 0
    return Caption(text, element) if len(text) <= limit else None


def _caption_signal(element: etree._Element, text: str) -> int:
    """2: marked as a caption; 1: looks like one (centred, grey, italic); 0: body text."""
    if element.tag in ("figcaption", "small", "caption"):
        return 2
    if _CAPTION_CLASS.search(element.get("class") or "") or _CAPTION_CLASS.search(element.get("id") or ""):
        return 2
    for inner in element.iter("small", "figcaption"):
        if _text_of(inner) == text:
            return 2
    looks = element.tag == "center" or (element.get("align") or "").lower() == "center"
    for inner in element.iter():
        if looks:
            break
        style = inner.get("style")
        if style:
            _, color, _, _, italic, centred = parse_style(style)
            looks = centred or (color is not None and is_grey(color))
        color_attribute = inner.get("color")
        if color_attribute and is_grey(color_attribute):
            looks = True
        if inner.tag in ("em", "i") and _text_of(inner) == text:
            looks = True
    return 1 if looks else 0


def _text_of(element: etree._Element) -> str:
    return clean_field("".join(element.itertext()), limit=_STRONG_LIMIT + 1)


def one_caption_each(blocks: list[Block]) -> list[Block]:
    """The blocks, each caption that the next block repeats kept once (as a caption, the text with more words).

    The next block repeats a caption when it is a paragraph or a caption with
    the same words (spaces, punctuation and case aside), or holds them and
    little more (a credit: ``（路透社）``), being no longer than a caption.
    """
    if not any(block.kind is BlockKind.CAPTION for block in blocks):
        return blocks
    kept: list[Block] = []
    for block in blocks:
        previous = kept[-1] if kept else None
        if previous is not None and previous.kind is BlockKind.CAPTION and block.kind in (BlockKind.PARAGRAPH, BlockKind.CAPTION):
            ours, theirs = _words(previous.text), _words(block.text)
            if len(block.text) <= _STRONG_LIMIT and _repeats(ours, theirs):
                if len(theirs) > len(ours):
                    kept[-1] = Block(BlockKind.CAPTION, block.text)
                continue
        kept.append(block)
    return kept


def _words(text: str) -> str:
    return _NOT_WORDS.sub("", text).casefold()


def _repeats(ours: str, theirs: str) -> bool:
    """Whether two texts' words are the same, or one's are the other's and little more."""
    if not ours or not theirs:
        return False
    shorter, longer = sorted((ours, theirs), key=len)
    return shorter in longer and 3 * len(shorter) >= 2 * len(longer)

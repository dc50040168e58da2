"""What an article is, independent of the file it came from.

Everything here is a frozen dataclass: parsers build them once, and the
renderer, the index and the UI only read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


class BlockKind(enum.Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CAPTION = "caption"
    PRE = "pre"
    TABLE = "table"


class SpanKind(enum.Enum):
    BOLD = "bold"
    ITALIC = "italic"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Span:
    """Inline formatting over ``text[start:end]`` of the block that owns it."""

    start: int
    end: int
    kind: SpanKind
    url: str | None = None  # only for LINK; only http(s) and mailto survive


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of the body.

    ``text`` is clean: no markup, no control characters, whitespace
    normalised. A ``\\n`` inside it is a hard line break (``<br>``).

    ``level`` means: the heading level (1-6) for HEADING, the nesting depth
    (0 = top) for LIST_ITEM, the quote depth (1 = one level) for QUOTE.
    ``ordinal`` is the item's number in an ordered list, None for bullets.
    ``rows`` holds the cells of a TABLE; its ``text`` is the rows joined with
    tabs and newlines so that search sees the same words.
    """

    kind: BlockKind
    text: str
    spans: tuple[Span, ...] = ()
    level: int = 0
    ordinal: int | None = None
    rows: tuple[tuple[str, ...], ...] = ()


class DateOrigin(enum.Enum):
    METADATA = "metadata"  # stated by the article (front matter, RSS, meta tag)
    FILE = "file"  # the file's modification time: a guess, shown as such


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known of an article without its body: enough to list it, cite it, find it again."""

    path: Path
    title: str
    source: str
    date: datetime | None  # always timezone-aware when set
    date_origin: DateOrigin | None
    author: str
    url: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    format: str  # e.g. "front-matter", "rss", "front-matter+rss", "html", "markdown", "text"
    # Things that went wrong but did not stop the article from being read.
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Article(ArticleMeta):
    """An article with its body."""

    blocks: tuple[Block, ...] = ()

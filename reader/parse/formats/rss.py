"""RSS dumps: a feed reader's export of one item.

    <!--1641833943000-->                 fetch time, epoch milliseconds
    [title](https://host/path)           the item's title and link
    ------
    <div><i>Mon, 10 Jan 2022 16:06:38 GMT</i></div><p>…   the HTML body

The date line at the top of the body is metadata, not text, and is taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..dates import parse_date

_EPOCH_COMMENT = re.compile(r"\A\s*<!--\s*(\d{9,13})\s*-->[ \t]*\r?\n")
_TITLE_LINK = re.compile(
    r"\A\s*\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)[ \t]*\r?\n"
    r"(?:[ \t]*(?:-{3,}|={3,})[ \t]*(?:\r?\n|\Z))?"
)
# Possessive quantifiers: long runs of whitespace must not be re-split on failure.
_DATE_LINE = re.compile(
    r"\A\s*+<(div|p|span|time|i|em|small)\b[^>]*+>\s*+"
    r"(?:<(i|em|time|small|span|b)\b[^>]*+>\s*+)?"
    r"([^<>\n]{6,64}?)\s*+"
    r"(?:</\2\s*>\s*+)?</\1\s*>",
    re.IGNORECASE,
)


@dataclass
class RssHeader:
    title: str
    url: str
    fetched: datetime | None
    body: str


def split_rss_header(text: str) -> RssHeader | None:
    """The header of an RSS dump and the body after it, or None if this is not one."""
    epoch = _EPOCH_COMMENT.match(text)
    rest = text[epoch.end():] if epoch else text
    heading = _TITLE_LINK.match(rest)
    # A bare "[title](url)" line could start any Markdown file; the epoch
    # comment or the underline is what makes it an RSS header.
    if heading is None or not (epoch or heading.group(0).rstrip().endswith(("---", "==="))):
        return None
    fetched = parse_date(epoch.group(1)) if epoch else None
    return RssHeader(heading.group(1).strip(), heading.group(2).strip(), fetched, rest[heading.end():])


def take_date_line(body: str) -> tuple[datetime | None, str]:
    """The publication date written as the body's first line, and the body without it."""
    line = _DATE_LINE.match(body)
    if line is None:
        return None, body
    published = parse_date(line.group(3))
    if published is None:
        return None, body
    return published, body[line.end():]

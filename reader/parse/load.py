"""One file to one Article: the layers of a file are peeled in turn.

    bytes → text (encoding) → front matter? → RSS header? → body (HTML,
    Markdown or plain text) → blocks

A file may have any of the layers (a front-matter file whose body is an RSS
dump is common), so each is tried in turn rather than guessing one format per
file. Metadata comes from the outermost layer that states it.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from .clean import clean_field, unescape_entities
from .decode import DecodeError, decode
from .fields import as_date, as_list, as_text, first, lower_keys
from .formats.frontmatter import split_front_matter
from .formats.markdown import looks_like_html, markdown_to_html
from .formats.plaintext import text_to_blocks
from .formats.rss import split_rss_header, take_date_line
from .html import parse_html
from ..model import Article, Block, BlockKind, DateOrigin
from .pages import PageMeta, platforms
from .pages.meta import META_DATE_KEYS, split_site_name

MAX_FILE_BYTES = 20 * 1024 * 1024
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "published_at", "created", "created_at", "time", "updated")
_URL_KEYS = ("link", "url", "from", "source_url", "original", "origin", "permalink", "canonical")
# A folder named for a date (2022, 2022-01, 202201, 2022年1月) files articles by time, not by source.
_DATE_FOLDER = re.compile(r"[\d\s._/年月日号-]*\d[\d\s._/年月日号-]*")


class ArticleError(Exception):
    """A file that is not a readable article; ``reason`` is one line for the user."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def failure_reason(error: BaseException, failed: str = "could not be parsed") -> str:
    """One line for the user about a bug that cost one file; the rest of the folder still loads."""
    try:
        message = str(error)
    except Exception:  # an exception that cannot even describe itself
        message = ""
    return clean_field(f"{failed} ({type(error).__name__}: {message})", limit=300)


def load_article(path: Path) -> Article:
    try:
        info = path.stat()
        if info.st_size > MAX_FILE_BYTES:
            raise ArticleError(path, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        with open(path, "rb") as handle:
            # Ask for the size stat reported (plus one byte to notice growth):
            # read(20 MB) would allocate 20 MB for every small article.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        raise ArticleError(path, (error.strerror or str(error)).lower()) from None
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError(path, f"grew past {MAX_FILE_BYTES // (1024 * 1024)} MB while being read")
    return parse_article(data, path, info.st_mtime)


def parse_article(data: bytes, path: Path, mtime: float | None = None) -> Article:
    try:
        text, _encoding, problem = decode(data)
    except DecodeError as error:
        raise ArticleError(path, str(error)) from None
    if not text.strip():
        raise ArticleError(path, "empty file")
    assembler = _Assembler(path, mtime)
    if problem:
        assembler.problems.append(problem)
    return assembler.build(text)


class _Assembler:
    """Gathers what each layer says and settles each field by precedence."""

    def __init__(self, path: Path, mtime: float | None) -> None:
        self.path = path
        self.mtime = mtime
        self.problems: list[str] = []
        self.layers: list[str] = []

    def build(self, text: str) -> Article:
        fields: dict[str, object] = {}
        body = text
        front = split_front_matter(text)
        if front is not None:
            self.layers.append("front-matter")
            fields = lower_keys(front.fields)
            self.problems += front.problems
            body = front.body
        rss = split_rss_header(body)
        if rss is not None:
            self.layers.append("rss")
            body = rss.body

        body_date = None
        head_title, meta, heading, page = "", {}, "", None
        kind = self._body_kind(body)
        if kind == "html":
            body_date, body = take_date_line(body)
            document = parse_html(body)
            blocks, head_title, meta, heading, page = document.blocks, document.title, document.meta, document.heading, document.page
        elif kind == "markdown":
            blocks = parse_html(markdown_to_html(body)).blocks
        else:
            head_title, body = _first_line(body)
            blocks = text_to_blocks(body)

        if page is None:  # a body: its <head>, if it has one, is all it says
            page = _head_meta(head_title, meta, heading)
        title = self._title(fields, rss.title if rss else "", page, blocks)
        url = self._url(fields, rss.url if rss else "", page)
        author = as_text(fields["author"], self.problems, "author") if "author" in fields else page.author
        categories = tuple(as_list(fields.get("categories") or fields.get("category")))
        date, origin = self._date(fields, body_date, rss.fetched if rss else None, page)
        return Article(
            path=self.path,
            title=title,
            source=self._source(fields, categories, author, url, page),
            date=date,
            date_origin=origin,
            author=author,
            url=url,
            categories=categories,
            tags=tuple(as_list(fields.get("tags") or fields.get("keywords"))),
            format="+".join(self.layers) if self.layers else kind,
            blocks=tuple(self._capped(_without_repeated_title(blocks, title))),
            problems=tuple(self.problems),
        )

    def _capped(self, blocks: list[Block]) -> list[Block]:
        kept, left_out = _capped_blocks(blocks)
        if left_out:
            note = f"(the article goes on for {left_out:,} more characters, not shown: reader shows the first {MAX_BODY_CHARACTERS:,})"
            self.problems.append(f"body longer than {MAX_BODY_CHARACTERS:,} characters, cut")
            kept.append(Block(BlockKind.PARAGRAPH, note))
        return kept

    def _body_kind(self, body: str) -> str:
        if looks_like_html(body):
            return "html"
        suffix = self.path.suffix.lower()
        if suffix in (".html", ".htm"):
            return "html"
        if suffix in (".md", ".markdown") or self.layers:
            return "markdown"
        return "text"

    def _title(self, fields: dict, rss_title: str, page: PageMeta, blocks: list[Block]) -> str:
        if "title" in fields:
            title = as_text(fields["title"], self.problems, "title")
            if title:
                return title
        if rss_title:
            return clean_field(unescape_entities(rss_title))
        if page.title:
            return page.title
        for block in blocks[:3]:
            if block.kind.value == "heading":
                return clean_field(block.text)
        if blocks:
            return clean_field(blocks[0].text.split("\n", 1)[0], limit=100)
        return self.path.stem

    def _url(self, fields: dict, rss_url: str, page: PageMeta) -> str:
        found = first(fields, *_URL_KEYS)
        if found is not None:
            return as_text(found[1], self.problems, found[0])
        return clean_field(rss_url or page.url)

    def _source(self, fields: dict, categories: tuple[str, ...], author: str, url: str, page: PageMeta) -> str:
        # The archive's word first (front matter), then the page's (reader.parse.pages.meta), then guesses.
        named = first(fields, "source", "publisher", "outlet", "site")
        if named is not None:
            text = as_text(named[1], self.problems, named[0])
            if text and "://" not in text:
                return text
        # Archive exports write categories as [channel, outlet, section].
        if len(categories) >= 2:
            return categories[1]
        if categories:
            return categories[0]
        if page.source:
            return page.source
        if author:
            return author
        host = _host(url)
        if host and not platforms.is_platform_host(host):
            return host
        return self._folder_source()

    def _folder_source(self) -> str:
        """The nearest folder that is not named for a date (archive/2022/01/x.txt is archive's)."""
        folder = self.path.resolve().parent
        for _ in range(4):
            name = clean_field(folder.name)
            if not name:
                break
            if not _DATE_FOLDER.fullmatch(name):
                return name
            folder = folder.parent
        return "unknown"

    def _date(self, fields: dict, body_date, fetched, page: PageMeta) -> tuple[datetime | None, DateOrigin | None]:
        for key in _DATE_KEYS:
            if fields.get(key) not in (None, "", []):
                parsed = as_date(fields[key], self.problems)
                if parsed is not None:
                    return parsed, DateOrigin.METADATA
        for candidate in (body_date, fetched):
            if candidate is not None:
                return candidate, DateOrigin.METADATA
        self.problems += page.date_problems  # dates the page states but nobody can read
        if page.date is not None:
            return page.date, DateOrigin.METADATA
        guessed = page.guessed_date() if page.html else None
        if guessed is not None:
            return guessed, DateOrigin.METADATA
        if self.mtime is not None:
            try:
                return datetime.fromtimestamp(self.mtime, tz=timezone.utc), DateOrigin.FILE
            except (OverflowError, OSError, ValueError):
                pass
        return None, None


MAX_BODY_CHARACTERS = 300_000  # about 150 screens; laying out more would stall opening the article


def _capped_blocks(blocks: list[Block]) -> tuple[list[Block], int]:
    """The blocks up to MAX_BODY_CHARACTERS of text, and how many characters were left out."""
    kept: list[Block] = []
    total = 0
    for index, block in enumerate(blocks):
        if total + len(block.text) > MAX_BODY_CHARACTERS:
            room = MAX_BODY_CHARACTERS - total
            if room > 0:
                kept.append(Block(block.kind, block.text[:room], tuple(s for s in block.spans if s.end <= room), block.level, block.ordinal))
            left_out = len(block.text) - max(room, 0) + sum(len(rest.text) for rest in blocks[index + 1:])
            return kept, left_out
        kept.append(block)
        total += len(block.text)
    return kept, 0


def _first_line(text: str) -> tuple[str, str]:
    """Plain text: the first non-blank line is the title, the rest the body."""
    stripped = text.lstrip()
    line, _, rest = stripped.partition("\n")
    return clean_field(line, limit=300), rest


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _head_meta(head_title: str, meta: dict[str, str], heading: str) -> PageMeta:
    """What a body's <head> says, as reader.parse.pages would put it (bodies rarely have one)."""
    site = meta.get("og:site_name", "")
    page = PageMeta(source=site, author=meta.get("author", ""),
                    url=meta.get("og:url") or meta.get("canonical") or "")
    page.title = split_site_name(meta.get("og:title") or head_title, [site])[0] or heading
    for key in META_DATE_KEYS:
        if key in meta:
            page.date = as_date(meta[key], page.date_problems)
            if page.date is not None:
                break
    return page


def _without_repeated_title(blocks: list[Block], title: str) -> list[Block]:
    # Pages often open with the title as a heading, sometimes twice (Drupal's
    # page title and node title); the header shows it already.
    start = 0
    while start < min(2, len(blocks)) and blocks[start].kind.value in ("heading", "paragraph") and blocks[start].text == title:
        start += 1
    return blocks[start:]


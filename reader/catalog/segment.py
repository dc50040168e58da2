"""A segment: a batch of articles, their passages' text and structure, and their postings, as arrays.

The same arrays serve a batch just parsed (in a worker process, sent back
pickled: numpy arrays pickle as raw buffers) and a batch memory-mapped from
the cache: a ``Segment`` neither knows nor cares which. Nothing here is a
Python object per article or per passage until someone asks for one:

- per article: strings columns (``Strings``) for the place of the file below
  its root, title, source, author, url, format, categories, tags and problems;
  numbers for the date, the file's identity and where its passages start;
- per passage (title, source, then every block): the block's kind, level and
  ordinal; its text lives in one UTF-16 array (``text``), cut by
  ``text_starts``; inline spans (bold, italic, links) in a table of their own;
- the passages' postings (reader.search.index.Postings);
- the files of the batch that were not articles, with the reason.

``Segment.article(i)`` builds an ``Article`` with its blocks when one is shown.
``merge`` joins segments (dropping deleted articles), which is how loading
batches become the cache's large segments and how deletions are compacted.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from ..search.fold import fold_units
from ..search.index import SOURCE, TITLE, Postings, build_postings, merge_postings
from ..model import Article, ArticleMeta, Block, BlockKind, DateOrigin, Span, SpanKind
from .columns import Strings, date_of, date_parts, pack_lists, unpack_lists
from .copies import normalised_urls

MAX_PASSAGES = 65_535  # passage numbers in postings are 16-bit
_KINDS = tuple(BlockKind)
_KIND_CODE = {kind: number for number, kind in enumerate(_KINDS)}
_PASSAGE_CODE = 255  # the title and source passages are no block
_SPAN_KINDS = tuple(SpanKind)
_SPAN_CODE = {kind: number for number, kind in enumerate(_SPAN_KINDS)}
_ORIGINS = (None, DateOrigin.METADATA, DateOrigin.FILE)
_NO_URL = int(np.iinfo(np.uint32).max)
_INT32 = np.iinfo(np.int32)
_NO_ORDINAL, _INT32_MAX = int(_INT32.min), int(_INT32.max)
_KIND_CODE_OF = {kind.value: code for kind, code in _KIND_CODE.items()}
_SPAN_CODE_OF = {kind.value: code for kind, code in _SPAN_CODE.items()}

PATH_DEPENDENT = 1  # flags: the parse used the file's name or folder (title, source or format)
# What a search or an opened article reads, but `reader list` does not: checked on first use.
LAZY_ARRAYS = frozenset({
    "passage_kind", "passage_level", "passage_ordinal", "passage_hash", "passage_starts", "text", "text_starts",
    "span_passage", "span_start", "span_end", "span_kind", "span_url", "span_urls.blob", "span_urls.offsets",
    "postings.bigrams", "postings.starts", "postings.passages",
})
# The order a background check of the cache takes them in (Snapshot.verify): what every search
# reads first (the bigrams' directory, the passages' hashes and places), then the postings, then the text.
VERIFY_ORDER = (
    "postings.bigrams", "postings.starts", "passage_hash", "passage_kind", "passage_level", "passage_ordinal",
    "passage_starts", "text_starts", "postings.passages", "text",
)
STRING_COLUMNS = ("relative", "title", "source", "author", "url", "format", "categories", "tags", "problems", "skipped_relative", "skipped_reason", "span_urls")


@dataclass(frozen=True)
class FileRef:
    """A file to read: which named root it was found under, its place below it, its path, its identity."""

    root: int
    relative: str
    path: str
    identity: tuple[int, int, int, int]


class FoldedMemo:
    """Folded passage texts kept between searches, up to a budget of characters, then all forgotten.

    A query typed one character at a time is searched at every key, and its
    prefixes check mostly the same passages: folding them once saves the
    fold, about half of a fuzzy search over 10,000-20,000 candidates. Each
    segment keeps its own (``Segment.folded_texts_at``); a memo made before
    the last ``forget()`` is dropped when next used. Searches in two threads
    may fill one memo at once: each entry is set whole (a dict's item), and
    the count of characters kept is a bound to keep memory in check, not an
    exact figure.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.generation = 0
        self.kept = 0

    def forget(self) -> None:
        self.generation += 1
        self.kept = 0

    def kept_more(self, characters: int) -> None:
        """``characters`` more were kept; past the budget, everything is forgotten."""
        self.kept += characters
        if self.kept > self.budget:
            self.forget()


# About 8 million characters: 16-30 MB of strings, the candidates of a few typed queries.
FOLDED = FoldedMemo(8_000_000)


class Segment:
    """Articles numbered 0…n-1 and passages 0…p-1 of one batch. Immutable (but for the memo of folded texts)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self._folded: tuple[int, dict[int, str]] = (-1, {})  # (FOLDED's generation, passage → folded text)
        self.strings = {name: Strings(arrays[f"{name}.blob"], arrays[f"{name}.offsets"]) for name in STRING_COLUMNS}
        self.postings = Postings(
            len(arrays["passage_kind"]), arrays["postings.bigrams"], arrays["postings.starts"], arrays["postings.passages"]
        )

    def verify(self, names: tuple[str, ...] | None = None, stop=None) -> bool:
        """Check the chunks not checked yet of arrays ``names`` (None: all) read from a cache; False if stopped."""
        arrays = self.arrays.values() if names is None else [self.arrays.get(name) for name in names]
        return all(array.verify(stop) for array in arrays if hasattr(array, "verify"))

    # -- sizes ----------------------------------------------------------------------
    @property
    def article_count(self) -> int:
        return len(self.arrays["root"])

    @property
    def passage_count(self) -> int:
        return len(self.arrays["passage_kind"])

    @property
    def skipped_count(self) -> int:
        return len(self.arrays["skipped_root"])

    @property
    def nbytes(self) -> int:
        return sum(array.nbytes for array in self.arrays.values())

    # -- per article ----------------------------------------------------------------
    @property
    def roots(self) -> np.ndarray:
        return self.arrays["root"]

    @property
    def identity(self) -> np.ndarray:
        return self.arrays["identity"]

    @property
    def flags(self) -> np.ndarray:
        return self.arrays["flags"]

    @property
    def date_us(self) -> np.ndarray:
        return self.arrays["date_us"]

    @property
    def date_offset(self) -> np.ndarray:
        return self.arrays["date_offset"]

    def column(self, name: str) -> Strings:
        return self.strings[name]

    def date(self, number: int):
        return date_of(int(self.arrays["date_us"][number]), int(self.arrays["date_offset"][number]))

    def date_origin(self, number: int) -> DateOrigin | None:
        return _ORIGINS[int(self.arrays["date_origin"][number])]

    def meta(self, number: int, path: Path) -> ArticleMeta:
        """The article's metadata, without reading its body (``path`` as the user named it)."""
        strings = self.strings
        return ArticleMeta(
            path=path,
            title=strings["title"][number],
            source=strings["source"][number],
            date=self.date(number),
            date_origin=self.date_origin(number),
            author=strings["author"][number],
            url=strings["url"][number],
            categories=unpack_lists(strings["categories"][number]),
            tags=unpack_lists(strings["tags"][number]),
            format=strings["format"][number],
            problems=unpack_lists(strings["problems"][number]),
        )

    def article(self, number: int, path: Path) -> Article:
        """The article with its blocks, read from the arrays in one go."""
        meta = self.meta(number, path)
        arrays = self.arrays
        starts = arrays["passage_starts"]
        first, end = int(starts[number]) + 2, int(starts[number + 1])  # after the title and source passages
        if first >= end:
            return Article(**{name: getattr(meta, name) for name in ArticleMeta.__slots__})
        kinds = np.asarray(arrays["passage_kind"][first:end]).tolist()
        levels = np.asarray(arrays["passage_level"][first:end]).tolist()
        ordinals = np.asarray(arrays["passage_ordinal"][first:end]).tolist()
        texts = self.passage_texts_at(np.arange(first, end, dtype=np.int64))
        spans = self._spans_of(first, end)
        blocks = []
        for offset, (kind_code, text, level, ordinal) in enumerate(zip(kinds, texts, levels, ordinals)):
            kind = _KINDS[kind_code]
            rows = tuple(tuple(line.split("\t")) for line in text.split("\n")) if kind is BlockKind.TABLE else ()
            blocks.append(Block(kind, text, spans.get(first + offset, ()), level, None if ordinal == _INT32.min else ordinal, rows))
        return Article(**{name: getattr(meta, name) for name in ArticleMeta.__slots__}, blocks=tuple(blocks))

    def _spans_of(self, first: int, end: int) -> dict[int, tuple[Span, ...]]:
        """The spans of passages first…end-1, by passage."""
        arrays = self.arrays
        owners = arrays["span_passage"]
        low, high = (int(i) for i in np.searchsorted(np.asarray(owners), [first, end]))
        if low == high:
            return {}
        urls = self.strings["span_urls"]
        found: dict[int, list[Span]] = {}
        columns = zip(*(np.asarray(arrays[name][low:high]).tolist() for name in ("span_passage", "span_start", "span_end", "span_kind", "span_url")))
        for passage, start, stop, kind, url in columns:
            found.setdefault(passage, []).append(Span(start, stop, _SPAN_KINDS[kind], None if url == _NO_URL else urls[url]))
        return {passage: tuple(spans) for passage, spans in found.items()}

    def relabeled(self, roots: list[int], relatives: list[str]) -> Segment:
        """The same articles found under other names (files moved or renamed)."""
        arrays = dict(self.arrays)
        arrays["root"] = np.array(roots, dtype=np.uint16)
        column = Strings.of(relatives)
        arrays["relative.blob"], arrays["relative.offsets"] = column.blob, column.offsets
        return Segment(arrays)

    # -- per passage ----------------------------------------------------------------
    @cached_property
    def owners(self) -> np.ndarray:
        """passage → article number in this segment."""
        counts = np.diff(self.arrays["passage_starts"].astype(np.int64))
        return np.repeat(np.arange(self.article_count, dtype=np.uint32), counts)

    @cached_property
    def blocks(self) -> np.ndarray:
        """passage → block index in its article, TITLE or SOURCE."""
        starts = self.arrays["passage_starts"].astype(np.int64)
        place = np.arange(self.passage_count, dtype=np.int64) - np.repeat(starts[:-1], np.diff(starts))
        blocks = (place - 2).astype(np.int32)
        blocks[place == 0] = TITLE  # every article's passages: title, source, then its blocks
        blocks[place == 1] = SOURCE
        return blocks

    def passage_text(self, passage: int) -> str:
        starts = self.arrays["text_starts"]
        return self.arrays["text"][int(starts[passage]):int(starts[passage + 1])].tobytes().decode("utf-16-le", "surrogatepass")

    def passage_texts_at(self, passages: np.ndarray) -> list[str]:
        """The texts of many passages, gathered and decoded at once (texts never hold NUL)."""
        if not len(passages):
            return []
        return self._units_at(passages).decode("utf-16-le", "surrogatepass").split("\x00")[:-1]

    def folded_texts_at(self, passages: np.ndarray) -> list[str]:
        """The same texts folded for search (reader.search.fold), without decoding them first; kept in FOLDED."""
        if not len(passages):
            return []
        generation, memo = self._folded
        if generation != FOLDED.generation:
            memo = {}
            self._folded = (FOLDED.generation, memo)
        numbers = passages.tolist()
        if memo:
            found = list(map(memo.get, numbers))
            missing = [i for i, text in enumerate(found) if text is None]
        else:  # nothing kept yet (the usual first search): no lookups
            found, missing = [], range(len(numbers))
        if not missing:
            return found
        wanted = passages if len(missing) == len(numbers) else np.asarray(passages)[missing]
        texts = fold_units(np.frombuffer(self._units_at(wanted), dtype=np.uint16))
        memo.update(zip(map(numbers.__getitem__, missing), texts))
        FOLDED.kept_more(sum(map(len, texts)))
        if len(missing) == len(numbers):
            return texts
        for i, text in zip(missing, texts):
            found[i] = text
        return found

    def _units_at(self, passages: np.ndarray) -> bytes:
        """The passages' text as UTF-16-LE bytes, each followed by one NUL.

        One slice of the text per passage, joined: for the thousands of
        passages a search checks, a third of the time of gathering them by
        an index array of every code unit.
        """
        starts = self.arrays["text_starts"]  # take: from the cache, only the chunks holding these are checked
        first = starts.take(passages).astype(np.int64)
        ends = starts.take(passages + 1).astype(np.int64)
        text = self.arrays["text"]
        if hasattr(text, "gathered"):  # from the cache: check only the chunks these passages are in
            text = text.gathered(first, ends)
        units = memoryview(np.ascontiguousarray(text)).cast("B")
        first, ends = (2 * first).tolist(), (2 * ends).tolist()
        return b"\x00\x00".join([units[start:end] for start, end in zip(first, ends)]) + b"\x00\x00"


# ---------------------------------------------------------------- building


def build_segment(files: list[FileRef], results: list[Article | str]) -> Segment:
    """The segment of a batch: ``results[i]`` is the article read from ``files[i]``, or why it is not one."""
    articles = [(file, result) for file, result in zip(files, results) if isinstance(result, Article)]
    skipped = [(file, result) for file, result in zip(files, results) if not isinstance(result, Article)]
    passages: list[str] = []
    kinds: list[int] = []
    levels: list[int] = []
    ordinals: list[int] = []
    passage_starts = [0]
    span_rows: list[tuple[int, int, int, int, int]] = []
    span_urls: dict[str, int] = {}
    text_hashes: list[int] = []
    no_ordinal, lowest, highest = _NO_ORDINAL, _NO_ORDINAL + 1, _INT32_MAX
    kind_code, span_code = _KIND_CODE_OF, _SPAN_CODE_OF  # by the members' values: hashing an Enum runs Python
    for _file, article in articles:
        room = MAX_PASSAGES - len(passages) - 2
        blocks = article.blocks[: max(0, room)]  # beyond a segment's reach: not searchable, not shown
        passages += (article.title, article.source)
        kinds += (_PASSAGE_CODE, _PASSAGE_CODE)
        levels += (0, 0)
        ordinals += (no_ordinal, no_ordinal)
        for block in blocks:
            passages.append(block.text)
            kinds.append(kind_code[block.kind._value_])
            level = block.level
            levels.append(level if 0 <= level <= 255 else min(255, max(0, level)))
            ordinal = block.ordinal
            ordinals.append(no_ordinal if ordinal is None else min(highest, max(lowest, ordinal)))
            if block.spans:
                number = len(passages) - 1
                for span in block.spans:
                    url = _NO_URL if span.url is None else span_urls.setdefault(span.url, len(span_urls))
                    span_rows.append((number, span.start, span.end, span_code[span.kind._value_], url))
        passage_starts.append(len(passages))
        text_hashes.append(text_hash(block.text for block in blocks))
    if len(passages) > MAX_PASSAGES:
        raise ValueError(f"{len(passages)} passages: a segment holds at most {MAX_PASSAGES}")
    # One encoding for every passage (joined by NUL, which text never holds), then cut at the NULs.
    text = np.frombuffer("\x00".join(passages).encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    cuts = np.flatnonzero(text == 0)
    text_starts = np.zeros(len(passages) + 1, dtype=np.int64)
    if passages:
        text_starts[1:] = np.append(cuts, len(text)) - np.arange(len(passages))
        text = np.delete(text, cuts) if len(cuts) else text
    text_starts = _offsets(text_starts)
    dates = [date_parts(article.date) for _file, article in articles]
    spans = np.array(span_rows, dtype=np.int64).reshape(-1, 5)
    postings = build_postings(passages)
    arrays = {
        "root": np.array([file.root for file, _ in articles], dtype=np.uint16),
        "identity": np.array([file.identity for file, _ in articles], dtype=np.int64).reshape(-1, 4),
        "flags": np.array([_flags(file, article) for file, article in articles], dtype=np.uint8),
        "date_us": np.array([us for us, _ in dates], dtype=np.int64),
        "date_offset": np.array([offset for _, offset in dates], dtype=np.int32),
        "date_origin": np.array([_ORIGINS.index(article.date_origin) for _, article in articles], dtype=np.uint8),
        "text_hash": np.array(text_hashes, dtype=np.int64),
        "url_hash": url_hashes([article.url or "" for _file, article in articles]),
        "passage_starts": np.array(passage_starts, dtype=np.uint32),
        "passage_kind": np.array(kinds, dtype=np.uint8),
        "passage_level": np.array(levels, dtype=np.uint8),
        "passage_ordinal": np.array(ordinals, dtype=np.int32),
        "passage_hash": passage_hashes(text, text_starts),
        "text": text,
        "text_starts": text_starts,
        "span_passage": spans[:, 0].astype(np.uint32),
        "span_start": spans[:, 1].astype(np.uint32),
        "span_end": spans[:, 2].astype(np.uint32),
        "span_kind": spans[:, 3].astype(np.uint8),
        "span_url": spans[:, 4].astype(np.uint32),
        "skipped_root": np.array([file.root for file, _ in skipped], dtype=np.uint16),
        "skipped_identity": np.array([file.identity for file, _ in skipped], dtype=np.int64).reshape(-1, 4),
        "postings.bigrams": postings.bigrams,
        "postings.starts": postings.starts,
        "postings.passages": postings.passages,
    }
    columns = {
        "relative": [file.relative for file, _ in articles],
        "title": [article.title for _, article in articles],
        "source": [article.source for _, article in articles],
        "author": [article.author for _, article in articles],
        "url": [article.url for _, article in articles],
        "format": [article.format for _, article in articles],
        "categories": [pack_lists(article.categories) for _, article in articles],
        "tags": [pack_lists(article.tags) for _, article in articles],
        "problems": [pack_lists(article.problems) for _, article in articles],
        "skipped_relative": [file.relative for file, _ in skipped],
        "skipped_reason": [str(reason) for _, reason in skipped],
        "span_urls": list(span_urls),
    }
    for name, items in columns.items():
        column = Strings.of(items)
        arrays[f"{name}.blob"], arrays[f"{name}.offsets"] = column.blob, column.offsets
    return Segment(arrays)


def text_hash(texts) -> int:
    """A signed 64-bit hash of an article's body text, blanks left out: the same article saved twice hashes alike.

    Titles, sources and file names are not in it (a copy is often renamed or
    retitled); an article with no body text hashes to 0, which is no one's copy.
    """
    joined = "".join("".join(texts).split())  # = re.sub(r"\s+", "", …) for every code point, 4× faster
    if not joined:
        return 0
    digest = hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) or 1


def url_hashes(urls: list[str]) -> np.ndarray:
    """Per article, a signed 64-bit hash of its url as copies compares urls (copies.normalised_urls); 0 for none.

    Made once, when the batch is read: numbering 100,000 urls from their text
    at every start cost 150 ms of a `reader find`. Two different urls hash
    alike about once in 10**19 pairs, which would show two articles as copies.
    """
    hashed = [
        (int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little", signed=True) or 1) if url else 0
        for url in normalised_urls(urls)
    ]
    return np.array(hashed, dtype=np.int64)


def passage_hashes(text: np.ndarray, text_starts: np.ndarray) -> np.ndarray:
    """Per passage, its length and the CRC-32 of its text as one int64: the same text in two articles hashes alike.

    ``text`` is a segment's UTF-16 array, ``text_starts`` where each passage
    starts in it. Search counts how many articles of a source hold a passage
    (a footer, a disclaimer) with it. CRC-32 over the bytes already there is
    the cheapest stable hash at hand (about 0.3 µs a passage, 3% of building
    a segment); with the length beside it, two different passages of one
    source hash alike about once in 4 billion pairs.
    """
    data = memoryview(np.ascontiguousarray(text)).cast("B")
    bounds = (np.asarray(text_starts, dtype=np.int64) * 2).tolist()
    crc = zlib.crc32
    return np.fromiter(
        ((((end - start) >> 1) << 32) | crc(data[start:end]) for start, end in zip(bounds[:-1], bounds[1:])),
        dtype=np.int64, count=len(bounds) - 1,
    )


def _flags(file: FileRef, article: Article) -> int:
    """Whether reading the file under another name could give another article."""
    stem = Path(file.path).stem
    folder = Path(file.path).parent.name
    dependent = article.title == stem or article.source == folder or not article.format.startswith(("front-matter", "rss"))
    return PATH_DEPENDENT if dependent else 0


# ---------------------------------------------------------------- merging


def merge(parts: list[tuple]) -> Segment:
    """One segment of the articles of ``parts`` in order, leaving out those not kept.

    Each part is (segment, keep) or (segment, keep, keep_skipped): bool
    arrays over the segment's articles and skipped files, or None for all.
    """
    arrays: dict[str, list[np.ndarray]] = {}
    renumbered: list[tuple[Postings, np.ndarray]] = []
    passage_base = text_base = 0
    starts_out = [np.zeros(1, dtype=np.int64)]
    text_starts_out = [np.zeros(1, dtype=np.int64)]
    columns: dict[str, list[str]] = {name: [] for name in STRING_COLUMNS}
    url_numbers: dict[str, int] = {}

    def take(name: str, values: np.ndarray) -> None:
        arrays.setdefault(name, []).append(values)

    for segment, keep, *rest in parts:
        n = segment.article_count
        keep = np.ones(n, dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
        keep_skipped = rest[0] if rest and rest[0] is not None else np.ones(segment.skipped_count, dtype=bool)
        kept_skipped = np.flatnonzero(keep_skipped)
        kept = np.flatnonzero(keep)
        a = segment.arrays
        for name in ("root", "identity", "flags", "date_us", "date_offset", "date_origin", "text_hash", "url_hash"):
            take(name, a[name][kept])
        for name in ("relative", "title", "source", "author", "url", "format", "categories", "tags", "problems"):
            items = segment.column(name).tolist()
            columns[name] += [items[i] for i in kept.tolist()]
        # Passages of kept articles, in order.
        starts = a["passage_starts"].astype(np.int64)
        counts = np.diff(starts)
        passage_keep = np.repeat(keep, counts)
        old_passages = np.flatnonzero(passage_keep)
        renumber = np.full(segment.passage_count, -1, dtype=np.int64)
        renumber[old_passages] = np.arange(len(old_passages)) + passage_base
        renumbered.append((segment.postings, renumber))
        for name in ("passage_kind", "passage_level", "passage_ordinal", "passage_hash"):
            take(name, a[name][old_passages])
        kept_counts = counts[kept]
        starts_out.append(np.cumsum(kept_counts) + passage_base)
        # Their text, gathered range by range.
        text_starts = a["text_starts"].astype(np.int64)
        lengths = (text_starts[1:] - text_starts[:-1])[old_passages]
        take("text", _gather(a["text"], text_starts[:-1][old_passages], lengths))
        text_starts_out.append(np.cumsum(lengths) + text_base)
        # Their spans.
        span_owner = a["span_passage"].astype(np.int64)
        span_kept = renumber[span_owner] >= 0 if len(span_owner) else np.zeros(0, dtype=bool)
        take("span_passage", renumber[span_owner[span_kept]])
        for name in ("span_start", "span_end", "span_kind"):
            take(name, a[name][span_kept])
        urls = segment.column("span_urls").tolist()
        old_url = a["span_url"][span_kept]
        mapped = np.array([
            _NO_URL if number == _NO_URL else url_numbers.setdefault(urls[number], len(url_numbers))
            for number in old_url.tolist()
        ], dtype=np.int64)
        take("span_url", mapped)
        # Skipped files stay with their batch.
        take("skipped_root", a["skipped_root"][kept_skipped])
        take("skipped_identity", a["skipped_identity"][kept_skipped])
        for name in ("skipped_relative", "skipped_reason"):
            items = segment.column(name).tolist()
            columns[name] += [items[i] for i in kept_skipped.tolist()]
        passage_base += len(old_passages)
        text_base += int(lengths.sum())
    if passage_base > MAX_PASSAGES:
        raise ValueError(f"{passage_base} passages: a segment holds at most {MAX_PASSAGES}")
    postings = merge_postings(renumbered, passage_base)
    dtypes = {
        "root": np.uint16, "identity": np.int64, "flags": np.uint8, "date_us": np.int64, "date_offset": np.int32,
        "date_origin": np.uint8, "text_hash": np.int64, "url_hash": np.int64, "passage_kind": np.uint8, "passage_level": np.uint8, "passage_ordinal": np.int32,
        "passage_hash": np.int64, "text": np.uint16, "span_passage": np.uint32, "span_start": np.uint32, "span_end": np.uint32,
        "span_kind": np.uint8, "span_url": np.uint32, "skipped_root": np.uint16, "skipped_identity": np.int64,
    }
    out: dict[str, np.ndarray] = {}
    for name, dtype in dtypes.items():
        pieces = arrays.get(name, [])
        out[name] = np.concatenate(pieces).astype(dtype, copy=False) if pieces else np.empty(0, dtype=dtype)
    out["identity"] = out["identity"].reshape(-1, 4)
    out["skipped_identity"] = out["skipped_identity"].reshape(-1, 4)
    out["passage_starts"] = np.concatenate(starts_out).astype(np.uint32)
    out["text_starts"] = _offsets(np.concatenate(text_starts_out))
    out["postings.bigrams"], out["postings.starts"], out["postings.passages"] = postings.bigrams, postings.starts, postings.passages
    columns["span_urls"] = list(url_numbers)
    for name, items in columns.items():
        column = Strings.of(items)
        out[f"{name}.blob"], out[f"{name}.offsets"] = column.blob, column.offsets
    return Segment(out)


def _offsets(offsets: np.ndarray) -> np.ndarray:
    """Offsets into a segment's text as 32-bit numbers, unless the text is longer than they can count."""
    return offsets.astype(np.uint32 if not len(offsets) or offsets[-1] < 2**32 else np.uint64)


def _gather(values, starts: np.ndarray, lengths: np.ndarray, *, clip: bool = False) -> np.ndarray:
    """values[starts[0]:starts[0]+lengths[0]], then the next range, … in one array (a copy).

    ``clip``: ranges may run one past the end of ``values`` (the caller
    overwrites those places).
    """
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=values.dtype)
    out_starts = np.cumsum(lengths) - lengths
    index = np.arange(total, dtype=np.int64) + np.repeat(starts - out_starts, lengths)
    values = np.asarray(values)
    if clip:
        if not len(values):
            return np.zeros(total, dtype=values.dtype)
        np.minimum(index, len(values) - 1, out=index)
    return values[index]

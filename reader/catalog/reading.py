"""Reading files into segments: what each worker process of the first run does.

A task is a list of files; the worker reads and parses each (load.load_article,
with a last line of defence: a parser bug costs its file, never the batch) and
builds segments as large as their 16-bit passage numbers allow, straight from
the articles. (It used to build one segment per 250 files and join them: 250
long articles, a few hundred paragraphs each, overflowed one segment, which
either cut their text or failed the whole task. Building up to the limit costs
what building small segments and joining them did, measured on 4,000 files
of the 100,000-article corpus: 1.00 against 1.02 ms of CPU a file.)
What goes back to the main process is the segment's arrays, which pickle as
raw buffers: no Article object ever crosses a process boundary (unpickling
100,000 of them would take longer than parsing them).
"""

from __future__ import annotations

from pathlib import Path

from ..model import Article
from .segment import MAX_PASSAGES, FileRef, Segment, build_segment, merge

BUILD_BATCH = 250  # articles per segment where nothing bounds it but a count (snapshot_of, bench_search)


def read_one(file: FileRef):
    """The article in ``file``, or one line saying why it is not one."""
    from ..parse.load import ArticleError, failure_reason, load_article

    try:
        return load_article(Path(file.path))
    except ArticleError as error:
        return error.reason
    except Exception as error:  # noqa: BLE001 - the last line of defence: one file, never the folder
        return failure_reason(error)


def read_files(files: list[FileRef]) -> list[Segment]:
    """The segments of ``files``, in order: as few as the 16-bit passage numbers allow."""
    return [build_segment(*zip(*group)) for group in fitting((file, read_one(file)) for file in files)]


def fitting(read, most: int | None = None):
    """(file, article or reason) pairs in groups that one segment holds, in order; at most ``most`` articles a group.

    An article needs a passage for its title, one for its source and one a
    block; one past a segment's reach is cut there (build_segment).
    """
    group: list = []
    size = 0
    for file, result in read:
        need = min(MAX_PASSAGES, 2 + len(result.blocks)) if isinstance(result, Article) else 0
        if group and (size + need > MAX_PASSAGES or len(group) == most):
            yield group
            group, size = [], 0
        group.append((file, result))
        size += need
    if group:
        yield group


def join(pieces: list[Segment], limit: int | None = None) -> list[Segment]:
    """Neighbouring segments merged while they fit in one (``limit`` passages, at most 65,535)."""
    from .segment import MAX_PASSAGES

    limit = limit or MAX_PASSAGES
    joined: list[Segment] = []
    group: list[Segment] = []
    size = 0
    for piece in pieces:
        if group and size + piece.passage_count > limit:
            joined.append(merge([(segment, None) for segment in group]) if len(group) > 1 else group[0])
            group, size = [], 0
        group.append(piece)
        size += piece.passage_count
    if group:
        joined.append(merge([(segment, None) for segment in group]) if len(group) > 1 else group[0])
    return joined


def read_task(files: list[FileRef]) -> list[dict]:
    """In a worker process: the arrays of the segments of ``files``."""
    return [segment.arrays for segment in read_files(files)]

"""Reading files into segments: what each worker process of the first run does.

A task is a list of files; the worker reads and parses each (load.load_article,
with a last line of defence: a parser bug costs its file, never the batch),
builds small segments (postings sort fastest in batches of a few hundred
articles, where the arrays stay in the CPU's cache), and joins them into one.
What goes back to the main process is the segment's arrays, which pickle as
raw buffers: no Article object ever crosses a process boundary (unpickling
100,000 of them would take longer than parsing them).
"""

from __future__ import annotations

from pathlib import Path

from .segment import FileRef, Segment, build_segment, merge

BUILD_BATCH = 250  # articles per postings sort


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
    pieces = []
    for start in range(0, len(files), BUILD_BATCH):
        batch = files[start:start + BUILD_BATCH]
        pieces.append(build_segment(batch, [read_one(file) for file in batch]))
    return join(pieces)


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

"""Columns of strings and dates kept as arrays, not as one Python object per article.

100,000 articles are 100,000 titles, paths, sources…: as Python strings they
are megabytes of objects built at every start. A ``Strings`` column is one
UTF-8 blob and its offsets, the same whether it was just built or memory-mapped
from the cache; an item becomes a ``str`` only when someone asks for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

SEPARATOR = "\x00"  # cleaned text and paths never hold NUL
NO_DATE = np.iinfo(np.int64).min
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Strings:
    """An immutable list of strings: one UTF-8 ``blob`` (uint8, items joined by NUL) and ``offsets``.

    Item ``i`` is ``blob[offsets[i]:offsets[i + 1] - 1]``; items never hold
    NUL (text is cleaned, and paths cannot), so all of them decode in one
    pass and one split.
    """

    __slots__ = ("blob", "offsets", "_list")

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets
        self._list: list[str] | None = None

    @classmethod
    def of(cls, items: list[str]) -> Strings:
        encoded = [item.encode("utf-8", "surrogateescape") for item in items]
        offsets = np.zeros(len(encoded) + 1, dtype=np.uint64)
        if encoded:
            np.cumsum([len(item) + 1 for item in encoded], out=offsets[1:])
        blob = np.frombuffer(b"\x00".join(encoded), dtype=np.uint8)
        return cls(blob, offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        if self._list is not None:
            return self._list[index]
        start, end = int(self.offsets[index]), int(self.offsets[index + 1]) - 1
        return self.blob[start:end].tobytes().decode("utf-8", "surrogateescape")

    def tolist(self) -> list[str]:
        """Every item, decoded at once (and kept: a column never changes)."""
        if self._list is None:
            count = len(self)
            self._list = self.blob.tobytes().decode("utf-8", "surrogateescape").split(SEPARATOR) if count else []
        return self._list

    def take(self, indices: np.ndarray) -> Strings:
        items = self.tolist()
        return Strings.of([items[i] for i in indices.tolist()])

    @staticmethod
    def concat(columns: list[Strings]) -> Strings:
        return Strings.of([item for column in columns for item in column.tolist()])

    @property
    def nbytes(self) -> int:
        return self.blob.nbytes + self.offsets.nbytes


def pack_lists(values: tuple[str, ...]) -> str:
    """A tuple of short strings (categories, tags, problems) as one string of a Strings column."""
    return "\x1f".join(values)


def unpack_lists(value: str) -> tuple[str, ...]:
    return tuple(value.split("\x1f")) if value else ()


def date_parts(value: datetime | None) -> tuple[int, int]:
    """(microseconds since the epoch, UTC offset in seconds) of an aware datetime; NO_DATE for none."""
    if value is None:
        return NO_DATE, 0
    offset = value.utcoffset() or timedelta(0)
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds, int(offset.total_seconds())


def date_of(microseconds: int, offset_seconds: int) -> datetime | None:
    if microseconds == NO_DATE:
        return None
    try:
        moment = _EPOCH + timedelta(microseconds=microseconds)
        return moment.astimezone(timezone(timedelta(seconds=offset_seconds)))
    except (OverflowError, ValueError):
        return None

"""One file of named numpy arrays, checksummed, written whole or not at all, read by memory-mapping.

Layout::

    b"RDRARR01"  uint32 header length  uint32 CRC-32 of the header
    header: JSON {"format", "kind", "meta", "arrays": [{name, dtype, shape, offset, nbytes, crcs}]}
    padding to 64 bytes, then each array's bytes, each starting on a 64-byte boundary

Every array is cut into chunks with a CRC-32 each: ``CHUNK`` bytes, or
``LAZY_CHUNK`` for the arrays a writer marks ``lazy`` (a segment's text,
passages and postings: most of the cache), which are checked chunk by chunk
the first time a chunk is read (``Checked``), or all at once by ``verify``;
the others (what `reader list` needs of every article) when the file is
opened. A lazy chunk is small because a search reads scattered pieces: the
passages of 20,000 candidates, one bigram's postings in each segment. With
256 KB chunks a `reader find` at 100,000 articles checked 180 MB to use a
few; the header says each array's chunk size, so files of either kind read. Opening a cache costs
milliseconds, and yet no byte is used unchecked. A file is written
to a temporary name, flushed and renamed (store.atomic), so it exists whole
or not at all; a truncated, foreign or damaged file raises ``Damaged``.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import threading
import zlib
from pathlib import Path

import numpy as np

from .damage import Damaged  # raised here; named by the rest of reader as container.Damaged too

MAGIC = b"RDRARR01"
FORMAT = 1
CHUNK = 256 * 1024
LAZY_CHUNK = 16 * 1024
_ALIGN = 64
_PREFIX = struct.Struct("<8sII")
_MAX_HEADER = 16 * 1024 * 1024
_FEW_ITEMS = 16  # ArrayFile.gathered checks this many items or fewer one by one


def _crcs(data: memoryview, chunk: int = CHUNK) -> list[int]:
    return [zlib.crc32(data[start:start + chunk]) for start in range(0, len(data), chunk)] or [0]


def write_arrays(
    path: Path, kind: str, arrays: dict[str, np.ndarray], meta: dict | None = None, lazy: frozenset[str] = frozenset(), *, durable: bool = True,
) -> int:
    """Write ``arrays`` to ``path`` atomically; the file's size. Raises OSError if it cannot be written.

    Arrays named in ``lazy`` are checked when first read, not when the file is opened.
    ``durable``: fsynced (store.atomic), unless it is only a shortcut.
    """
    from .atomic import atomic_write_chunks

    entries = []
    offset = 0
    buffers = []
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        data = memoryview(array).cast("B") if array.nbytes else memoryview(b"")
        chunk = LAZY_CHUNK if name in lazy else CHUNK
        entries.append({
            "name": name, "dtype": array.dtype.str, "shape": list(array.shape),
            "offset": offset, "nbytes": array.nbytes, "chunk": chunk, "crcs": _crcs(data, chunk), "lazy": name in lazy,
        })
        buffers.append(data)
        offset += _padded(array.nbytes)
    header = json.dumps({"format": FORMAT, "kind": kind, "meta": meta or {}, "arrays": entries}, separators=(",", ":")).encode()
    prefix = _PREFIX.pack(MAGIC, len(header), zlib.crc32(header))
    start = _padded(len(prefix) + len(header))

    def chunks():
        yield prefix + header + b"\0" * (start - len(prefix) - len(header))
        for data in buffers:
            yield data
            yield b"\0" * (_padded(len(data)) - len(data))

    atomic_write_chunks(path, chunks(), durable=durable)
    return start + offset


def _padded(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN


class Checked:
    """A large array read from a mapped file: each chunk is verified the first time it is touched.

    Safe to share between threads (a search, and the app's check of the
    whole cache in the background: ``verify``): a lock makes each chunk's
    check and its mark one step, held for one chunk at a time.
    """

    def __init__(self, array: np.ndarray, crcs: list[int], path: Path, name: str, chunk: int = CHUNK) -> None:
        self._array = array
        self._chunk = chunk
        self._raw = memoryview(array).cast("B") if array.nbytes else memoryview(b"")
        self._crcs = crcs
        self._verified = np.zeros(len(crcs), dtype=bool)
        self._unverified = len(crcs)
        self._all_verified = False
        self._lock = threading.Lock()
        self._path = path
        self._name = name
        self.dtype = array.dtype
        self.shape = array.shape
        self.nbytes = array.nbytes

    def __len__(self) -> int:
        return len(self._array)

    def _check(self, first_byte: int, end_byte: int) -> None:
        if end_byte <= first_byte or self._all_verified:
            return
        size = self._chunk
        verified = self._verified
        for chunk in range(first_byte // size, (end_byte - 1) // size + 1):
            if not verified[chunk]:
                with self._lock:  # zlib lets go of the interpreter: another thread may be checking
                    if not verified[chunk]:
                        start = chunk * size
                        if zlib.crc32(self._raw[start:start + size]) != self._crcs[chunk]:
                            raise Damaged(self._path, f"{self._name}: chunk {chunk} does not match its checksum")
                        verified[chunk] = True
                        self._unverified -= 1
                        if self._unverified == 0:
                            self._all_verified = True

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            index = int(key) + (len(self) if key < 0 else 0)
            return self[index:index + 1][0]
        if not isinstance(key, slice) or (key.step not in (None, 1)):
            return self.full()[key]  # fancy indexing: the whole array, checked once
        start, stop, _step = key.indices(len(self._array))
        size = self.dtype.itemsize
        self._check(start * size, stop * size)
        return self._array[key]

    def gathered(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """The whole array, once the chunks holding items ``starts[i]:ends[i]`` are checked (only those).

        In numpy, without a sort: a search asks this for half a million
        passages at a time, most of them in chunks checked already. A few
        items (a search's candidates come a few hundred at a time from some
        70 segments: a handful from each) are looked at one by one, which
        costs a few microseconds where the numpy way costs 60.
        """
        if not self._all_verified and 0 < len(starts) <= _FEW_ITEMS:
            size, chunk, verified = self.dtype.itemsize, self._chunk, self._verified
            for start, end in zip(starts.tolist(), ends.tolist()):
                if end > start:
                    for number in range(start * size // chunk, (end * size - 1) // chunk + 1):
                        if not verified[number]:
                            self._check(number * chunk, min(self.nbytes, (number + 1) * chunk))
        elif not self._all_verified and len(starts):
            size = self.dtype.itemsize
            nonempty = ends > starts
            first = (starts[nonempty] * size) // self._chunk
            last = (ends[nonempty] * size - 1) // self._chunk
            if len(first):
                wanted = np.zeros(len(self._verified), dtype=bool)
                wanted[first] = True
                wanted[last] = True
                long = np.flatnonzero(last - first > 1)  # items over three chunks or more: their middles too
                for low, high in zip(first[long].tolist(), last[long].tolist()):
                    wanted[low:high + 1] = True
                for chunk in np.flatnonzero(wanted & ~self._verified).tolist():
                    self._check(chunk * self._chunk, min(self.nbytes, (chunk + 1) * self._chunk))
        return self._array

    def take(self, index: np.ndarray) -> np.ndarray:
        """``array[index]``, having checked only the chunks those items are in."""
        index = np.asarray(index, dtype=np.int64)
        return self.gathered(index, index + 1)[index]

    def searchsorted(self, values, side: str = "left"):
        """``array.searchsorted(values, side)`` of a sorted array, checking only the items beside each answer.

        The search runs on the unchecked bytes; then the items either side of
        each answer are checked, and the answer is right if they bound the
        value: a sorted array has one such place. Anything else means the
        array is not what was written, and checking it all says where.
        """
        raw = self._array
        where = np.searchsorted(raw, values, side=side)
        if self._all_verified or not len(raw):
            return where
        spots = np.atleast_1d(where)
        before, at = np.maximum(spots - 1, 0), np.minimum(spots, len(raw) - 1)
        self.gathered(before, at + 1)
        wanted = np.atleast_1d(values)
        below = raw[before] < wanted if side == "left" else raw[before] <= wanted
        above = wanted <= raw[at] if side == "left" else wanted < raw[at]
        if not (((spots == 0) | below) & ((spots == len(raw)) | above)).all():
            self.full()  # raises Damaged where the array differs from its checksums
            return np.searchsorted(raw, values, side=side)
        return where

    def full(self) -> np.ndarray:
        self._check(0, self.nbytes)
        return self._array

    def __array__(self, dtype=None, copy=None):
        array = self.full()
        return array if dtype is None else array.astype(dtype)

    def __getattr__(self, name: str):
        # Anything else an array can do (astype, tobytes, tolist…): on the whole array, checked once.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def verify(self, stop=None) -> bool:
        """Check every chunk, one at a time; stop early when ``stop()`` says so. Whether all are checked."""
        size = self._chunk
        for chunk in np.flatnonzero(~self._verified).tolist():
            if stop is not None and stop():
                return False
            self._check(chunk * size, min(self.nbytes, (chunk + 1) * size))
        return True


class ArrayFile:
    """The arrays of one container file, mapped; small ones verified, large ones ``Checked``."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size < _PREFIX.size:
                    raise Damaged(path, "truncated")
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else None
        except OSError as error:
            raise Damaged(path, (error.strerror or str(error)).lower()) from None
        view = memoryview(self._map)
        magic, header_length, header_crc = _PREFIX.unpack_from(view, 0)
        if magic != MAGIC:
            raise Damaged(path, "not a reader cache file (or one of another version)")
        if header_length > _MAX_HEADER or _PREFIX.size + header_length > size:
            raise Damaged(path, "truncated header")
        header = bytes(view[_PREFIX.size:_PREFIX.size + header_length])
        if zlib.crc32(header) != header_crc:
            raise Damaged(path, "header does not match its checksum")
        try:
            description = json.loads(header)
        except ValueError:
            raise Damaged(path, "unreadable header") from None
        if description.get("format") != FORMAT or description.get("kind") != kind:
            raise Damaged(path, f"a {description.get('kind')!r} file of format {description.get('format')!r}, not {kind!r} {FORMAT}")
        self.meta = description.get("meta", {})
        start = _padded(_PREFIX.size + header_length)
        self.arrays: dict[str, np.ndarray | Checked] = {}
        try:
            for entry in description["arrays"]:
                offset = start + int(entry["offset"])
                nbytes = int(entry["nbytes"])
                if offset + nbytes > size:
                    raise Damaged(path, f"truncated ({entry['name']})")
                dtype = np.dtype(entry["dtype"])
                shape = tuple(int(n) for n in entry["shape"])
                count = int(np.prod(shape)) if shape else 1
                if count * dtype.itemsize != nbytes:
                    raise Damaged(path, f"{entry['name']}: size does not match its shape")
                array = np.frombuffer(self._map, dtype=dtype, count=count, offset=offset).reshape(shape) if nbytes else np.empty(shape, dtype=dtype)
                crcs = entry["crcs"]  # the header passed its checksum: these are the numbers written
                chunk = int(entry.get("chunk", CHUNK))
                if chunk < 1 or len(crcs) != max(1, -(-nbytes // chunk)):
                    raise Damaged(path, f"{entry['name']}: checksums do not match its size")
                if not entry.get("lazy"):
                    raw = memoryview(array).cast("B") if nbytes else memoryview(b"")
                    if _crcs(raw, chunk) != crcs:
                        raise Damaged(path, f"{entry['name']} does not match its checksum")
                    self.arrays[entry["name"]] = array
                else:
                    checked = Checked(array, crcs, path, entry["name"], chunk)
                    self.arrays[entry["name"]] = checked
        except (KeyError, TypeError, ValueError) as error:
            raise Damaged(path, f"unreadable header ({error})") from None

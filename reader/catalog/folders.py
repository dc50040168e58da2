"""What each folder held at the last walk, so that the next walk need not list it again.

A walk of 100,000 articles in 16,000 folders spent a third of its time
listing folders (open, read every entry, sort, close) that had not changed.
A folder's entries cannot change without its own change time (ctime) and
modification time changing: creating, removing or renaming an entry in it
sets both, and ctime cannot be set back (``touch`` and ``utime`` set it to
now). So a folder whose device, inode, mtime and ctime are what they were
holds the entries it held, and the walk stats its files by name without
listing it. Every file is still stat-ed: a file edited in place changes
only itself.

A folder is kept only when trusting it is safe:

- its times are more than ``SETTLED`` before the walk began: a change made
  right after a folder was listed, within the same tick of a coarse clock,
  could leave its times as they were (the racy case git and Mercurial
  guard against the same way);
- listing it met no problem (an unreadable entry is looked at every time);
- no entry in it is a symbolic link the walk did not keep: a link's target
  can change without its folder changing, and a link to nothing or to a
  device could become an article or a folder. Links to article files and
  to folders are kept: those are stat-ed at every walk, and a kept name that
  is no longer a file (or folder) sends the walk back to listing the folder.

Pure, and stdlib only: a command's walk starts (and reads this) before numpy
and the rest of reader are imported. The file is checksummed, with the walk's
rules (which names are articles, which are hidden) folded into the checksum:
a listing made under other rules, or one that does not add up, is no listing
at all.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from itertools import accumulate
from typing import NamedTuple

SETTLED_NS = 2_000_000_000  # FAT's two-second times are the coarsest
MAGIC = b"RDRLST02"
# magic, folders, bytes of numbers, bytes of the folders' names, CRC-32 of what follows; then the numbers,
# the folders' names (NUL between), and the names of their files and subfolders, one folder after another.
_HEADER = struct.Struct("<8sIQQI")
_FIELDS = struct.Struct("<8sIQQ")  # the header but its checksum, which covers it
_PER_FOLDER = 6  # device, inode, mtime, ctime, files, subfolders


class Listed(NamedTuple):
    """One folder as the last walk found it: its identity, and its article files and subfolders in walk order.

    A tuple: a forked walk sends thousands of them back through a pipe, and pickle is quickest with tuples.
    """

    identity: tuple[int, int, int, int]  # device, inode, mtime ns, ctime ns
    files: tuple[str, ...]
    folders: tuple[str, ...]


def identity_of(info) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def settled(identity: tuple[int, int, int, int], walk_began_ns: int) -> bool:
    """Whether a folder with these times may be trusted by the next walk (see the module's docstring)."""
    return max(identity[2], identity[3]) < walk_began_ns - SETTLED_NS


class Listing:
    """Folders (by their root's real path, a slash and their place below it) and what each held: made by a walk, or read from a file.

    One read from a file is taken apart only as far as finding each folder:
    a folder's ``Listed`` is made when the walk asks for it (16,000 of them
    made at once cost 60 ms, more than half of what the walk saves).
    """

    def __init__(self, folders: dict[str, Listed] | None = None) -> None:
        self._folders: dict[str, Listed] = folders if folders is not None else {}
        self._numbers = array("q")
        self._names: list[str] = []
        self._where: dict[str, int] = {}  # a folder read from a file → its number there
        self._starts: list[int] = []  # where each folder's names start in ``_names``

    def __len__(self) -> int:
        return len(self._folders) + len(self._where)

    def get(self, folder: str) -> Listed | None:
        listed = self._folders.get(folder)
        if listed is not None or not self._where:
            return listed
        where = self._where.get(folder)
        if where is None:
            return None
        at, place = where * _PER_FOLDER, self._starts[where]
        numbers, names = self._numbers, self._names
        files = place + numbers[at + 4]
        return Listed(tuple(numbers[at:at + 4]), tuple(names[place:files]), tuple(names[files:files + numbers[at + 5]]))

    def folders(self) -> list[str]:
        return [*self._folders, *self._where]

    def changed(self, kept: list[str], added: dict[str, Listed]) -> Listing:
        """This listing with only the folders ``kept``, and those ``added``: what a walk leaves when some changed.

        Folders read from a file stay as they were read, not taken apart: a
        walk that found one folder changed in 16,000 keeps the rest for a few
        milliseconds, and writes them back as they came.
        """
        listing = Listing({**{folder: self._folders[folder] for folder in kept if folder in self._folders}, **added})
        listing._numbers, listing._names, listing._starts = self._numbers, self._names, self._starts
        where = self._where
        listing._where = {folder: where[folder] for folder in kept if folder in where and folder not in added}
        return listing

    def encoded(self, rules: str) -> bytes:
        numbers: list[int] = []
        names: list[str] = []
        for identity, files, folders in self._folders.values():
            numbers += identity
            numbers += (len(files), len(folders))
            names += files
            names += folders
        raw_numbers, raw_names = self._numbers, self._names
        for number in self._where.values():  # as they were read
            at, place = number * _PER_FOLDER, self._starts[number]
            numbers += raw_numbers[at:at + _PER_FOLDER]
            names += raw_names[place:place + raw_numbers[at + 4] + raw_numbers[at + 5]]
        packed = array("q", numbers).tobytes()
        folders = "\0".join([*self._folders, *self._where]).encode("utf-8", "surrogateescape")
        body = packed + folders + "\0".join(names).encode("utf-8", "surrogateescape")
        fields = (MAGIC, len(numbers) // _PER_FOLDER, len(packed), len(folders))
        return _HEADER.pack(*fields, _checksum(rules, _FIELDS.pack(*fields), body)) + body

    @classmethod
    def decoded(cls, data: bytes, rules: str) -> Listing | None:
        """The listing ``data`` holds, or None if it is not one (foreign, truncated, damaged, made under other rules).

        The folders' names and counts are stored apart from their files' names,
        so that finding each folder is one dict built in C (a loop over 16,000
        folders had been half of reading the file).
        """
        if len(data) < _HEADER.size:
            return None
        magic, count, size, folders_size, crc = _HEADER.unpack_from(data)
        body = memoryview(data)[_HEADER.size:]
        if magic != MAGIC or size + folders_size > len(body) or size != count * _PER_FOLDER * 8:
            return None
        if _checksum(rules, memoryview(data)[:_FIELDS.size], body) != crc:  # the sizes too: they cut the body in three
            return None
        listing = cls()
        if not count:
            return listing if len(body) == 0 else None
        numbers = listing._numbers
        numbers.frombytes(body[:size])
        folders = str(body[size:size + folders_size], "utf-8", "surrogateescape").split("\0")
        names = listing._names = str(body[size + folders_size:], "utf-8", "surrogateescape").split("\0")
        sizes = [files + subfolders for files, subfolders in zip(numbers[4::_PER_FOLDER], numbers[5::_PER_FOLDER])]
        starts = listing._starts = [0, *accumulate(sizes)]
        if len(folders) != count or min(numbers[4::_PER_FOLDER]) < 0 or min(numbers[5::_PER_FOLDER]) < 0:
            return None
        if not starts[-1]:  # folders with nothing in them: no names at all
            if names != [""]:
                return None
            names = listing._names = []
        elif len(names) != starts[-1]:
            return None
        listing._where = dict(zip(folders, range(count)))
        return listing if len(listing._where) == count else None

    @classmethod
    def read(cls, path, rules: str) -> Listing | None:
        """The listing kept at ``path``; None when there is none or it cannot be trusted."""
        try:
            with open(path, "rb") as file:
                return cls.decoded(file.read(), rules)
        except (OSError, ValueError):
            return None


def _checksum(rules: str, *parts) -> int:
    crc = zlib.crc32(rules.encode("utf-8"))
    for part in parts:
        crc = zlib.crc32(part, crc)
    return crc

"""Find the article files under the paths a user names, and who each file is.

Folders are searched recursively, hidden entries skipped, symlinks followed
without ever looping, and a file reached twice (through a link, or named twice)
is read once. Whether a file *is* an article is decided later, by content.

Every file comes with its identity, (device, inode, size, modification time
in ns), so that a cache can tell a file it has read before from one that
changed. Finding 100,000 files is on the path of every start, so the walk is
lean: each folder is opened once and its entries are stat-ed relative to it
(``dir_fd``, no path lookup from the root for every file), and the results go
into plain lists and numpy arrays rather than one object per file. A
folder that has not changed since the last walk is not listed again: its
files are stat-ed by the names it held then (reader.catalog.folders).
"""

from __future__ import annotations

import operator
import os
import stat
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .folders import Listed, Listing, identity_of, settled

if TYPE_CHECKING:
    import numpy as np

# numpy is imported where a walk's results are put together, not above: a
# walk started on a command's first line (start_walk) forks before numpy
# and the rest of reader are imported, and walks while they are.

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
# What decides which entries a walk keeps: a listing kept under other rules is not used (catalog.folders).
WALK_RULES = "hidden: . | articles: " + " ".join(sorted(ARTICLE_SUFFIXES))
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Discovery:
    """The files found, in a stable order, and what could not be looked at.

    ``paths`` are as the user would write them: the named path, then the
    file's place below it. ``roots[i]`` is the index, into the named paths, of
    the one ``paths[i]`` was found under, and ``relative[i]`` its place below
    that root ("" for a file named directly). ``identity`` is an (n, 4) int64
    array: device, inode, size, modification time in ns.
    """

    roots: list[int] = field(default_factory=list)
    relative: list[str] = field(default_factory=list)
    identity: np.ndarray = field(default_factory=lambda: _numpy().empty((0, 4), dtype="int64"))
    problems: list[tuple[Path, str]] = field(default_factory=list)
    spellings: list[str] = field(default_factory=list)  # each named path as the user wrote it
    listing: Listing | None = None  # what the folders hold now, to be kept: None when it is what was kept

    def __len__(self) -> int:
        return len(self.relative)

    def path(self, index: int) -> str:
        place, spelled = self.relative[index], self.spellings[self.roots[index]]
        return f"{spelled}/{place}" if place else spelled

    @cached_property
    def paths(self) -> list[str]:
        """Every file's path (made when asked: a start that finds nothing changed never needs them)."""
        return [self.path(index) for index in range(len(self.relative))]

    @property
    def files(self) -> list[Path]:
        return [Path(path) for path in self.paths]


def _numpy():
    import numpy

    return numpy


def is_article_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES


class _Walk:
    """What a walk found: each file's place below its root and its identity, in walk order.

    Per file only what must be: its place and four numbers. Paths, roots and
    the removal of files reached twice are done once at the end, in bulk.
    """

    def __init__(self) -> None:
        self.relative: list[str] = []
        self.numbers: list[int] = []  # device, inode, size, mtime, file after file
        self.runs: list[tuple[int, int]] = []  # (root, how many files) in order
        self.problems: list[tuple[Path, str]] = []
        self.seen_dirs: set[tuple[int, int]] = set()
        # The folders the last walk listed (None: not keeping listings), when this walk began,
        # the folders taken from it, and those listed now (None for one not to be kept), each
        # by the real path of its root and its place below it (``root_key`` + place).
        self.listing: Listing | None = None
        self.began_ns = 0
        self.reused: list[str] = []
        self.fresh: dict[str, Listed | None] = {}
        self.root_key = ""

    def keeping(self, listing: Listing | None, began_ns: int, root_key: str = "") -> _Walk:
        self.listing, self.began_ns, self.root_key = listing, began_ns, root_key
        return self

    def start(self, root: int) -> None:
        """The files found from now on are under ``root``."""
        self.runs.append((root, len(self.relative)))

    def add(self, relative: str, info: os.stat_result) -> None:
        self.relative.append(relative)
        self.numbers += (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)

    def discovery(self, spellings: list[str]) -> Discovery:
        np = _numpy()
        identity = np.asarray(self.numbers, dtype=np.int64).reshape(-1, 4)
        counts = np.diff([start for _root, start in self.runs] + [len(self.relative)])
        roots = np.repeat(np.array([root for root, _start in self.runs], dtype=np.int64), counts).tolist()
        relative = self.relative
        kept = _first_of_each(identity)
        if kept is not None:  # a file reached twice (a link, or named twice) stays where it came first
            relative = [relative[at] for at in kept]
            roots = [roots[at] for at in kept]
            identity = identity[kept]
        listing = changed_listing(self.listing, self.reused, self.fresh)
        return Discovery(roots, relative, identity, self.problems, list(spellings), listing)


def changed_listing(old: Listing | None, reused: list[str], fresh: dict[str, Listed | None]) -> Listing | None:
    """The listing a walk leaves: None when it is the one it began with (or listings are not kept)."""
    if old is None:
        return None
    same = sum(1 for folder, listed in fresh.items() if listed is not None and old.get(folder) == listed)
    if same + len(reused) == len(old) and same == sum(1 for listed in fresh.values() if listed is not None):
        return None
    return old.changed(reused, {folder: listed for folder, listed in fresh.items() if listed is not None})


def _first_of_each(identity: np.ndarray) -> list[int] | None:
    """Where each (device, inode) first comes, or None when none comes twice (the usual case, told in numpy)."""
    np = _numpy()
    keys = np.sort(identity[:, 0].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ identity[:, 1].astype(np.uint64))
    if not (keys[1:] == keys[:-1]).any():  # a sort and a look: faster than np.unique
        return None
    seen: set[tuple[int, int]] = set()
    kept = []
    for at, (device, inode) in enumerate(identity[:, :2].tolist()):
        if (device, inode) not in seen:
            seen.add((device, inode))
            kept.append(at)
    return kept


def find_files(paths: list[Path], *, parallel: bool = False, meanwhile=None, listing: Path | None = None) -> Discovery:
    """Article candidates in a stable order: as named, then sorted within folders (files before subfolders).

    ``parallel``: share the walk with a forked child (see start_walk).
    ``meanwhile``: called once before this process starts walking, while the
    child (if any) already is: work that does not need the walk can overlap it.
    ``listing``: see start_walk.
    """
    walking = start_walk(paths, parallel=parallel, listing=listing)
    if meanwhile is not None:
        meanwhile()
    return walking.finish()


def start_walk(paths: list[Path], *, parallel: bool = True, listing: Path | None = None) -> Walking:
    """A walk of ``paths`` under way: a forked child starts on it now, and ``finish()`` joins in and returns it.

    ``listing``: the file where the last walk's folder listings are kept
    (catalog.folders): folders unchanged since are not listed again, and the
    Discovery's ``listing`` is what to keep there next (None: nothing new).

    Only when there is one folder (the usual case) with subfolders enough to
    share, this process has one thread and the machine more than one core.
    A process with other threads (the app, whose live folder walks again
    while the interface is in use) must not fork: its whole walk is done by
    a child process it starts (walk_processes.Spawned), so that the walk never holds
    the interpreter the interface needs. Otherwise the whole walk happens in
    ``finish()``.
    """
    if parallel:
        from .walk_processes import Spawned, Split, can_fork, threaded  # imports this module: not above

        if len(paths) == 1 and os.path.isdir(paths[0]) and can_fork():
            return Split(paths[0], listing)
        if threaded():
            return Spawned(paths, listing)
    return Walking(paths, listing)


class Walking:
    """A walk to be done: all of it in ``finish()``."""

    def __init__(self, paths: list[Path], listing: Path | None = None) -> None:
        self.paths = list(paths)
        self.listing = listing

    def finish(self) -> Discovery:
        return _walk_all(self.paths, self.listing)

    def cancel(self) -> None:
        """The walk is not wanted after all."""


def _walk_all(paths: list[Path], listing: Path | None = None) -> Discovery:
    return _walked(paths, listing).discovery([str(path) for path in paths])


def _kept(listing: Path | None) -> tuple[Listing | None, int]:
    """The listing kept at ``listing`` (an empty one if there is none yet) and the time the walk begins."""
    if listing is None:
        return None, 0
    began = time.time_ns()  # before any folder is listed: what changes after it is told by its times
    return _read_listing(listing), began


def _read_listing(listing: Path) -> Listing:
    return Listing.read(listing, WALK_RULES) or Listing()


def _walked(paths: list[Path], listing: Path | None = None) -> _Walk:
    walk = _Walk().keeping(*_kept(listing))
    spellings = [str(path) for path in paths]  # Path() has dropped trailing and doubled slashes
    for root, path in enumerate(paths):
        spelled = spellings[root]
        walk.start(root)
        try:
            info = os.stat(spelled)
        except FileNotFoundError:
            walk.problems.append((path, "broken symbolic link" if os.path.islink(spelled) else "no such file or folder"))
            continue
        except OSError as error:
            walk.problems.append((path, _reason(error)))
            continue
        if stat.S_ISDIR(info.st_mode):
            walk.root_key = _root_key(spelled)
            _walk_folder(spelled, walk)
        elif stat.S_ISREG(info.st_mode):
            # A file named on the command line is read whatever its extension.
            walk.add("", info)
        else:
            walk.problems.append((path, "not a regular file or folder"))
    return walk


def _root_key(spelled: str) -> str:
    # The real path, not the spelling: "news", "./news" and a link to it share one listing.
    # (Where one root is inside another, both name a folder below it alike: the same folder.)
    return os.path.realpath(spelled) + "/"


def _walk_folder(top: str, walk: _Walk, below: str = "") -> None:
    # An explicit stack, not recursion: deep trees must not hit the recursion limit.
    # (path as spelled, place below the root, its stat when its parent took it from the listing)
    pending: list[tuple[str, str, os.stat_result | None]] = [(top, below, None)]
    listing = walk.listing
    while pending:
        folder, below, info = pending.pop()
        if listing is not None and (listed := listing.get(walk.root_key + below)) is not None and _as_listed(folder, below, info, listed, walk, pending):
            continue
        try:
            fd = os.open(folder, _DIRECTORY_FLAGS)
        except OSError as error:
            walk.problems.append((Path(folder), _reason(error)))
            continue
        try:
            info = os.fstat(fd)
            key = (info.st_dev, info.st_ino)
            if key in walk.seen_dirs:
                continue  # a symlink loop, or the same folder named twice
            walk.seen_dirs.add(key)
            subfolders = _scan(fd, folder, below, walk, info)
        except OSError as error:
            walk.problems.append((Path(folder), _reason(error)))
            continue
        finally:
            os.close(fd)
        pending.extend(reversed(subfolders))


def _as_listed(folder: str, below: str, info: os.stat_result | None, listed: Listed, walk: _Walk, pending: list) -> bool:
    """A folder as the last walk listed it, if it is unchanged: its files stat-ed by name. Whether it was.

    Nothing goes into ``walk`` unless every name is still what it was (a
    kept file a regular file, a kept folder a folder): a symbolic link kept
    as one of them may point elsewhere now, and then the folder is listed.
    """
    try:
        info = os.stat(folder) if info is None else info
    except OSError:
        return False
    key = (info.st_dev, info.st_ino)
    if identity_of(info) != listed.identity or key in walk.seen_dirs:
        return False
    place = below + "/" if below else ""
    places, numbers, subfolders = [], [], []
    try:
        for name in listed.files:
            file = os.stat(f"{folder}/{name}")
            if file.st_mode & 0o170000 != stat.S_IFREG:
                return False
            places.append(place + name)
            numbers += (file.st_dev, file.st_ino, file.st_size, file.st_mtime_ns)
        for name in listed.folders:
            path = f"{folder}/{name}"
            sub = os.stat(path)
            if sub.st_mode & 0o170000 != stat.S_IFDIR:
                return False
            subfolders.append((path, place + name, sub))
    except OSError:
        return False
    walk.seen_dirs.add(key)
    walk.relative += places
    walk.numbers += numbers
    walk.reused.append(walk.root_key + below)
    pending.extend(reversed(subfolders))
    return True


def _scan(fd: int, folder: str, below: str, walk: _Walk, info: os.stat_result | None = None) -> list[tuple[str, str, None]]:
    """The article files of one open folder go into ``walk``; its subfolders are returned, in order.

    The loop body runs once per file of the archive: names are checked
    before anything is stat-ed, and the common case calls nothing but stat.
    When the walk keeps listings, what the folder holds is noted
    (``walk.fresh``), unless the next walk could not trust it (catalog.folders).
    """
    with os.scandir(fd) as scan:
        entries = [entry for entry in scan if entry.name[0] != "."]
    entries.sort(key=_BY_NAME)
    subfolders = []
    suffixes = ARTICLE_SUFFIXES
    numbers, places = walk.numbers, walk.relative
    place = below + "/" if below else ""
    regular = stat.S_IFREG
    problems = len(walk.problems)
    files_before = len(places)
    odd_link = False  # a symbolic link the walk does not keep: its target may change unseen
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks; free for plain entries (d_type)
        except OSError as error:
            walk.problems.append((Path(folder, name), _reason(error)))
            continue
        if is_dir:
            subfolders.append((f"{folder}/{name}", place + name, None))
            continue
        if name[name.rfind("."):].lower() not in suffixes:
            odd_link = odd_link or entry.is_symlink()
            continue
        try:
            info_of_file = os.stat(name, dir_fd=fd)
        except FileNotFoundError:
            if entry.is_symlink():
                walk.problems.append((Path(folder, name), "broken symbolic link"))
            continue  # or it vanished meanwhile
        except OSError as error:
            walk.problems.append((Path(folder, name), _reason(error)))
            continue
        if info_of_file.st_mode & 0o170000 == regular:  # not a fifo or a device that happens to end in .md
            places.append(place + name)
            numbers += (info_of_file.st_dev, info_of_file.st_ino, info_of_file.st_size, info_of_file.st_mtime_ns)
        else:
            odd_link = odd_link or entry.is_symlink()
    if walk.listing is not None and info is not None:
        identity = identity_of(info)
        kept = not odd_link and len(walk.problems) == problems and settled(identity, walk.began_ns)
        cut = len(place)
        walk.fresh[walk.root_key + below] = Listed(
            identity, tuple(relative[cut:] for relative in places[files_before:]), tuple(sub[1][cut:] for sub in subfolders)
        ) if kept else None
    return subfolders


_BY_NAME = operator.attrgetter("name")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()

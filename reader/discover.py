"""Find the article files under the paths a user names, and who each file is.

Folders are searched recursively, hidden entries skipped, symlinks followed
without ever looping, and a file reached twice (through a link, or named twice)
is read once. Whether a file *is* an article is decided later, by content.

Every file comes with its identity, (device, inode, size, modification time
in ns), so that a cache can tell a file it has read before from one that
changed. Finding 100,000 files is on the path of every start, so the walk is
lean: each folder is opened once and its entries are stat-ed relative to it
(``dir_fd``, no path lookup from the root for every file), and the results go
into plain lists and numpy arrays rather than one object per file.
"""

from __future__ import annotations

import operator
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
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

    paths: list[str] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)
    relative: list[str] = field(default_factory=list)
    identity: np.ndarray = field(default_factory=lambda: np.empty((0, 4), dtype=np.int64))
    problems: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [Path(path) for path in self.paths]


def is_article_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES


class _Walk:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.roots: list[int] = []
        self.relative: list[str] = []
        self.numbers: list[int] = []  # device, inode, size, mtime, file after file
        self.problems: list[tuple[Path, str]] = []
        self.seen_files: set[tuple[int, int]] = set()
        self.seen_dirs: set[tuple[int, int]] = set()

    def discovery(self) -> Discovery:
        identity = np.array(self.numbers, dtype=np.int64).reshape(-1, 4)
        return Discovery(self.paths, self.roots, self.relative, identity, self.problems)

    def add(self, path: str, root: int, relative: str, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key in self.seen_files:
            return
        self.seen_files.add(key)
        self.paths.append(path)
        self.roots.append(root)
        self.relative.append(relative)
        self.numbers += (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def find_files(paths: list[Path], *, parallel: bool = False) -> Discovery:
    """Article candidates in a stable order: as named, then sorted within folders (files before subfolders).

    ``parallel``: walk half of the top-level folders in a forked child (see
    _Split), when this process has one thread and the machine more than one core.
    """
    if parallel and len(paths) == 1 and os.path.isdir(paths[0]) and _can_fork():
        return _Split(paths).run()  # one folder (the usual case): its subfolders shared between two
    walk = _Walk()
    for root, path in enumerate(paths):
        spelled = str(path)  # Path() has dropped trailing and doubled slashes
        try:
            info = os.stat(spelled)
        except FileNotFoundError:
            walk.problems.append((path, "broken symbolic link" if os.path.islink(spelled) else "no such file or folder"))
            continue
        except OSError as error:
            walk.problems.append((path, _reason(error)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_folder(spelled, root, walk)
        elif stat.S_ISREG(info.st_mode):
            # A file named on the command line is read whatever its extension.
            walk.add(spelled, root, "", info)
        else:
            walk.problems.append((path, "not a regular file or folder"))
    return walk.discovery()


def _walk_folder(top: str, root: int, walk: _Walk, below: str = "") -> None:
    # An explicit stack, not recursion: deep trees must not hit the recursion limit.
    pending: list[tuple[str, str]] = [(top, below)]  # (path as spelled, place below the root)
    while pending:
        folder, below = pending.pop()
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
            subfolders = _scan(fd, folder, below, root, walk)
        except OSError as error:
            walk.problems.append((Path(folder), _reason(error)))
            continue
        finally:
            os.close(fd)
        pending.extend(reversed(subfolders))


def _scan(fd: int, folder: str, below: str, root: int, walk: _Walk) -> list[tuple[str, str]]:
    """The article files of one open folder go into ``walk``; its subfolders are returned, in order.

    The loop body runs once per file of the archive: names are checked
    before anything is stat-ed, and the common case calls nothing but stat.
    """
    with os.scandir(fd) as scan:
        entries = [entry for entry in scan if entry.name[0] != "."]
    entries.sort(key=_BY_NAME)
    subfolders = []
    suffixes = ARTICLE_SUFFIXES
    seen, numbers, paths, roots, places = walk.seen_files, walk.numbers, walk.paths, walk.roots, walk.relative
    prefix = folder + "/"
    place = below + "/" if below else ""
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks; free for plain entries (d_type)
        except OSError as error:
            walk.problems.append((Path(prefix + name), _reason(error)))
            continue
        if is_dir:
            subfolders.append((prefix + name, place + name))
            continue
        if name[name.rfind("."):].lower() not in suffixes:
            continue
        try:
            info = os.stat(name, dir_fd=fd)
        except FileNotFoundError:
            if entry.is_symlink():
                walk.problems.append((Path(prefix + name), "broken symbolic link"))
            continue  # or it vanished meanwhile
        except OSError as error:
            walk.problems.append((Path(prefix + name), _reason(error)))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen or not stat.S_ISREG(info.st_mode):
            continue
        seen.add(key)
        paths.append(prefix + name)
        roots.append(root)
        places.append(place + name)
        numbers += (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    return subfolders


_BY_NAME = operator.attrgetter("name")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


# ---------------------------------------------------------------- two at once


def _can_fork() -> bool:
    import threading

    # A forked child of a process with other threads may find a lock held by
    # one of them forever: only a process that is still alone forks.
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


_WORTH_A_FORK = 8  # subfolders: with fewer, the folder is small or one subfolder holds it all


class _Split:
    """The walk of one folder in two processes: this one and a forked child, each taking every other subfolder.

    Stat-ing 100,000 files costs about 0.3 s in the kernel and as much again
    in Python; two cores halve both. Each subfolder's files come back with the
    subfolder's place in the order, so the merged list is the one a single
    walk gives; a file both halves reached (through a link across them) is
    kept where it came first.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.path = paths[0]
        self.spelled = str(self.path)

    def run(self) -> Discovery:
        import pickle

        top = _Walk()
        try:
            fd = os.open(self.spelled, _DIRECTORY_FLAGS)
            try:
                info = os.fstat(fd)
                top.seen_dirs.add((info.st_dev, info.st_ino))
                items = _scan(fd, self.spelled, "", 0, top)  # the folder's own files, and its subfolders
            finally:
                os.close(fd)
        except OSError:
            return find_files([self.path])  # says what is wrong, as one walk would
        if len(items) < _WORTH_A_FORK:
            return self._merged(top, self._walk(items, list(range(len(items))), top), len(items))
        mine, theirs = list(range(0, len(items), 2)), list(range(1, len(items), 2))
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # the child: walk its half, send it, and leave without running anything else
            code = 1
            try:
                os.close(reading)
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(pickle.dumps(self._walk(items, theirs, top), protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            finally:
                os._exit(code)
        os.close(writing)
        halves = self._walk(items, mine, top)
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(child, 0)
        try:
            halves.update(pickle.loads(data) if status == 0 and data else {})
        except Exception:  # noqa: BLE001 - a half that did not come back is walked here
            pass
        missing = [index for index in theirs if index not in halves]
        halves.update(self._walk(items, missing, top))
        return self._merged(top, halves, len(items))

    @staticmethod
    def _walk(items: list[tuple[str, str]], chosen: list[int], top: _Walk) -> dict[int, tuple]:
        """Each chosen subfolder walked: (its files' places below the root, their numbers as bytes, problems)."""
        from array import array

        found = {}
        for index in chosen:
            folder, below = items[index]
            walk = _Walk()
            walk.seen_dirs = set(top.seen_dirs)
            _walk_folder(folder, 0, walk, below)
            found[index] = (walk.relative, array("q", walk.numbers).tobytes(), walk.problems)
        return found

    def _merged(self, top: _Walk, halves: dict[int, tuple], count: int) -> Discovery:
        """The folder's own files, then each subfolder's in order, each file once."""
        relatives = list(top.relative)
        numbers = [np.array(top.numbers, dtype=np.int64)]
        problems = list(top.problems)
        for index in range(count):
            places, packed, found = halves[index]
            relatives += places
            numbers.append(np.frombuffer(packed, dtype=np.int64))
            problems += [problem for problem in found if problem not in problems]
        identity = np.concatenate(numbers).reshape(-1, 4)
        # The hash only tells quickly that nothing repeats; if anything might, pairs are compared.
        keys = identity[:, 0].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ identity[:, 1].astype(np.uint64)
        if len(np.unique(keys)) < len(keys):
            seen: set[tuple[int, int]] = set()
            kept = []
            for at, (device, inode) in enumerate(identity[:, :2].tolist()):
                if (device, inode) not in seen:
                    seen.add((device, inode))
                    kept.append(at)
            relatives = [relatives[at] for at in kept]
            identity = identity[kept]
        prefix = self.spelled + "/"
        return Discovery([prefix + place for place in relatives], [0] * len(relatives), relatives, identity, problems)

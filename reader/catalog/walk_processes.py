"""The walk shared with other processes: a forked child beside this one, or a child process of its own.

discover.start_walk chooses: one folder on a machine with cores to spare, in
a process that is still alone, is walked by this process and a forked child
together (Split); a process with threads (the app) hands the whole walk to a
child it starts (Spawned: ``_walk_child.py``, which sends back ``packed``);
anything else walks in ``finish()`` (discover.Walking). Whatever happens to
a child, the walk still ends: what it did not send back whole is walked here.
Standard library only, as discover is: the walk starts before numpy and the
rest of reader are imported.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from .discover import (
    _DIRECTORY_FLAGS,
    WALK_RULES,
    Discovery,
    Walking,
    _numpy,
    _read_listing,
    _root_key,
    _scan,
    _Walk,
    _walk_all,
    _walk_folder,
    changed_listing,
)
from .folders import Listing


def _framed(data: bytes) -> bytes:
    return len(data).to_bytes(8, "little") + data


def _frames(data: bytes):
    """The whole frames of ``data`` (_framed one after another); a cut last one is left out."""
    at = 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 8], "little")
        if at + 8 + size > len(data):
            return
        yield data[at + 8:at + 8 + size]
        at += 8 + size


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]



# ---------------------------------------------------------------- two at once

def can_fork() -> bool:
    import threading

    # A forked child of a process with other threads may find a lock held by
    # one of them forever: only a process that is still alone forks.
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


_WORTH_A_FORK = 8  # subfolders: with fewer, the folder is small or one subfolder holds it all
_BLOCKS = 256  # the subfolders are shared out in this many blocks at most


class Split(Walking):
    """The walk of one folder in two processes: this one and a forked child, taking its subfolders from one queue.

    Stat-ing 100,000 files costs about 0.3 s in the kernel and as much again
    in Python; two cores halve both. The child starts when the walk does;
    this process joins in at ``finish()``, after whatever it had to do first
    (import the rest of reader, open and search the cache). The subfolders,
    in blocks, are a queue both take from: a pipe holding every block's
    number, read four bytes at a time (a pipe hands each byte to one reader),
    so whoever is free takes the next block and both finish together. Each
    subfolder's files come back with the subfolder's place in the order, so
    the merged list is the one a single walk gives; a file both reached
    (through a link across them) is kept where it came first.
    """

    def __init__(self, path: Path, listing: Path | None = None) -> None:
        super().__init__([path], listing)
        self.path = path
        self.spelled = str(path)
        self._child = 0
        self._items: list[tuple[str, str, None]] | None = None  # None: the top folder could not be read
        # The listing is read after the fork, by each process (about 25 ms at 100,000 files): the
        # child starts on the subfolders at once, and this process reads it while the rest of
        # reader is imported. The top folder is listed now, as it always is: it is one folder.
        self._top = _Walk().keeping(Listing() if listing is not None else None, time.time_ns() if listing is not None else 0, _root_key(self.spelled))
        self._top.start(0)
        try:
            fd = os.open(self.spelled, _DIRECTORY_FLAGS)
            try:
                info = os.fstat(fd)
                self._top.seen_dirs.add((info.st_dev, info.st_ino))
                self._items = _scan(fd, self.spelled, "", self._top, info)  # the folder's own files, and its subfolders
            finally:
                os.close(fd)
        except OSError:
            return  # finish() walks it as one walk would, and says what is wrong
        if len(self._items) < _WORTH_A_FORK:
            return
        size = -(-len(self._items) // _BLOCKS)
        self._blocks = [list(range(start, min(start + size, len(self._items)))) for start in range(0, len(self._items), size)]
        self._queue, queue_in = os.pipe()
        os.write(queue_in, b"".join(number.to_bytes(4, "little") for number in range(len(self._blocks))))  # ≤ 1 KB: never blocks
        os.close(queue_in)
        # The child's results: block by block into a file in memory, read once it is done (the
        # last block's are there a moment after this process's last: sent through a pipe at the
        # end, 7 MB at 100,000 files took 30 ms more); a pipe, at the end, where there is none.
        self._memory = hasattr(os, "memfd_create")
        if self._memory:
            try:
                self._results = writing = os.memfd_create("reader-walk", getattr(os, "MFD_CLOEXEC", 0))
            except OSError:
                self._memory = False
        if not self._memory:
            self._results, writing = os.pipe()
        self._child = os.fork()
        if self._child == 0:  # the child: walk what it takes, send it, and leave without running anything else
            code = 1
            try:
                import pickle

                def send(found: dict) -> None:
                    _write_all(writing, _framed(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)))

                if not self._memory:
                    os.close(self._results)
                self._read_listing()
                found = self._take(send if self._memory else None)
                if not self._memory:
                    send(found)
                code = 0
            finally:
                os._exit(code)
        if not self._memory:
            os.close(writing)

    def _read_listing(self) -> None:
        if self.listing is not None:
            self._top.listing = _read_listing(self.listing)

    def finish(self) -> Discovery:
        items, top = self._items, self._top
        if items is None:
            return _walk_all([self.path], self.listing)
        self._read_listing()
        if not self._child:
            return self._merged(top, self._walk(items, list(range(len(items))), top), len(items))
        import pickle

        halves = self._take()
        os.close(self._queue)
        if self._memory:
            os.waitpid(self._child, 0)
            os.lseek(self._results, 0, os.SEEK_SET)
        with os.fdopen(self._results, "rb") as results:
            data = results.read()
        if not self._memory:
            os.waitpid(self._child, 0)
        # Reaped, and its descriptors closed: a cancel() from now on has nothing to end (its
        # pid and descriptor numbers may already be another process's and another file's).
        self._child = 0
        for frame in _frames(data):  # a child killed midway: the blocks it sent whole are taken
            try:
                halves.update(pickle.loads(frame))
            except Exception:  # noqa: BLE001 - what the child took but did not send back is walked here
                break
        missing = [index for index in range(len(items)) if index not in halves]
        halves.update(self._walk(items, missing, top))
        return self._merged(top, halves, len(items))

    def cancel(self) -> None:
        if self._child:
            import signal

            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
            os.close(self._queue)
            os.close(self._results)
            self._child = 0

    def _take(self, send=None) -> dict[int, tuple]:
        """Blocks taken from the queue and walked, until it is empty; each one ``send``-ed as it is done, if given."""
        found: dict[int, tuple] = {}
        while len(token := os.read(self._queue, 4)) == 4:
            block = self._walk(self._items, self._blocks[int.from_bytes(token, "little")], self._top)
            if send is not None:
                send(block)
            else:
                found.update(block)
        return found

    @staticmethod
    def _walk(items: list[tuple[str, str, None]], chosen: list[int], top: _Walk) -> dict[int, tuple]:
        """Each chosen subfolder walked: (its files' places joined by NUL, their numbers as bytes, problems,
        the folders taken from the listing, those listed)."""
        from array import array

        found = {}
        for index in chosen:
            folder, below, _info = items[index]
            walk = _Walk().keeping(top.listing, top.began_ns, top.root_key)
            walk.seen_dirs = set(top.seen_dirs)
            _walk_folder(folder, walk, below)
            # Strings joined and bytes: a few megabytes that pickle and unpickle in C.
            found[index] = (
                "\x00".join(walk.relative), len(walk.relative), array("q", walk.numbers).tobytes(), walk.problems,
                "\x00".join(walk.reused), len(walk.reused), walk.fresh,
            )
        return found

    def _merged(self, top: _Walk, halves: dict[int, tuple], count: int) -> Discovery:
        """The folder's own files, then each subfolder's in order, each file once."""
        np = _numpy()
        merged = _Walk().keeping(top.listing, top.began_ns, top.root_key)
        merged.start(0)
        merged.relative = list(top.relative)
        numbers = [np.array(top.numbers, dtype=np.int64)]
        merged.problems = list(top.problems)
        merged.reused, merged.fresh = list(top.reused), dict(top.fresh)
        for index in range(count):
            places, how_many, packed, problems, reused, reused_count, fresh = halves[index]
            if how_many:
                merged.relative += places.split("\x00")
            numbers.append(np.frombuffer(packed, dtype=np.int64))
            merged.problems += [problem for problem in problems if problem not in merged.problems]
            if reused_count:
                merged.reused += reused.split("\x00")
            merged.fresh.update(fresh)
        merged.numbers = np.concatenate(numbers)  # discovery() takes an array as well as a list
        return merged.discovery([self.spelled])


# ---------------------------------------------------------------- in a process of its own

WALK_CHILD = Path(__file__).with_name("_walk_child.py")


def threaded() -> bool:
    import threading

    return threading.active_count() > 1


def packed(walk: _Walk) -> bytes:
    """A walk as the child sends it: one string of places and one of numbers, which pickle handles in C,
    and the listing to keep (encoded), if it changed."""
    import pickle
    from array import array

    listing = changed_listing(walk.listing, walk.reused, walk.fresh)
    return pickle.dumps(
        (
            "\x00".join(walk.relative), len(walk.relative), array("q", walk.numbers).tobytes(), walk.runs, walk.problems,
            b"" if listing is None else listing.encoded(WALK_RULES),
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def unpacked(data: bytes) -> tuple[_Walk, Listing | None]:
    import pickle

    places, count, numbers, runs, problems, listing = pickle.loads(data)
    walk = _Walk()
    walk.relative = places.split("\x00") if count else []
    walk.numbers = _numpy().frombuffer(numbers, dtype=_numpy().int64).copy()  # discovery() takes an array as well as a list
    if len(walk.relative) != count or len(walk.numbers) != 4 * count:
        raise ValueError("a walk that does not add up")
    walk.runs, walk.problems = runs, problems
    kept = Listing.decoded(listing, WALK_RULES) if listing else None
    if listing and kept is None:
        raise ValueError("a listing that does not add up")
    return walk, kept


class Spawned(Walking):
    """The whole walk in a child process started now (``python _walk_child.py PATH...``), read back at ``finish()``.

    For a process with threads, which must not fork: stat-ing 100,000 files
    costs about 0.5 s of Python, which in a thread of the app would hold the
    interpreter while the reader types (a live folder's refresh right after
    the listing). The child costs a Python start (about 20 ms, on the other
    core) and this process only the reading of its answer. If the child
    cannot be started or its answer is not whole, this process walks itself.
    """

    def __init__(self, paths: list[Path], listing: Path | None = None) -> None:
        super().__init__(paths, listing)
        import subprocess
        import sys

        self._process = None
        if not sys.executable:
            return
        try:
            # -I -S: no environment, no site-packages; the child puts this
            # checkout of reader first itself, so it walks as this process would.
            kept = ["--listing", str(listing)] if listing is not None else []
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(WALK_CHILD), *kept, "--", *map(str, paths)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError):  # no interpreter there, no processes left, a NUL in a path
            self._process = None

    def finish(self) -> Discovery:
        process, self._process = self._process, None
        if process is not None:
            try:
                with process.stdout:
                    data = process.stdout.read()  # lets go of the interpreter while the child walks
                if process.wait() == 0 and data:
                    walk, listing = unpacked(data)
                    found = walk.discovery([str(path) for path in self.paths])
                    found.listing = listing
                    return found
            except Exception:  # noqa: BLE001 - a child killed, a short answer: walk here instead
                pass
        return _walk_all(self.paths, self.listing)

    def cancel(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.stdout.close()
            process.wait()

"""The catalog: the one object that loads, caches and updates the articles of a set of folders.

The app, `reader list` and `reader find` all go through it::

    cache (what was read last time) ──► snapshot, at once
    walk the folders, with each file's identity
    compare: unchanged files stay; changed, new and vanished ones are marked
    read what changed (in a process pool when there is a lot of it)
    ──► a new snapshot after every batch; segments written to the cache as they come

``load`` runs on the caller's thread (a worker thread in the app) and hands
each new ``Snapshot`` to ``publish`` together with a ``Progress``. Snapshots
are immutable, so whoever holds one (a search, the sidebar) needs no lock.
Only this object changes what the cache holds, and only by committing a new
manifest on top of the one it read (store.cache).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import kept
from .discover import WALK_RULES, Discovery, Walking, find_files, start_walk
from ..store.cache import Cache, Entry, Foreign, State
from ..store.container import Damaged
from ..store.layout import store_roots
from .progress import Progress, RateMeter
from .reading import read_files, read_task
from .segment import LAZY_ARRAYS, MAX_PASSAGES, PATH_DEPENDENT, FileRef, Segment, merge
from .snapshot import Part, Snapshot

POOL_MIN_FILES = 400  # fewer files than this are read in this process: a pool takes ~0.3 s to start
FIRST_TASKS = (250, 250)  # small first tasks, so the first articles show quickly
TASK_FILES = 2000  # then about one full segment per task
STOP_POLL = 0.05  # seconds: how often a load waiting on its workers looks whether it is asked to stop
SMALL_PART = 16_000  # passages: parts smaller than this are merged when there are several
DEAD_SHARE = 0.25  # a part with more dead articles than this is rewritten


Publish = Callable[[Snapshot, Progress], None]


@dataclass
class _Store:
    """The cache this load writes to, while it can."""

    cache: Cache
    generation: int
    created: str
    writable: bool = True


@dataclass
class Catalog:
    paths: list[Path]
    cache_base: Path | None = None  # None: no cache
    workers: int | None = None  # processes for a big first read; None: every core
    clock: Callable[[], float] = time.perf_counter
    notices: list[str] = field(default_factory=list)
    # A walk of ``paths`` already under way (discover.start_walk on a command's first
    # line, before anything else is imported): the first load finishes it.
    walking: Walking | None = None

    def __post_init__(self) -> None:
        self._snapshot = Snapshot()
        self._stop = threading.Event()
        self._running = threading.RLock()  # one load at a time: a recovery waits for the load under way
        given = [str(path) for path in self.paths]
        real = [os.path.realpath(path) for path in given]
        self._store_roots = store_roots(given)  # as a command's walk finds the listing (store.layout)
        self._root_of_given = [self._store_roots.index(path) for path in real]
        spelled: dict[int, str] = {}
        for index, path in zip(self._root_of_given, given):
            spelled.setdefault(index, path)
        self._display = tuple(spelled[index] for index in range(len(self._store_roots)))
        self._store: _Store | None = None
        self._loaded = False  # a load has finished: a refresh starts from its parts
        self._kept: str | None = None  # the key of the tables the cache holds (catalog.kept)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def recover(self, damaged: Damaged, publish: Publish | None = None) -> Snapshot:
        """A cache file failed its checksum while being read: set the cache aside and load again, from the files."""
        with self._running:
            if not damaged.path.exists():
                return self._snapshot  # already set aside (another reader of the same snapshot found it first)
            if self._store is not None:
                self._store.cache.set_aside()
            self.notices.append(f"The cache was damaged ({damaged.detail}); it was set aside and is being rebuilt.")
            return self.load(publish)

    def stop(self) -> None:
        """Ask a load under way to stop after its current batch (the app is quitting)."""
        self._stop.set()

    # -- loading --------------------------------------------------------------------
    def load(self, publish: Publish | None = None) -> Snapshot:
        """Bring the catalog up to date with the folders; the final snapshot."""
        with self._running:
            return self._load(publish or (lambda snapshot, progress: None))

    def _load(self, publish: Publish) -> Snapshot:
        started = self.clock()
        parts = self._open_cache()
        first = Snapshot(tuple(parts), self._display)
        self._adopt_kept(first)

        def from_cache() -> None:  # while the folders are walked: whoever waits can start on the cache
            if parts:
                self._publish(first, publish, Progress(0, 0, 0, self.clock() - started, cached=first.live_count))

        walking, self.walking = self.walking or start_walk(self.paths, listing=self._listing()), None
        from_cache()
        found = walking.finish()
        self._keep_listing(found)
        parts, to_read, changed = self._compare(parts, found)
        cached = sum(part.live_count for part in parts)
        snapshot = Snapshot(tuple(parts), self._display, tuple(found.problems), like=first)
        if changed or to_read or not first.parts:  # when nothing changed, the next snapshot is the last
            self._publish(snapshot, publish, Progress(len(found), len(to_read), 0, self.clock() - started, cached=cached))
        if changed and not to_read:
            self._commit(parts)
        if to_read:
            parts = self._read(parts, to_read, found, publish, started, cached)
        parts = self._compact(parts)
        snapshot = Snapshot(tuple(parts), self._display, tuple(found.problems), like=snapshot)
        self._keep(snapshot)
        done = Progress(len(found), len(to_read), len(to_read), self.clock() - started, True, cached)
        self._publish(snapshot, publish, done)
        self._loaded = True
        return snapshot

    def refresh(self, publish: Publish | None = None) -> Snapshot | None:
        """Bring the last snapshot up to date with the folders (a live folder, a reload); None if nothing changed.

        It starts from the parts in memory, not from the cache: the folders are
        walked again and compared with them, and only what changed is read;
        parts nobody touched are the same objects in the new snapshot. When
        nothing changed nothing is published, so a watcher or a timer may call
        this as often as it likes for the price of one walk. Before the first
        load, this is the first load.
        """
        with self._running:
            if not self._loaded:
                return self.load(publish)
            return self._update(publish or (lambda snapshot, progress: None))

    def _update(self, publish: Publish) -> Snapshot | None:
        started = self.clock()
        base = self._snapshot
        found = find_files(self.paths, parallel=True, listing=self._listing())
        self._keep_listing(found)
        problems = tuple(found.problems)
        parts, to_read, changed = self._compare(list(base.parts), found)
        if not changed and not to_read and problems == base.discovery_problems:
            return None
        cached = sum(part.live_count for part in parts)
        if to_read:
            # One batch (most refreshes) is published once, when done; a
            # bigger one batch by batch, with progress.
            quiet = len(to_read) <= FIRST_TASKS[0] if FIRST_TASKS else len(to_read) <= 1
            batches = (lambda snapshot, progress: None) if quiet else publish
            parts = self._read(parts, to_read, found, batches, started, cached)
        else:
            self._commit(parts)
        parts = self._compact(parts)
        snapshot = Snapshot(tuple(parts), self._display, problems, like=self._snapshot)
        self._keep(snapshot)
        done = Progress(len(found), len(to_read), len(to_read), self.clock() - started, True, cached)
        self._publish(snapshot, publish, done)
        return snapshot

    def _publish(self, snapshot: Snapshot, publish: Publish, progress: Progress) -> None:
        self._snapshot = snapshot
        publish(snapshot, progress)

    # -- the cache ------------------------------------------------------------------
    def _open_cache(self) -> list[Part]:
        if self.cache_base is None:
            return []
        from .versions import content_version

        cache = Cache(self.cache_base, self._store_roots, content_version())
        try:
            state = cache.read()
        except Foreign:
            cache.discard()
            self.notices.append("The cache was made by another version of reader; it was removed and is being rebuilt.")
            state = State()
        except Damaged as damaged:
            cache.set_aside()
            self.notices.append(f"The cache was damaged ({damaged.detail}); it was set aside and is being rebuilt.")
            state = State()
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            self.notices.append(f"The cache cannot be used ({reason}: {cache.folder}); reading without it.")
            return []
        self._store = _Store(cache, state.generation, state.created)
        parts = []
        for entry in state.entries:
            assert entry.file is not None
            alive = ~entry.dead if entry.dead.any() else None
            alive_skipped = ~entry.dead_skipped if entry.dead_skipped.any() else None
            parts.append(Part(Segment(entry.file.arrays), alive, alive_skipped, entry.name))
        return parts

    def _listing(self) -> Path | None:
        """Where the folders' listing is kept for the walk (catalog.folders); None without a cache."""
        return self._store.cache.listing if self._store is not None else None

    def _keep_listing(self, found: Discovery) -> None:
        store = self._store
        if found.listing is None or store is None or not store.writable:
            return
        try:
            store.cache.write_listing(found.listing.encoded(WALK_RULES))
        except OSError:
            pass  # a shortcut only: the next walk lists every folder

    def _adopt_kept(self, snapshot: Snapshot) -> None:
        """Give the cache's snapshot the tables kept by the last load of the same parts (catalog.kept)."""
        store = self._store
        key = kept.key(snapshot) if store is not None else None
        if key is None:
            return
        tables = store.cache.read_tables(key)
        if tables is not None and kept.adopt(snapshot, tables.arrays, tables.meta):
            self._kept = key

    def _keep(self, snapshot: Snapshot) -> None:
        """The last snapshot's list tables, computed on this thread (not the interface's) and kept for the next start."""
        if self._stop.is_set():
            return
        arrays, meta = kept.tables_of(snapshot)
        store = self._store
        key = kept.key(snapshot) if store is not None and store.writable else None
        if key is None or key == self._kept:
            return
        try:
            store.cache.write_tables(key, arrays, meta)
        except OSError:
            return  # a shortcut only: the next start computes them again
        self._kept = key

    def _commit(self, parts: list[Part]) -> None:
        """Make the cache hold ``parts`` (writing those it does not have yet), if it still can."""
        store = self._store
        if store is None or not store.writable:
            return
        try:
            entries = []
            for index, part in enumerate(parts):
                segment = part.segment
                if part.name is None:
                    name = store.cache.write_segment(segment.arrays, segment.article_count, segment.skipped_count, LAZY_ARRAYS)
                    part = parts[index] = self._mapped(store.cache, name, part)
                entries.append(Entry(
                    part.name or "", segment.article_count, segment.skipped_count,
                    np.zeros(segment.article_count, dtype=bool) if part.alive is None else ~part.alive,
                    np.zeros(segment.skipped_count, dtype=bool) if part.alive_skipped is None else ~part.alive_skipped,
                ))
            generation = store.cache.commit(store.generation, entries, created=store.created)
        except OSError as error:
            store.writable = False
            reason = (error.strerror or str(error)).lower()
            self.notices.append(f"The cache cannot be written ({reason}: {store.cache.folder}); reading without it.")
            return
        if generation is None:
            store.writable = False  # another reader committed first: its picture stands
        else:
            store.generation = generation

    def _mapped(self, cache: Cache, name: str, part: Part) -> Part:
        """The part read back from its file: memory-mapped, so it costs no anonymous memory."""
        from ..store.container import ArrayFile
        from ..store.cache import SEGMENT_KIND

        try:
            segment = Segment(ArrayFile(cache.folder / name, SEGMENT_KIND).arrays)
        except Damaged:
            segment = part.segment  # just written and already unreadable: keep the one in memory
        return Part(segment, part.alive, part.alive_skipped, name)

    # -- what changed ---------------------------------------------------------------
    def _compare(self, parts: list[Part], found: Discovery) -> tuple[list[Part], list[FileRef], bool]:
        """The parts with vanished and changed files marked dead, and the files to read.

        100,000 files are compared at every start, so this is one dict built
        and looked up in C, and the identities are compared in numpy. Before
        the dict, the usual start is told at once: a cache read from a folder
        holds its files in the walk's order (until files are added, or when
        some are not articles), so when nothing changed the names compare as
        one list and the identities as one array (the dict costs 60 ms). A
        cache whose few files read again since, or skipped, stand apart from
        the walk's order is told nearly as quickly (_in_order_but_a_few).
        """
        single = len(self._store_roots) == 1  # then a file's place below its root is its key
        keys: list = []
        identities: list[np.ndarray] = []
        owner: list[np.ndarray] = []  # per cached entry: part number
        local: list[np.ndarray] = []  # its number in the part (articles, then skipped files)
        runs: list[tuple[int, int]] = []  # where each part's articles, and its skipped files, are in ``keys``
        for number, part in enumerate(parts):
            segment = part.segment
            for roots, relatives, identity, alive, skipped in (
                (segment.roots, segment.column("relative"), segment.identity, part.alive, False),
                (segment.arrays["skipped_root"], segment.column("skipped_relative"), segment.arrays["skipped_identity"], part.alive_skipped, True),
            ):
                live = np.arange(len(roots)) if alive is None else np.flatnonzero(alive)
                if not len(live):
                    continue
                names = relatives.tolist()
                runs.append((len(keys), len(keys) + len(live)))
                if single:
                    keys += names if alive is None else [names[i] for i in live.tolist()]
                else:
                    root_list = roots.tolist()
                    keys += [(root_list[i], names[i]) for i in live.tolist()]
                identities.append(np.asarray(identity)[live])
                owner.append(np.full(len(live), number, dtype=np.int64))
                local.append(live + (segment.article_count if skipped else 0))
        cached = np.concatenate(identities) if identities else np.empty((0, 4), dtype=np.int64)
        if single and keys == found.relative and np.array_equal(cached, found.identity):
            return parts, [], False  # every file as it was, where it was
        if single and _in_order_but_a_few(keys, cached, runs, found):
            return parts, [], False  # every file as it was, a few of them held apart
        known = dict(zip(keys, range(len(keys))))
        roots = [self._root_of_given[root] for root in found.roots]
        wanted = found.relative if single else zip(roots, found.relative)
        place = np.fromiter(map(known.pop, wanted, itertools.repeat(-1)), dtype=np.int64, count=len(found))
        owners = np.concatenate(owner) if owner else np.empty(0, dtype=np.int64)
        locals_ = np.concatenate(local) if local else np.empty(0, dtype=np.int64)
        matched = place >= 0
        same = np.zeros(len(place), dtype=bool)
        same[matched] = (cached[place[matched]] == found.identity[matched]).all(axis=1)
        gone = np.zeros(len(keys), dtype=bool)
        gone[place[matched & ~same]] = True  # changed since they were read
        vanished = np.fromiter(known.values(), dtype=np.int64, count=len(known))
        gone[vanished] = True  # no longer there under that name
        fresh = np.flatnonzero(~matched)
        moved = self._moved(parts, fresh, vanished, cached, owners, locals_, roots, found)
        for number in np.unique(owners[gone]).tolist():
            mine = locals_[gone & (owners == number)]
            count = parts[number].segment.article_count
            parts[number] = parts[number].with_dead(mine[mine < count], mine[mine >= count] - count)
        reused = {index for _segment, files in moved for index in files}
        # Changed files first, then new ones: an article that changed is missing
        # from the snapshots published until it is read again.
        order = np.concatenate((np.flatnonzero(matched & ~same), fresh)).tolist()
        to_read = [
            FileRef(roots[i], found.relative[i], found.path(i), tuple(found.identity[i].tolist()))
            for i in order if i not in reused
        ]
        parts += [Part(segment) for segment, _files in moved]
        return parts, to_read, bool(gone.any())

    def _moved(self, parts, fresh, vanished, cached, owners, locals_, roots, found) -> list[tuple[Segment, list[int]]]:
        """Articles whose files were moved or renamed, relabeled instead of read again.

        A new name whose identity (device, inode, size, mtime) is that of a
        name that vanished is the same file; its article is reused unless the
        parse depended on the name (a title taken from the file name, a source
        from the folder, a body format from the suffix).
        """
        if not len(fresh) or not len(vanished):
            return []
        by_identity = {tuple(cached[i].tolist()): i for i in vanished.tolist()}
        chosen: dict[int, list[tuple[int, int]]] = {}  # part → [(local, found index)]
        for index in fresh.tolist():
            entry = by_identity.get(tuple(found.identity[index].tolist()))
            if entry is None:
                continue
            number, local = int(owners[entry]), int(locals_[entry])
            segment = parts[number].segment
            if local >= segment.article_count or segment.flags[local] & PATH_DEPENDENT:
                continue  # a skipped file, or an article whose reading used its name
            chosen.setdefault(number, []).append((local, index))
        moved = []
        for number, pairs in chosen.items():
            pairs.sort()
            keep = np.zeros(parts[number].segment.article_count, dtype=bool)
            keep[[local for local, _ in pairs]] = True
            segment = merge([(parts[number].segment, keep, np.zeros(parts[number].segment.skipped_count, dtype=bool))])
            files = [index for _, index in pairs]
            moved.append((segment.relabeled([roots[i] for i in files], [found.relative[i] for i in files]), files))
        return moved

    # -- reading --------------------------------------------------------------------
    def _read(self, parts: list[Part], to_read: list[FileRef], found: Discovery, publish: Publish, started: float, cached: int) -> list[Part]:
        done = 0
        problems = tuple(found.problems)
        meter = RateMeter()
        for segments, count in self._segments_of(to_read):
            done += count
            for segment in segments:
                parts.append(Part(segment))
            self._commit(parts)
            seconds = self.clock() - started
            progress = Progress(len(found), len(to_read), done, seconds, cached=cached, recent=meter.add(seconds, done))
            self._publish(Snapshot(tuple(parts), self._display, problems), publish, progress)
            if self._stop.is_set():
                break
        return parts

    def _segments_of(self, files: list[FileRef]):
        """(segments, files read) task by task, in the files' order."""
        tasks = []
        start = 0
        for size in (*FIRST_TASKS, *([TASK_FILES] * (len(files) // TASK_FILES + 1))):
            if start >= len(files):
                break
            tasks.append(files[start:start + size])
            start += size
        workers = self.workers or os.cpu_count() or 1
        if len(files) < POOL_MIN_FILES or workers < 2:
            for task in tasks:
                yield read_files(task), len(task)
                if self._stop.is_set():
                    return
            return
        yield from self._pooled(tasks, workers)

    def _pooled(self, tasks: list[list[FileRef]], workers: int):
        from concurrent.futures.process import BrokenProcessPool

        try:
            pool = _start_pool(workers)
        except (OSError, ValueError, RuntimeError):
            # No processes to be had (a sandbox, no /dev/shm…): read here, task by task.
            for task in tasks:
                yield read_files(task), len(task)
                if self._stop.is_set():
                    return
            return
        try:
            pending = []
            queue = list(tasks)
            while queue or pending:
                while queue and len(pending) < 2 * workers:
                    task = queue.pop(0)
                    pending.append((task, pool.submit(read_task, task)))
                task, future = pending.pop(0)
                if not self._finished(future):
                    return  # stopped: the tasks under way are not waited for (below)
                try:
                    segments = [Segment(arrays) for arrays in future.result()]
                except BrokenProcessPool:
                    # A worker died (a parser crash on some file): read what is left here, file by file.
                    pool.shutdown(wait=False, cancel_futures=True)
                    rest = [task] + [t for t, _ in pending] + queue
                    pending, queue = [], []
                    for files in rest:
                        yield read_files(files), len(files)
                    return
                yield segments, len(task)
                if self._stop.is_set():
                    return
        finally:
            if self._stop.is_set():
                _end_workers(pool)
            else:
                pool.shutdown(wait=False, cancel_futures=True)

    def _finished(self, future) -> bool:
        """Wait for a task of the pool: True when it is done, False as soon as the load is asked to stop.

        A task is up to TASK_FILES files, a few seconds of a worker's time: a
        reader who quits during a first read must not wait for it (nor the
        interpreter's exit, which joins a pool's workers, for the others').
        """
        from concurrent.futures import wait

        while not wait([future], timeout=STOP_POLL).done:
            if self._stop.is_set():
                return False
        return True

    # -- keeping the cache lean -----------------------------------------------------
    def _compact(self, parts: list[Part]) -> list[Part]:
        """Rewrite parts that are mostly dead, and join small neighbours, so searches visit few parts."""
        heavy = [i for i, part in enumerate(parts) if part.alive is not None and (~part.alive).sum() > DEAD_SHARE * part.segment.article_count]
        small = [i for i, part in enumerate(parts) if part.segment.passage_count < SMALL_PART]
        chosen = sorted(set(heavy) | (set(small) if len(small) > 2 else set()))
        if not chosen:
            return parts
        # Neighbours only: the parts keep the walk's order of the files (a warm start
        # that finds nothing changed is told by comparing the two in order: _compare).
        groups: list[list[int]] = [[]]
        size = 0
        for index in chosen:
            live = _live_passages(parts[index])
            if groups[-1] and (size + live > MAX_PASSAGES or index != groups[-1][-1] + 1):
                groups.append([])
                size = 0
            groups[-1].append(index)
            size += live
        replaced: dict[int, Part | None] = {}
        for group in groups:
            if len(group) < 2 and not (group and group[0] in heavy):
                continue
            merged = merge([(parts[i].segment, parts[i].alive, parts[i].alive_skipped) for i in group])
            for i in group:
                replaced[i] = None
            replaced[group[0]] = Part(merged)
        if not replaced:
            return parts
        compacted = [replaced.get(i, part) for i, part in enumerate(parts) if replaced.get(i, part) is not None]
        self._commit(compacted)
        return compacted


ASIDE_SHARE, ASIDE_LEAST = 0.05, 64  # files the quick comparison takes out of the walk's order: at most a share, or this many


def _in_order_but_a_few(keys: list[str], cached: np.ndarray, runs: list[tuple[int, int]], found: Discovery) -> bool:
    """Whether the cache holds exactly the walk's files, each as it was: in the walk's order but for a few.

    After a start that read some files again, their articles are in a part
    of their own at the end; a part's skipped files come after its articles.
    The smallest runs of the cache (up to ASIDE_SHARE of its files) are set
    aside: the rest must be the walk's files in order, names and identities
    alike, and each set-aside one must be one of the others, once, with its
    identity. True only then (the walk's names are distinct); anything else
    is for the general comparison. 100,000 files: about 20 ms, the dict 60.
    """
    if len(keys) != len(found) or len(runs) < 2:
        return False
    aside: list[tuple[int, int]] = []  # the smallest runs, however they stand: a run in order is matched as well
    room = max(ASIDE_LEAST, int(len(keys) * ASIDE_SHARE))
    for start, end in sorted(runs, key=lambda run: run[1] - run[0]):
        if end - start > room:
            break
        aside.append((start, end))
        room -= end - start
    if not aside:
        return False
    apart = np.concatenate([np.arange(start, end) for start, end in aside])
    apart_names = [keys[at] for at in apart.tolist()]
    wanted = set(apart_names)
    names = found.relative
    held_apart = np.fromiter(map(wanted.__contains__, names), dtype=bool, count=len(names))
    if len(wanted) != len(apart_names) or int(held_apart.sum()) != len(apart_names):
        return False
    in_order = np.ones(len(keys), dtype=bool)
    in_order[apart] = False
    if [key for key, placed in zip(keys, in_order.tolist()) if placed] != [name for name, aside_ in zip(names, held_apart.tolist()) if not aside_]:
        return False
    if not np.array_equal(cached[in_order], found.identity[~held_apart]):
        return False
    where = {names[at]: at for at in np.flatnonzero(held_apart).tolist()}
    return np.array_equal(cached[apart], found.identity[[where[name] for name in apart_names]])


def _start_pool(workers: int):
    """A pool of worker processes, started from any thread of any program (the app included)."""
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the app runs threads, and a forked child of a threaded
    # process can deadlock on a lock some thread held. Python starts a helper
    # process (the resource tracker) with the current sys.stderr's file
    # descriptor; the app has replaced sys.stderr with its own capture, whose
    # descriptor is not a real one, so the real ones are put back meanwhile.
    saved = sys.stdout, sys.stderr
    try:
        sys.stdout, sys.stderr = sys.__stdout__ or saved[0], sys.__stderr__ or saved[1]
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet)
        pool.submit(int).result(timeout=60)  # the workers are up (and the tracker with them)
    finally:
        sys.stdout, sys.stderr = saved
    return pool


def _end_workers(pool) -> None:
    """The pool's worker processes ended now, whatever they are doing (their work is not wanted)."""
    # CPython's ProcessPoolExecutor keeps its processes here until it is shut down
    # (3.11, and 3.8 on); without it, they finish their tasks as they would have.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for worker in workers:
        try:
            worker.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for worker in workers:
        try:
            worker.join(timeout=1)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass
    # Waited for: with its workers gone the pool winds up at once, and its queues and
    # locks are released now rather than reported as leaked when the program ends.
    pool.shutdown(wait=bool(workers), cancel_futures=True)


def _quiet() -> None:
    """In a worker: nothing it prints may reach the terminal the app draws on."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    _keep_freed_memory()


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3


def _keep_freed_memory() -> None:
    """In a worker: memory freed is kept for the next file rather than handed back to the system.

    Each file's tree and each batch's arrays are freed after use, and glibc
    hands big blocks back (and maps arrays of over 128 KB afresh each time),
    so the next one is faulted in again: 1.1 million page faults in a first
    read of 100,000 files, 10–17 s of the workers' system time, on a VM that
    makes a page's first touch dear. Kept up to a bound instead: 90,000
    faults, 4 s. Five alternating pairs of first reads: 125.0 against 132.0 s
    of the workers' CPU on average, wall time 67.2 against 71.1 s (faster in
    four of the five). Only where the C library is glibc; elsewhere nothing
    changes.
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_TRIM_THRESHOLD, 512 * 1024 * 1024)
    mallopt(_M_MMAP_THRESHOLD, 256 * 1024 * 1024)
    mallopt(_M_TOP_PAD, 64 * 1024 * 1024)


def _live_passages(part: Part) -> int:
    if part.alive is None:
        return part.segment.passage_count
    counts = np.diff(part.segment.arrays["passage_starts"].astype(np.int64))
    return int(counts[part.alive].sum())


def default_cache_base() -> Path:
    from ..store.paths import cache_dir

    return cache_dir()


def keep_folding_tables() -> None:
    """The search's folding tables kept in the cache between runs, as parsed articles are (reader.search.fold).

    Building them costs 80-400 ms; loading a kept copy 5-50 ms. Called by each
    command that searches or reads with the cache on, before anything is folded.
    """
    from ..search.fold import keep_tables_in
    from ..store.atomic import atomic_write_chunks

    keep_tables_in(default_cache_base() / "tables", atomic_write_chunks)

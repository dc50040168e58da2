"""A live folder: notice that the folders changed while the reader runs, and refresh the catalog.

``LiveFolder`` runs one thread, which waits for a reason to look at the
folders again and then calls ``refresh`` (Catalog.refresh: walk, compare with
the last snapshot, read only what changed, publish only if something did).
The reasons:

- the operating system says something changed below a folder: watchfiles
  (Rust's notify crate over inotify) watches every folder, in a process of
  its own (see _Watcher), which costs one inotify watch per folder and about
  0.4 s of CPU for 16,000 folders, once;
- the clock, when nothing can watch: watchfiles missing, no inotify, the
  watch limit (fs.inotify.max_user_watches) reached then or later, or
  READER_LIVE=poll (a network file system, where inotify sees only this
  machine's writes). Polling
  then walks the folders every few seconds, and less often the longer a walk
  takes, so that it never costs more than a tenth of a core;
- a request by hand (the reader's R).

Refreshes run one at a time, in this thread, so two never overlap; and the
catalog's own lock makes a refresh wait for a load under way. After each
automatic refresh the next one waits a while (a few times as long as the
last one took): a folder that changes all the time costs a bounded share of
a core, never all of it. Nothing here imports Textual: the UI hands in what
to do and is told, through ``notice``, how the folders are being watched.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .discover import ARTICLE_SUFFIXES

POLL_SECONDS = 2.0  # polling: the shortest time between two walks
POLL_SHARE = 10  # polling: at least this many times as long as the last walk took, between two walks
WATCH_GAP = 0.5  # watching: the shortest time between two refreshes
WATCH_SHARE = 4  # watching: at least this many times as long as the last refresh took
DEBOUNCE_MS = 1_600  # watchfiles gathers a burst of changes for at most this long
STEP_MS = 100  # and hands them over once none came for this long

_DELETED = 3  # watchfiles.Change.deleted
CHILD = Path(__file__).with_name("_watch_child.py")  # the watch's own process

Refresh = Callable[[str], None]  # called with why: "start", "change", "poll" or "request"


def refresh_cost() -> float:
    """CPU seconds so far of this thread and of the child processes waited for: a refresh's walk is one (walk_processes.Spawned)."""
    times = os.times()
    return time.thread_time() + times.children_user + times.children_system


class LiveFolder:
    """Keeps a catalog up to date with its folders, in a thread of its own."""

    def __init__(
        self,
        paths: list[Path],
        refresh: Refresh,
        *,
        mode: str = "watch",  # "watch" (polling when that cannot be), "poll" or "off"
        poll_seconds: float | None = None,  # None: POLL_SECONDS
        notice: Callable[[str], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        cost: Callable[[], float] | None = None,  # what a refresh costs; None: refresh_cost
    ) -> None:
        self.paths = [os.path.realpath(path) for path in paths]  # as the watch reports them
        self._refresh = refresh
        self._wanted = mode
        self.mode = "off" if mode == "off" else "starting"  # then "watching" or "polling"; "off": by hand only
        self.poll_seconds = POLL_SECONDS if poll_seconds is None else poll_seconds
        self._notice = notice or (lambda text: None)
        self._failed = failed or (lambda error: None)
        self._cost = cost or refresh_cost
        self._stop = threading.Event()
        self._wake = threading.Event()  # a request by hand, or stop
        self._requested = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._watcher: _Watcher | None = None
        self._last_cost = 0.0  # CPU seconds the last refresh took
        self.refreshes = 0  # how many refreshes ran (tests, benchmarks)

    # -- the caller's side ----------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="reader-live-folder", daemon=True)
            self._thread.start()

    def request(self) -> None:
        """Look at the folders now (R), whatever the watcher or the clock say."""
        with self._lock:
            self._requested = True
            self._wake.set()

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        self._wake.set()
        if wait and self._thread is not None:
            self._thread.join(wait)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the thread -----------------------------------------------------------------
    def _run(self) -> None:
        self._watcher = watcher = self._open_watcher() if self._wanted == "watch" else None
        if watcher is None and self._wanted != "off":
            self.mode = "polling"
        # What changed between the first walk and the watch being set up is
        # seen by one refresh now (it waits for a load under way to finish).
        requested = self._take_request()
        if requested or self.mode != "off":
            self._refresh_now("request" if requested else "start")
        while not self._stop.is_set():
            if watcher is not None:
                self._watcher = watcher = self._watch_once(watcher)
            elif self.mode == "off":
                self._wake.wait()
                if self._take_request():
                    self._refresh_now("request")
            else:
                self._poll_once()
        if watcher is not None:
            watcher.close()

    def _refresh_now(self, why: str) -> None:
        started = self._cost()
        try:
            self._refresh(why)
        except Exception as error:  # noqa: BLE001 - one failed refresh must not end the live folder
            self._failed(error)
        self._last_cost = self._cost() - started
        self.refreshes += 1

    def _take_request(self) -> bool:
        with self._lock:
            requested, self._requested = self._requested, False
            if not self._stop.is_set():
                self._wake.clear()
        return requested

    def _pause(self, seconds: float) -> None:
        """Wait between two automatic refreshes; a request by hand (or stop) cuts it short."""
        if seconds > 0 and not self._requested:
            self._wake.wait(seconds)

    def _poll_once(self) -> None:
        self._pause(max(self.poll_seconds, POLL_SHARE * self._last_cost))
        if self._stop.is_set():
            return
        self._refresh_now("request" if self._take_request() else "poll")

    def _watch_once(self, watcher: _Watcher):
        try:
            changes = watcher.changes(self._wake)
        except Exception as error:  # noqa: BLE001 - the watch limit reached for a new folder, a folder gone…
            watcher.close()
            self._fall_back(error)
            return None
        if self._stop.is_set():
            return watcher
        if changes and any(change == _DELETED and path in self.paths for change, path in changes):
            # A file named on the command line was removed or replaced (an
            # editor's save): watch the new one, before the refresh looks.
            watcher.close()
            watcher = self._open_watcher()
        requested = self._take_request()
        relevant = changes is not None and any(self._matters(path) for _change, path in changes)
        if requested or relevant:
            self._refresh_now("request" if requested else "change")
            if not requested:
                self._pause(max(WATCH_GAP, WATCH_SHARE * self._last_cost))
        return watcher

    def _open_watcher(self) -> _Watcher | None:
        try:
            watcher = _Watcher([path for path in self.paths if os.path.exists(path)], self._stop)
        except WatchFailed as error:
            if error.missing:
                self._notice("Changes to the folders are looked for every few seconds (install watchfiles to be told at once).")
            else:
                self._fall_back(error)
            return None
        self.mode = "watching"
        return watcher

    def _fall_back(self, error: BaseException) -> None:
        self.mode = "polling"
        self._notice(f"The folders cannot be watched ({_reason(error)}); changes are looked for every few seconds.")

    def _matters(self, path: str) -> bool:
        """Whether a change at ``path`` can change what the reader lists (hidden files and other kinds cannot)."""
        if path in self.paths:
            return True
        below = next((path[len(root):] for root in self.paths if path.startswith(root.rstrip("/") + "/")), None)
        if below is None:
            return True  # the folder itself (a rename of it), or a path spelled another way: look
        if any(name.startswith(".") for name in below.split("/") if name):
            return False  # hidden: never listed (an editor's swap file, a cache folder)
        suffix = os.path.splitext(path)[1].lower()
        return suffix in ARTICLE_SUFFIXES or not os.path.isfile(path)  # a folder, or gone: it may have held articles


class WatchFailed(Exception):
    """The watch could not be set up, or stopped: why, in watchfiles' words."""

    def __init__(self, text: str, missing: bool = False) -> None:
        super().__init__(text)
        self.missing = missing  # watchfiles is not installed


class _Watcher:
    """watchfiles, in a process of its own (_watch_child.py), telling its bursts of changes through a pipe.

    Not in this process: watchfiles sets up its watches holding the
    interpreter's lock, 0.4 s for 16,000 folders on an idle machine (3 s on a
    busy one), and the app would freeze as long.
    """

    def __init__(self, paths: list[str], stop: threading.Event) -> None:
        import subprocess
        import sys

        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", str(CHILD), str(DEBOUNCE_MS), str(STEP_MS), *paths],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True,
            )
        except OSError as error:
            raise WatchFailed(str(error)) from error
        self._buffer = b""
        line = None
        while line is None and not stop.is_set():
            line = self._line(0.1)
        if line != "ready":
            self.close()
            if line is None:
                raise WatchFailed("stopped")
            raise WatchFailed(line.removeprefix("error ").strip(), missing=line.startswith("error ModuleNotFoundError"))

    def _line(self, timeout: float) -> str | None:
        """The child's next line, None if none came within ``timeout``; WatchFailed when it has ended."""
        import select

        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self._process.stdout], [], [], timeout)
            if not ready:
                return None
            data = os.read(self._process.stdout.fileno(), 65536)
            if not data:
                raise WatchFailed("the watch ended")
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8", "surrogateescape")

    def changes(self, interrupt: threading.Event) -> set[tuple[int, str]] | None:
        """The changes of one burst; None when ``interrupt`` was set (a request, or stop) or after a quiet while."""
        import json

        for _ in range(50):  # 5 s, then None: the caller looks at its own state
            if interrupt.is_set():
                return None
            line = self._line(0.1)
            if line is None:
                continue
            if line.startswith("error"):
                raise WatchFailed(line.removeprefix("error ").strip())
            return {(int(change), str(path)) for change, path in json.loads(line)}
        return None

    def close(self) -> None:
        process = self._process
        try:
            process.stdin.close()  # the child's signal to go
            process.wait(2)
        except Exception:  # noqa: BLE001 - a child that will not go is ended
            process.kill()
            process.wait()
        finally:
            process.stdout.close()


def _reason(error: BaseException) -> str:
    text = str(error).split(" about [")[0].split(" (os error")[0].strip().rstrip(".")
    text = text.split(": ", 1)[1] if text.split(": ", 1)[0] in ("OSError", "RuntimeError", "WatchfilesRustInternalError") else text
    if "watch limit" in text:
        return "the limit on inotify watches is reached: see fs.inotify.max_user_watches"
    return (text[:1].lower() + text[1:] if text[:2].istitle() else text) or type(error).__name__


def live_mode() -> str:
    """``READER_LIVE``: "off" (no live folder), "poll" (walk every few seconds, for network file systems) or "watch"."""
    mode = os.environ.get("READER_LIVE", "").strip().lower()
    return mode if mode in ("off", "poll") else "watch"

"""When something fails inside the app: one line on the screen, the details in the log, never a traceback.

A worker that fails (loading, searching) costs its task, not the app: the
status line says what stopped and where the details are, and the reader goes
on with what it has. An error nothing catches ends the app with one line and
exit code 70, the traceback in $XDG_STATE_HOME/reader/reader.log.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SEEDS, make_app, pace_loading, wait_until_loaded
from reader.store.errorlog import failure_line, log_failure
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine


def _log() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "reader" / "reader.log"


def _status(app) -> str:
    return str(app.screen.query_one(StatusLine).content)


async def _until(pilot, condition) -> None:
    # wait_for_complete would raise the worker's error: wait for its effect instead.
    for _ in range(500):
        await pilot.pause()
        if condition():
            return
    raise AssertionError("never happened")


async def _until_set_aside(app, pilot) -> None:
    """Until the screen has said, in a notice, that the cache was set aside."""
    notices: list[str] = []
    real_notify = app.screen.notify
    app.screen.notify = lambda message, **kwargs: notices.append(message) or real_notify(message, **kwargs)
    await _until(pilot, lambda: any("set aside" in notice for notice in notices))


@pytest.mark.asyncio
async def test_a_failed_load_keeps_what_was_loaded_and_says_so_in_one_line(monkeypatch):
    pace_loading(monkeypatch, fail_before=2)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: _status(app).startswith("loading stopped"))
        status = _status(app)
        assert status.startswith("loading stopped: RuntimeError: disk on fire (details in ")
        assert "\n" not in status and "Traceback" not in status
        assert app.screen.snapshot.live_count == 2  # what was read stays
        await pilot.press("j", "enter")  # and the reader still works
        assert app.screen.opened is not None
        await pilot.press("q", "q")  # back to the list, then quit
    assert app.return_code == 0
    log = _log().read_text(encoding="utf-8")
    assert "loading stopped" in log and "RuntimeError: disk on fire" in log and "Traceback" in log


@pytest.mark.asyncio
async def test_a_failed_search_is_one_line_and_the_next_search_works(monkeypatch):
    from reader.search import engine

    real_rank = engine.rank  # what the app's search worker calls

    def sometimes(index, raw, *args, **kwargs):
        if raw == "boom":
            raise ValueError("bad index")
        return real_rank(index, raw, *args, **kwargs)

    monkeypatch.setattr(engine, "rank", sometimes)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        await pilot.press("slash", "b", "o", "o", "m")
        await _until(pilot, lambda: _status(app).startswith("search failed: ValueError: bad index"))
        app.screen.query_one("#search").value = "北约"
        await _until(pilot, lambda: bool(app.screen.query_one("ResultsList").hits))
    assert "ValueError: bad index" in _log().read_text(encoding="utf-8")


@pytest.mark.asyncio
async def test_an_uncaught_error_ends_the_app_with_one_line_and_code_70(monkeypatch):
    from reader.ui.screens.main import MainScreen

    def broken(self):
        raise KeyError("grouping")

    monkeypatch.setattr(MainScreen, "action_toggle_grouping", broken)
    app = make_app()
    with pytest.raises(KeyError):  # Pilot re-raises it, so that tests see real bugs
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_loaded(pilot)
            await pilot.press("s")
            await pilot.pause()
    assert app.return_code == 70
    assert app._exit_renderables == []  # Textual prints no traceback
    assert app.failure.startswith("reader: reader stopped: KeyError: 'grouping' (details in ")
    assert "\n" not in app.failure
    assert "KeyError: 'grouping'" in _log().read_text(encoding="utf-8")


def test_failure_line_is_one_bounded_line(tmp_path):
    error = ValueError("x\n\x1b[31my" + "z" * 500)
    line = failure_line("search failed", error, tmp_path / "reader.log")
    assert line.startswith("search failed: ValueError: x\\n\\u001b[31myzzz")
    assert "\n" not in line and "\x1b" not in line and len(line) < 300
    assert line.endswith(f"(details in {tmp_path / 'reader.log'})")
    assert failure_line("x", RuntimeError(), None) == "x: RuntimeError"


def test_the_log_never_raises_and_is_capped(tmp_path, monkeypatch):
    import reader.store.errorlog as errorlog

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert log_failure("x", RuntimeError("y"), blocked / "reader.log") is None  # parent is a file
    monkeypatch.setattr(errorlog, "MAX_LOG_BYTES", 100)
    path = tmp_path / "reader.log"
    for number in range(3):
        assert log_failure(f"failure {number}", RuntimeError("y" * 80), path) == path
    assert "failure 2" in path.read_text() and "failure 0" not in path.read_text()
    assert (tmp_path / "reader.log.1").exists()


# ---------------------------------------------------------------- loading must not move the reader


@pytest.mark.asyncio
async def test_the_end_of_loading_leaves_a_reader_who_has_moved_where_they_are(monkeypatch):
    import threading

    release = threading.Event()
    pace_loading(monkeypatch, hold_before=2, release=release)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.screen.query_one(Sidebar)
        await _until(pilot, lambda: sidebar.article_count == 2)
        await pilot.press("j", "enter", "j")  # onto the first group, expand it, onto its article
        chosen = sidebar.current_path
        assert chosen is not None
        release.set()
        await wait_until_loaded(pilot)
        assert sidebar.article_count == 5
        assert app.screen.opened is None  # nothing opened under the reader
        assert sidebar.current_path == chosen  # and the cursor stayed on the same article


@pytest.mark.asyncio
async def test_a_reader_who_has_not_moved_is_shown_the_newest_article():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        sidebar = app.screen.query_one(Sidebar)
        assert app.screen.opened is not None and sidebar.current_path == str(app.screen.opened.path)
        assert app.screen.opened.title == "_我们会给一个书面回复，但内容请俄方保密_"


@pytest.mark.asyncio
async def test_the_app_reads_a_big_folder_in_a_process_pool(monkeypatch):
    """Inside the app sys.stderr is Textual's capture: starting worker processes must still work."""
    from reader.catalog import catalog as module

    monkeypatch.setattr(module, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(module, "FIRST_TASKS", (2,))
    monkeypatch.setattr(module, "TASK_FILES", 2)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "loaded in" in _status(app) or "stopped" in _status(app))
        assert _status(app).startswith("5 articles · 4 sources")
        assert app.screen.snapshot.live_count == 5


@pytest.mark.asyncio
async def test_damage_in_the_cache_is_found_by_the_check_ahead_of_searches_and_rebuilt(tmp_path):
    """A warm start checks the cache in the background (Snapshot.verify): a bad chunk no search has read yet is set
    aside and the folders read again, with one notice, before any query."""
    import shutil

    from conftest import SEEDS

    folder = tmp_path / "news"
    shutil.copytree(SEEDS, folder)
    app = make_app([folder])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        await app.workers.wait_for_complete()  # the cold start's check too
        snapshot = app.screen.snapshot
        oldest = snapshot.article(int(snapshot.newest_first[-1]))  # not the one opened at the start (the newest)
        quote = oldest.blocks[-1].text[:8]
    (segment,) = (Path(os.environ["XDG_CACHE_HOME"]) / "reader").rglob("*.seg")
    data = bytearray(segment.read_bytes())
    data[data.index(quote.encode("utf-16-le"))] ^= 0x01  # body text: checked on first read, or by the check
    segment.write_bytes(data)
    app = make_app([folder])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _until_set_aside(app, pilot)
        await _until(pilot, lambda: not app.screen._loading)
        assert app.screen.snapshot.live_count == 5
        assert "failed" not in _status(app)
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "reader"
    assert [path for path in cache.rglob("*") if ".damaged-" in path.name]  # the bad cache set aside, for a look
    (rebuilt,) = [path for path in cache.rglob("*.seg") if ".damaged-" not in str(path)]
    assert quote.encode("utf-16-le") in rebuilt.read_bytes()  # and a good one written in its place


@pytest.mark.asyncio
async def test_quitting_before_loading_began_cancels_the_walk_started_for_it(monkeypatch, tmp_path):
    """The catalog is made after the first paint: a screen gone before then still ends the walk it was given."""
    from reader.catalog.discover import Walking
    from reader.ui.app import ReaderApp
    from reader.ui.screens.main import MainScreen

    class Watched(Walking):
        cancelled = 0

        def cancel(self) -> None:
            Watched.cancelled += 1

    monkeypatch.setattr(MainScreen, "_after_first_paint", lambda self: None)  # as if q came before the first frame
    walking = Watched([SEEDS])
    app = ReaderApp(walking.paths, settings_path=tmp_path / "settings.json", walking=walking)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("q")
        await pilot.pause()
    assert screen.catalog is None and Watched.cancelled == 1


@pytest.mark.asyncio
async def test_damage_met_while_the_loading_thread_prepares_a_snapshot_sets_the_cache_aside_and_reads_again(tmp_path, monkeypatch):
    """The sidebar's tables are made in the loading thread (Snapshot.prepare_listing), where a cache chunk may
    first be read: a Damaged there takes the load worker's error path (set aside, read again), never a traceback."""
    import shutil

    from reader.catalog.snapshot import Snapshot
    from reader.store.damage import Damaged

    folder = tmp_path / "news"
    shutil.copytree(SEEDS, folder)
    real = Snapshot.prepare_listing
    raised: list[Path] = []

    def damaged_once(snapshot) -> None:
        if not raised and snapshot.live_count:
            (segment, *_) = (Path(os.environ["XDG_CACHE_HOME"]) / "reader").rglob("*.seg")  # written before it is published
            raised.append(segment)
            raise Damaged(segment, "checksum of chunk 0 of text_starts")
        real(snapshot)

    monkeypatch.setattr(Snapshot, "prepare_listing", damaged_once)
    app = make_app([folder])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _until_set_aside(app, pilot)
        await _until(pilot, lambda: "loaded in" in _status(app))
        assert raised and app.screen.snapshot.live_count == 5
        assert app.screen.query_one(Sidebar).article_count == 5
        assert _status(app).startswith("5 articles")
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "reader"
    assert [path for path in cache.rglob("*") if ".damaged-" in path.name]

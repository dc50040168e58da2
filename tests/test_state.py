"""The reading state (reader/store/state.py) and article keys over snapshots (reader/catalog/keys.py).

Every test has a state folder of its own (conftest sets XDG_STATE_HOME), so
``State()`` with no path opens a fresh database there.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from weakref import WeakSet

import numpy as np
import pytest

from reader.catalog import Catalog
from reader.catalog.keys import KeySet, keys_of, live_numbers, segment_keys
from reader.parse.load import load_article
from reader.store import state as state_module
from reader.store.state import STATE_FILE, Bookmark, Place, State, state_path


def ticking(start: float = 1000.0):
    """A clock for the marks that moves one second per call."""
    counter = itertools.count()
    return lambda: start + next(counter)


# ---------------------------------------------------------------- round trip


def test_everything_saved_is_there_when_the_database_is_opened_again(tmp_path):
    path = tmp_path / STATE_FILE
    state = State(path, now=ticking())
    assert state.path == path and state.notices == []
    assert state.read_keys() == set() and state.bookmarks() == [] and state.last_place() is None
    assert state.mark_read(["url:https://a", "text:00000000000000ff", "url:https://b"])
    assert state.mark_read(["url:https://b"], read=False)
    assert state.bookmark("url:https://a", title="甲", source="源", path="/x/a.md")
    assert state.bookmark("text:00000000000000ff", title="乙")
    assert state.set_last_place(Place("url:https://a", 3, 0.25, "/x/a.md"))
    assert state.set_value("sidebar.width", 31) and state.set_value("nested", {"a": [1, "二"]})
    state.close()

    again = State(path)
    assert again.notices == []
    assert again.read_keys() == {"url:https://a", "text:00000000000000ff"}
    assert again.is_read("url:https://a") and not again.is_read("url:https://b")
    assert [b.key for b in again.bookmarks()] == ["text:00000000000000ff", "url:https://a"]  # newest first
    assert again.bookmarks()[1] == Bookmark("url:https://a", 1001.0, "甲", "源", "/x/a.md")
    assert again.is_bookmarked("url:https://a") and not again.is_bookmarked("url:https://b")
    assert again.last_place() == Place("url:https://a", 3, 0.25, "/x/a.md")
    assert again.get_value("sidebar.width") == 31 and again.get_value("nested") == {"a": [1, "二"]}
    assert again.get_value("missing", "default") == "default"


def test_the_default_database_is_in_the_state_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_STATE_DIR", str(tmp_path / "st"))
    assert state_path() == tmp_path / "st" / STATE_FILE
    state = State()
    state.mark_read(["k"])
    assert state.path == tmp_path / "st" / STATE_FILE and (tmp_path / "st" / STATE_FILE).exists()
    assert sqlite3.connect(tmp_path / "st" / STATE_FILE).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_bookmarking_again_moves_a_bookmark_to_the_top_and_unbookmarking_drops_it(tmp_path):
    state = State(tmp_path / STATE_FILE, now=ticking())
    for key in ("a", "b", "c"):
        state.bookmark(key)
    state.bookmark("a")
    assert [b.key for b in state.bookmarks()] == ["a", "c", "b"]
    state.unbookmark("c")
    assert [b.key for b in state.bookmarks()] == ["a", "b"]


def test_values_are_replaced_and_removed_and_histories_are_newest_first_once_each(tmp_path, monkeypatch):
    monkeypatch.setattr(state_module, "HISTORY_KEEP", 3)
    state = State(tmp_path / STATE_FILE, now=ticking())
    state.set_value("v", 1)
    state.set_value("v", [2])
    assert state.get_value("v") == [2]
    state.set_value("v", None)
    assert state.get_value("v") is None
    for entry in ("北约", "source:观察者网", "北约", "乌克兰", "核战争"):
        state.add_history("search", entry)
    state.add_history("other", "x")
    assert state.history("search") == ["核战争", "乌克兰", "北约"]  # the oldest beyond 3 went
    assert state.history("other") == ["x"] and state.history("none") == []


def test_a_place_saved_by_hand_or_by_a_newer_reader_that_makes_no_sense_is_no_place(tmp_path):
    state = State(tmp_path / STATE_FILE)
    for value in ("text", {"block": 2}, {"key": 5}, [1, 2]):
        state.set_value("place", value)
        assert state.last_place() is None
    state.set_value("place", {"key": "k", "block": "two", "fraction": 0.5})
    assert state.last_place() == Place("k")
    state.set_value("place", {"key": "k", "block": 2, "fraction": 7})
    assert state.last_place() == Place("k", 2, 1.0)  # a fraction is of a block's lines: at most all of them


# ---------------------------------------------------------------- keys follow the article


def test_read_marks_and_bookmarks_follow_an_article_that_is_moved_or_renamed(tmp_path):
    news = tmp_path / "news"
    (news / "2022").mkdir(parents=True)
    plain = news / "2022" / "plain.md"
    plain.write_text("---\ntitle: 没有网址\n---\n<p>只有正文的文章。</p>\n", encoding="utf-8")
    linked = news / "linked.md"
    linked.write_text("---\ntitle: 有网址\nurl: https://example.com/x\n---\n<p>正文。</p>\n", encoding="utf-8")
    other = news / "other.md"
    other.write_text("---\ntitle: 另一篇\n---\n<p>别的正文。</p>\n", encoding="utf-8")

    def loaded():
        catalog = Catalog([news], cache_base=None)
        catalog.load(lambda snapshot, progress: None)
        snapshot = catalog.snapshot
        return snapshot, {Path(snapshot.path(n)).name: n for n in snapshot.live.tolist()}

    snapshot, numbers = loaded()
    state = State(tmp_path / STATE_FILE)
    state.mark_read([snapshot.key(numbers["plain.md"]), snapshot.key(numbers["linked.md"])])
    state.bookmark(snapshot.key(numbers["plain.md"]))
    state.close()

    (news / "archive").mkdir()
    plain.rename(news / "archive" / "renamed.md")
    linked.rename(news / "moved.md")
    snapshot, numbers = loaded()
    state = State(tmp_path / STATE_FILE)
    read = KeySet(state.read_keys())
    flags = read.flags(snapshot)
    assert flags[numbers["renamed.md"]] and flags[numbers["moved.md"]] and not flags[numbers["other.md"]]
    assert state.is_bookmarked(snapshot.key(numbers["renamed.md"]))


# ---------------------------------------------------------------- damaged, unwritable


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_set_aside_and_rebuilt_with_one_notice(tmp_path, damage):
    path = tmp_path / STATE_FILE
    if damage == "garbage":
        path.write_bytes(b"not a database at all \x00\xff" * 200)
    else:
        state = State(path)
        state.mark_read([f"url:https://example.com/{n}" for n in range(3000)])
        state.close()
        data = path.read_bytes()
        assert len(data) > 8192
        path.write_bytes(data[: len(data) // 2])
    state = State(path)
    assert state.path == path
    (notice,) = state.notices
    assert notice.startswith("reading state was damaged: set aside as state.sqlite3.corrupt-") and "starting afresh" in notice
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(STATE_FILE + ".corrupt-")]
    assert len(aside) == 1 and aside[0].name in notice
    assert state.read_keys() == set()
    assert state.mark_read(["k"]) and state.is_read("k")
    state.close()
    assert State(path).notices == []  # said once: the new database is sound


def test_an_unwritable_state_folder_means_state_for_this_run_only_and_a_notice(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the state folder should be")
    state = State(blocker / "reader" / STATE_FILE)
    assert state.path is None
    (notice,) = state.notices
    assert notice.startswith("reading state is not kept this time:") and "not a folder" in notice
    assert state.mark_read(["k"]) and state.is_read("k")  # in memory, for this run
    state.bookmark("k", title="t")
    assert [b.key for b in state.bookmarks()] == ["k"]
    assert not (blocker.parent / STATE_FILE).exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_state_folder_means_no_crash_and_a_notice(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        state = State(folder / STATE_FILE)
        assert state.path is None and len(state.notices) == 1
        assert state.mark_read(["k"]) and state.is_read("k")
    finally:
        folder.chmod(0o700)


def test_a_write_that_fails_later_is_one_notice_and_no_exception(tmp_path):
    state = State(tmp_path / STATE_FILE)
    state._db.close()  # as if the disk went away under the reader
    assert not state.mark_read(["a"])
    assert not state.bookmark("b")
    assert state.read_keys() == set() and state.bookmarks() == [] and state.get_value("x", 1) == 1
    (notice,) = state.notices
    assert notice.startswith("reading state could not be saved:")


def test_no_home_at_all_means_state_in_memory(monkeypatch):
    monkeypatch.setattr(state_module, "state_path", lambda: None)
    state = State()
    assert state.path is None and state.notices == ["reading state is not kept: there is no home folder to keep it in"]
    assert state.mark_read(["k"]) and state.read_keys() == {"k"}


# ---------------------------------------------------------------- two readers at once

_WRITER = """
import sys
from reader.store.state import State
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
state = State(__import__("pathlib").Path(path))
for n in range(count):
    assert state.mark_read([f"{name}:{n}"]), state.notices
    if n % 10 == 0:
        assert state.bookmark(f"{name}:{n}", title=name), state.notices
        assert state.set_value(f"{name}.count", n), state.notices
print("ok", state.notices)
"""


def test_two_readers_writing_at_once_lose_no_write(tmp_path):
    path = tmp_path / STATE_FILE
    State(path).close()  # made; both readers then open it at once
    count = 300
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name, str(count)], stdout=subprocess.PIPE, text=True)
        for name in ("first", "second")
    ]
    # And two connections of this process, in threads, at the same time.
    states = [State(path), State(path)]

    def write(state: State, name: str) -> None:
        for n in range(count):
            state.mark_read([f"{name}:{n}"])
            state.add_history("search", f"{name}:{n}")

    threads = [threading.Thread(target=write, args=(state, f"thread{i}")) for i, state in enumerate(states)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], outputs
    assert all(output.strip() == "ok []" for output in outputs), outputs
    assert all(state.notices == [] for state in states)
    final = State(path)
    expected = {f"{name}:{n}" for name in ("first", "second", "thread0", "thread1") for n in range(count)}
    assert final.read_keys() == expected
    assert len(final.bookmarks()) == 2 * (count // 10)
    assert final.get_value("first.count") == final.get_value("second.count") == 290


# ---------------------------------------------------------------- keys over snapshots


def _articles(tmp_path: Path, count: int, prefix: str = "a"):
    found = []
    for n in range(count):
        path = tmp_path / f"{prefix}{n}.md"
        url = f"url: https://example.com/{prefix}{n}\n" if n % 2 else ""
        path.write_text(f"---\ntitle: 第{n}篇\n{url}---\n<p>{prefix}第{n}篇的正文。</p>\n", encoding="utf-8")
        found.append(load_article(path))
    return found


def _snapshot(articles, batch: int):
    """A snapshot of one part per ``batch`` articles, as loading makes them (snapshot_of joins them)."""
    from reader.catalog.segment import FileRef, build_segment
    from reader.catalog.snapshot import Part, Snapshot

    files = [FileRef(0, str(a.path), str(a.path), (0, n, 0, 0)) for n, a in enumerate(articles)]
    parts = tuple(Part(build_segment(files[i:i + batch], articles[i:i + batch])) for i in range(0, len(articles), batch))
    return Snapshot(parts, ("",))


def test_a_key_set_marks_the_articles_holding_its_keys_and_follows_changes(tmp_path):
    snapshot = _snapshot(_articles(tmp_path, 7), batch=3)
    assert len(snapshot.parts) == 3
    keys = [snapshot.key(n) for n in range(7)]
    assert [key for part in snapshot.parts for key in segment_keys(part.segment)] == keys  # one rule
    assert keys_of(snapshot, [6, 0, 3, 3]) == [keys[6], keys[0], keys[3], keys[3]]
    marks = KeySet()
    assert not marks.flags(snapshot).any() and len(marks.flags(snapshot)) == 7
    marks.add([keys[1], keys[5], "url:elsewhere"])
    assert np.flatnonzero(marks.flags(snapshot)).tolist() == [1, 5]
    marks.discard([keys[1]])
    marks.add([keys[6]])
    assert np.flatnonzero(marks.flags(snapshot)).tolist() == [5, 6]
    assert keys[5] in marks and keys[1] not in marks and len(marks) == 3


def test_a_growing_snapshot_computes_keys_for_its_new_segments_only(tmp_path, monkeypatch):
    from reader.catalog import keys as keys_module
    from reader.catalog.snapshot import Snapshot

    snapshot = _snapshot(_articles(tmp_path, 6), batch=2)
    marks = KeySet([snapshot.key(0), snapshot.key(5)])
    first = Snapshot(snapshot.parts[:2], snapshot.roots)
    assert np.flatnonzero(marks.flags(first)).tolist() == [0]
    computed = []
    real = keys_module.article_key
    monkeypatch.setattr(keys_module, "article_key", lambda url, text_hash: computed.append(url) or real(url, text_hash))
    assert np.flatnonzero(marks.flags(snapshot)).tolist() == [0, 5]
    assert len(computed) == 2  # the third segment's two articles, nothing else


def test_live_numbers_finds_each_key_once_and_looks_at_a_segment_once(tmp_path):
    from reader.catalog.snapshot import Snapshot

    snapshot = _snapshot(_articles(tmp_path, 6), batch=2)
    wanted = [snapshot.key(1), snapshot.key(4), "url:nowhere"]
    assert live_numbers(snapshot, wanted) == {snapshot.key(1): 1, snapshot.key(4): 4}
    seen: WeakSet = WeakSet()
    assert live_numbers(Snapshot(snapshot.parts[:1], snapshot.roots), wanted, seen) == {snapshot.key(1): 1}
    assert live_numbers(snapshot, wanted, seen) == {snapshot.key(4): 4}  # the first segment is not looked at again
    dead = Snapshot((snapshot.parts[0], snapshot.parts[1], snapshot.parts[2].with_dead(np.array([0]))), snapshot.roots)
    assert live_numbers(dead, wanted) == {snapshot.key(1): 1}  # article 4 is gone

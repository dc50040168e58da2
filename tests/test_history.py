"""Search history: kept across runs in the state folder; ↑ / ↓ in the search bar walk it."""

from __future__ import annotations

import json
import os

import pytest

from reader.store.history import HISTORY_FILE, LIMIT, load_history, remember
from reader.store.paths import state_dir
from test_app_search import press, running, settle


# ---------------------------------------------------------------- the store


def test_remember_keeps_queries_oldest_first_and_each_once(tmp_path):
    path = tmp_path / "h.json"
    assert load_history(path) == []
    remember("北约", path)
    remember("source:观察者网  拜登", path)
    remember("北约", path)  # again: it moves up
    remember("   ", path)  # blank: not remembered
    assert load_history(path) == ["source:观察者网 拜登", "北约"]


def test_the_history_keeps_the_newest_queries(tmp_path):
    path = tmp_path / "h.json"
    for number in range(LIMIT + 5):
        remember(f"q{number}", path)
    history = load_history(path)
    assert len(history) == LIMIT and history[0] == "q5" and history[-1] == f"q{LIMIT + 4}"


def test_two_readers_at_once_keep_each_others_queries(tmp_path):
    path = tmp_path / "h.json"
    remember("first", path)
    mine = load_history(path)  # one reader has read the history ...
    remember("theirs", path)  # ... another adds to it ...
    assert remember("mine", path) == ["first", "theirs", "mine"]  # ... and nothing is lost
    assert mine == ["first"]


@pytest.mark.parametrize("content", [b"{not json", b'{"a": 1}', b'["ok", 3]', b"\xff\xfe\x00"])
def test_a_damaged_history_is_set_aside_and_started_again(tmp_path, content):
    path = tmp_path / HISTORY_FILE
    path.write_bytes(content)
    assert load_history(path) == []
    assert not path.exists()
    (aside,) = tmp_path.glob(f"{HISTORY_FILE}.corrupt-*")
    assert aside.read_bytes() == content
    assert remember("北约", path) == ["北约"]


def test_an_unwritable_state_folder_costs_the_history_only(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert remember("北约", folder / HISTORY_FILE) == ["北约"]
        assert load_history(folder / HISTORY_FILE) == []
    finally:
        folder.chmod(0o700)


def test_the_history_lives_in_the_state_folder():
    remember("北约")
    assert json.loads((state_dir() / HISTORY_FILE).read_text(encoding="utf-8")) == ["北约"]


# ---------------------------------------------------------------- the search bar


async def type_query(r, text: str) -> None:
    await r.pilot.press("slash")
    r.bar.value = text
    await settle(r)


@pytest.mark.asyncio
async def test_a_query_searched_is_there_at_the_next_start_under_up():
    async with running() as r:
        await type_query(r, "北约")
        await press(r, "enter")  # opens the first result: the query is remembered
        await press(r, "escape", "escape")
        await type_query(r, "拜登")
        await press(r, "down")  # into the results: remembered too
        assert r.app.focused is r.results
    assert load_history() == ["北约", "拜登"]
    async with running() as r:
        await r.pilot.press("slash")
        r.bar.value = "核"  # a draft, kept while the history is walked
        await settle(r)
        await press(r, "up")
        assert r.bar.value == "拜登" and r.screen.query_text == "拜登"
        await press(r, "up")
        assert r.bar.value == "北约"
        await press(r, "up")  # the oldest: it stays
        assert r.bar.value == "北约"
        await press(r, "down")
        assert r.bar.value == "拜登"
        await press(r, "down")  # past the newest: the draft again
        assert r.bar.value == "核" and r.app.focused is r.bar
        await press(r, "down")  # then, as before, into the results
        assert r.app.focused is r.results


@pytest.mark.asyncio
async def test_typing_over_a_recalled_query_leaves_the_history():
    remember("北约")
    async with running() as r:
        await r.pilot.press("slash")
        await settle(r)
        await press(r, "up")
        assert r.bar.value == "北约"
        await press(r, "backspace")
        assert r.bar.value == "北"
        await press(r, "down")  # not the history any more: into the results
        assert r.app.focused is r.results

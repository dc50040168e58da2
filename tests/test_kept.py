"""The list tables kept in the cache (reader.catalog.kept): taken when they fit, computed again on any doubt.

Each test loads a small folder through the catalog with a cache of its own,
and compares the tables a start took from the cache with the tables a
snapshot of the same articles computes itself (``computed``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from conftest import copy_of_the_seeds
from reader.catalog import Catalog
from reader.catalog import kept
from reader.catalog.snapshot import Snapshot
from reader.store.cache import VERSION_DIR

FRONT = "---\ntitle: '{title}'\ndate: {date}\nurl: {url}\ncategories: [新媒体, {source}, 国际]\n---\n<p>{body}</p>\n"
LONG = "北约东扩的消息在各国媒体之间转载，内容大致相同，足以认出是同一篇文章。" * 2


def write(path: Path, title: str, *, date: str = "2022-01-01 08:00", url: str = "", source: str = "测试社", body: str = "正文。") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT.format(title=title, date=date, url=url, source=source, body=body), encoding="utf-8")


@pytest.fixture
def folder(tmp_path) -> Path:
    top = copy_of_the_seeds(tmp_path / "news")
    for number in range(12):  # ties on the date (undated, and one date shared), copies by url and by text, three sources
        date = "" if number % 4 == 0 else f"2022-01-{number % 3 + 1:02d} 08:00"
        url = "https://example.com/a" if number in (1, 5) else ""
        body = LONG if number in (2, 7, 9) else f"第{number}段。"
        write(top / f"s{number % 3}" / f"a{number:02d}.md", f"第{number % 5}篇", date=date, url=url, source=f"社{number % 3}", body=body)
    return top


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


class Published(list):
    """The snapshots a load published, and which tables each had when it was handed on (``ready``)."""

    def __init__(self) -> None:
        super().__init__()
        self.ready: list[set[str]] = []

    def __bool__(self) -> bool:
        return True  # a callback, however many it has seen

    def __call__(self, snapshot: Snapshot, progress) -> None:
        self.append(snapshot)
        self.ready.append({name for name in ("newest_first", "copies", "source_numbers") if snapshot.has(name)})


def published(folder: Path, cache: Path) -> tuple[Catalog, Published]:
    seen = Published()
    catalog = Catalog([folder], cache_base=cache)
    catalog.load(seen)
    return catalog, seen


EVERY_TABLE = {"newest_first", "copies", "source_numbers"}


def computed(snapshot: Snapshot) -> Snapshot:
    """A snapshot of the same parts that has computed nothing yet."""
    return Snapshot(snapshot.parts, snapshot.roots)


def tables(snapshot: Snapshot) -> dict:
    copies = snapshot.copies
    source_of, sources = snapshot.source_numbers
    return {
        "order": snapshot.newest_first.tolist(), "rank": snapshot.rank.tolist(), "sources": sources, "source_of": source_of.tolist(),
        **{name: getattr(copies, name).tolist() for name in ("group", "size", "listed", "members", "member_groups")},
    }


def kept_files(cache: Path) -> list[Path]:
    (store,) = [path for path in (cache / VERSION_DIR).iterdir() if path.is_dir()]
    return sorted(store.glob("t-*.arr"))


def test_a_start_that_finds_nothing_changed_takes_the_tables_the_last_one_kept(folder, cache):
    _, cold = published(folder, cache)
    assert len(kept_files(cache)) == 1
    assert cold[-1].copies.copy_count == 3  # the two with one url, and the three with one text: the test has copies to keep
    _, warm = published(folder, cache)
    first = warm[0]
    assert warm.ready[0] == EVERY_TABLE  # before anything asked for them
    assert tables(first) == tables(computed(first)) == tables(cold[-1])
    assert not computed(first).has("copies")


def test_what_is_kept_is_what_the_finished_load_computed_on_its_own_thread(folder, cache):
    _, cold = published(folder, cache)
    assert cold.ready[0] == set()  # a cold start's first batch: nothing computed for it
    assert cold.ready[-1] == EVERY_TABLE  # ready before it was handed on

@pytest.mark.parametrize("change", ["touched", "added", "deleted", "renamed to another date's order"])
def test_a_start_after_a_change_keeps_new_tables_and_never_takes_the_old_ones(folder, cache, change):
    published(folder, cache)
    (before,) = kept_files(cache)
    target = folder / "s1" / "a01.md"
    if change == "touched":
        write(target, "改过的一篇", date="2030-01-01 08:00")
    elif change == "added":
        write(folder / "s1" / "z99.md", "新来的一篇", date="2030-01-01 08:00", url="https://example.com/a")
    elif change == "deleted":
        target.unlink()
    else:
        target.rename(folder / "s2" / "a00-first.md")
    _, seen = published(folder, cache)
    last = seen[-1]
    assert tables(last) == tables(computed(last))
    (after,) = kept_files(cache)
    assert after != before
    _, again = published(folder, cache)
    assert again.ready[0] == EVERY_TABLE and tables(again[0]) == tables(computed(again[0]))


def test_damaged_kept_tables_are_computed_again_and_replaced_without_a_notice(folder, cache):
    published(folder, cache)
    (path,) = kept_files(cache)
    data = bytearray(path.read_bytes())
    header = int.from_bytes(data[8:12], "little")
    first_array = -(-(16 + header) // 64) * 64  # newest_first's first byte (store.container's layout)
    data[first_array] ^= 0xFF
    path.write_bytes(data)
    catalog, warm = published(folder, cache)
    assert catalog.notices == []
    assert warm.ready[0] == set()
    assert tables(warm[-1]) == tables(computed(warm[-1]))
    (again,) = kept_files(cache)
    assert again.read_bytes() != bytes(data)  # written anew
    _, third = published(folder, cache)
    assert third.ready[0] == EVERY_TABLE


def test_tables_kept_for_other_parts_are_not_taken(folder, cache, tmp_path):
    published(folder, cache)
    (path,) = kept_files(cache)
    saved = path.read_bytes()
    (folder / "s0" / "a00.md").unlink()
    published(folder, cache)
    (current,) = kept_files(cache)
    current.write_bytes(saved)  # the old tables under the new key: their key inside says otherwise
    _, seen = published(folder, cache)
    assert seen.ready[0] == set()
    assert tables(seen[-1]) == tables(computed(seen[-1]))


def test_tables_that_do_not_fit_the_snapshot_are_not_taken(folder, cache):
    _, cold = published(folder, cache)
    snapshot = computed(cold[-1])
    arrays, meta = kept.tables_of(snapshot)
    for broken in (
        {**arrays, "newest_first": arrays["newest_first"][:-1]},
        {**arrays, "source_of": np.full_like(arrays["source_of"], len(meta["sources"]))},
        {name: value for name, value in arrays.items() if name != "copies.group"},
    ):
        assert not kept.adopt(computed(snapshot), broken, meta)
    assert not kept.adopt(computed(snapshot), arrays, {**meta, "live": meta["live"] + 1})
    assert not kept.adopt(computed(snapshot), arrays, {**meta, "sources": "not a list"})
    fresh = computed(snapshot)
    assert kept.adopt(fresh, arrays, meta) and tables(fresh) == tables(snapshot)


def test_the_key_is_the_parts_their_dead_articles_and_the_spelling_of_several_roots(folder, cache):
    _, cold = published(folder, cache)
    snapshot = cold[-1]
    same = Snapshot(snapshot.parts, snapshot.roots)
    assert kept.key(same) == kept.key(snapshot) is not None
    assert kept.key(Snapshot(snapshot.parts, ("elsewhere",))) == kept.key(snapshot)  # one root: paths all start alike
    two = Snapshot(snapshot.parts, ("a", "b"))
    assert kept.key(Snapshot(snapshot.parts, ("b", "a"))) != kept.key(two) != kept.key(snapshot)
    part = snapshot.parts[0]
    dead = Snapshot((part.with_dead(np.array([0])), *snapshot.parts[1:]), snapshot.roots)
    assert kept.key(dead) != kept.key(snapshot)
    unnamed = Snapshot((type(part)(part.segment),), snapshot.roots)
    assert kept.key(unnamed) is None  # not in the cache yet: nothing to key by


def test_tables_that_cannot_be_kept_are_computed_at_every_start_without_a_notice(folder, cache, monkeypatch):
    published(folder, cache)
    (path,) = kept_files(cache)
    path.unlink()
    from reader.store.cache import Cache

    def refused(self, key, arrays, meta):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Cache, "write_tables", refused)
    catalog, seen = published(folder, cache)
    assert catalog.notices == [] and seen.ready[0] == set()
    assert tables(seen[-1]) == tables(computed(seen[-1]))
    assert kept_files(cache) == []


def test_adopt_refuses_a_name_that_is_not_a_table(folder, cache):
    _, cold = published(folder, cache)
    with pytest.raises(AttributeError):
        computed(cold[-1]).adopt(article=1)

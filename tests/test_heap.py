"""reader.ui.heap: what is loaded is frozen out of garbage collections, and cycles among it are still collected."""

from __future__ import annotations

import gc
import weakref

import pytest
from conftest import make_app, wait_until_loaded

from reader.ui import heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref:
    """A reference cycle no one holds: only a collection frees it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def fresh(monkeypatch):
    gc.collect()
    monkeypatch.setattr(heap, "_collected", None)
    yield
    gc.unfreeze()
    gc.collect()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_load_freezes_what_is_alive_so_collections_do_not_visit_it(fresh):
    kept = [Node() for _ in range(100)]
    assert all(gc.is_tracked(node) for node in kept)
    before = gc.get_freeze_count()
    heap.loaded(Clock())
    assert gc.get_freeze_count() >= before + len(kept)
    visited = {id(o) for o in gc.get_objects()}
    assert not any(id(node) in visited for node in kept)
    young = Node()  # made after the load: collected as ever
    assert id(young) in {id(o) for o in gc.get_objects()}


def test_garbage_kept_by_a_freeze_is_collected_by_a_load_a_minute_later_not_sooner(fresh):
    clock = Clock()
    heap.loaded(clock)
    dead = cycle()
    heap.loaded(clock)  # frozen with the cycle in it
    gc.collect()
    assert dead() is not None  # frozen: no collection sees it
    clock.now += heap.FULL_EVERY / 2
    heap.loaded(clock)
    gc.collect()
    assert dead() is not None  # a load within the minute only freezes
    clock.now += heap.FULL_EVERY
    heap.loaded(clock)
    assert dead() is None  # unfrozen, collected, the rest frozen again
    assert gc.get_freeze_count() > 0


def test_ordinary_garbage_among_frozen_objects_is_still_freed_at_once(fresh):
    holder = {"node": Node()}
    gone = weakref.ref(holder["node"])
    heap.loaded(Clock())
    del holder["node"]  # reference counting, no collection
    assert gone() is None


@pytest.mark.asyncio
async def test_the_app_freezes_its_heap_when_loading_ends(fresh):
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        assert not app.screen._loading
        assert gc.get_freeze_count() > 0
        snapshot = app.screen.snapshot
        assert gc.is_tracked(snapshot) and not any(o is snapshot for o in gc.get_objects())  # never visited again

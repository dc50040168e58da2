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


# ---------------------------------------------------------------- full collections at rest


class Counts:
    """gc.get_count() as a test sets it: (objects, young collections, middle collections)."""

    def __init__(self) -> None:
        self.value = [0, 0, 0]
        self.collected = 0

    def __call__(self) -> tuple[int, int, int]:
        return tuple(self.value)

    def collect(self) -> int:
        self.collected += 1
        self.value = [0, 0, 0]
        return 0


def pauses(counts: Counts) -> heap.Pauses:
    return heap.Pauses(counts, counts.collect, lambda: (700, 10, 10))  # Python's default spacing


def test_a_half_due_full_collection_waits_for_a_tick_at_rest():
    counts = Counts()
    at_rest = pauses(counts)
    for middle in range(1, 10):  # typing: a middle collection between every two ticks
        counts.value = [100, middle % 10, middle]
        assert not at_rest.tick()
    assert counts.collected == 0  # half due since the fifth, but never at rest
    assert at_rest.tick()  # nothing collected since the last tick: at rest
    assert counts.collected == 1 and at_rest.collections == 1
    assert not at_rest.tick()  # nothing due any more


def test_a_young_collection_between_ticks_is_not_rest():
    counts = Counts()
    at_rest = pauses(counts)
    counts.value = [5, 3, 7]
    at_rest.tick()
    counts.value = [5, 4, 7]  # one young collection since: something is being made
    assert not at_rest.tick()
    assert at_rest.tick() and counts.collected == 1  # then a quiet quarter of a second


def test_nothing_is_collected_at_rest_before_it_is_half_due():
    counts = Counts()
    at_rest = pauses(counts)
    counts.value = [5, 3, 4]
    assert not at_rest.tick() and not at_rest.tick() and not at_rest.tick()
    assert counts.collected == 0
    counts.value = [5, 3, 5]
    assert not at_rest.tick()  # a middle collection since the last tick
    assert at_rest.tick() and counts.collected == 1


@pytest.mark.asyncio
async def test_the_app_collects_when_the_reader_pauses(fresh):
    """A full collection half due runs once the app is at rest: a cycle among old objects is freed."""
    import asyncio

    app = make_app()
    full = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        gc.collect()
        gc.callbacks.append(seen)
        try:
            a, b = Node(), Node()
            a.other, b.other = b, a
            dead = weakref.ref(a)
            for _ in range(gc.get_threshold()[2] // heap.AT_REST_FROM):
                gc.collect(1)  # each counts one middle collection towards a full one; a and b, held, grow old
            del a, b  # now a cycle among old objects: only a full collection frees it
            gc.collect(1)
            assert dead() is not None and not full
            for _ in range(int(20 / heap.PAUSE_TICK)):
                if app.pauses.collections:
                    break
                await asyncio.sleep(heap.PAUSE_TICK)
        finally:
            gc.callbacks.remove(seen)
        assert app.pauses.collections >= 1 and full
        assert dead() is None


def test_the_collection_owed_is_run_when_the_search_bar_opens():
    counts = Counts()
    typing = pauses(counts)
    counts.value = [300, 4, 0]  # no middle collection since the last full one: nothing owed
    assert not typing.before_typing() and counts.collected == 0
    counts.value = [300, 4, 1]
    assert typing.before_typing() and counts.collected == 1 and typing.collections == 1
    assert not typing.before_typing()  # just collected


@pytest.mark.asyncio
async def test_slash_collects_once_the_results_pane_is_drawn_and_not_on_the_keys_after(fresh):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        counts = Counts()
        app.pauses = pauses(counts)
        counts.value = [100, 3, 2]
        await pilot.press("slash")
        await pilot.pause()
        assert counts.collected == 1
        counts.value = [100, 3, 2]
        for key in "核战":  # keys in the open bar: Python's own spacing, nothing run early
            await pilot.press(key)
        await pilot.pause()
        assert counts.collected == 1
        await pilot.press("escape", "slash")  # the bar opened again
        await pilot.pause()
        assert counts.collected == 2

"""The keys line: what Textual's footer showed, drawn as one line and repainted without mounting anything."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from reader.ui.widgets.key_hints import KeyHints

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class _Keys(Screen):
    BINDINGS = [
        Binding("x", "press('x')", "Ex"),
        Binding("y", "press('y')", "Why"),
        Binding("z", "press('z')", "Zed"),
        Binding("w", "press('w')", "Hidden", show=False),
        Binding("v", "press('x')", "Same action as x"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.allowed: dict[str, bool | None] = {}

    def compose(self):
        yield Static("body")
        yield KeyHints()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "press" and parameters:
            return self.allowed.get(parameters[0], True)
        return True

    def action_press(self, key: str) -> None:
        self.pressed.append(key)


class _App(App):
    def __init__(self) -> None:
        super().__init__()
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(_Keys())

    def bell(self) -> None:
        self.bells += 1


def _plain(app: _App, width: int) -> str:
    return app.screen.query_one(KeyHints).line(width).plain


@asynccontextmanager
async def _running(width: int = 60):
    app = _App()
    async with app.run_test(size=(width, 5)) as pilot:
        await pilot.pause()
        yield app, pilot


@pytest.mark.asyncio
async def test_shown_keys_one_per_action_and_the_palette_at_the_right_edge():
    async with _running(60) as (app, pilot):
        line = _plain(app, 60)
        assert len(line) == 60
        assert line.startswith(" x Ex  y Why  z Zed ")
        assert "Hidden" not in line and "Same action" not in line
        assert line.endswith("▏^p palette ")  # a bare App calls its palette so


@pytest.mark.asyncio
async def test_a_disabled_key_is_dim_and_a_hidden_one_is_gone_after_the_bindings_change():
    async with _running(60) as (app, pilot):
        screen = app.screen
        hints = screen.query_one(KeyHints)
        screen.allowed = {"y": None, "z": False}  # Textual's rule: None disables (dim), False hides
        screen.refresh_bindings()
        await pilot.pause()
        text = hints.line(60)
        assert text.plain.startswith(" x Ex  y Why ") and "Zed" not in text.plain
        start = text.plain.index(" y ")
        dims = {span.style.dim for span in text.spans if span.start >= start and span.end <= start + len(" y Why ")}
        assert dims == {True}
        assert not any(span.style.dim for span in text.spans if span.end <= start)


@pytest.mark.asyncio
async def test_a_change_of_bindings_mounts_nothing():
    async with _running(60) as (app, pilot):
        before = list(app.screen.walk_children())
        for allowed in ({"x": False}, {}, {"z": None}, {}):
            app.screen.allowed = allowed
            app.screen.refresh_bindings()
            await pilot.pause()
        assert list(app.screen.walk_children()) == before
        assert not app.screen.query_one(KeyHints).children


@pytest.mark.asyncio
async def test_a_click_presses_the_key_and_a_disabled_key_rings_the_bell():
    async with _running(60) as (app, pilot):
        line = _plain(app, 60)
        await pilot.click(KeyHints, offset=(line.index("Why"), 0))
        assert app.screen.pressed == ["y"]
        app.screen.allowed = {"y": None}
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.click(KeyHints, offset=(line.index("Why"), 0))
        assert app.screen.pressed == ["y"] and app.bells == 1
        await pilot.click(KeyHints, offset=(line.index(" x ") + 1, 0))
        assert app.screen.pressed == ["y", "x"]


@pytest.mark.asyncio
async def test_too_narrow_the_keys_are_cut_and_the_palette_kept():
    async with _running(24) as (app, pilot):
        line = _plain(app, 24)
        assert len(line) == 24
        assert line.startswith(" x Ex ") and line.endswith("▏^p palette ")


@pytest.mark.asyncio
async def test_the_reader_shows_the_keys_of_where_it_is(tmp_path, monkeypatch):
    from reader.ui.app import ReaderApp
    from reader.ui.screens.main import SearchBar

    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    app = ReaderApp([SEEDS], theme="reader-dark", settings_path=tmp_path / "settings.json")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause()
            if not app.screen._loading:
                break
        hints = app.screen.query_one(KeyHints)
        assert hints.line(80).plain.startswith(" / Search  s Group ")
        app.screen.query_one(SearchBar).focus()
        app.screen.query_one(SearchBar).value = "北约"
        for _ in range(100):
            await pilot.pause()
            if app.screen._shown_number == app.screen._search_number:
                break
        await pilot.pause()
        assert hints.line(80).plain.startswith(" ↓ Results  / Search ")

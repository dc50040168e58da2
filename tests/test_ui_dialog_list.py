"""The list dialogs' part (reader/ui/widgets/dialog_list.py): its keys, its note line, its messages."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual import on
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.ui.keys import modal_binding_ids
from reader.ui.widgets.dialog_list import DialogList, DialogOptions, dialog_keys


class Dialog(ModalScreen[str | None]):
    BINDINGS = dialog_keys("demo", "escape,q", close_action="dismiss(None)")

    def __init__(self, **options) -> None:
        super().__init__()
        self.options = options
        self.moves: list[int] = []
        self.chosen: list[int] = []

    def compose(self):
        yield DialogList("Demo", (Option(f"row {n}") for n in range(5)), name="demo", **self.options)

    @on(DialogList.CursorMoved)
    def _moved(self, message: DialogList.CursorMoved) -> None:
        self.moves.append(message.step)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.chosen.append(event.option_index)


class Host(App):
    def __init__(self, dialog: Dialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.result.append)


@pytest.mark.asyncio
async def test_j_and_k_move_the_list_in_focus_and_say_so():
    dialog = Dialog()
    async with Host(dialog).run_test() as pilot:
        await pilot.pause()
        options = dialog.query_one(DialogOptions)
        assert options.has_focus and options.highlighted == 0
        await pilot.press("j", "j", "j", "k")
        await pilot.pause()
        assert options.highlighted == 2
        assert dialog.moves == [1, 1, 1, -1]
        await pilot.press("down")  # the list's own keys do not count as j / k
        await pilot.pause()
        assert options.highlighted == 3 and dialog.moves == [1, 1, 1, -1]


@pytest.mark.asyncio
async def test_enter_chooses_the_highlighted_row():
    dialog = Dialog()
    async with Host(dialog).run_test() as pilot:
        await pilot.press("j", "enter")
        await pilot.pause()
        assert dialog.chosen == [1]


@pytest.mark.parametrize("key", ["escape", "q"])
@pytest.mark.asyncio
async def test_the_close_keys_dismiss_the_dialog(key):
    host = Host(Dialog())
    async with host.run_test() as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert host.screen is not host.dialog and host.result == [None]


@pytest.mark.asyncio
async def test_a_keymap_remaps_each_dialog_by_its_own_ids():
    dialog = Dialog()
    host = Host(dialog)
    host.set_keymap({"demo.down": "x", "demo.close": "z"})
    async with host.run_test() as pilot:
        await pilot.press("x", "x")
        await pilot.pause()
        assert dialog.query_one(DialogOptions).highlighted == 2
        await pilot.press("z")
        await pilot.pause()
        assert host.result == [None]


@pytest.mark.asyncio
async def test_the_note_goes_above_or_below_and_say_cuts_it_to_its_width():
    above, below = Dialog(note=Text("above")), Dialog(note=Text("below"), note_below=True)
    for dialog in (above, below):
        async with Host(dialog).run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            box = dialog.query_one(DialogList)
            order = [type(child) for child in box.children]
            assert order == ([Static, DialogOptions] if dialog is above else [DialogOptions, Static])
            box.say("x" * 200)
            note = dialog.query_one("#demo-note", Static)
            assert len(str(note.content)) <= note.content_region.width < 200


@pytest.mark.asyncio
async def test_without_a_note_there_is_no_note_line():
    dialog = Dialog()
    async with Host(dialog).run_test() as pilot:
        await pilot.pause()
        assert not dialog.query("#demo-note") and dialog.query_one(DialogList).border_title == "Demo"


def test_the_dialogs_keep_their_own_ids():
    ids = modal_binding_ids()
    for dialog in ("links", "problems", "bookmarks"):
        assert {f"{dialog}.close", f"{dialog}.down", f"{dialog}.up"} <= ids


# -- the three dialogs in the app, with their own keys -----------------------------------

def _problems(app):
    from pathlib import Path

    from reader.ui.screens.problems import ProblemsScreen

    return ProblemsScreen([(Path("a.md"), "not UTF-8"), (Path("b.md"), "empty")], app.screen.snapshot)


def _bookmarks(app):
    from reader.store.state import Bookmark
    from reader.ui.screens.bookmarks import BookmarksScreen

    marks = [Bookmark(key=f"k{n}", path=f"p{n}.md", title=f"title {n}", source="", at=0.0) for n in range(3)]
    return BookmarksScreen(marks, {"k0", "k1", "k2"})


def _links(app):
    from reader.links import Link
    from reader.ui.screens.links import LinksScreen

    links = [Link(url=f"https://example.com/{n}", text=f"link {n}", block=n) for n in range(3)]
    return LinksScreen(links, "title", lambda url, report: report(url))


DIALOGS = {"problems": (_problems, "escape q p"), "bookmarks": (_bookmarks, "escape apostrophe"), "links": (_links, "escape q L")}


@pytest.mark.parametrize("dialog", sorted(DIALOGS))
@pytest.mark.asyncio
async def test_each_dialog_moves_with_j_k_and_closes_with_its_keys(dialog):
    from conftest import make_app, wait_until_loaded

    make, close_keys = DIALOGS[dialog]
    app = make_app()
    async with app.run_test() as pilot:
        await wait_until_loaded(pilot)
        main = app.screen
        for key in close_keys.split():
            screen = make(app)
            app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            options = screen.query_one(DialogOptions)
            assert options.has_focus and options.highlighted == 0
            await pilot.press("j", "j", "k")
            await pilot.pause()
            assert options.highlighted == 1, key
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is main, key

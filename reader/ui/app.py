"""The reader app: themes, global keys, and the main screen. Little else."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter, Monochrome, NoColor
from textual.screen import Screen

from . import heap
from ..store.errorlog import failure_line, log_failure
from ..store.settings import choose_theme, load_settings, update_settings, wants_no_color
from .commands import reader_commands
from .keymap import apply_keymap_file
from .keyorder import OrderedKeys
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .themes import DEFAULT_THEME, READER_VARIABLES, NoColour, load_themes, next_theme


class ReaderApp(OrderedKeys, App[None]):  # keys one at a time, to the focus the last left (keyorder.py)
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (in the list)"),
        # As in a shell: ctrl+c quits and ctrl+z suspends from anywhere, the search bar and the help too.
        Binding("ctrl+c", "quit", "Quit", id="app.quit_now", show=False, priority=True, tooltip="Quit, from anywhere"),
        Binding("ctrl+z", "suspend_process", "Suspend", id="app.suspend", show=False, priority=True, tooltip="Suspend (fg resumes)"),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="This help"),
        Binding("t", "next_theme", "Theme", id="app.theme", tooltip="Next colour theme"),
        Binding("tab", "focus_next", "Next pane", id="app.focus_next", show=False),
        Binding("shift+tab", "focus_previous", "Previous pane", id="app.focus_previous", show=False),
        Binding("ctrl+p", "command_palette", "Commands", id="app.command_palette", show=False, tooltip="Command palette"),
    ]

    def __init__(
        self,
        paths: list[Path],
        *,
        theme: str | None = None,
        settings_path: Path | None = None,
        clock=time.perf_counter,
        cache: bool = True,
        walking=None,
    ) -> None:
        """``walking``: the walk of ``paths`` the command line started before importing Textual."""
        super().__init__()
        self._walking = walking
        # NO_COLOR set and not empty: no colour at all (see get_line_filters);
        # the widgets' :nocolor rules follow this flag.
        self.no_color = wants_no_color()
        self._no_colour = NoColour()
        self.paths = paths
        self.settings_path = settings_path
        self.clock = clock
        self.cache = cache
        self.theme_warning: str | None = None
        self.failure: str | None = None  # the one line to print if the app stopped on an error
        self._requested_theme = theme
        self.reader_themes: list[str] = []  # in cycle order; the only themes offered or saved
        self._remember_theme = False  # a theme given by --theme or READER_THEME is not a choice to save
        self.keymap_warnings: list[str] = []
        self.pauses = heap.Pauses()

    def on_mount(self) -> None:
        # Full garbage collections in the reader's pauses, not on a keystroke (heap.py).
        self.set_interval(heap.PAUSE_TICK, self.pauses.tick, name="garbage collection at rest")
        themes, problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        self.reader_themes = [theme.name for theme in themes]
        saved = load_settings(self.settings_path).theme
        name, self.theme_warning = choose_theme(
            self._requested_theme, os.environ.get("READER_THEME"), saved, self.reader_themes, DEFAULT_THEME
        )
        # With every theme file broken, Textual's own theme still gives a usable screen.
        self.theme = name if name in self.reader_themes else "textual-dark"
        self._remember_theme = True
        self.keymap_warnings = apply_keymap_file(self)  # [keys] of config.toml; shown in the status line too
        walking, self._walking = self._walking, None  # for the first screen only
        self.push_screen(MainScreen(self.paths, clock=self.clock, cache=self.cache, walking=walking))
        for warning in [self.theme_warning, *problems]:
            if warning:
                self.notify(warning, severity="warning", markup=False)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_next_theme(self) -> None:
        self.theme = next_theme(self.theme, self.reader_themes)

    def use_theme(self, name: str) -> None:
        if name in self.reader_themes:
            self.theme = name

    def watch_theme(self, name: str) -> None:
        # Remember the choice for next time (only a theme the next start will
        # accept); a read-only home must not stop the app.
        if self._remember_theme and name in self.reader_themes:
            update_settings({"theme": name}, self.settings_path)  # the theme alone: other settings stay

    def get_line_filters(self) -> Sequence[LineFilter]:
        # NO_COLOR: reader's filter alone. Textual's own paints in greys, and
        # its ANSI-to-truecolour filter turns dim into a colour, which would go.
        if self.no_color:
            return [self._no_colour]
        return [found for found in super().get_line_filters() if not isinstance(found, (Monochrome, NoColor))]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(READER_VARIABLES)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Reader's own commands only: see commands.py for why Textual's are left out.
        yield from reader_commands(self, screen)

    EXIT_FAILED = 70  # as the command line's last line of defence

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing else caught: the details to the log, one line on exit, code 70.

        Textual would print a traceback with every local (whole articles) and
        exit; instead the details go to the log and ``failure`` holds the one
        line that the command line prints once the terminal is restored.
        Pilot tests still see the error: it is kept where run_test re-raises it.
        """
        self.failure = "reader: " + failure_line("reader stopped", error, log_failure("reader stopped", error))
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.exit(return_code=self.EXIT_FAILED)

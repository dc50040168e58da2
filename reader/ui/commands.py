"""The command palette (ctrl+p): reader's own commands and themes, and nothing else.

Textual's built-in entries are left out on purpose: its theme picker offers
Textual's themes, which reader refuses at the next start; its "Keys" panel
does not close with esc, ? or q; its "Screenshot" has nowhere to go. Every
entry here is offered only where it works (tests/test_app_keys.py runs each).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from ..store.settings import THEME_PREFIX

if TYPE_CHECKING:
    from .app import ReaderApp


def reader_commands(app: ReaderApp, screen: Screen) -> Iterator[SystemCommand]:
    from .screens.help import HelpScreen
    from .screens.main import MainScreen

    yield SystemCommand("Next theme", "Cycle reader's colour themes (t)", app.action_next_theme)
    for name in app.reader_themes:
        short = name.removeprefix(THEME_PREFIX)
        yield SystemCommand(f"Theme: {short}", f"Use the {short} colour theme ({name})", partial(app.use_theme, name))
    if not isinstance(screen, HelpScreen):
        yield SystemCommand("Show keys", "Every key, grouped (?)", app.action_help)
    yield SystemCommand("Quit", "Quit reader (q)", app.action_quit)
    if not isinstance(screen, MainScreen):
        return
    yield SystemCommand("Group by source or date", "Switch the sidebar's grouping (s)", screen.action_toggle_grouping)
    yield SystemCommand("Hide or show the sidebar", "Toggle the sidebar (\\)", screen.action_toggle_sidebar)
    yield SystemCommand("Next article", "The next article in the sidebar's order (])", lambda: screen.action_step_article(1))
    yield SystemCommand("Previous article", "The previous article in the sidebar's order ([)", lambda: screen.action_step_article(-1))
    yield SystemCommand("Search", "Go to the search bar (/)", screen.action_focus_search)
    yield SystemCommand("Show problems", "Files skipped, and articles shown despite a problem (p)", screen.action_show_problems)
    yield from screen.reading.commands()  # m u B ' (reading_state.py)
    if screen.query_text:
        yield SystemCommand("Clear the search", "Drop the query, back to the sidebar (esc esc)", screen.action_clear_search)
        yield SystemCommand("Copy passage with citation", "The matched passage, title, source, date, url (y)", screen.action_copy_passage)
    if screen.check_action("next_match", (1,)):  # as n and N: a hit's matches, not a preview's, or the find's
        yield SystemCommand("Next match", "The next match in the article (n)", lambda: screen.action_next_match(1))
        yield SystemCommand("Previous match", "The previous match in the article (N)", lambda: screen.action_next_match(-1))

"""Reader's own entries in the command palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App, SystemCommand
from textual.screen import Screen


def reader_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    from .screens.main import MainScreen

    yield SystemCommand("Next theme", "Cycle reader's colour themes (t)", app.action_next_theme)
    yield SystemCommand("Show keys", "Every key, grouped (?)", app.action_help)
    if isinstance(screen, MainScreen):
        yield SystemCommand("Group by source or date", "Switch the sidebar's grouping (s)", screen.action_toggle_grouping)
        yield SystemCommand("Hide or show the sidebar", "Toggle the sidebar (\\)", screen.action_toggle_sidebar)
        yield SystemCommand("Next article", "The next article in the sidebar's order (])", lambda: screen.action_step_article(1))
        yield SystemCommand("Previous article", "The previous article in the sidebar's order ([)", lambda: screen.action_step_article(-1))
        yield SystemCommand("Search", "Go to the search bar (/)", screen.action_focus_search)
        if screen.query_text:
            yield SystemCommand("Clear the search", "Drop the query, back to the sidebar (esc esc)", screen.action_clear_search)
            yield SystemCommand("Copy passage with citation", "The matched passage, title, source, date, url (y)", screen.action_copy_passage)

"""The key table, gathered from the bindings of each part of the app.

The help screen and the README are generated from here, so a key that is
renamed or remapped is documented where it is defined.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

# (section title, binding-id prefixes); a binding lands in the first section that claims it.
_SECTIONS = (
    ("Sidebar", ("sidebar.down", "sidebar.up", "sidebar.open", "sidebar.back", "sidebar.top", "sidebar.bottom", "sidebar.page", "app.reload")),
    ("Article", ("article.",)),
    ("Layout", ("sidebar.", "app.focus")),
    ("Search", ("search.", "find.")),
    ("Reading state", ("state.",)),
    ("App", ("app.",)),
)
# Keys that repeat a row already listed: screen-level twins of the article's
# own keys (space and b page the article from the sidebar too), and the
# results list moving as the sidebar does.
_TWINS = {
    "article.page_down_anywhere", "article.page_up_anywhere",
    "results.down", "results.up", "results.top", "results.bottom", "results.page_down", "results.page_up",
}
# Rows in the order a search goes (the bindings live on several widgets).
_ROW_ORDER = (
    "search.focus", "search.leave", "search.to_results", "search.history", "search.open", "find.open",
    "search.next_match", "search.previous_match", "search.copy", "search.back",
)
_KEY_NAMES = {
    "slash": "/", "backslash": "\\", "left_square_bracket": "[", "right_square_bracket": "]",
    "question_mark": "?", "apostrophe": "'", "space": "space", "pagedown": "pgdn", "pageup": "pgup",
    "left": "←", "right": "→", "up": "↑", "down": "↓", "escape": "esc", "shift+tab": "shift+tab",
}


def key_label(keys: str) -> str:
    return " ".join(_KEY_NAMES.get(key, key) for key in keys.split(","))


def all_bindings(app: App) -> list[Binding]:
    from .screens.finding import FindingScreen
    from .screens.linking import LinkingScreen
    from .screens.main import MainScreen, SearchBar
    from .screens.searching import SearchingScreen
    from .widgets.article_view import ArticleView
    from .widgets.history import HistoryInput
    from .widgets.results import ResultsList
    from .widgets.sidebar import Sidebar

    found: list[Binding] = []
    for owner in (Sidebar, ArticleView, MainScreen, LinkingScreen, FindingScreen, SearchingScreen, SearchBar, HistoryInput, ResultsList, type(app)):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.append(binding)
    return found


def key_groups(app: App) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, description)]) with every binding that has an id, each once."""
    remaining = [binding for binding in all_bindings(app) if binding.id not in _TWINS]
    rank = {binding_id: number for number, binding_id in enumerate(_ROW_ORDER)}
    remaining.sort(key=lambda binding: rank.get(binding.id or "", -1))  # stable: the rest keep their order
    groups = []
    for title, prefixes in _SECTIONS:
        rows = []
        for binding in list(remaining):
            if binding.id and binding.id.startswith(prefixes):
                rows.append((key_label(binding.key), binding.tooltip or binding.description))
                remaining.remove(binding)
        if rows:
            groups.append((title, rows))
    return groups

"""The key table, gathered from the bindings of each part of the app, as they are bound.

The help screen and the README's key table are both made here (``python -m
reader.ui.keys README.md`` rewrites the README's; tests/test_keys.py checks
it is current), so a key that is renamed, added or remapped is documented
where it is defined. The help shows the keys of the user's keymap: each
part's bindings go through Textual's own keymap code, as they do when a key
is pressed, so what ``?`` shows is what the keys do.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.keys import key_to_character

# (section title, binding-id prefixes); a binding lands in the first section that claims it.
_SECTIONS = (
    ("Moving", ("article.down", "article.up", "article.page_down", "article.page_up", "article.half",
                "article.top", "article.bottom")),
    ("Sidebar", ("sidebar.open", "sidebar.back", "sidebar.down", "sidebar.up", "sidebar.top", "sidebar.bottom",
                 "sidebar.page", "sidebar.half", "sidebar.scroll", "app.reload")),  # the moving ones when remapped apart
    ("Article", ("article.",)),
    ("Layout", ("sidebar.", "app.focus")),
    ("Search", ("search.", "results.", "find.")),
    ("Reading state", ("state.",)),
    ("App", ("app.",)),
)
# Keys that repeat a row already listed (twin → the row it shares): the
# sidebar and the results move as the article does (the Moving section), and
# space and b page the article from the sidebar too. A twin gets a row of its
# own only when a keymap gives it keys its row does not show.
_TWINS = {
    **{f"{pane}.{name}": f"article.{name}" for pane in ("sidebar", "results")
       for name in ("down", "up", "top", "bottom", "page_down", "page_up", "half_down", "half_up")},
    **{f"{pane}.scroll_{way}": f"article.{way}" for pane in ("sidebar", "results") for way in ("down", "up")},
    "article.page_down_anywhere": "article.page_down", "article.page_up_anywhere": "article.page_up",
}
# Bindings shown as one row with the binding after them: first id → (second id, the row's text).
_PAIRS = {
    "article.half_down": ("article.half_up", "Half a page down / up"),
    "article.top": ("article.bottom", "Top / bottom"),
    "article.next": ("article.previous", "Next / previous article"),
    "sidebar.narrower": ("sidebar.wider", "Narrow / widen sidebar"),
    "app.focus_next": ("app.focus_previous", "Next / previous pane"),
    "search.next_match": ("search.previous_match", "Next / previous match"),
}
# Rows in the order a search goes (the bindings live on several widgets).
_ROW_ORDER = (
    "search.focus", "search.leave", "search.to_results", "search.history", "search.open", "find.open", "find.close",
    "search.next_match", "search.previous_match", "search.copy", "search.back",
)
# A row that is no binding: the count prefix (reader/ui/counts.py), last in its section.
COUNT_ROW = ("App", "1…9", "A count first: 5j, 3], 10^d")
_KEY_NAMES = {
    "slash": "/", "backslash": "\\", "left_square_bracket": "[", "right_square_bracket": "]",
    "question_mark": "?", "apostrophe": "'", "space": "space", "pagedown": "pgdn", "pageup": "pgup",
    "left": "←", "right": "→", "up": "↑", "down": "↓", "escape": "esc", "shift+tab": "shift+tab",
    "less_than_sign": "<", "greater_than_sign": ">", "comma": ",",
}


def key_label(keys: str) -> str:
    return " ".join(_label(key) for key in keys.split(","))


def pair_label(first: str, second: str) -> str:
    """The keys of two bindings in one row: ``g/G home/end`` when they go key by key, else ``a b / c``."""
    ones, others = first.split(","), second.split(",")
    if len(ones) != len(others):
        return f"{key_label(first)} / {key_label(second)}"
    return " ".join(f"{_label(one)}/{_label(other)}" for one, other in zip(ones, others))


def label_keys(label: str) -> set[str]:
    """The keys a row's label shows, one by one (``g/G home/end`` → g, G, home, end): for tests."""
    keys: set[str] = set()
    for token in label.replace(" / ", " ").split():
        keys |= {token} if token == "/" or "/" not in token.strip("/") else set(token.split("/", 1))
    return keys


def _label(key: str) -> str:
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    if key.startswith("ctrl+") and len(key) == 6:
        return "^" + key[5:]  # ^d, as less, vim and the footer write it
    character = key_to_character(key) if len(key) > 1 else None
    return character if character is not None and character.isprintable() and not character.isspace() else key


def _namespaces(app_class: type[App]) -> list[type]:
    """The classes whose bindings are one namespace each when keys are looked up."""
    from .screens.main import MainScreen, SearchBar
    from .widgets.article_view import ArticleView
    from .widgets.find_bar import FindInput
    from .widgets.results import ResultsList
    from .widgets.sidebar import Sidebar

    return [Sidebar, ArticleView, MainScreen, SearchBar, FindInput, ResultsList, app_class]


def modal_binding_ids() -> set[str]:
    """The ids of the dialogs' own keys: help, problems, bookmarks, links (remappable, not in the table)."""
    from .screens.bookmarks import BookmarksScreen
    from .screens.help import HelpScreen
    from .screens.links import LinksScreen
    from .screens.problems import ProblemsScreen

    owners = (HelpScreen, ProblemsScreen, BookmarksScreen, LinksScreen)
    return {binding.id for owner in owners for _key, binding in owner._merge_bindings() if binding.id}


def binding_ids(app_class: type[App]) -> set[str]:
    """Every id a keymap may name."""
    return {binding.id for binding, _keys in bound(app_class) if binding.id} | modal_binding_ids()


def bound(app_class: type[App], keymap: Mapping[str, str] | None = None) -> list[tuple[Binding, str]]:
    """Every binding with an id, once, with its keys (comma-separated) after the keymap.

    Each namespace's bindings are merged and remapped by Textual's own code,
    so a key a keymap takes from one binding for another is shown where it
    now works.
    """
    found: dict[str, tuple[Binding, list[str]]] = {}
    for owner in _namespaces(app_class):
        bindings = owner._merge_bindings()  # the owner's and its bases', as Textual merges them
        own = {binding.id: binding for _key, binding in bindings if binding.id}
        if keymap:
            bindings.apply_keymap(dict(keymap))
        keys: dict[str, list[str]] = {binding_id: [] for binding_id in own}
        for key, binding in bindings:
            if binding.id in keys and key not in keys[binding.id]:
                keys[binding.id].append(key)
        # In the order the classes declare them, the most derived first (MainScreen's before SearchingScreen's).
        declared = [b.id for cls in owner.__mro__ for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id]
        for binding_id in sorted(own, key=lambda binding_id: declared.index(binding_id) if binding_id in declared else len(declared)):
            found.setdefault(binding_id, (own[binding_id], keys[binding_id]))
    return [(binding, ",".join(keys)) for binding, keys in found.values()]


def all_bindings(app: App) -> list[Binding]:
    """Every binding with an id, once, with all its keys (as the app's keymap has them)."""
    return [binding.with_key(keys) for binding, keys in bound(type(app), app._keymap)]


def key_groups(app: App | type[App], keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, description)]): every binding with an id, each once, with the keys it has now.

    ``keymap`` defaults to the app's own (none for a class: the defaults).
    """
    return [(title, [(keys, description) for keys, description, _id in rows]) for title, rows in _sections(app, keymap)]


def _sections(app: App | type[App], keymap: Mapping[str, str] | None) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
    app_class = app if isinstance(app, type) else type(app)
    if keymap is None and not isinstance(app, type):
        keymap = app._keymap  # what Textual applies, normalised ("?" → "question_mark")
    rows = bound(app_class, keymap)
    keys_of = {binding.id: set(keys.split(",")) for binding, keys in rows}
    remaining = [
        (binding, keys) for binding, keys in rows
        if keys and not (binding.id in _TWINS and keys_of[binding.id] <= keys_of.get(_TWINS[binding.id], set()))
    ]
    rank = {binding_id: number for number, binding_id in enumerate(_ROW_ORDER)}
    remaining.sort(key=lambda row: rank.get(row[0].id or "", -1))  # stable: the rest keep their order
    groups = []
    for title, prefixes in _SECTIONS:
        section: list[tuple[str, str, str | None]] = []
        for binding, keys in list(remaining):
            if (binding, keys) not in remaining or not (binding.id and binding.id.startswith(prefixes)):
                continue  # taken by a pair, or another section's
            remaining.remove((binding, keys))
            second, text = _PAIRS.get(binding.id, (None, None))
            partner = next(((other, other_keys) for other, other_keys in remaining if other.id == second), None)
            if partner is not None:
                remaining.remove(partner)
                section.append((pair_label(keys, partner[1]), text, f"{binding.id} {second}"))
            else:
                section.append((key_label(keys), binding.tooltip or binding.description, binding.id))
        if title == COUNT_ROW[0]:
            section.append((*COUNT_ROW[1:], None))
        if section:
            groups.append((title, section))
    return groups


def readme_table(app_class: type[App]) -> str:
    """The README's key table: every default key, by section, with the ids that remap it (the row's, then its twins')."""
    lines = ["| key | action | id |", "|---|---|---|"]
    twins: dict[str, list[str]] = {}
    for twin, principal in _TWINS.items():
        twins.setdefault(principal, []).append(twin)
    for title, rows in _sections(app_class, {}):
        lines.append(f"| **{title}** | | |")
        for keys, description, binding_ids in rows:
            cell = " ".join(f"`{key}`" for key in keys.split())
            ids = (binding_ids or "").split()
            named = " ".join(f"`{binding_id}`" for binding_id in ids + [twin for one in ids for twin in twins.get(one, [])])
            lines.append(f"| {cell} | {description} | {named} |")
    return "\n".join(lines) + "\n"


_README_TABLE = re.compile(r"(<!-- keys: .*? -->\n)(.*?)(<!-- /keys -->)", re.S)


def readme_with_table(readme: str, table: str) -> str:
    """The README's text with the table between its ``<!-- keys: … -->`` and ``<!-- /keys -->`` lines replaced."""
    if not _README_TABLE.search(readme):
        raise ValueError("no <!-- keys: … --> … <!-- /keys --> in the README")
    return _README_TABLE.sub(lambda found: found.group(1) + table + found.group(3), readme, count=1)


def main(argv: list[str]) -> int:
    """``python -m reader.ui.keys [README.md]``: print the key table, or write it into the README."""
    from .app import ReaderApp

    table = readme_table(ReaderApp)
    if not argv:
        sys.stdout.write(table)
        return 0
    path = Path(argv[0])
    path.write_text(readme_with_table(path.read_text(encoding="utf-8"), table), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

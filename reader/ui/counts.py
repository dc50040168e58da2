"""The count prefix, as in less and vim: ``5j`` moves five lines, ``3]`` three articles.

Digits typed outside the search bar build a count (a leading ``0`` is no
count; at most 9999); the next key uses it:

- a key that moves (``j`` ``k`` ``↓`` ``↑`` ``ctrl+e`` ``ctrl+y``, the page keys
  ``space`` ``b`` ``pgdn`` ``pgup`` ``ctrl+f`` ``ctrl+b``, ``]`` ``[``, ``n`` ``N``,
  ``<`` ``>``, ``u``)
  is done that many times;
- ``ctrl+d`` / ``ctrl+u`` move that many lines, and keep the count as the
  pane's half page from then on (as less and vim do);
- ``esc`` drops the count; any other key forgets it and does what it does.

What a key does is found by binding id, so a remapped key counts the same.
"""

from __future__ import annotations

MAX_COUNT = 9999

# Done ``count`` times.
REPEATED = frozenset({
    "sidebar.down", "sidebar.up", "article.down", "article.up", "results.down", "results.up",
    "sidebar.scroll_down", "sidebar.scroll_up", "results.scroll_down", "results.scroll_up",
    "sidebar.page_down", "sidebar.page_up", "article.page_down", "article.page_up",
    "results.page_down", "results.page_up", "article.page_down_anywhere", "article.page_up_anywhere",
    "article.next", "article.previous", "search.next_match", "search.previous_match",
    "sidebar.narrower", "sidebar.wider", "state.next_unread",
})
# The count is a number of lines, kept as the pane's new half page.
AS_LINES = frozenset({
    "article.half_down", "article.half_up", "sidebar.half_down", "sidebar.half_up",
    "results.half_down", "results.half_up",
})


class Count:
    """The digits typed so far."""

    def __init__(self) -> None:
        self._digits = ""

    @property
    def pending(self) -> bool:
        return bool(self._digits)

    @property
    def value(self) -> int:
        return min(MAX_COUNT, int(self._digits)) if self._digits else 1

    def add(self, character: str | None) -> bool:
        """Take a typed character if it is a digit that continues (or starts) a count."""
        if character is None or len(character) != 1 or character not in "0123456789":
            return False
        if character == "0" and not self._digits:
            return False
        self._digits = str(min(MAX_COUNT, int(self._digits + character)))
        return True

    def take(self) -> int:
        """The count (1 if none), forgotten."""
        value, self._digits = self.value, ""
        return value

    def clear(self) -> None:
        self._digits = ""

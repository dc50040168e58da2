"""Display width of strings in terminal cells.

CJK and other East Asian wide characters take two cells, combining marks
none. Measuring is delegated to ``rich.cells`` so that our idea of a width
is exactly the one Rich uses when it draws the text.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

__all__ = ["cell_width", "index_at_width", "truncate", "pad"]


def cell_width(s: str) -> int:
    """Number of terminal cells ``s`` occupies."""
    return cell_len(s)


def index_at_width(s: str, width: int, start: int = 0, end: int | None = None) -> int:
    """End index of the longest run ``s[start:i]`` (i <= end) that fits in ``width`` cells.

    Zero-width characters (combining marks) after the last fitting
    character are taken along, so a mark is never separated from its base.
    """
    stop = len(s) if end is None else end
    used = 0
    index = start
    while index < stop:
        size = get_character_cell_size(s[index])
        if used + size > width:
            break
        used += size
        index += 1
    # Per-character sizes can undercount sequences such as a variation
    # selector that widens the character before it; trust the string measure.
    while index > start and cell_len(s[start:index]) > width:
        index -= 1
    return index


def truncate(s: str, width: int, ellipsis: str = "…") -> str:
    """Cut ``s`` to at most ``width`` cells, ending with ``ellipsis`` when cut."""
    if width <= 0:
        return ""
    if cell_len(s) <= width:
        return s
    room = width - cell_len(ellipsis)
    if room < 0:
        # The ellipsis itself does not fit: a plain cut is the best we can do.
        return s[: index_at_width(s, width)]
    return s[: index_at_width(s, room)] + ellipsis


def pad(s: str, width: int) -> str:
    """Truncate ``s`` to ``width`` cells, then fill with spaces to exactly ``width``."""
    if width <= 0:
        return ""
    cut = truncate(s, width)
    return cut + " " * (width - cell_len(cut))

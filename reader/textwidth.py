"""Display width of strings in terminal cells.

CJK and other East Asian wide characters take two cells, combining marks
none. Measuring is delegated to ``rich.cells`` so that our idea of a width
is exactly the one Rich uses when it draws the text.

Rich measures a string as the sum of its characters but for two: a zero-width
joiner hides the character after it (👩‍👧 is two cells, not four) and
variation selector 16 widens a narrow character before it (⚠️ is two cells,
not one). So a string is cut only between grapheme clusters, as Rich splits
them: cut anywhere else, the pieces can be narrower than the whole, and a line
"fits" that does not.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size, split_graphemes

# Control characters would reach the terminal verbatim (ESC!) or be dropped by
# Rich and shift our offsets; a space keeps every offset where it was.
CONTROLS_TO_SPACE = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c != 0x0A}

__all__ = ["CONTROLS_TO_SPACE", "JOINERS", "cell_width", "fit", "index_at_width", "truncate", "pad"]

JOINERS = ("\u200d", "\ufe0f")  # zero-width joiner, variation selector 16


def cell_width(s: str) -> int:
    """Number of terminal cells ``s`` occupies."""
    return cell_len(s)


def fit(s: str, width: int, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """``(index, cells)``: the longest ``s[start:index]`` (index <= end) of whole
    grapheme clusters that fits in ``width`` cells, and the cells it takes.

    Zero-width characters after the last fitting character are taken along, so
    a mark is never separated from its base. The work is proportional to what
    is taken, never to the rest of the string.
    """
    stop = len(s) if end is None else end
    used = 0
    index = start
    while index < stop:
        char = s[index]
        if char == "\u200d" or char == "\ufe0f":
            return _fit_clusters(s, width, start, stop)
        size = get_character_cell_size(char)
        if used + size > width:
            break
        used += size
        index += 1
    return index, used


def _fit_clusters(s: str, width: int, start: int, stop: int) -> tuple[int, int]:
    # Rich's own split, over a window a line can hardly outgrow: a cluster
    # that runs past the window waits for the next line, unless it is the
    # first, which is then cut where the window ends (only nonsense such as
    # thousands of joiners in a row is that long).
    window_end = min(stop, start + 4 * width + 32)
    clusters, _ = split_graphemes(s[start:window_end])
    starts = [0]
    used = 0
    for first, last, size in clusters:
        if used + size > width or (first and last == window_end - start and window_end < stop):
            break
        used += size
        starts.append(last)
    # The split and cell_len disagree about joiners at the very start of a
    # string; cell_len is what lines are drawn with, so it has the last word.
    while len(starts) > 1 and (used := cell_len(s[start:start + starts[-1]])) > width:
        starts.pop()
    return start + starts[-1], used if len(starts) > 1 else 0


def index_at_width(s: str, width: int, start: int = 0, end: int | None = None) -> int:
    """End index of the longest run ``s[start:i]`` (i <= end) that fits in ``width`` cells."""
    return fit(s, width, start, end)[0]


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


def fit_parts(parts: list[str], width: int, *, drop: tuple[int, ...] = (), separator: str = " · ") -> str:
    """``parts`` joined by ``separator`` in at most ``width`` cells.

    While the line is too wide, the parts at the indices of ``drop`` are left
    out, in that order; what still does not fit is cut with an ellipsis. A
    line of parts never ends with a dangling separator, as a plain cut of the
    joined line does ("… about 1 min 20 s left ·" at 80 columns).
    """
    kept = list(range(len(parts)))
    line = separator.join(parts)
    for index in drop:
        if cell_len(line) <= width:
            break
        if index in kept:
            kept.remove(index)
            line = separator.join(parts[place] for place in kept)
    cut = truncate(line, width)
    if cut != line and cut.endswith("…"):
        cut = cut[:-1].rstrip(" " + separator.strip()) + "…"  # "reading…", never "reading …"
    return cut


def pad(s: str, width: int) -> str:
    """Truncate ``s`` to ``width`` cells, then fill with spaces to exactly ``width``."""
    if width <= 0:
        return ""
    cut = truncate(s, width)
    return cut + " " * (width - cell_len(cut))

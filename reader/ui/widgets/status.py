"""The status line: how far loading has come, what was loaded, what went wrong.

Over that line, for a while, two things may be shown without changing it: a
note (a count being typed, a warning about the keymap), and the full title of
the article under the sidebar's cursor. A failure is never hidden by a title.
The title is asked for (``title_of``) each time the line is drawn, so it is
never one the cursor or the open article has since left.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from ...textwidth import truncate


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    StatusLine:nocolor { text-style: reverse; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._failed = False
        self._note: str | None = None
        # The loading line (progress, summary, failure), which a screen's notes replace for a while
        # (``update``) and ``show_loading`` puts back; a progress line is drawn to fit the width.
        self._loading = Text()
        self._progress: tuple | None = None  # (Progress, parts after its own), while a progress line is the loading line
        self._drawn_progress: tuple | None = None  # (Progress, parts, what stands before it), while it is on screen
        self.title_of: Callable[[], str | None] = lambda: None  # the title to show over the line, if any

    def update(self, content="", *, layout: bool = False) -> None:
        """As Static's, without laying the screen out: the line is one row high whatever it says."""
        self._drawn_progress = None
        super().update(content, layout=layout)

    def show_line(self, line: Text) -> None:
        """A loading line of its own ("loading…", "reloading…")."""
        self._set_loading(line)

    def show_progress(self, progress, articles: int) -> None:
        if not progress.found:
            self._set_loading(Text(f"{articles:,} articles from the cache · checking the folders for changes…"))
            return
        also = (f"{articles:,} articles so far…",)
        self._set_loading(Text(progress.describe(also=also)), (progress, also))

    def show_failure(self, line: str) -> None:
        self._set_loading(Text(line, style="bold"), failed=True)

    def show_summary(self, articles: int, sources: int, skipped: int, seconds: float) -> None:
        parts = [
            f"{articles:,} article{'s' if articles != 1 else ''}",
            f"{sources:,} source{'s' if sources != 1 else ''}",
            f"{skipped:,} skipped" + (" (p: why)" if skipped else ""),
            f"loaded in {seconds:.2f} s",
        ]
        self._set_loading(Text(" · ".join(parts)))

    def show_loading(self, first: Text | None = None) -> None:
        """The loading line again (after a note), with ``first`` before it (the open article's file is gone)."""
        line = self._loading
        if first is not None:
            line = _joined(first, self._loading) if self._loading.plain else first.copy()
        self.update(line)  # whole, for whoever reads it; a progress line is drawn to fit (render)
        if self._progress is not None:
            self._drawn_progress = (*self._progress, first)

    def _set_loading(self, line: Text, progress: tuple | None = None, *, failed: bool = False) -> None:
        self._loading, self._progress, self._failed = line, progress, failed
        self.show_loading()

    # -- shown over the line ----------------------------------------------------------
    def show_note(self, note: str | None) -> None:
        if note != self._note:
            self._note = note
            self.refresh()

    @property
    def shown(self) -> str:
        """The text on screen, whole (for tests)."""
        over = self._over()
        return over if over is not None else str(self.content)

    def _over(self) -> str | None:
        if self._note is not None:
            return self._note
        return self.title_of() if not self._failed else None

    def render(self):
        over = self._over()
        if over is None:
            if self._drawn_progress is not None:
                # The parts that matter least are left out, never a dangling " · " (Progress.describe).
                progress, also, first = self._drawn_progress
                width = max(1, self.size.width)
                if first is None:
                    return Text(progress.describe(width, also), no_wrap=True)
                line = _joined(first, Text(progress.describe(max(1, width - first.cell_len - 3), also)))
                line.truncate(width, overflow="ellipsis")
                return line
            return super().render()
        # Data, never markup; cut to one line (CJK titles are two cells a character).
        return Text(truncate(over, max(1, self.size.width)), no_wrap=True)


def _joined(first: Text, rest: Text) -> Text:
    """``first · rest``: a note before the loading line."""
    line = first.copy()
    line.append(" · ")
    line.append_text(rest)
    return line

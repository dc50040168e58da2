"""The status line: how much was loaded, how much was skipped, how long it took."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    StatusLine:nocolor { text-style: reverse; }
    """

    def show_progress(self, done: int, total: int, articles: int) -> None:
        self.update(Text(f"loading {done:,} of {total:,} files · {articles:,} articles so far…"))

    def show_summary(self, articles: int, sources: int, skipped: int, seconds: float) -> None:
        parts = [
            f"{articles:,} article{'s' if articles != 1 else ''}",
            f"{sources:,} source{'s' if sources != 1 else ''}",
            f"{skipped:,} skipped" + (" (p: why)" if skipped else ""),
            f"loaded in {seconds:.2f} s",
        ]
        self.update(Text(" · ".join(parts)))

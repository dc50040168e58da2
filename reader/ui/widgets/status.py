"""The status line: how far loading has come, what was loaded, what went wrong."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static



class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    StatusLine:nocolor { text-style: reverse; }
    """

    def show_progress(self, progress, articles: int) -> None:
        if not progress.found:
            line = f"{articles:,} articles from the cache · checking the folders for changes…"
        else:
            line = progress.describe() + f" · {articles:,} articles so far…"
        self.update(Text(line))

    def show_failure(self, line: str) -> None:
        self.update(Text(line, style="bold"))

    def show_summary(self, articles: int, sources: int, skipped: int, seconds: float) -> None:
        parts = [
            f"{articles:,} article{'s' if articles != 1 else ''}",
            f"{sources:,} source{'s' if sources != 1 else ''}",
            f"{skipped:,} skipped" + (" (p: why)" if skipped else ""),
            f"loaded in {seconds:.2f} s",
        ]
        self.update(Text(" · ".join(parts)))

"""Problems: every file that was skipped, and every article shown despite a problem, with the reason."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...clean import clean_field, display_path
from ...model import Article


def problem_rows(skipped: list[tuple[Path, str]], articles: list[Article]) -> list[Text]:
    """One two-line row per problem: the path, then the reason (skipped, or shown anyway)."""
    rows = []
    for path, reason in skipped:
        row = Text(display_path(path), style="bold")
        row.append("\n  skipped: ", style="dim")
        row.append(clean_field(reason, limit=300))
        rows.append(row)
    for article in articles:
        for reason in article.problems:
            row = Text(display_path(article.path), style="bold")
            row.append("\n  shown anyway: ", style="dim")
            row.append(clean_field(reason, limit=300))
            rows.append(row)
    return rows


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,p", "dismiss", "Close", id="problems.close"),
        Binding("j", "cursor_down", "Down", id="problems.down", show=False),
        Binding("k", "cursor_up", "Up", id="problems.up", show=False),
    ]
    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > Vertical {
        width: 90%; max-width: 110; height: 90%;
        border: round $warning; border-title-align: center; background: $surface;
    }
    ProblemsScreen #problems-note { height: auto; padding: 0 1; color: $text-muted; }
    ProblemsScreen OptionList, ProblemsScreen OptionList:focus { height: 1fr; border: none; background: $surface; }
    """

    def __init__(self, skipped: list[tuple[Path, str]], articles: list[Article]) -> None:
        super().__init__()
        self.rows = problem_rows(skipped, articles)
        self.skipped = len(skipped)

    def compose(self) -> ComposeResult:
        box = Vertical()
        box.border_title = f"Problems: {self.skipped:,} skipped, {len(self.rows) - self.skipped:,} shown anyway — esc closes"
        with box:
            note = "Nothing went wrong." if not self.rows else "reader never changes these files; fix them with your own tools if you want them read."
            yield Static(Text(note), id="problems-note")
            yield OptionList(*(Option(row) for row in self.rows))

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

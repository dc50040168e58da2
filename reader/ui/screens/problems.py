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

from ...parse.clean import clean_field, display_path
from ...catalog.columns import unpack_lists


def problem_rows(skipped: list[tuple[Path, str]], snapshot) -> list[Text]:
    """One two-line row per problem: the path, then the reason (skipped, or shown anyway)."""
    rows = []
    for path, reason in skipped:
        rows.append(_row(display_path(path), "skipped", reason))
    problems = snapshot.column("problems")
    paths = snapshot.paths
    for number in snapshot.live.tolist():
        for reason in unpack_lists(problems[number]):
            rows.append(_row(display_path(Path(paths[number])), "shown anyway", reason))
    return rows


def _row(path: str, what: str, reason: str) -> Text:
    row = Text(path, style="bold")
    row.append(f"\n  {what}: ", style="dim")
    row.append(clean_field(reason, limit=300))
    return row


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

    def __init__(self, skipped: list[tuple[Path, str]], snapshot) -> None:
        super().__init__()
        self.rows = problem_rows(skipped, snapshot)
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

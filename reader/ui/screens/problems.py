"""Problems: every file that was skipped, and every article shown despite a problem, with the reason.

Then the copies (reader.catalog.copies): each article saved under several
paths, listed once under the first path shown here, and where else it is;
the open article's copies come first.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets.option_list import Option

from ...parse.clean import clean_field, display_path
from ..widgets.dialog_list import DialogList, dialog_keys


def problem_rows(skipped: list[tuple[Path, str]], snapshot) -> list[Text]:
    """One two-line row per problem: the path, then the reason (skipped, or shown anyway)."""
    from ...catalog.columns import unpack_lists  # not above: the app reads this screen's keys before the core is loaded

    rows = []
    for path, reason in skipped:
        rows.append(_row(display_path(path), "skipped", reason))
    problems = snapshot.column("problems")
    paths = snapshot.paths
    for number in snapshot.live.tolist():
        for reason in unpack_lists(problems[number]):
            rows.append(_row(display_path(Path(paths[number])), "shown anyway", reason))
    return rows


def copy_rows(snapshot, opened: int | None = None) -> list[Text]:
    """One row per article saved under several paths: the path it is listed under, then each other one."""
    groups = snapshot.copies.groups()
    if opened is not None:
        groups.sort(key=lambda group: opened not in group)  # stable: the rest keep their order
    paths = snapshot.paths
    rows = []
    for group in groups:
        row = Text(display_path(Path(paths[group[0]])), style="bold")
        if opened in group:
            row.append("  (the open article)", style="dim")
        for other in group[1:]:
            row.append("\n  also in: ", style="dim")
            row.append(display_path(Path(paths[other])))
        rows.append(row)
    return rows


def _row(path: str, what: str, reason: str) -> Text:
    row = Text(path, style="bold")
    row.append(f"\n  {what}: ", style="dim")
    row.append(clean_field(reason, limit=300))
    return row


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = dialog_keys("problems", "escape,q,p")  # esc q p close, j / k move (widgets/dialog_list.py)
    DEFAULT_CSS = "ProblemsScreen { align: center middle; }"

    def __init__(self, skipped: list[tuple[Path, str]], snapshot, opened: int | None = None) -> None:
        super().__init__()
        self.problems = problem_rows(skipped, snapshot)
        self.copies = copy_rows(snapshot, opened)
        self.rows = self.problems + self.copies
        self.skipped = len(skipped)

    def compose(self) -> ComposeResult:
        copies = f", {len(self.copies):,} with copies" if self.copies else ""
        title = f"Problems: {self.skipped:,} skipped, {len(self.problems) - self.skipped:,} shown anyway{copies} — esc closes"
        note = "Nothing went wrong." if not self.problems else "reader never changes these files; fix them with your own tools if you want them read."
        if self.copies:
            note += " Articles saved more than once are listed once, under the first path shown below."
        yield DialogList(title, (Option(row) for row in self.rows), name="problems", note=Text(note), warning=True)

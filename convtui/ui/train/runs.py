"""The Runs view: every run in the user's runs folder (and the one open, wherever it lives),
newest first, to open one or pick it to compare with."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from convtui.i18n import t
from convtui.training.run import Run
from convtui.training.runs_cli import epochs_text, model_text, started_text

COLUMNS = ("mark", "name", "model", "started", "epochs", "accuracy", "status")


def accuracy_text(run: Run) -> str:
    accuracy = run.test_accuracy
    return f"{accuracy * 100:.1f}%" if accuracy is not None else "-"


class RunsTable(DataTable):
    """One row per run, keyed by its folder; ▶ marks the open run, ≈ the one compared."""

    DEFAULT_CSS = "RunsTable { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__(id="runs-table", cursor_type="row", zebra_stripes=True)
        self.runs: list[Run] = []
        self._open: Path | None = None
        self._compare: Path | None = None

    def on_mount(self) -> None:
        self._rebuild()

    def show(self, runs: list[Run], open_run: Path | None, compare: Path | None) -> None:
        self.runs, self._open, self._compare = runs, open_run, compare
        self._rebuild()

    def mark(self, open_run: Path | None, compare: Path | None) -> None:
        """Move the ▶ and ≈ marks without re-reading the runs."""
        self._open, self._compare = open_run, compare
        self._rebuild()

    def highlighted(self) -> Path | None:
        """The folder of the row under the cursor."""
        if not self.runs or self.cursor_row < 0 or self.cursor_row >= len(self.runs):
            return None
        return self.runs[self.cursor_row].path

    def _rebuild(self) -> None:
        row = self.cursor_row
        self.clear(columns=True)
        for column in COLUMNS:
            self.add_column("" if column == "mark" else t(f"train.runs.{column}"), key=column)
        for run in self.runs:
            mark = "▶" if run.path == self._open else "≈" if run.path == self._compare else ""
            self.add_row(mark, run.name, model_text(run), started_text(run), epochs_text(run),
                         accuracy_text(run), t(f"train.status.{run.status}"), key=str(run.path))
        if self.runs:
            self.move_cursor(row=min(max(row, 0), len(self.runs) - 1), animate=False)

    def relabel(self) -> None:
        self._rebuild()

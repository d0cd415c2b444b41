"""The Runs tab's hyperparameter table: one row per run, its settings and final metrics, to
see which settings gave which result. Sorted by any column: click its header, or move to it
(<- ->) and press Enter; again to turn the order round."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from convtui.i18n import t
from convtui.training.export import HPARAM_COLUMNS, sort_rows

#: Metrics shown as percentages.
PERCENT = ("test_accuracy", "train_accuracy")


def cell_text(column: str, value: Any) -> str:
    """A value as the table shows it ("-" where the run has none)."""
    if value is None:
        return "-"
    if column == "status":
        return t(f"train.status.{value}")
    if column in PERCENT:
        return f"{value * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:,.1f}" if column in ("train_images_per_second", "wall_seconds") \
            else f"{value:.4g}"
    return str(value)


class HParamsTable(DataTable):
    """Runs x settings x final metrics; ``sort_column`` / ``descending`` say the order."""

    DEFAULT_CSS = "HParamsTable { height: 1fr; display: none; }"  # h shows it

    def __init__(self) -> None:
        super().__init__(id="hparams-table", cursor_type="column", zebra_stripes=True)
        self.rows_shown: list[dict[str, Any]] = []
        self._rows: list[dict[str, Any]] = []
        self.sort_column: str | None = None
        self.descending = False

    def show(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows
        self._rebuild()

    def sort_by(self, column: str) -> None:
        """Order by ``column``; the same column again reverses the order."""
        self.descending = not self.descending if column == self.sort_column else False
        self.sort_column = column
        self._rebuild()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def on_data_table_column_selected(self, event: DataTable.ColumnSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def _rebuild(self) -> None:
        column = self.cursor_column
        self.clear(columns=True)
        for name in HPARAM_COLUMNS:
            mark = ("▼" if self.descending else "▲") if name == self.sort_column else ""
            self.add_column(f"{t(f'train.hparams.{name}')}{mark}", key=name)
        rows = self._rows
        if self.sort_column is not None:
            rows = sort_rows(rows, self.sort_column, self.descending)
        self.rows_shown = rows
        for row in rows:
            self.add_row(*(cell_text(name, row[name]) for name in HPARAM_COLUMNS))
        self.move_cursor(column=min(column, len(HPARAM_COLUMNS) - 1), animate=False)

    def relabel(self) -> None:
        self._rebuild()

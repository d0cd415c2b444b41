"""A small dialog to type one cell's value; letters are refused with a message, not a crash."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from convtui.ui.fields import FieldError, parse_float


class EditCellScreen(ModalScreen[float | None]):
    DEFAULT_CSS = """
    EditCellScreen { align: center middle; }
    EditCellScreen > Vertical {
        width: 44; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    EditCellScreen #edit-error { color: $error; height: auto; }
    """
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str, current: str) -> None:
        super().__init__()
        self.what, self.current = what, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"New value for {self.what} (Enter to set, Esc to cancel)")
            yield Input(value=self.current, id="edit-value")
            yield Label("", id="edit-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = parse_float(event.value, self.what)
        except FieldError as err:
            self.query_one("#edit-error", Label).update(str(err))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)

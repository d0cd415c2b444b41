"""A small dialog to type one cell's value; letters are refused with a message, not a crash."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from convtui.fields import FieldError, parse_float
from convtui.i18n import t
from convtui.ui.panel.screen import Dialog


class EditCellScreen(Dialog[float | None]):
    DEFAULT_CSS = """
    EditCellScreen { align: center middle; }
    EditCellScreen > Vertical {
        width: 44; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    EditCellScreen #edit-error { color: $error; height: auto; }
    """
    BINDINGS: ClassVar = [Binding("escape", "cancel", "keys.stepper.cancel")]

    def __init__(self, what: str, current: str) -> None:
        super().__init__()
        self.what, self.current = what, current
        self._refused = ""  # the last text refused, so its message can be worded anew

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._prompt(), id="edit-prompt")
            yield Input(value=self.current, id="edit-value")
            yield Label("", id="edit-error")

    def relabel(self) -> None:
        self.query_one("#edit-prompt", Label).update(self._prompt())
        if self._refused:
            self._check(self._refused)

    def _prompt(self) -> Text:
        return Text(t("stepper.edit.prompt", what=self.what))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = self._check(event.value)
        if value is not None:
            self.dismiss(value)

    def _check(self, text: str) -> float | None:
        """The number typed, or None after saying why it is not one."""
        try:
            value = parse_float(text, self.what)
        except FieldError as err:
            self._refused = text
            self.query_one("#edit-error", Label).update(Text(str(err)))
            return None
        return value

    def action_cancel(self) -> None:
        self.dismiss(None)

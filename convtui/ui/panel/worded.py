"""A Static that words its text again when the language changes: the one way panels keep a
status line, a notice or a verdict in the current language."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from convtui.i18n.wording import Wording


class Worded(Static):
    """Shows ``wording()`` (plain strings stay plain: a pack's prompt or a path may hold square
    brackets). ``Localized.apply_language`` calls ``reword`` on every one in the screen. With
    ``hide_empty``, nothing to say hides the widget (no blank line)."""

    def __init__(self, wording: Wording | None = None, *, hide_empty: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.wording = wording
        self.hide_empty = hide_empty

    def on_mount(self) -> None:
        self.reword()

    def say(self, wording: Wording | None, error: bool = False) -> None:
        """Show ``wording`` from now on (``error``: in the error style)."""
        self.wording = wording
        self.set_class(error, "error")
        self.reword()

    def reword(self) -> None:
        text = self.wording() if self.wording is not None else ""
        self.update(Text(text) if isinstance(text, str) else text)
        if self.hide_empty:
            self.display = bool(text)

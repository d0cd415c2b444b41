"""A question in a dialog: a few lines of text and a row of buttons, each with its key.

Dialogs that ask before something that costs (starting a long run, deleting a run, leaving a
job running) are this one screen with other words: a subclass names its texts and buttons,
and the answer its buttons and keys give. Everything is drawn from catalogue keys, so F2
re-words the open dialog too.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from convtui.i18n import t
from convtui.ui.panel.screen import Dialog

Answer = TypeVar("Answer")


class ConfirmScreen(Dialog[Answer]):
    """Dismissed with ``ANSWERS[id]`` of the button pressed, or of the choice a key binding
    names (``action_choose``). Subclasses set BUTTONS, ANSWERS and SAFE, and ``texts``."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ConfirmScreen .confirm-title { text-style: bold; }
    ConfirmScreen .confirm-text { height: auto; margin-top: 1; }
    ConfirmScreen .confirm-buttons { height: auto; margin-top: 1; align-horizontal: center; }
    ConfirmScreen .confirm-buttons Button { margin: 0 1; }
    """

    #: (button id, catalogue key of its label, variant), in the row's order.
    BUTTONS: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    #: What each button (and each choice a key names) answers.
    ANSWERS: ClassVar[dict[str, Any]] = {}
    #: The button focused at first: Enter pressed once too often picks the harmless one.
    SAFE: ClassVar[str] = ""

    def texts(self) -> list[tuple[str, str, str]]:
        """(id, class, text) of each line above the buttons, in the current language."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical():
            for widget_id, classes, text in self.texts():
                yield Static(text, id=widget_id, classes=classes)
            yield from self.compose_extra()
            with Horizontal(classes="confirm-buttons"):
                for button_id, label, variant in self.BUTTONS:
                    yield Button(t(label), variant=variant, id=button_id)

    def compose_extra(self) -> ComposeResult:
        """Widgets between the text and the buttons (none unless a subclass adds some)."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one(f"#{self.SAFE}").focus()

    def relabel(self) -> None:
        for widget_id, _, text in self.texts():
            self.query_one(f"#{widget_id}", Static).update(text)
        for button_id, label, _ in self.BUTTONS:
            button = self.query_one(f"#{button_id}", Button)
            button.label = t(label)
            button.refresh(layout=True)  # a Button keeps its width otherwise

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.id or self.SAFE)

    def action_choose(self, choice: str) -> None:
        self.dismiss(self.ANSWERS[choice])

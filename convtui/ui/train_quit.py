"""Asked on quitting while a training job this app started or attached to is still running:
stop it, leave it running (to re-attach later), or stay."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from convtui.i18n import t

STOP, LEAVE, CANCEL = "stop", "leave", "cancel"


class QuitTrainingScreen(ModalScreen[str]):
    """Dismissed with STOP, LEAVE or CANCEL."""

    DEFAULT_CSS = """
    QuitTrainingScreen { align: center middle; }
    QuitTrainingScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    QuitTrainingScreen #quit-text { height: auto; margin-bottom: 1; }
    QuitTrainingScreen #quit-buttons { height: auto; align-horizontal: center; }
    QuitTrainingScreen Button { margin: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("s", "choose('stop')", "keys.train.quit_stop"),
        Binding("l", "choose('leave')", "keys.train.quit_leave"),
        Binding("escape,c", "choose('cancel')", "keys.train.quit_cancel"),
    ]

    def __init__(self, runs: list[Path]) -> None:
        super().__init__()
        self.runs = runs

    def compose(self) -> ComposeResult:
        names = "\n".join(f"  {run}" for run in self.runs)
        with Vertical():
            yield Static(t("train.quit.text", count=len(self.runs), runs=names,
                           resume=f"convtui train --resume {self.runs[0]}"), id="quit-text")
            with Horizontal(id="quit-buttons"):
                yield Button(t("train.quit.stop"), variant="error", id=STOP)
                yield Button(t("train.quit.leave"), variant="primary", id=LEAVE)
                yield Button(t("train.quit.cancel"), id=CANCEL)

    def on_mount(self) -> None:
        self.query_one(f"#{LEAVE}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or CANCEL)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

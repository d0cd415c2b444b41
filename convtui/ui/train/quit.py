"""Asked on quitting while a training job this app started or attached to is still running:
stop it, leave it running (to re-attach later), or stay."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding

from convtui.i18n import tn
from convtui.ui.panel.confirm import ConfirmScreen

STOP, LEAVE, CANCEL = "stop", "leave", "cancel"


class QuitTrainingScreen(ConfirmScreen[str]):
    """Dismissed with STOP, LEAVE or CANCEL."""

    DEFAULT_CSS = "QuitTrainingScreen > Vertical { border: thick $warning; }"
    BUTTONS = ((STOP, "train.quit.stop", "error"), (LEAVE, "train.quit.leave", "primary"),
               (CANCEL, "train.quit.cancel", "default"))
    ANSWERS: ClassVar = {STOP: STOP, LEAVE: LEAVE, CANCEL: CANCEL}
    SAFE = LEAVE
    BINDINGS: ClassVar = [
        Binding("s", f"choose('{STOP}')", "keys.train.quit_stop"),
        Binding("l", f"choose('{LEAVE}')", "keys.train.quit_leave"),
        Binding("escape,c", f"choose('{CANCEL}')", "keys.train.quit_cancel"),
    ]

    def __init__(self, runs: list[Path]) -> None:
        super().__init__()
        self.runs = runs

    def texts(self) -> list[tuple[str, str, str]]:
        names = "\n".join(f"  {run}" for run in self.runs)
        return [("quit-text", "confirm-text", tn(
            "train.quit.text", len(self.runs), runs=names,
            resume=f"convtui train --resume {self.runs[0]}"))]

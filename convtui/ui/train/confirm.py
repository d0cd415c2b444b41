"""Asked before a run starts: what will run, on how many images, and about how long it takes.

Training the lab model on all of MNIST takes minutes to hours on a CPU, so nothing starts from
a stray key: Start (or s) opens this summary, and only Start here begins the job. The time is
worked out from the speed an earlier run with the same speed settings measured (its event log
records images/s); with none, the summary says the time is unknown.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from convtui.i18n import t
from convtui.training.config import TrainConfig
from convtui.training.preflight import DataSizes, Throughput, estimate_seconds
from convtui.ui.panel.confirm import ConfirmScreen
from convtui.ui.train.progress import duration

START, CANCEL = "start-run", "cancel-run"


def run_summary(config: TrainConfig, sizes: DataSizes) -> str:
    """The settings that decide what the run costs, one per line."""
    threads = str(config.threads) if config.threads else t("train.form.placeholder.threads")
    off = t("train.form.report.off")
    return t("train.start.summary", model=config.model, epochs=config.epochs,
             train=f"{sizes.train:,}", test=f"{sizes.test:,}", batch=config.batch_size,
             lr=f"{config.lr:g}", schedule=config.lr_schedule, device=config.device,
             threads=threads, processes=config.processes,
             tensorboard=config.tensorboard or off, visdom=config.visdom or off)


def time_estimate(config: TrainConfig, sizes: DataSizes, speed: Throughput | None) -> str:
    """About how long training takes at the measured speed, or why that is unknown."""
    if speed is None:
        return t("train.start.time_unknown", model=config.model)
    return t("train.start.time", time=duration(estimate_seconds(config, sizes, speed)),
             speed=f"{speed.images_per_second:,.0f}", run=speed.run)


class StartRunScreen(ConfirmScreen[bool]):
    """Dismissed with True (start) or False (cancel: Escape, n, or the Cancel button)."""

    BUTTONS = ((START, "train.start.start", "primary"), (CANCEL, "train.start.cancel", "default"))
    ANSWERS: ClassVar = {START: True, CANCEL: False}
    SAFE = CANCEL
    BINDINGS: ClassVar = [
        Binding("s", f"choose('{START}')", "keys.train_start.confirm"),
        Binding("escape,n", f"choose('{CANCEL}')", "keys.train_start.cancel"),
    ]

    def __init__(self, config: TrainConfig, sizes: DataSizes, speed: Throughput | None) -> None:
        super().__init__()
        self.config, self.sizes, self.speed = config, sizes, speed

    def texts(self) -> list[tuple[str, str, str]]:
        return [("start-title", "confirm-title", t("train.start.title")),
                ("start-summary", "confirm-text", run_summary(self.config, self.sizes)),
                ("start-time", "confirm-text", time_estimate(self.config, self.sizes, self.speed))]


DELETE, KEEP = "delete-run", "keep-run"


class DeleteRunScreen(ConfirmScreen[bool]):
    """Asked before a run folder is deleted from the Runs tab: True deletes it."""

    DEFAULT_CSS = "DeleteRunScreen > Vertical { border: thick $error; }"
    BUTTONS = ((DELETE, "train.delete.delete", "error"), (KEEP, "train.delete.cancel", "default"))
    ANSWERS: ClassVar = {DELETE: True, KEEP: False}
    SAFE = KEEP
    BINDINGS: ClassVar = [
        Binding("d", f"choose('{DELETE}')", "keys.train_delete.confirm"),
        Binding("escape,n", f"choose('{KEEP}')", "keys.train_delete.cancel"),
    ]

    def __init__(self, run: Path) -> None:
        super().__init__()
        self.run = run

    def texts(self) -> list[tuple[str, str, str]]:
        return [("delete-title", "confirm-title", t("train.delete.title")),
                ("delete-text", "confirm-text", t("train.delete.text", run=str(self.run)))]


EXPORT, NO_EXPORT = "export-runs", "cancel-export"


class ExportRunsScreen(ConfirmScreen[str | None]):
    """Asks for the file the Runs tab's export writes (CSV or JSON by its suffix, as
    ``convtui runs export`` writes them); dismissed with the text typed, None to cancel."""

    DEFAULT_CSS = "ExportRunsScreen #export-file { margin-top: 1; }"
    BUTTONS = ((EXPORT, "train.export.export", "primary"),
               (NO_EXPORT, "train.export.cancel", "default"))
    SAFE = "export-file"
    BINDINGS: ClassVar = [Binding("escape", f"choose('{NO_EXPORT}')", "keys.train_export.cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def texts(self) -> list[tuple[str, str, str]]:
        return [("export-title", "confirm-title", t("train.export.title")),
                ("export-text", "confirm-text", t("train.export.text"))]

    def compose_extra(self) -> ComposeResult:
        yield Input(str(self.suggested), id="export-file")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose(EXPORT)

    def action_choose(self, choice: str) -> None:
        self.dismiss(self.query_one("#export-file", Input).value if choice == EXPORT else None)

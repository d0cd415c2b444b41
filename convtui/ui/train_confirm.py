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
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from convtui.i18n import t
from convtui.training.config import TrainConfig
from convtui.training.preflight import DataSizes, Throughput, estimate_seconds
from convtui.ui.train_progress import duration

START, CANCEL = "start-run", "cancel-run"


def run_summary(config: TrainConfig, sizes: DataSizes) -> str:
    """The settings that decide what the run costs, one per line."""
    threads = str(config.threads) if config.threads else t("train.form.placeholder.threads")
    return t("train.start.summary", model=config.model, epochs=config.epochs,
             train=f"{sizes.train:,}", test=f"{sizes.test:,}", batch=config.batch_size,
             lr=f"{config.lr:g}", schedule=config.lr_schedule, device=config.device,
             threads=threads)


def time_estimate(config: TrainConfig, sizes: DataSizes, speed: Throughput | None) -> str:
    """About how long training takes at the measured speed, or why that is unknown."""
    if speed is None:
        return t("train.start.time_unknown", model=config.model)
    return t("train.start.time", time=duration(estimate_seconds(config, sizes, speed)),
             speed=f"{speed.images_per_second:,.0f}", run=speed.run)


class StartRunScreen(ModalScreen[bool]):
    """Dismissed with True (start) or False (cancel: Escape, n, or the Cancel button)."""

    DEFAULT_CSS = """
    StartRunScreen { align: center middle; }
    StartRunScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    StartRunScreen #start-title { text-style: bold; }
    StartRunScreen #start-summary, StartRunScreen #start-time { height: auto; margin-top: 1; }
    StartRunScreen #start-buttons { height: auto; margin-top: 1; align-horizontal: center; }
    StartRunScreen Button { margin: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("s", "choose(True)", "keys.train_start.confirm"),
        Binding("escape,n", "choose(False)", "keys.train_start.cancel"),
    ]

    def __init__(self, config: TrainConfig, sizes: DataSizes, speed: Throughput | None) -> None:
        super().__init__()
        self.config, self.sizes, self.speed = config, sizes, speed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("train.start.title"), id="start-title")
            yield Static(run_summary(self.config, self.sizes), id="start-summary")
            yield Static(time_estimate(self.config, self.sizes, self.speed), id="start-time")
            with Horizontal(id="start-buttons"):
                yield Button(t("train.start.start"), variant="primary", id=START)
                yield Button(t("train.start.cancel"), id=CANCEL)

    def on_mount(self) -> None:
        self.query_one(f"#{CANCEL}", Button).focus()  # Enter pressed once too often cancels

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == START)

    def action_choose(self, start: bool) -> None:
        self.dismiss(start)


class DeleteRunScreen(ModalScreen[bool]):
    """Asked before a run folder is deleted from the Runs tab: True deletes it."""

    DEFAULT_CSS = """
    DeleteRunScreen { align: center middle; }
    DeleteRunScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    DeleteRunScreen #delete-title { text-style: bold; }
    DeleteRunScreen #delete-text { height: auto; margin-top: 1; }
    DeleteRunScreen #delete-buttons { height: auto; margin-top: 1; align-horizontal: center; }
    DeleteRunScreen Button { margin: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("d", "choose(True)", "keys.train_delete.confirm"),
        Binding("escape,n", "choose(False)", "keys.train_delete.cancel"),
    ]

    def __init__(self, run: Path) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("train.delete.title"), id="delete-title")
            yield Static(t("train.delete.text", run=str(self.run)), id="delete-text")
            with Horizontal(id="delete-buttons"):
                yield Button(t("train.delete.delete"), variant="error", id="delete-run")
                yield Button(t("train.delete.cancel"), id="keep-run")

    def on_mount(self) -> None:
        self.query_one("#keep-run", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "delete-run")

    def action_choose(self, delete: bool) -> None:
        self.dismiss(delete)

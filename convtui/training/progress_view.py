"""The foreground run's display: Rich progress bars and a line per epoch, fed by its events.

Every text is looked up with ``t`` as the event arrives, so it is in the language convtui was
started with (``--lang``, ``CONVTUI_LANG`` or the locale).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from convtui.i18n import t
from convtui.training.events import Event


class HeadlessView:
    """Rich progress bars (epochs, batches, downloads) and a line per epoch, fed by events."""

    def __init__(self, console: Console, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[stats]}"), TimeRemainingColumn(), console=console,
            transient=True,
        )
        self.epochs: TaskID | None = None
        self.epoch_shown = 0
        self.batches: TaskID | None = None
        self.downloads: dict[str, TaskID] = {}

    def __enter__(self) -> HeadlessView:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def print(self, text: str) -> None:
        """A line above the bars (the console is plain text, see run_headless)."""
        self.progress.console.print(text)

    def on_event(self, event: Event) -> None:
        handler = getattr(self, f"_on_{event['type']}", None)
        if handler is not None:
            handler(event)

    def _on_start(self, event: Event) -> None:
        config = event["config"]
        resumed = event["resumed_from_epoch"]
        again = t("training.view.continuing", epoch=resumed) if resumed else ""
        self.print(t("training.view.start", model=config["model"], epochs=config["epochs"],
                     device=event["device"], threads=event["threads"], seed=config["seed"],
                     again=again, run=str(self.run_dir)))
        self.epochs = self.progress.add_task(t("training.view.epochs_bar"),
                                             total=config["epochs"], completed=resumed, stats="")

    def _on_download(self, event: Event) -> None:
        name = event["file"]
        if name not in self.downloads:
            self.downloads[name] = self.progress.add_task(
                t("training.view.download_bar", file=name), total=event["total"], stats=""
            )
        megabytes = t("training.view.megabytes", size=f"{event['bytes'] / 1e6:.1f}")
        self.progress.update(self.downloads[name], completed=event["bytes"], stats=megabytes)

    def _on_data(self, event: Event) -> None:
        self.print(t("training.view.data", folder=event["folder"],
                     train=f"{event['train_size']:,}", test=f"{event['test_size']:,}",
                     batches=event["batches"]))
        self.batches = self.progress.add_task(t("training.view.batches_bar"),
                                              total=event["batches"], stats="")

    def _on_batch(self, event: Event) -> None:
        if self.batches is None:
            return
        if event["epoch"] != self.epoch_shown:
            self.epoch_shown = event["epoch"]
            self.progress.reset(self.batches)
        self.progress.update(
            self.batches, completed=event["batch"],
            description=t("training.view.epoch_bar", epoch=event["epoch"],
                          epochs=event["epochs"]),
            stats=t("training.view.batch_stats", loss=f"{event['loss']:.4f}",
                    accuracy=f"{event['accuracy']:.2%}",
                    speed=f"{event['images_per_second']:,.0f}"),
        )

    def _on_epoch(self, event: Event) -> None:
        start, end = event["lr_start"], event["lr_end"]
        rate = f"{start:.3g}" if start == end else f"{start:.3g} → {end:.3g}"
        self.print(t("training.view.epoch", epoch=event["epoch"], epochs=event["epochs"],
                     train_loss=f"{event['train_loss']:.4f}",
                     train_accuracy=f"{event['train_accuracy']:.2%}",
                     test_loss=f"{event['test_loss']:.4f}",
                     test_accuracy=f"{event['test_accuracy']:.2%}",
                     speed=f"{event['train_images_per_second']:,.0f}",
                     seconds=f"{event['wall_seconds']:.1f}", lr=rate))
        if self.epochs is not None:
            self.progress.update(self.epochs, completed=event["epoch"])

    def _on_paused(self, event: Event) -> None:
        self.print(t("training.view.paused", epoch=event["epoch"], batch=event["batch"]))

    def _on_resumed(self, event: Event) -> None:
        self.print(t("training.view.resumed"))

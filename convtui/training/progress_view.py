"""The foreground run's display: Rich progress bars and a line per epoch, fed by its events."""

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
        again = f", continuing after epoch {resumed}" if resumed else ""
        self.print(
            f"Training {config['model']} for {config['epochs']} epoch(s) on {event['device']} "
            f"({event['threads']} threads, seed {config['seed']}){again}. Run: {self.run_dir}"
        )
        self.epochs = self.progress.add_task("epochs", total=config["epochs"],
                                             completed=resumed, stats="")

    def _on_download(self, event: Event) -> None:
        name = event["file"]
        if name not in self.downloads:
            self.downloads[name] = self.progress.add_task(
                f"download {name}", total=event["total"], stats=""
            )
        megabytes = f"{event['bytes'] / 1e6:.1f} MB"
        self.progress.update(self.downloads[name], completed=event["bytes"], stats=megabytes)

    def _on_data(self, event: Event) -> None:
        self.print(
            f"MNIST from {event['folder']}: {event['train_size']:,} training and "
            f"{event['test_size']:,} test images, {event['batches']} batches per epoch."
        )
        self.batches = self.progress.add_task("batches", total=event["batches"], stats="")

    def _on_batch(self, event: Event) -> None:
        if self.batches is None:
            return
        if event["epoch"] != self.epoch_shown:
            self.epoch_shown = event["epoch"]
            self.progress.reset(self.batches)
        self.progress.update(
            self.batches, completed=event["batch"],
            description=f"epoch {event['epoch']}/{event['epochs']}",
            stats=f"loss {event['loss']:.4f}  acc {event['accuracy']:.2%}  "
                  f"{event['images_per_second']:,.0f} img/s",
        )

    def _on_epoch(self, event: Event) -> None:
        self.print(
            f"epoch {event['epoch']}/{event['epochs']}: train loss {event['train_loss']:.4f} "
            f"acc {event['train_accuracy']:.2%} | test loss {event['test_loss']:.4f} "
            f"acc {event['test_accuracy']:.2%} | {event['train_images_per_second']:,.0f} img/s, "
            f"{event['wall_seconds']:.1f} s"
        )
        if self.epochs is not None:
            self.progress.update(self.epochs, completed=event["epoch"])

    def _on_paused(self, event: Event) -> None:
        self.print(f"Paused in epoch {event['epoch']} after batch {event['batch']}.")

    def _on_resumed(self, event: Event) -> None:
        self.print("Resumed.")

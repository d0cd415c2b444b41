"""The foreground run's display: Rich progress bars and a line per epoch, fed by its events.

Every text is looked up with ``t`` as the event arrives, so it is in the language convtui was
started with (``--lang``, ``CONVTUI_LANG`` or the locale). An epoch line is fitted to the
terminal's width, broken between its `` | `` parts, so the terminal's own wrapping never cuts
a number in two.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from convtui.i18n import t, tn
from convtui.training.events import Event

#: Where an epoch line may break, and the indent of the lines it continues on.
PART_SEPARATOR = " | "
CONTINUED = "  "


def fit_parts(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells, broken only between its `` | `` parts
    (a part longer than a line is broken between words by Rich)."""
    lines: list[str] = []
    for part in text.split(PART_SEPARATOR):
        joined = f"{lines[-1]}{PART_SEPARATOR}{part}" if lines else part
        if lines and cell_len(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(CONTINUED + part if lines else part)
    return lines


class HeadlessView:
    """Rich progress bars (epochs, batches, downloads) and a line per epoch, fed by events."""

    def __init__(self, console: Console, run_dir: Path | None = None) -> None:
        self.run_dir = run_dir  # set once the run folder is made (data is checked first)
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
        """A message above the bars, one paragraph (the console is plain text, see
        run_headless): a path in it stays whole for copying."""
        self.progress.console.print(text)

    def print_parts(self, text: str) -> None:
        """A line of `` | `` parts above the bars, broken between parts to fit the terminal,
        so the terminal never wraps it in the middle of a number."""
        for line in fit_parts(text, self.progress.console.width):
            self.print(line)

    def download(self, name: str, done: int, total: int | None) -> None:
        """Download progress while the data is fetched, before any run exists."""
        self._on_download({"type": "download", "file": name, "bytes": done, "total": total})

    def on_event(self, event: Event) -> None:
        handler = getattr(self, f"_on_{event['type']}", None)
        if handler is not None:
            handler(event)

    def _on_start(self, event: Event) -> None:
        config = event["config"]
        resumed = event["resumed_from_epoch"]
        again = t("training.view.continuing", epoch=resumed) if resumed else ""
        self.print(t("training.view.start", model=config["model"],
                     epochs=tn("training.counts.epochs", config["epochs"]),
                     device=event["device"], threads=tn("training.counts.threads",
                                                        event["threads"]),
                     seed=config["seed"], again=again, run=str(self.run_dir)))
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
        self.print_parts(t("training.view.epoch", epoch=event["epoch"], epochs=event["epochs"],
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

    def _on_warning(self, event: Event) -> None:
        self.print(event["message"])

"""A run as the Train panel shows it: an immutable copy of what its log and pid file say.

The tailing worker builds one after each read of the log and posts it; the panel only ever
draws a snapshot, so the worker can go on reading while the UI thread draws.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from convtui.training.events import EVENTS_FILE, RunHistory, load_history
from convtui.training.runs import CONFIG_FILE, read_json, run_status

Event = dict[str, Any]
#: Statuses in which a job process is working on the run.
ACTIVE = ("running", "paused")


@dataclass(frozen=True)
class RunSnapshot:
    path: Path
    status: str
    pid: int | None
    config: dict[str, Any] | None
    data: Event | None
    batches: tuple[Event, ...]
    epochs: tuple[Event, ...]
    checkpoints: tuple[Event, ...]
    download: Event | None
    error: str | None
    started: float | None
    unreadable: int = 0  # lines of its log that could not be read (the log is damaged)
    gone: bool = False  # its folder was deleted (while the panel followed it)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def target_epochs(self) -> int:
        return int(self.config["epochs"]) if self.config else 0

    @property
    def epochs_done(self) -> int:
        return len(self.epochs)

    @property
    def latest_batch(self) -> Event | None:
        return self.batches[-1] if self.batches else None

    @property
    def checkpoint_epoch(self) -> int | None:
        """Epochs held by the newest checkpoint the log mentions (None: none yet)."""
        return int(self.checkpoints[-1]["epoch"]) if self.checkpoints else None

    @property
    def test_accuracy(self) -> float | None:
        return float(self.epochs[-1]["test_accuracy"]) if self.epochs else None

    @property
    def can_continue(self) -> bool:
        """A job could take the run further: it ended early, or never said how it ended."""
        return not self.active and self.status != "finished" and self.config is not None \
            and self.epochs_done < self.target_epochs and not self.gone

    def folder_checked(self) -> RunSnapshot:
        """This snapshot, told whether its folder is still there (a run that has ended is no
        longer tailed, so nothing else would notice it deleted)."""
        gone = not self.path.is_dir()
        return self if gone == self.gone else replace(self, gone=gone)

    def eta_seconds(self) -> float | None:
        """Training time left at the current rate (evaluation after each epoch not counted)."""
        batch = self.latest_batch
        if not self.active or batch is None or self.config is None or self.data is None:
            return None
        rate = float(batch["images_per_second"])
        if rate <= 0:
            return None
        train_size, batch_size = int(self.data["train_size"]), int(self.config["batch_size"])
        left_in_epoch = max(0, train_size - min(batch["batch"] * batch_size, train_size))
        later_epochs = max(0, self.target_epochs - int(batch["epoch"]))
        return (left_in_epoch + later_epochs * train_size) / rate


def take_snapshot(run_dir: Path, history: RunHistory) -> RunSnapshot:
    """The run as ``history`` (its log, read so far) and its pid file tell it now."""
    status, pid = run_status(run_dir, history)
    config = history.config
    if config is None:
        saved = read_json(run_dir / CONFIG_FILE)
        config = saved if isinstance(saved, dict) else None
    last = history.last_lifecycle
    return RunSnapshot(
        path=run_dir,
        status=status,
        pid=pid,
        config=config,
        data=history.data,
        batches=tuple(history.batches),
        epochs=tuple(history.epochs),
        checkpoints=tuple(history.checkpoints),
        download=history.last_download,
        error=last.get("message") if last is not None and last["type"] == "error" else None,
        started=history.started,
        # A torn last line is a writer at work while the job runs, a lost event once it ended.
        unreadable=history.unreadable + (history.torn and status not in ACTIVE),
        gone=not run_dir.is_dir(),
    )


def load_snapshot(run_dir: Path) -> RunSnapshot:
    """A run read from scratch (for a run picked to compare with)."""
    return take_snapshot(run_dir, load_history(run_dir / EVENTS_FILE))

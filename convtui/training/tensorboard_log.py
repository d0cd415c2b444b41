"""A run in TensorBoard: event files written from convtui's own events.

The job feeds a ``TensorBoardLog`` every event as it emits it (``--tensorboard``), and
``convtui runs export-tb`` replays a finished run's ``events.jsonl`` through the same class, so
both give the same files. Every scalar sits at the step the log gives it (batches trained since
the run began; an epoch's numbers at its last batch), so all charts share one axis, and a job
that resumes after a kill opens the files with ``purge_step`` at the checkpoint: TensorBoard
then drops what the killed job wrote past it, as ``RunHistory`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from convtui.i18n import t
from convtui.training.config import NOT_HPARAMS, require_package
from convtui.training.errors import TrainingError
from convtui.training.events import Event

#: (TensorBoard tag, field of the ``batch`` event): the running values over the epoch so far.
BATCH_SCALARS = (("batch/loss", "loss"), ("batch/accuracy", "accuracy"),
                 ("batch/lr", "lr"), ("batch/images_per_second", "images_per_second"))
#: (TensorBoard tag, field of the ``epoch`` event).
EPOCH_SCALARS = (("epoch/train_loss", "train_loss"), ("epoch/train_accuracy", "train_accuracy"),
                 ("epoch/test_loss", "test_loss"), ("epoch/test_accuracy", "test_accuracy"),
                 ("epoch/lr_end", "lr_end"),
                 ("epoch/images_per_second", "train_images_per_second"))
#: (HParams metric tag, field of ``summary.json``): the run's final result.
FINAL_METRICS = (("final/test_accuracy", "test_accuracy"), ("final/test_loss", "test_loss"),
                 ("final/train_accuracy", "train_accuracy"), ("final/train_loss", "train_loss"),
                 ("final/images_per_second", "train_images_per_second"),
                 ("final/wall_seconds", "wall_seconds"))
FILTERS_TAG = "filters/first_conv"
#: Filters are a few pixels across; each pixel is drawn as a block about this many wide.
FILTER_PIXELS = 32


def tensorboard_dir(run_dir: Path, setting: str) -> Path:
    """The folder a run's ``tensorboard`` setting names (relative: inside the run directory)."""
    path = Path(setting).expanduser()
    return path if path.is_absolute() else run_dir / path


class TensorBoardLog:
    """Writes one run's scalars, first-layer filters and HParams into ``log_dir``."""

    def __init__(
        self, log_dir: Path, batches: int, purge_step: int | None = None,
        option: str = "--tensorboard",
    ) -> None:
        require_package("tensorboard", "tensorboard", option)
        from torch.utils.tensorboard import SummaryWriter

        self.batches = batches  # per epoch: an epoch's scalars go at its last batch's step
        try:
            self.writer = SummaryWriter(str(log_dir), purge_step=purge_step)
        except OSError as exc:
            raise TrainingError(t("training.ecosystem.tensorboard_dir", path=str(log_dir),
                                  reason=str(exc.strerror or exc))) from None

    def on_event(self, event: Event) -> None:
        if event["type"] == "batch":
            for tag, key in BATCH_SCALARS:
                self.writer.add_scalar(tag, event[key], event["step"], walltime=event["time"])
        elif event["type"] == "epoch":
            step = self.epoch_step(event["epoch"])
            for tag, key in EPOCH_SCALARS:
                self.writer.add_scalar(tag, event[key], step, walltime=event["time"])
            self.writer.flush()

    def epoch_step(self, epoch: int) -> int:
        return epoch * self.batches

    def filters(self, weight: torch.Tensor, epoch: int) -> None:
        """The first convolution's filters (out, in, k, k), each scaled to its own 0..1 range
        (dark: its most negative weight, bright: its most positive), first input channel."""
        self.writer.add_images(FILTERS_TAG, filter_images(weight), self.epoch_step(epoch))
        self.writer.flush()

    def finish(self, summary: dict[str, Any]) -> None:
        """The run's settings and final metrics (from its summary) for the HParams tab, once
        it has finished (a stopped run's numbers are not final)."""
        if summary["status"] != "finished":
            return
        from torch.utils.tensorboard.summary import hparams

        config = summary["config"]
        settings = {k: v for k, v in config.items()
                    if isinstance(v, (bool, int, float, str)) and k not in NOT_HPARAMS}
        metrics = {tag: float(summary[key]) for tag, key in FINAL_METRICS
                   if summary.get(key) is not None}
        step = self.epoch_step(summary["epochs_completed"])
        for part in hparams(settings, metrics):
            self.writer.file_writer.add_summary(part, step)
        for tag, value in metrics.items():
            self.writer.add_scalar(tag, value, step)
        self.writer.flush()

    def close(self) -> None:
        self.writer.close()


def filter_images(weight: torch.Tensor) -> torch.Tensor:
    """(out, in, k, k) weights -> (out, 1, k*s, k*s) images in 0..1, each filter min-max scaled
    on its own, each weight an s x s block (s = FILTER_PIXELS // k, at least 1)."""
    first = weight.detach().float().cpu()[:, :1]
    low = first.amin(dim=(1, 2, 3), keepdim=True)
    high = first.amax(dim=(1, 2, 3), keepdim=True)
    scaled = (first - low) / (high - low).clamp_min(1e-12)
    block = max(1, FILTER_PIXELS // weight.shape[-1])
    return scaled.repeat_interleave(block, dim=2).repeat_interleave(block, dim=3)

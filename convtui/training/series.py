"""The numbers the Train panel's charts plot, taken from a run's event log.

The x axis is always epochs (batch 300 of 600 in epoch 2 is x = 1.5), so two runs with
different batch sizes or dataset limits overlay on one chart. The job logs the loss as a running
mean over the epoch so far; ``batch_losses`` recovers the mean over each stretch of batches
between two log lines from those running means, which is what "loss per batch" means here, and
``ema`` smooths it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from convtui.training.events import Event

#: Weight of the past in the smoothed loss: s[t] = w * s[t-1] + (1 - w) * x[t].
SMOOTHING = 0.6


@dataclass(frozen=True)
class Points:
    """One line (or set of markers) on a chart."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.xs)


def epoch_position(event: Event) -> float:
    """Where a batch event sits on an epochs axis."""
    return event["epoch"] - 1 + event["batch"] / event["batches"]


def batch_losses(batches: Sequence[Event], batch_size: int, train_size: int) -> Points:
    """The mean loss over the batches since the previous log line of the same epoch.

    A batch event's ``loss`` is the mean over the epoch's first ``seen`` images, where ``seen``
    is ``batch * batch_size`` (the last batch may be short, hence the cap at ``train_size``).
    """
    xs: list[float] = []
    ys: list[float] = []
    prev_epoch, prev_seen, prev_sum = None, 0, 0.0
    for event in batches:
        if event["epoch"] != prev_epoch:
            prev_epoch, prev_seen, prev_sum = event["epoch"], 0, 0.0
        seen = min(event["batch"] * batch_size, train_size)
        total = event["loss"] * seen
        if seen > prev_seen:
            xs.append(epoch_position(event))
            ys.append((total - prev_sum) / (seen - prev_seen))
        prev_seen, prev_sum = seen, total
    return Points(tuple(xs), tuple(ys))


def ema(values: Sequence[float], weight: float = SMOOTHING) -> tuple[float, ...]:
    """Exponential moving average, starting from the first value."""
    smoothed: list[float] = []
    for value in values:
        smoothed.append(value if not smoothed else weight * smoothed[-1] + (1 - weight) * value)
    return tuple(smoothed)


def per_epoch(epochs: Sequence[Event], field: str, scale: float = 1.0) -> Points:
    """An epoch event field against its epoch number (``scale`` 100 for percentages)."""
    return Points(tuple(float(e["epoch"]) for e in epochs),
                  tuple(e[field] * scale for e in epochs))


def per_batch(batches: Sequence[Event], field: str, scale: float = 1.0) -> Points:
    """A batch event field against its position in epochs."""
    return Points(tuple(epoch_position(e) for e in batches),
                  tuple(e[field] * scale for e in batches))


def smoothed_losses(batches: Sequence[Event], config: dict[str, Any] | None,
                    data: Event | None) -> tuple[Points, Points]:
    """(per-batch losses, their EMA); empty until the log says the batch and dataset sizes."""
    if not batches or config is None or data is None:
        return Points((), ()), Points((), ())
    raw = batch_losses(batches, int(config["batch_size"]), int(data["train_size"]))
    return raw, Points(raw.xs, ema(raw.ys))

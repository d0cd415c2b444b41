"""What the Train panel's thread workers tell it.

A worker never touches a widget: it posts one of these to the panel (``post_message`` is
thread-safe), and the panel's ``on_…`` handler draws it on the UI thread, in the order the
worker posted them. Dataclasses, as Textual's own messages are (``Message.__post_init__``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from convtui.training.job import Job
from convtui.training.launch import RunRequest
from convtui.training.preflight import DataSizes, Throughput
from convtui.training.run import Run

if TYPE_CHECKING:  # insight imports torch, and only the workers that compute import it
    from convtui.training.insight import DigitMaps, Learned


class StatusSaid(Message):
    """A message for the status line, as ``TrainScreen.say`` takes it."""

    def __init__(self, key: str, error: bool = False, *,
                 holds_while: tuple[Path, str] | None = None, **params: Any) -> None:
        super().__init__()
        self.key, self.error, self.holds_while, self.params = key, error, holds_while, params


@dataclass
class StartChecked(Message):
    """The data and the device are fine for ``run``: the user is asked before it starts."""

    run: RunRequest
    sizes: DataSizes
    speed: Throughput | None


@dataclass
class StartFailed(Message):
    """A new run could not start; ``message`` says why (shown in the form)."""

    message: str


@dataclass
class JobStarted(Message):
    """A job of this panel's is training a run (a new one, or one continued)."""

    job: Job


@dataclass
class RunToFollow(Message):
    """Open a run and follow its log (one a job works on, or one that was not continued)."""

    path: Path


@dataclass
class RunUpdated(Message):
    """The followed run's newest state; a newer one replaces it if it has not been drawn."""

    run: Run

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RunUpdated) and message.run.path == self.run.path


@dataclass
class RunsLoaded(Message):
    """Every run, for the runs list, and the hyperparameter table's rows."""

    runs: list[Run]
    rows: list[dict[str, Any]]


@dataclass
class CompareLoaded(Message):
    """The run picked to compare with the open one, read from its folder."""

    run: Run


@dataclass
class LearnedReady(Message):
    """What the open run's newest checkpoint learned, and the chosen digit's maps."""

    learned: Learned
    digit: DigitMaps


@dataclass
class LearnedFailed(Message):
    """What the checkpoint learned could not be computed; ``message`` says why."""

    message: str


@dataclass
class DigitReady(Message):
    """Another digit's maps, for the Learned view."""

    digit: DigitMaps

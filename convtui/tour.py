"""The guided tour: the lesson's steps in order, and where the user is in them.

Pure Python (no Textual): the app (ui/tour/app.py) walks these steps, opening each step's panel
with its preset, and the progress file lets `convtui tour` resume where the user left off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from convtui import atomic
from convtui.i18n import t
from convtui.paths import data_dir

PROGRESS_VERSION = 1


@dataclass(frozen=True)
class Step:
    """One stop of the tour. Its title and explanation live in the catalogue under
    ``tour.steps.<name>``; a step without a panel stays on the panel in front."""

    name: str
    panel: str | None = None
    preset: str | None = None

    @property
    def title(self) -> str:
        return t(f"tour.steps.{self.name}.title")

    @property
    def text(self) -> str:
        return t(f"tour.steps.{self.name}.text")


STEPS: tuple[Step, ...] = (
    Step("welcome"),
    Step("convolution", "stepper", "lecture"),
    Step("stride_padding", "stepper", "stride-padding"),
    Step("output_size", "quiz", "tour"),
    Step("channels", "stepper", "multichannel"),
    Step("pooling", "pool", "lecture"),
    Step("flip", "flip", "lecture"),
    Step("backward", "backward", "lecture"),
    Step("transposed", "transposed", "lecture_backwards"),
    Step("shapes", "shapes", "lecture"),
    Step("training", "train", "tiny"),
    Step("next"),
)


@dataclass(frozen=True)
class TourState:
    """The step the user is on (an index into STEPS) and the steps they have finished.
    Immutable: every move returns a new state, so the app can watch it change."""

    current: int = 0
    done: frozenset[str] = field(default_factory=frozenset)

    @property
    def step(self) -> Step:
        return STEPS[self.current]

    @property
    def position(self) -> int:
        """1-based, as the user counts."""
        return self.current + 1

    @property
    def is_first(self) -> bool:
        return self.current == 0

    @property
    def is_last(self) -> bool:
        return self.current == len(STEPS) - 1

    def is_done(self, step: Step) -> bool:
        return step.name in self.done

    def forward(self) -> TourState:
        """Mark this step done and move on; after the last step the tour starts over
        (with every step still marked)."""
        done = self.done | {self.step.name}
        return TourState(0 if self.is_last else self.current + 1, done)

    def back(self) -> TourState:
        return replace(self, current=max(0, self.current - 1))

    def go(self, index: int) -> TourState:
        if not 0 <= index < len(STEPS):
            raise IndexError(f"the tour has steps 1 to {len(STEPS)}, not {index + 1}")
        return replace(self, current=index)

    def to_json(self) -> dict[str, object]:
        return {"version": PROGRESS_VERSION, "current": self.step.name,
                "done": [step.name for step in STEPS if step.name in self.done]}

    @classmethod
    def from_json(cls, data: object) -> TourState:
        """Read what ``to_json`` wrote. Steps this version no longer has are dropped, so a
        file from an older convtui still resumes; anything else malformed raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError(t("tour.bad_file.not_object"))
        if data.get("version") != PROGRESS_VERSION:
            raise ValueError(t("tour.bad_file.version", version=repr(data.get("version"))))
        current, done = data.get("current"), data.get("done")
        if not isinstance(current, str):
            raise ValueError(t("tour.bad_file.current"))
        if not isinstance(done, list) or not all(isinstance(name, str) for name in done):
            raise ValueError(t("tour.bad_file.done"))
        names = [step.name for step in STEPS]
        return cls(names.index(current) if current in names else 0,
                   frozenset(done) & frozenset(names))


@dataclass(frozen=True)
class Loaded:
    """The progress read from disk, and why it could not be read (None when it could)."""

    state: TourState
    problem: str | None = None


def progress_path() -> Path:
    return data_dir() / "tour.json"


def load_progress(path: Path | None = None) -> Loaded:
    """The saved progress; no file means a fresh start, and an unreadable one too (with a
    message saying so: the next save replaces it)."""
    path = path or progress_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(TourState())
    except OSError as err:
        reason = err.strerror or str(err)
    else:
        try:
            return Loaded(TourState.from_json(json.loads(raw.decode("utf-8"))))
        except UnicodeDecodeError:
            reason = t("tour.bad_file.not_utf8")
        except json.JSONDecodeError as err:
            reason = t("tour.bad_file.not_json", line=err.lineno, column=err.colno)
        except ValueError as err:  # from_json's own complaints
            reason = str(err)
    return Loaded(TourState(), t("tour.unreadable", path=str(path), reason=reason))


def save_progress(state: TourState, path: Path | None = None) -> None:
    """Write atomically, so a crash mid-write never leaves a half-written file behind.
    Raises OSError when the folder cannot be written."""
    path = path or progress_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, json.dumps(state.to_json(), indent=2) + "\n")

"""The student's quiz progress: score, streaks and per-puzzle history, kept between sessions.

Stored as JSON in ``convtui.paths.data_dir()/"progress.json"``. Every save writes a temp file in
the same folder, fsyncs it and renames it over the old one, so a crash mid-save leaves either the
old or the new file, never half of one. A file that cannot be understood is never fatal: it is
renamed aside with a timestamp suffix (so nothing is lost) and the quiz starts afresh, with a
warning saying where the old file went. Warnings are :class:`Phrase` objects, rendered in the
language of the moment they are shown.

Scoring: a right answer earns one point, except that a pack puzzle earns its point only the first
time it is solved (so re-solving one cannot farm points). The streak counts right answers in a
row; any wrong answer, and revealing an answer, resets it to 0. Answers that could not be read
(letters in a number field) are not attempts and change nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from convtui import atomic
from convtui.i18n.wording import Phrase
from convtui.paths import data_dir
from convtui.quiz.answers import AnswerCheck
from convtui.quiz.model import Pack, Puzzle

FORMAT_VERSION = 1
FILE_NAME = "progress.json"

Clock = Callable[[], datetime]


def default_path() -> Path:
    return data_dir() / FILE_NAME


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PuzzleRecord:
    """What the student did with one pack puzzle. Timestamps are ISO 8601 in UTC."""

    attempts: int = 0
    solved: bool = False
    last_answer: list[int] | None = None
    first_attempt_at: str | None = None
    last_attempt_at: str | None = None
    solved_at: str | None = None


@dataclass
class PracticeRecord:
    """Generated puzzles are endless, so only totals are kept, per difficulty."""

    attempts: int = 0
    solved: int = 0


@dataclass(frozen=True)
class PackProgress:
    solved: int
    total: int

    @property
    def complete(self) -> bool:
        return self.solved == self.total


@dataclass(frozen=True)
class AttemptOutcome:
    """What one graded answer changed, for the panel to show."""

    correct: bool
    points: int
    score: int
    streak: int
    best_streak: int
    #: Set when the progress could not be written (the answer still counts this session).
    warning: Phrase | None = None


@dataclass
class ProgressStore:
    """Progress in memory plus where it is saved (``path`` None: never saved)."""

    path: Path | None
    score: int = 0
    streak: int = 0
    best_streak: int = 0
    puzzles: dict[str, PuzzleRecord] = field(default_factory=dict)
    practice: dict[str, PracticeRecord] = field(default_factory=dict)
    clock: Clock = field(default=_utc_now, repr=False, compare=False)

    # -- loading --------------------------------------------------------------------------
    @classmethod
    def load(
        cls, path: Path | None = None, clock: Clock = _utc_now
    ) -> tuple[ProgressStore, list[Phrase]]:
        """Read the progress file (default: the user's), returning the store and warnings.

        A missing file is a fresh start; a corrupt one is renamed aside and reported; one that
        cannot be read at all (permissions) is left alone and this session is not saved."""
        path = default_path() if path is None else path
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path, clock=clock), []
        except OSError as err:
            return cls(None, clock=clock), [Phrase(
                "quiz.progress.unreadable", {"path": path, "error": err.strerror or err})]
        try:
            return cls._from_json(json.loads(raw.decode("utf-8")), path, clock), []
        except UnicodeDecodeError:
            return cls._start_over(path, clock, Phrase("quiz.progress.not_utf8"))
        except json.JSONDecodeError as err:
            return cls._start_over(path, clock,
                                   Phrase("quiz.progress.not_json", {"line": err.lineno}))
        except _Corrupt as err:
            return cls._start_over(path, clock, err.reason)

    @classmethod
    def _start_over(
        cls, path: Path, clock: Clock, reason: Phrase
    ) -> tuple[ProgressStore, list[Phrase]]:
        stamp = clock().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while backup.exists():
            backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            os.replace(path, backup)
        except OSError as err:
            return cls(None, clock=clock), [Phrase("quiz.progress.stuck", {
                "path": path, "reason": reason, "error": err.strerror or err})]
        return cls(path, clock=clock), [Phrase(
            "quiz.progress.damaged", {"reason": reason, "backup": backup})]

    @classmethod
    def _from_json(cls, data: object, path: Path, clock: Clock) -> ProgressStore:
        obj = _expect_dict(data, Phrase("quiz.progress.the_file"))
        version = obj.get("version")
        if version != FORMAT_VERSION:
            raise _Corrupt("quiz.progress.version", version=repr(version),
                           expected=FORMAT_VERSION)
        store = cls(
            path,
            score=_expect_count(obj.get("score", 0), "score"),
            streak=_expect_count(obj.get("streak", 0), "streak"),
            best_streak=_expect_count(obj.get("best_streak", 0), "best_streak"),
            clock=clock,
        )
        for key, raw in _expect_dict(obj.get("puzzles", {}), "puzzles").items():
            store.puzzles[key] = _puzzle_record(raw, f"puzzles.{key}")
        for key, raw in _expect_dict(obj.get("practice", {}), "practice").items():
            entry = _expect_dict(raw, f"practice.{key}")
            store.practice[key] = PracticeRecord(
                attempts=_expect_count(entry.get("attempts", 0), f"practice.{key}.attempts"),
                solved=_expect_count(entry.get("solved", 0), f"practice.{key}.solved"),
            )
        return store

    # -- recording ------------------------------------------------------------------------
    def record(self, puzzle: Puzzle, check: AnswerCheck) -> AttemptOutcome:
        """Count one graded answer and save. Only a readable answer is an attempt."""
        if not check.readable:
            raise ValueError("an answer that could not be read is not an attempt")
        correct = check.correct
        points = 0
        if puzzle.difficulty is not None:
            totals = self.practice.setdefault(puzzle.difficulty, PracticeRecord())
            totals.attempts += 1
            if correct:
                totals.solved += 1
                points = 1
        else:
            stamp = self.clock().isoformat(timespec="seconds")
            record = self.puzzles.setdefault(puzzle.key, PuzzleRecord())
            record.attempts += 1
            record.last_answer = list(check.values)
            record.first_attempt_at = record.first_attempt_at or stamp
            record.last_attempt_at = stamp
            if correct and not record.solved:
                record.solved = True
                record.solved_at = stamp
                points = 1
        self.score += points
        self.streak = self.streak + 1 if correct else 0
        self.best_streak = max(self.best_streak, self.streak)
        return AttemptOutcome(
            correct, points, self.score, self.streak, self.best_streak, self._save_or_warn()
        )

    def reveal(self) -> Phrase | None:
        """Giving up on a puzzle ends the streak as a wrong answer does; saved at once.
        Returns a warning when the progress could not be written."""
        self.streak = 0
        return self._save_or_warn()

    def _save_or_warn(self) -> Phrase | None:
        """Save; a failure is a warning to show, never fatal (the session keeps counting)."""
        try:
            self.save()
        except OSError as err:
            return Phrase("quiz.progress.not_saved",
                           {"path": self.path, "error": err.strerror or err})
        return None

    def record_of(self, puzzle: Puzzle) -> PuzzleRecord | None:
        """A pack puzzle's history (None if never attempted, and for practice puzzles)."""
        return self.puzzles.get(puzzle.key)

    def pack_progress(self, pack: Pack) -> PackProgress:
        solved = sum(
            1 for key in pack.keys if (r := self.puzzles.get(key)) is not None and r.solved
        )
        return PackProgress(solved, len(pack.puzzles))

    # -- saving ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        return {
            "version": FORMAT_VERSION,
            "score": self.score,
            "streak": self.streak,
            "best_streak": self.best_streak,
            "puzzles": {k: asdict(v) for k, v in sorted(self.puzzles.items())},
            "practice": {k: asdict(v) for k, v in sorted(self.practice.items())},
        }

    def save(self) -> None:
        """Write atomically: the old file or the new one, never half of one."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(self.path, json.dumps(self.to_json(), indent=2) + "\n")


class _Corrupt(ValueError):
    """The JSON parsed but does not have the shape of a progress file; ``reason`` says how."""

    def __init__(self, key: str, **params: object) -> None:
        self.reason = Phrase(key, params)
        super().__init__(str(self.reason))


def _expect_dict(value: object, where: str | Phrase) -> dict[str, object]:
    if not isinstance(value, dict):
        raise _Corrupt("quiz.progress.not_object", where=where)
    return value


def _expect_count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Corrupt("quiz.progress.not_count", where=where, value=repr(value))
    return value


def _puzzle_record(raw: object, where: str) -> PuzzleRecord:
    entry = _expect_dict(raw, where)
    record = PuzzleRecord(
        attempts=_expect_count(entry.get("attempts", 0), f"{where}.attempts"),
        solved=entry.get("solved", False),  # type: ignore[arg-type]
    )
    if not isinstance(record.solved, bool):
        raise _Corrupt("quiz.progress.not_bool", where=f"{where}.solved")
    answer = entry.get("last_answer")
    if answer is not None and not (
        isinstance(answer, list)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in answer)
    ):
        raise _Corrupt("quiz.progress.not_answer", where=f"{where}.last_answer")
    record.last_answer = answer
    for name in ("first_attempt_at", "last_attempt_at", "solved_at"):
        stamp = entry.get(name)
        if stamp is not None and not isinstance(stamp, str):
            raise _Corrupt("quiz.progress.not_timestamp", where=f"{where}.{name}")
        setattr(record, name, stamp)
    return record

"""Which quiz puzzle is on screen, and what the student did with each one this session.

A round is either a pack's puzzles in order or endless practice from the generator; both keep
a history, so "previous" works the same way in either. No Textual here: the screen asks the
round what to show and tells it what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from convtui.quiz.generator import PracticeGenerator
from convtui.quiz.model import Pack, Puzzle
from convtui.quiz.progress import ProgressStore

RIGHT, REVEALED = "right", "revealed"


@dataclass
class PuzzleState:
    """One puzzle this session: graded answers so far, what is in the fields, and how it
    ended (right or revealed) once the explanation is shown. A finished puzzle stays finished
    when the student comes back to it, so revealing cannot be followed by a free point."""

    attempts: int = 0
    typed: tuple[str, ...] = ()
    outcome: str | None = None

    @property
    def finished(self) -> bool:
        return self.outcome is not None


@dataclass
class QuizRound:
    """A pack (``pack`` set) or practice at one level (``generator`` set)."""

    title: str
    puzzles: list[Puzzle]
    index: int = 0
    pack: Pack | None = None
    generator: PracticeGenerator | None = None
    states: dict[str, PuzzleState] = field(default_factory=dict)

    @classmethod
    def of_pack(cls, pack: Pack, store: ProgressStore) -> QuizRound:
        """Start at the first puzzle not solved yet (the first one if all are)."""
        unsolved = [i for i, p in enumerate(pack.puzzles)
                    if not ((r := store.record_of(p)) is not None and r.solved)]
        return cls(pack.title, list(pack.puzzles), unsolved[0] if unsolved else 0, pack=pack)

    @classmethod
    def practice(cls, difficulty: str, seed: int | None = None) -> QuizRound:
        generator = PracticeGenerator(difficulty, seed)
        return cls(f"Random practice · {difficulty}", [next(generator)], generator=generator)

    @property
    def puzzle(self) -> Puzzle:
        return self.puzzles[self.index]

    @property
    def state(self) -> PuzzleState:
        return self.states.setdefault(self.puzzle.key, PuzzleState())

    @property
    def is_practice(self) -> bool:
        return self.generator is not None

    def move(self, delta: int) -> bool:
        """Go to the next (+1) or previous (-1) puzzle; practice draws a new one past the
        end. False at either end of a pack, or before the first practice puzzle."""
        target = self.index + delta
        if self.generator is not None and target == len(self.puzzles):
            self.puzzles.append(next(self.generator))
        if not 0 <= target < len(self.puzzles):
            return False
        self.index = target
        return True

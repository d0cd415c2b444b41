"""Which quiz puzzle is on screen, and what the student did with each one this session.

A round is a pack's puzzles in order, the guided tour (a few puzzles of the lecture's pack), or
endless practice from the generator; all keep a history, so "previous" works the same way in
each. No Textual and no text here: the screen asks the round what to show, in whatever
language is current, and tells it what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from convtui.quiz.generator import PracticeGenerator
from convtui.quiz.model import Pack, Puzzle
from convtui.quiz.progress import ProgressStore

RIGHT, REVEALED = "right", "revealed"

#: The guided tour: three output-size puzzles from the lecture's exercises for someone who has
#: just met (I - F + 2P) / S + 1, one idea each: a stride that divides evenly (AlexNet's first
#: layer), one that does not (the floor), and padding that keeps the size.
TOUR_PACK = "lab10-exercises"
TOUR_PUZZLES = ("alexnet-conv1", "conv-64-k7-s2", "conv-32-k5-p2")


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
    """A pack (``pack`` set), the guided tour (``pack`` set, ``tour`` True: some of its
    puzzles) or practice at one level (``generator`` set)."""

    puzzles: list[Puzzle]
    index: int = 0
    pack: Pack | None = None
    generator: PracticeGenerator | None = None
    tour: bool = False
    states: dict[str, PuzzleState] = field(default_factory=dict)

    @classmethod
    def of_pack(cls, pack: Pack, store: ProgressStore) -> QuizRound:
        """Start at the first puzzle not solved yet (the first one if all are)."""
        unsolved = [i for i, p in enumerate(pack.puzzles)
                    if not ((r := store.record_of(p)) is not None and r.solved)]
        return cls(list(pack.puzzles), unsolved[0] if unsolved else 0, pack=pack)

    @classmethod
    def guided_tour(cls, pack: Pack) -> QuizRound:
        """The tour's puzzles, in the tour's order, from the first one."""
        by_id = {puzzle.id: puzzle for puzzle in pack.puzzles}
        return cls([by_id[name] for name in TOUR_PUZZLES], pack=pack, tour=True)

    @classmethod
    def practice(cls, difficulty: str, seed: int | None = None) -> QuizRound:
        generator = PracticeGenerator(difficulty, seed)
        return cls([next(generator)], generator=generator)

    @property
    def puzzle(self) -> Puzzle:
        return self.puzzles[self.index]

    @property
    def state(self) -> PuzzleState:
        return self.states.setdefault(self.puzzle.key, PuzzleState())

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

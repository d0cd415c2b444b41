"""Puzzles and packs: what the quiz asks and the answer convtui.core computes for it.

The student answers the whole output shape, one number per dimension, in the same form as the
input: ``[H, W]`` for a board-form input, ``[C, H, W]`` or ``[N, C, H, W]`` otherwise. The
expected answer is never stored: it is the engine's trace of the puzzle's layers (a pack may
state an answer, but only so that ``convtui puzzles check`` can catch a wrong one).
"""

from __future__ import annotations

from dataclasses import dataclass

from convtui.core.layers import show_shape
from convtui.core.network import Layer, NetworkTrace, TraceRow

#: Layer types a puzzle may use: those whose output is still an image-like map, so the answer
#: is always one number per dimension of the input's form.
PUZZLE_LAYER_TYPES = (
    "conv2d", "conv_transpose2d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d",
    "relu", "batchnorm2d", "dropout",
)

#: The name of each dimension, by the rank of the input (and so of the answer).
DIM_NAMES: dict[int, tuple[str, ...]] = {
    2: ("H", "W"),
    3: ("C", "H", "W"),
    4: ("N", "C", "H", "W"),
}

PRACTICE_PACK_ID = "practice"


@dataclass(frozen=True)
class Puzzle:
    """One question: an input shape, the layers it goes through and the engine's trace.

    ``trace`` has no error (the loader and the generator never build a puzzle otherwise), so
    ``answer`` is always defined. ``difficulty`` is set only for generated practice puzzles;
    ``source``/``line`` say where a pack puzzle was defined."""

    id: str
    pack_id: str
    prompt: str
    input_shape: tuple[int, ...]
    layers: tuple[Layer, ...]
    trace: NetworkTrace
    hint: str | None = None
    difficulty: str | None = None
    source: str | None = None
    line: int | None = None

    @property
    def answer(self) -> tuple[int, ...]:
        shape = self.trace.output_shape
        assert shape is not None, "a puzzle is only built from an error-free trace"
        return shape

    @property
    def dims(self) -> tuple[str, ...]:
        """Labels of the answer fields, e.g. ``("N", "C", "H", "W")``."""
        return DIM_NAMES[len(self.input_shape)]

    @property
    def key(self) -> str:
        """Identifies the puzzle in the progress file."""
        return f"{self.pack_id}/{self.id}"


@dataclass(frozen=True)
class Pack:
    """A themed list of puzzles from one TOML file (shipped, the user's, or ``--pack``)."""

    id: str
    title: str
    description: str
    puzzles: tuple[Puzzle, ...]
    source: str
    origin: str  # "shipped", "user" or "extra"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.puzzles)


def dims_text(rank: int) -> str:
    return ", ".join(DIM_NAMES[rank])


def default_prompt(input_shape: tuple[int, ...], trace: NetworkTrace) -> str:
    """A clear question built from the layers, for puzzles that do not write their own.

    Layers are shown as PyTorch prints the modules, so the question reads like the code a
    student would write; a board-form [H, W] input is phrased the way the lecture does."""
    rows = trace.rows
    shown = [_shown(row) for row in rows]
    if len(input_shape) == 2:
        start = f"An input of {input_shape[0]}×{input_shape[1]} (H×W)"
    else:
        start = f"An input of shape {show_shape(input_shape)} ({dims_text(len(input_shape))})"
    if len(rows) == 1:
        body = f"{start} goes through {shown[0]}."
    else:
        steps = "\n".join(f"  {i}. {text}" for i, text in enumerate(shown, 1))
        body = f"{start} goes through these layers in order:\n{steps}"
    return f"{body}\nWhat is the output shape [{dims_text(len(input_shape))}]?"


def _shown(row: TraceRow) -> str:
    """The layer as PyTorch prints it, plus ``ceil_mode=True`` where that repr leaves it out
    (``AvgPool2d``'s does), since it changes the answer."""
    text = row.description
    if getattr(row.layer, "ceil_mode", False) and "ceil_mode" not in text:
        text = f"{text[:-1]}, ceil_mode=True)"
    return text

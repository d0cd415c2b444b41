"""Puzzles and packs: what the quiz asks and the answer convtui.core computes for it.

The student answers the whole output shape, one number per dimension, in the same form as the
input: ``[H, W]`` for a board-form input, ``[C, H, W]`` or ``[N, C, H, W]`` otherwise. The
expected answer is never stored: it is the engine's trace of the puzzle's layers (a pack may
state an answer, but only so that ``convtui puzzles check`` can catch a wrong one).

Every text a student reads (prompt, hint, pack title and description) is looked up in the
current language when it is read: the author's translation if the pack has one, else the
English original, else (prompt, practice hints) generated from the layers in that language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from convtui.core.layers import show_shape
from convtui.core.network import Layer, NetworkTrace, TraceRow, trace
from convtui.i18n import t
from convtui.quiz.texts import Translated

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
    ``answer`` is always defined. ``written_prompt``/``written_hint`` are the pack author's
    (None where the pack gives none); ``difficulty`` is set only for generated practice
    puzzles; ``source``/``line`` say where a pack puzzle was defined."""

    id: str
    pack_id: str
    input_shape: tuple[int, ...]
    layers: tuple[Layer, ...]
    trace: NetworkTrace
    written_prompt: Translated | None = None
    written_hint: Translated | None = None
    difficulty: str | None = None
    source: str | None = None
    line: int | None = None

    @property
    def prompt(self) -> str:
        """The question in the current language; written from the layers when the pack
        gives none."""
        if self.written_prompt is not None:
            return str(self.written_prompt)
        return default_prompt(self.input_shape, self.trace)

    @property
    def hint(self) -> str | None:
        """The pack's hint, or for a practice puzzle the formula steps its layers need."""
        if self.written_hint is not None:
            return str(self.written_hint)
        if self.difficulty is not None:
            return formula_hint(self.layers, len(self.input_shape))
        return None

    def translated(self, lang: str) -> bool:
        """Whether every text the author wrote for this puzzle is also written in ``lang``."""
        return all(text.has(lang) for text in (self.written_prompt, self.written_hint)
                   if text is not None)

    def retrace(self) -> NetworkTrace:
        """The engine's trace made again, so that its derivation lines come in the current
        language (``trace`` was made when the puzzle was loaded)."""
        return trace(self.input_shape, self.layers)

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
    written_title: Translated
    written_description: Translated | None
    puzzles: tuple[Puzzle, ...]
    source: str
    origin: str  # "shipped", "user" or "extra"

    @property
    def title(self) -> str:
        return str(self.written_title)

    @property
    def description(self) -> str:
        return "" if self.written_description is None else str(self.written_description)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.puzzles)

    def written_texts(self) -> Iterator[Translated]:
        """Every text the author wrote: title, description, each prompt and hint."""
        for text in (self.written_title, self.written_description,
                     *(text for p in self.puzzles for text in (p.written_prompt, p.written_hint))):
            if text is not None:
                yield text

    def speaks(self, lang: str) -> bool:
        """Whether the author translated anything into ``lang``."""
        return any(text.has(lang) for text in self.written_texts())

    def translated_puzzles(self, lang: str) -> int:
        """How many puzzles have every text the author wrote for them in ``lang``."""
        return sum(1 for puzzle in self.puzzles if puzzle.translated(lang))


def dims_text(rank: int) -> str:
    return ", ".join(DIM_NAMES[rank])


def default_prompt(input_shape: tuple[int, ...], trace: NetworkTrace) -> str:
    """A clear question built from the layers, for puzzles that do not write their own.

    Layers are shown as PyTorch prints the modules, so the question reads like the code a
    student would write; a board-form [H, W] input is phrased the way the lecture does."""
    rows = trace.rows
    shown = [_shown(row) for row in rows]
    dims = dims_text(len(input_shape))
    if len(input_shape) == 2:
        start = t("quiz.prompt.board_input", h=input_shape[0], w=input_shape[1])
    else:
        start = t("quiz.prompt.shape_input", shape=show_shape(input_shape), dims=dims)
    if len(rows) == 1:
        body = t("quiz.prompt.one_layer", start=start, layer=shown[0])
    else:
        steps = "\n".join(f"  {i}. {text}" for i, text in enumerate(shown, 1))
        body = t("quiz.prompt.layers", start=start, steps=steps)
    return f"{body}\n{t('quiz.prompt.question', dims=dims)}"


def formula_hint(layers: tuple[Layer, ...], rank: int) -> str:
    """The formula steps these layers call for: what practice puzzles show as their hint."""
    tips = [t("quiz.hint.formula")]
    types = {layer.type for layer in layers}
    if any(getattr(layer, "stride", None) not in (None, (1, 1))
           for layer in layers if layer.type != "conv_transpose2d"):
        tips.append(t("quiz.hint.floor"))
    if any(getattr(layer, "dilation", (1, 1)) != (1, 1) for layer in layers):
        tips.append(t("quiz.hint.dilation"))
    if any(isinstance(getattr(layer, "padding", None), str) for layer in layers):
        tips.append(t("quiz.hint.named_padding"))
    if types & {"maxpool2d", "avgpool2d"}:
        tips.append(t("quiz.hint.pooling"))
    if any(getattr(layer, "ceil_mode", False) for layer in layers):
        tips.append(t("quiz.hint.ceil_mode"))
    if "conv_transpose2d" in types:
        tips.append(t("quiz.hint.transposed"))
    if rank >= 3 and types & {"conv2d", "conv_transpose2d"}:
        tips.append(t("quiz.hint.channels"))
    return " ".join(tips)


def _shown(row: TraceRow) -> str:
    """The layer as PyTorch prints it, plus ``ceil_mode=True`` where that repr leaves it out
    (``AvgPool2d``'s does), since it changes the answer."""
    text = row.description
    if getattr(row.layer, "ceil_mode", False) and "ceil_mode" not in text:
        text = f"{text[:-1]}, ceil_mode=True)"
    return text

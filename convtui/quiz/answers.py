"""Grading a student's answer and explaining the right one.

The answer is the whole output shape, one field per dimension (``puzzle.dims``). Fields may
arrive as ints or as the raw text of input fields; text that is not a whole number ≥ 1 is not
graded but answered with a message naming the field, so a typo never costs an attempt.

The explanation is the engine's own: for each layer its H and W derivations from
``convtui.core`` (formula with the numbers, the division, the floor) and the shape after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from convtui.core.layers import show_shape
from convtui.i18n import t, tn
from convtui.quiz.model import Puzzle, dims_text
from convtui.quiz.texts import cells

_SEPARATORS = re.compile(r"[\s,x×*\[\]()]+")
# ASCII digits only: int() would also read "٣" or "1_0", which are not answers to grade
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))([eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class FieldCheck:
    """One answer field: what was typed, the number read from it (None if unreadable), the
    expected value, and why it could not be read."""

    dim: str
    text: str
    value: int | None
    expected: int
    error: str | None = None

    @property
    def correct(self) -> bool:
        return self.value == self.expected


@dataclass(frozen=True)
class AnswerCheck:
    """The verdict on one answer. Grade only when ``readable``; otherwise show ``errors``."""

    fields: tuple[FieldCheck, ...]
    count_error: str | None = None

    @property
    def readable(self) -> bool:
        return self.count_error is None and all(f.error is None for f in self.fields)

    @property
    def correct(self) -> bool:
        return self.readable and all(f.correct for f in self.fields)

    @property
    def errors(self) -> tuple[str, ...]:
        if self.count_error is not None:
            return (self.count_error,)
        return tuple(f.error for f in self.fields if f.error is not None)

    @property
    def values(self) -> tuple[int, ...]:
        """The answer as numbers; only meaningful when ``readable``."""
        return tuple(f.value for f in self.fields if f.value is not None)

    @property
    def wrong_dims(self) -> tuple[str, ...]:
        return tuple(f.dim for f in self.fields if not f.correct)


def split_answer(text: str) -> list[str]:
    """Split a one-line answer such as ``1x5x12x12``, ``[1, 5, 12, 12]`` or ``55 55`` into
    fields, for a single text box."""
    return [part for part in _SEPARATORS.split(text) if part]


def check_answer(puzzle: Puzzle, answer: Sequence[int | str]) -> AnswerCheck:
    """Compare an answer with the engine's output shape, field by field."""
    expected = puzzle.answer
    dims = puzzle.dims
    if len(answer) != len(expected):
        return AnswerCheck((), t("quiz.answer.count", n=len(expected),
                                 dims=dims_text(len(dims)), got=len(answer)))
    return AnswerCheck(tuple(
        _read_field(dim, raw, want) for dim, raw, want in zip(dims, answer, expected, strict=True)
    ))


def _read_field(dim: str, raw: int | str, expected: int) -> FieldCheck:
    if isinstance(raw, bool):
        return FieldCheck(dim, str(raw), None, expected, t("quiz.answer.whole", dim=dim))
    if isinstance(raw, int):
        text, value = str(raw), raw
    else:
        text = str(raw).strip()
        if not text:
            return FieldCheck(dim, text, None, expected, t("quiz.answer.empty", dim=dim))
        if not _WHOLE.fullmatch(text):
            return FieldCheck(dim, text, None, expected, _not_whole(dim, text))
        value = int(text)
    if value < 1:
        return FieldCheck(dim, text, None, expected,
                          t("quiz.answer.too_small", dim=dim, value=value))
    return FieldCheck(dim, text, value, expected)


def _not_whole(dim: str, text: str) -> str:
    if _DECIMAL.fullmatch(text):
        return t("quiz.answer.not_whole", dim=dim, text=text)
    return t("quiz.answer.not_number", dim=dim, text=text)


@dataclass(frozen=True)
class LayerSteps:
    """One layer of the explanation: the shapes around it and the engine's derivation lines."""

    number: int
    description: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    lines: tuple[str, ...]

    @property
    def heading(self) -> str:
        return (f"{self.number}. {self.description}: {show_shape(self.in_shape)} → "
                f"{show_shape(self.out_shape)}")


def explain(puzzle: Puzzle) -> tuple[LayerSteps, ...]:
    """Per layer: heading with PyTorch's repr and both shapes, then how each dimension came
    out: the engine's lines for H and W, the channel count in words (N never changes). In the
    current language: the engine's lines come from a fresh trace."""
    steps = []
    for number, row in enumerate(puzzle.retrace().rows, 1):
        h, w = row.explanations.get("H"), row.explanations.get("W")
        lines: list[str] = []
        if h is None or w is None:
            lines.append(t("quiz.explain.unchanged"))
        else:
            if len(row.in_shape) >= 3:
                lines.append(_channel_line(row.in_shape[-3], row.out_shape[-3], row.layer.type))
            if h.lines == w.lines:
                lines += _labelled(t("quiz.explain.h_and_w"), h.lines)
            else:
                lines += _labelled("H", h.lines) + _labelled("W", w.lines)
        steps.append(LayerSteps(number, row.description, row.in_shape, row.out_shape,
                                tuple(lines)))
    return tuple(steps)


def _labelled(label: str, lines: Sequence[str]) -> list[str]:
    """``H: first line`` with the following lines indented under it."""
    pad = " " * (cells(label) + 2)
    return [f"{label}: {line}" if i == 0 else f"{pad}{line}" for i, line in enumerate(lines)]


def _channel_line(before: int, after: int, layer_type: str) -> str:
    """Only convolutions and pooling derive H and W, so only they reach here."""
    if layer_type in ("conv2d", "conv_transpose2d"):
        return t("quiz.explain.conv_channels", n=after)
    return tn("quiz.explain.pool_channels", before)


def explanation_text(puzzle: Puzzle) -> str:
    """The explanation as plain text: every layer's steps, then the final shape."""
    parts = []
    for step in explain(puzzle):
        parts.append(step.heading)
        parts += [f"   {line}" for line in step.lines]
    parts.append(t("quiz.explain.output", shape=show_shape(puzzle.answer)))
    return "\n".join(parts)

"""The Backward lesson's state: one input, one kernel, one convolution, and the gradient of the
loss with respect to its output, stepped back to the input (two readings) and to the weight.

``reading`` says what is stepped: grad_input in the scatter or the gather reading, or
grad_weight (WEIGHT); ``step`` is the step of that reading.

Immutable: every change makes a new lesson through ``with_``, which re-validates it with the
engine's own checks (an ``ArgumentError`` for anything PyTorch would refuse). The traces come
from ``convtui.core`` and carry every number a view draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from convtui.core import StampTrace, WeightGradTrace, backward_traces, conv2d
from convtui.core.backward import checked_grad
from convtui.core.examples import LECTURE_INPUT, LECTURE_KERNEL, random_integers
from convtui.core.geometry import Padding
from convtui.core.transpose import GatherStep

#: How the output gradient is chosen, by the id the catalogue names them with.
ONES, ONE_HOT, RANDOM, SUM_OF_SQUARES, EDITED = (
    "ones", "one_hot", "random", "sum_of_squares", "edited")
GRADIENTS = (ONES, ONE_HOT, RANDOM, SUM_OF_SQUARES)

#: The two readings of grad_input, and stepping grad_weight instead.
SCATTER, GATHER, WEIGHT = "scatter", "gather", "weight"
READINGS = (SCATTER, GATHER, WEIGHT)


def output_gradient(
    choice: str, output: np.ndarray, cell: tuple[int, int] = (0, 0), seed: int = 0,
    edited: np.ndarray | None = None,
) -> np.ndarray:
    """dL/d(out) for a loss the student can name: L = sum(out) gives all ones; L = out[r, c]
    a one-hot; L = sum(out**2) gives 2*out; random small integers; or a grid edited by hand."""
    if choice == ONES:
        return np.ones(output.shape)
    if choice == ONE_HOT:
        grad = np.zeros(output.shape)
        grad[cell[0] % output.shape[0], cell[1] % output.shape[1]] = 1.0
        return grad
    if choice == RANDOM:
        return random_integers(output.shape, seed, -2, 2)
    if choice == SUM_OF_SQUARES:
        return 2.0 * output
    if choice == EDITED and edited is not None:
        return checked_grad(edited, output.shape)
    raise ValueError(f"unknown output gradient {choice!r}")


@dataclass(frozen=True, eq=False)
class BackwardLesson:
    x: np.ndarray = field(default_factory=lambda: LECTURE_INPUT.copy())  # (H, W)
    kernel: np.ndarray = field(default_factory=lambda: LECTURE_KERNEL.copy())  # (kH, kW)
    stride: int | tuple[int, int] = 1
    padding: Padding = 0
    dilation: int | tuple[int, int] = 1
    gradient: str = ONES
    hot_cell: tuple[int, int] = (0, 0)
    seed: int = 0
    edited: np.ndarray | None = None
    reading: str = SCATTER
    step: int = 0

    def __post_init__(self) -> None:
        if self.reading not in READINGS:
            raise ValueError(f"unknown reading {self.reading!r}")
        _ = self.traces  # validates every argument with the engine's checks
        object.__setattr__(self, "step", self.step % self.step_count)

    def with_(self, **changes: Any) -> BackwardLesson:
        return replace(self, **changes)

    @cached_property
    def output(self) -> np.ndarray:
        """The forward result, no bias (a bias does not change any gradient but its own)."""
        return conv2d(self.x, self.kernel, None, self.stride, self.padding, self.dilation)

    @cached_property
    def grad_output(self) -> np.ndarray:
        return output_gradient(self.gradient, self.output, self.hot_cell, self.seed,
                               self.edited)

    @cached_property
    def traces(self) -> tuple[StampTrace, WeightGradTrace]:
        return backward_traces(self.x, self.kernel, self.grad_output, self.stride,
                               self.padding, self.dilation)

    @property
    def grad_input(self) -> StampTrace:
        return self.traces[0]

    @property
    def grad_weight(self) -> WeightGradTrace:
        return self.traces[1]

    @property
    def grad_bias(self) -> float:
        return self.grad_weight.grad_bias

    @property
    def step_count(self) -> int:
        """Steps of the current reading: output-gradient cells (scatter), input cells
        (gather) or weight cells (WEIGHT)."""
        if self.reading == WEIGHT:
            return self.grad_weight.step_count
        trace = self.grad_input
        return trace.scatter_step_count if self.reading == SCATTER else trace.gather_step_count

    def toggled(self) -> BackwardLesson:
        """The other reading of grad_input (scatter after grad_weight), at its first step:
        both end at the same grad_input."""
        return self.with_(reading=GATHER if self.reading == SCATTER else SCATTER, step=0)

    def rotation_terms(self, row: int, col: int) -> list[tuple[tuple[int, int], tuple[int, int],
                                                              float, float]]:
        """The nonzero-position terms of grad_input[row, col] in the gather reading:
        ((output row, col), (kernel row, col as written), gradient, weight). Reading the
        output gradient forwards meets the kernel backwards: the 180° rotation."""
        trace = self.grad_input
        step: GatherStep = trace.gather_step(row * trace.output.shape[2] + col)
        kh, kw = step.weights.shape[1:]
        terms = []
        for i, sr in enumerate(step.source_rows):
            for j, sc in enumerate(step.source_cols):
                if sr >= 0 and sc >= 0:
                    terms.append(((sr, sc), (kh - 1 - i, kw - 1 - j), float(step.values[0, i, j]),
                                  float(step.weights[0, i, j])))
        return terms

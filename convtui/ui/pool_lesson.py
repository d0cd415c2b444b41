"""The Pooling panel's state: one input plane, the pooling layer's settings, the step.

Immutable like the Stepper's ConvLesson: building one runs the engine, so settings PyTorch
would refuse raise the engine's ValueError before they reach the screen.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from convtui.core.examples import LECTURE_MAX_POOL_INPUT
from convtui.core.pool import PoolKind, PoolStep, PoolTrace, pool_trace
from convtui.core.pool_canvas import PoolCanvas, pool_canvas


@dataclass(frozen=True, eq=False)
class PoolLesson:
    x: np.ndarray  # (H, W)
    kind: PoolKind = "max"
    kernel_size: tuple[int, int] = (2, 2)
    stride: tuple[int, int] | None = None  # None: the kernel size, as in PyTorch
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    ceil_mode: bool = False
    count_include_pad: bool = True
    step: int = 0
    input_name: str = "lecture 4×4 (max)"

    def __post_init__(self) -> None:
        _ = self.trace  # validate now: an invalid lesson never exists
        object.__setattr__(self, "step", min(max(self.step, 0), self.trace.step_count - 1))

    @cached_property
    def trace(self) -> PoolTrace:
        return pool_trace(self.x, self.kind, self.kernel_size, self.stride, self.padding,
                          self.dilation, self.ceil_mode, self.count_include_pad)

    @cached_property
    def canvas(self) -> PoolCanvas:
        return pool_canvas(self.trace)

    @property
    def current(self) -> PoolStep:
        return self.trace.step(self.step)

    def with_(self, **changes: object) -> PoolLesson:
        """A new lesson with some settings changed (ValueError if the engine refuses them)."""
        return dataclasses.replace(self, **changes)


def lecture_pool_lesson() -> PoolLesson:
    """The lecture's 2x2 max pooling of a 4x4 input: 9 8 / 7 9."""
    return PoolLesson(LECTURE_MAX_POOL_INPUT)

"""The Pooling panel's state: one input plane, the pooling layer's settings, the step.

Immutable like the Stepper's ConvLesson: building one runs the engine, so settings PyTorch
would refuse raise the engine's ValueError before they reach the screen.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from convtui.core.examples import LECTURE_AVG_POOL_INPUT, LECTURE_MAX_POOL_INPUT
from convtui.core.pool import PoolKind, PoolStep, PoolTrace, pool_trace
from convtui.core.pool_canvas import PoolCanvas, pool_canvas

#: Where an input comes from, by the id the catalogue names it with (``pool.inputs.<id>``).
LECTURE_MAX, LECTURE_AVG, RANDOM, MNIST = "lecture_max", "lecture_avg", "random", "mnist"
INPUT_PRESETS = (LECTURE_MAX, LECTURE_AVG, RANDOM, MNIST)
#: The layer each preset comes with (a random input keeps the layer being explored).
PRESET_LAYERS: dict[str, dict[str, object]] = {
    name: {"kind": kind, "kernel_size": (2, 2), "stride": None, "padding": (0, 0),
           "dilation": (1, 1), "ceil_mode": False}
    for name, kind in ((LECTURE_MAX, "max"), (LECTURE_AVG, "avg"), (MNIST, "max"))
}


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
    input_name: str = LECTURE_MAX  # one of INPUT_PRESETS

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
    def step_count(self) -> int:
        return self.trace.step_count

    @property
    def current(self) -> PoolStep:
        return self.trace.step(self.step)

    def with_(self, **changes: object) -> PoolLesson:
        """A new lesson with some settings changed (ValueError if the engine refuses them)."""
        return dataclasses.replace(self, **changes)


def lecture_pool_lesson(name: str = LECTURE_MAX) -> PoolLesson:
    """One of the lecture's 2x2 poolings of a 4x4 input: max gives 9 8 / 7 9, average 1 2 / 3 2
    (stride = the kernel size, as in PyTorch)."""
    x = {LECTURE_MAX: LECTURE_MAX_POOL_INPUT, LECTURE_AVG: LECTURE_AVG_POOL_INPUT}[name]
    return PoolLesson(x, input_name=name, **PRESET_LAYERS[name])

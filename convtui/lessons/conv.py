"""The Stepper's (and Flip's) state: one input, one kernel, the layer's settings, the step.

Immutable: every key press builds a new lesson with ``dataclasses.replace`` and the widgets
redraw from it. Building a lesson runs the engine once, so an invalid combination raises the
engine's ValueError before it can reach the screen.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from convtui.core.conv import ConvStep, ConvTrace, conv_trace
from convtui.core.examples import LECTURE_INPUT, LECTURE_KERNEL
from convtui.core.geometry import Padding


@dataclass(frozen=True, eq=False)
class ConvLesson:
    x: np.ndarray  # (C, H, W)
    kernel: np.ndarray  # (C, kH, kW), as the user wrote it (before any flip)
    bias: float = 0.0
    stride: tuple[int, int] = (1, 1)
    padding: Padding = 0
    padding_mode: str = "zeros"
    dilation: tuple[int, int] = (1, 1)
    flip: bool = False
    step: int = 0
    input_name: str = "lecture"  # the Stepper's preset names (stepper.INPUT_PRESETS)
    kernel_name: str = "lecture"
    channel: int = 0  # which input channel the grids show

    def __post_init__(self) -> None:
        _ = self.trace  # validate now: an invalid lesson never exists
        object.__setattr__(self, "step", min(max(self.step, 0), self.trace.step_count - 1))
        object.__setattr__(self, "channel", min(max(self.channel, 0), self.channels - 1))

    @cached_property
    def trace(self) -> ConvTrace:
        return conv_trace(self.x, self.kernel, self.bias, self.stride, self.padding,
                          self.dilation, self.padding_mode, self.flip)

    @property
    def current(self) -> ConvStep:
        return self.trace.step(self.step)

    @property
    def step_count(self) -> int:
        return self.trace.step_count

    @property
    def channels(self) -> int:
        return self.x.shape[0]

    def with_(self, **changes: object) -> ConvLesson:
        """A new lesson with some settings changed (ValueError if the engine refuses them)."""
        return dataclasses.replace(self, **changes)


def lecture_lesson() -> ConvLesson:
    """The lecture's 5x5 input and 3x3 kernel: output 8 9 8 / 8 5 9 / 6 5 5."""
    return ConvLesson(LECTURE_INPUT[None], LECTURE_KERNEL[None])

"""The Transposed lesson's state: nn.ConvTranspose2d with one input and one output channel,
stepped in the scatter or the gather reading, with its output-size arithmetic.

Immutable like BackwardLesson; the presets are the three cases students meet: a U-Net decoder's
2x upsampling, undoing a stride-2 convolution of an odd size (output_padding decides the size),
and the lecture's example run backwards (its 3x3 output through the transposed layer back to
5x5, which is the Backward panel's grad_input).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from convtui.core import Explanation, StampTrace, conv2d, conv_transpose_trace
from convtui.core.examples import LECTURE_INPUT, LECTURE_KERNEL
from convtui.core.transpose import explain_transposed_shape, transposed_args
from convtui.lessons.backward import GATHER, SCATTER


@dataclass(frozen=True, eq=False)
class TransposedLesson:
    x: np.ndarray = field(default_factory=lambda: np.arange(1.0, 5.0).reshape(2, 2))
    kernel: np.ndarray = field(default_factory=lambda: np.ones((2, 2)))
    stride: int | tuple[int, int] = 2
    padding: int | tuple[int, int] = 0
    output_padding: int | tuple[int, int] = 0
    dilation: int | tuple[int, int] = 1
    bias: float = 0.0
    reading: str = SCATTER
    step: int = 0

    def __post_init__(self) -> None:
        if self.reading not in (SCATTER, GATHER):
            raise ValueError(f"unknown reading {self.reading!r}")
        object.__setattr__(self, "step", self.step % self.step_count)

    def with_(self, **changes: Any) -> TransposedLesson:
        return replace(self, **changes)

    @cached_property
    def trace(self) -> StampTrace:
        return conv_transpose_trace(self.x, self.kernel, self.bias, self.stride, self.padding,
                                    self.output_padding, self.dilation)

    @property
    def step_count(self) -> int:
        trace = self.trace
        return trace.scatter_step_count if self.reading == SCATTER else trace.gather_step_count

    @cached_property
    def output_size(self) -> tuple[Explanation, Explanation]:
        """(I-1)*S - 2P + D*(K-1) + output_padding + 1 for height and width, with the
        numbers."""
        args = transposed_args(self.stride, self.padding, self.output_padding, self.dilation)
        return explain_transposed_shape(self.x.shape, self.kernel.shape, args)

    def toggled(self) -> TransposedLesson:
        return self.with_(reading=GATHER if self.reading == SCATTER else SCATTER, step=0)


#: Preset ids, as the catalogue names them (``transposed.presets.<id>``).
UNET, ODD_SIZE, LECTURE_BACKWARDS = "unet", "odd_size", "lecture_backwards"
PRESETS = (UNET, ODD_SIZE, LECTURE_BACKWARDS)


def preset(name: str) -> TransposedLesson:
    """A U-Net decoder's k=2, s=2 upsampling of a 3x3 map to 6x6; a k=3, s=2, p=1 layer with
    output_padding=0 taking a stride-2 convolution's 3x3 output back to 5x5 (output_padding=1
    would give 6x6: both sizes map to 3 going forwards); the lecture's 3x3 output of all ones
    through the lecture's kernel back to 5x5."""
    if name == UNET:
        return TransposedLesson(x=np.arange(1.0, 10.0).reshape(3, 3), kernel=np.ones((2, 2)),
                                stride=2)
    if name == ODD_SIZE:
        return TransposedLesson(x=np.arange(1.0, 10.0).reshape(3, 3), kernel=LECTURE_KERNEL,
                                stride=2, padding=1, output_padding=0)
    if name == LECTURE_BACKWARDS:
        out = conv2d(LECTURE_INPUT, LECTURE_KERNEL)
        return TransposedLesson(x=np.ones(out.shape), kernel=LECTURE_KERNEL, stride=1)
    raise ValueError(f"unknown preset {name!r}")

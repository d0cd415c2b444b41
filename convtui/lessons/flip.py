"""The Flip panel's state: one input, one kernel and one layer, run twice in lockstep, as
cross-correlation (what nn.Conv2d computes) and as convolution (the kernel rotated 180°).

Immutable like ConvLesson, which it wraps: the cross-correlation lesson holds every setting and
the step, the convolution is the same lesson with ``flip=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from convtui.core.examples import KERNELS, LECTURE_INPUT, LECTURE_KERNEL, random_integers
from convtui.core.flip import (
    FlipRelation,
    differing_cells,
    flip_relation,
    impulse,
    impulse_position,
    output_difference,
)
from convtui.lessons.conv import ConvLesson

#: An asymmetric kernel whose every weight is different, so each one can be followed.
NUMBERED_KERNEL = np.arange(1.0, 10.0).reshape(3, 3)

#: The examples, by the id the catalogue names them with (``flip.examples.<id>``). NUMBERED
#: runs the lecture's input through a kernel whose every weight differs, so the flip matters.
LECTURE, BOX_BLUR, SOBEL, RANDOM, IMPULSE, NUMBERED, EDITED = (
    "lecture", "box_blur", "sobel", "random", "impulse", "numbered", "edited")
EXAMPLES = (LECTURE, BOX_BLUR, SOBEL, RANDOM, IMPULSE, NUMBERED)


@dataclass(frozen=True, eq=False)
class FlipLesson:
    correlation: ConvLesson  # flip=False; its kernel_name is the example's name

    @cached_property
    def convolution(self) -> ConvLesson:
        return self.correlation.with_(flip=True)

    @property
    def step(self) -> int:
        return self.correlation.step

    @property
    def step_count(self) -> int:
        return self.correlation.trace.step_count

    @property
    def kernel(self) -> np.ndarray:
        """The kernel W as written (kH, kW)."""
        return self.correlation.kernel[0]

    @cached_property
    def relation(self) -> FlipRelation:
        return flip_relation(self.kernel)

    @cached_property
    def impulse_at(self) -> tuple[int, int] | None:
        return impulse_position(self.correlation.x[0])

    @cached_property
    def difference(self) -> np.ndarray:
        return output_difference(self.correlation.trace.output,
                                 self.convolution.trace.output)

    @cached_property
    def differing(self) -> frozenset[tuple[int, int]]:
        return differing_cells(self.difference)

    def with_(self, **changes: object) -> FlipLesson:
        """A new pair with some settings changed (ValueError if the engine refuses them)."""
        return FlipLesson(self.correlation.with_(**changes))


def asymmetric_kernel(seed: int) -> np.ndarray:
    """Small random integers, redrawn until the 180° rotation changes the kernel."""
    while True:
        kernel = random_integers((3, 3), seed, -2, 3)
        if flip_relation(kernel) == "different":
            return kernel
        seed += 7919


def example_lesson(name: str, seed: int = 0) -> FlipLesson:
    """One of the teaching examples: input, kernel and padding, stride 1."""
    x, padding = LECTURE_INPUT, 0
    kernel = {LECTURE: LECTURE_KERNEL, BOX_BLUR: KERNELS["box blur"],
              SOBEL: KERNELS["sobel x"], IMPULSE: NUMBERED_KERNEL,
              NUMBERED: NUMBERED_KERNEL}.get(name)
    if name == RANDOM:
        kernel = asymmetric_kernel(seed)
    if kernel is None:
        raise KeyError(name)
    if name == IMPULSE:  # padding 1 shows the whole stamped kernel framed by zeros
        x, padding = impulse((5, 5)), 1
    return FlipLesson(ConvLesson(x[None], kernel[None], padding=padding, kernel_name=name))

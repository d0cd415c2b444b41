"""Where the Stepper's input and kernel come from: its presets, the arrays another panel hands
over, and how a preset gives an array of the size the user asked for.

Kept apart from the screen so the rules (a fixed-size input becomes a random one when its size
changes, an edited one is cut or zero-filled, a handed-over kernel keeps its size) are plain
functions of the lesson shown, tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.examples import KERNELS, LECTURE_INPUT, kernel_of_size, random_integers
from convtui.fields import FieldError
from convtui.i18n import t
from convtui.lessons.conv import ConvLesson

#: Input presets, by value; their labels are ``stepper.inputs.<value>``. LOADED is offered
#: only once arrays have been handed over.
LECTURE, RANDOM, MNIST, EDITED, LOADED = "lecture", "random", "mnist", "edited", "loaded"
INPUT_PRESETS = (LECTURE, RANDOM, MNIST, EDITED)
#: Inputs that come as they are: changing their size or channels switches to random integers.
FIXED_INPUTS = (LECTURE, MNIST, LOADED)
#: Kernel presets: the named kernels, then these (labels under ``stepper.kernels``).
KERNEL_PRESETS = (*KERNELS, RANDOM, EDITED)
#: The largest lesson the grids can show.
MAX_INPUT, MAX_CHANNELS, MAX_KERNEL = 64, 8, 15


@dataclass(frozen=True)
class Loaded:
    """Arrays handed over by another panel (as (1, H, W) and (1, kH, kW)) and where they came
    from, kept so the user can go back to them after trying other settings."""

    image: np.ndarray
    kernel: np.ndarray
    label: str
    normalised: bool = False  # an MNIST digit standardised with training's mean and std


def input_presets(loaded: Loaded | None) -> tuple[str, ...]:
    return (*INPUT_PRESETS, LOADED) if loaded is not None else INPUT_PRESETS


def kernel_presets(loaded: Loaded | None) -> tuple[str, ...]:
    return (*KERNEL_PRESETS, LOADED) if loaded is not None else KERNEL_PRESETS


def input_for(preset: str, shape: tuple[int, int, int], changed: str, lesson: ConvLesson,
              loaded: Loaded | None, seed: int) -> np.ndarray:
    """The input ``preset`` gives at ``shape`` (C, H, W), ``changed`` naming the field the
    user just changed: a random input is drawn anew only when asked for or resized."""
    if preset == LECTURE:
        return LECTURE_INPUT[None]
    if preset == LOADED and loaded is not None:
        return loaded.image
    if preset == RANDOM:
        if changed == "input-preset" or lesson.x.shape != shape or lesson.input_name != preset:
            return random_integers(shape, seed, 0, 9)
        return lesson.x
    # an MNIST digit stays as loaded; "edited" keeps the cells the user typed, resized if the
    # size changed
    return lesson.x if lesson.x.shape == shape else resized(lesson.x, shape)


def kernel_for(preset: str, shape: tuple[int, int, int], changed: str, lesson: ConvLesson,
               loaded: Loaded | None, seed: int) -> np.ndarray:
    """The kernel ``preset`` gives at ``shape`` (C, kH, kW); FieldError for a handed-over
    kernel asked for at another size (it has no other)."""
    c, kh, kw = shape
    if preset == RANDOM:
        if changed == "kernel-preset" or lesson.kernel.shape != shape or \
                lesson.kernel_name != preset:
            return random_integers(shape, seed + 1000, -1, 1)
        return lesson.kernel
    if preset == LOADED and loaded is not None:
        if loaded.kernel.shape != shape:
            _, lh, lw = loaded.kernel.shape
            raise FieldError(t("stepper.settings.loaded_kernel_fixed", size=f"{lh}×{lw}"))
        return loaded.kernel
    if preset == EDITED:
        return lesson.kernel if lesson.kernel.shape == shape else resized(lesson.kernel, shape)
    return np.repeat(kernel_of_size(preset, kh, kw)[None], c, axis=0)


def next_kernel(current: str) -> str:
    """The kernel preset after ``current`` (the first after an edited or loaded kernel)."""
    presets = [p for p in KERNEL_PRESETS if p != EDITED]
    return presets[(presets.index(current) + 1) % len(presets)] if current in presets \
        else presets[0]


def resized(values: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """``values`` cut or zero-filled to ``shape``, keeping the top-left cells."""
    out = np.zeros(shape)
    c, h, w = (min(a, b) for a, b in zip(shape, values.shape, strict=True))
    out[:c, :h, :w] = values[:c, :h, :w]
    return out


def arrays_problem(image: np.ndarray, kernel: np.ndarray) -> str:
    """Why the Stepper cannot show ``kernel`` (kH, kW) stepped across ``image`` (H, W), or
    ''."""
    for what, array in (("image", image), ("kernel", kernel)):
        name = t(f"stepper.loaded.{what}")
        if array.ndim != 2:
            return t("stepper.loaded.not_2d", what=name, shape=tuple(array.shape))
        if not np.isfinite(array).all():
            return t("stepper.loaded.not_finite", what=name)
    if max(image.shape) > MAX_INPUT or max(kernel.shape) > MAX_KERNEL:
        return t("stepper.loaded.too_big", image="×".join(map(str, image.shape)),
                 kernel="×".join(map(str, kernel.shape)))
    try:
        ConvLesson(image[None], kernel[None])
    except ValueError as err:  # e.g. a kernel bigger than the input: the engine says so
        return str(err)
    return ""

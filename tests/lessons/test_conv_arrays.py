"""The Stepper's array rules as plain functions: which input and kernel a preset gives at the
size asked for, without a terminal."""

from __future__ import annotations

import numpy as np
import pytest

from convtui.core.examples import KERNELS, LECTURE_INPUT
from convtui.fields import FieldError
from convtui.lessons.conv import ConvLesson, lecture_lesson
from convtui.lessons.conv_arrays import (
    EDITED,
    KERNEL_PRESETS,
    LECTURE,
    LOADED,
    RANDOM,
    Loaded,
    arrays_problem,
    input_for,
    input_presets,
    kernel_for,
    kernel_presets,
    next_kernel,
    resized,
)


def test_a_random_input_is_drawn_anew_only_when_asked_for_or_resized() -> None:
    lesson = lecture_lesson()
    first = input_for(RANDOM, (1, 5, 5), "input-preset", lesson, None, seed=3)
    shown = lesson.with_(x=first, input_name=RANDOM)
    assert input_for(RANDOM, (1, 5, 5), "stride", shown, None, seed=3) is shown.x
    bigger = input_for(RANDOM, (2, 6, 6), "in-size", shown, None, seed=3)
    assert bigger.shape == (2, 6, 6)
    assert not np.array_equal(input_for(RANDOM, (1, 5, 5), "input-preset", shown, None, 4),
                              first)


def test_the_lecture_and_loaded_inputs_come_as_they_are() -> None:
    lesson = lecture_lesson()
    assert np.array_equal(input_for(LECTURE, (1, 9, 9), "", lesson, None, 0), LECTURE_INPUT[None])
    loaded = Loaded(np.ones((1, 6, 6)), np.ones((1, 2, 2)), "from Train")
    assert input_for(LOADED, (1, 6, 6), "", lesson, loaded, 0) is loaded.image


def test_an_edited_input_is_cut_or_zero_filled_to_the_new_size() -> None:
    lesson = lecture_lesson().with_(input_name=EDITED)
    grown = input_for(EDITED, (2, 6, 7), "in-size", lesson, None, 0)
    assert grown.shape == (2, 6, 7)
    assert np.array_equal(grown[0, :5, :5], lesson.x[0])
    assert not grown[1].any() and not grown[0, 5:].any() and not grown[0, :, 5:].any()
    assert np.array_equal(resized(lesson.x, (1, 2, 3)), lesson.x[:, :2, :3])


@pytest.mark.parametrize("name", KERNELS)
def test_a_named_kernel_is_repeated_over_the_channels(name: str) -> None:
    kernel = kernel_for(name, (3, 3, 3), "kernel-preset", lecture_lesson(), None, 0)
    assert kernel.shape == (3, 3, 3)
    assert all(np.array_equal(kernel[0], kernel[c]) for c in range(3))


def test_a_loaded_kernel_keeps_its_size() -> None:
    loaded = Loaded(np.ones((1, 6, 6)), np.ones((1, 2, 2)), "from Train")
    lesson = lecture_lesson()
    assert kernel_for(LOADED, (1, 2, 2), "", lesson, loaded, 0) is loaded.kernel
    with pytest.raises(FieldError, match="2×2"):
        kernel_for(LOADED, (1, 3, 3), "kernel-size", lesson, loaded, 0)


def test_loaded_arrays_add_a_preset_and_next_kernel_cycles_the_named_ones() -> None:
    loaded = Loaded(np.ones((1, 6, 6)), np.ones((1, 2, 2)), "x")
    assert LOADED not in input_presets(None) and input_presets(loaded)[-1] == LOADED
    assert LOADED not in kernel_presets(None) and kernel_presets(loaded)[-1] == LOADED
    cycle = [p for p in KERNEL_PRESETS if p != EDITED]
    assert [next_kernel(p) for p in cycle] == [*cycle[1:], cycle[0]]
    assert next_kernel(EDITED) == next_kernel(LOADED) == cycle[0]


@pytest.mark.parametrize(("image", "kernel", "part"), [
    (np.ones((3, 4, 4)), np.ones((2, 2)), "(3, 4, 4)"),
    (np.ones((4, 4)), np.full((2, 2), np.nan), "kernel"),
    (np.ones((65, 4)), np.ones((2, 2)), "65×4"),
    (np.ones((2, 2)), np.ones((3, 3)), "kernel"),  # the engine refuses it
])
def test_arrays_the_stepper_cannot_show_are_refused_with_a_reason(image, kernel, part) -> None:
    problem = arrays_problem(image, kernel)
    assert problem and part in problem
    assert arrays_problem(np.ones((5, 5)), np.ones((3, 3))) == ""
    assert ConvLesson(np.ones((1, 5, 5)), np.ones((1, 3, 3))).step_count == 9

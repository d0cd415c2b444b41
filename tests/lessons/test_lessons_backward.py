"""The Backward and Transposed lessons hold what torch computes for the losses they name.

Each output-gradient choice is the gradient of a loss written in torch (sum, one cell, sum of
squares) on random inputs and settings; both readings of grad_input end at torch's x.grad; the
presets have the sizes torch's ConvTranspose2d gives and the lecture run backwards is the
Backward lesson's grad_input.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convtui.core.errors import ArgumentError
from convtui.lessons.backward import (
    GATHER,
    ONE_HOT,
    ONES,
    SCATTER,
    SUM_OF_SQUARES,
    BackwardLesson,
)
from convtui.lessons.transposed import LECTURE_BACKWARDS, ODD_SIZE, PRESETS, UNET, preset

LOSSES = {ONES: lambda out, cell: out.sum(), ONE_HOT: lambda out, cell: out[cell],
          SUM_OF_SQUARES: lambda out, cell: (out**2).sum()}


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(gradient=st.sampled_from(tuple(LOSSES)), seed=st.integers(0, 2**16),
       size=st.integers(3, 6), k=st.integers(1, 3), stride=st.integers(1, 2),
       padding=st.integers(0, 1), cell=st.tuples(st.integers(0, 9), st.integers(0, 9)))
def test_each_gradient_choice_is_the_gradient_of_its_loss(gradient, seed, size, k, stride,
                                                          padding, cell) -> None:
    rng = np.random.default_rng(seed)
    x, kernel = rng.standard_normal((size, size)), rng.standard_normal((k, k))
    lesson = BackwardLesson(x=x, kernel=kernel, stride=stride, padding=padding,
                            gradient=gradient, hot_cell=cell)
    xt = torch.tensor(x[None, None], requires_grad=True)
    wt = torch.tensor(kernel[None, None], requires_grad=True)
    out = F.conv2d(xt, wt, None, stride, padding)[0, 0]
    oh, ow = out.shape
    LOSSES[gradient](out, (cell[0] % oh, cell[1] % ow)).backward()
    np.testing.assert_allclose(lesson.grad_input.output[0], xt.grad[0, 0].numpy(), atol=1e-9)
    np.testing.assert_allclose(lesson.grad_weight.output[0], wt.grad[0, 0].numpy(), atol=1e-9)
    last = lesson.grad_input.scatter_step(lesson.step_count - 1).running
    gathered = [lesson.toggled().grad_input.gather_step(i).total
                for i in range(lesson.toggled().step_count)]
    np.testing.assert_allclose(last[0], xt.grad[0, 0].numpy(), atol=1e-9)
    np.testing.assert_allclose(np.reshape(gathered, (size, size)), xt.grad[0, 0].numpy(),
                               atol=1e-9)


def test_the_lecture_default_and_its_rotation_terms() -> None:
    lesson = BackwardLesson()
    assert lesson.reading == SCATTER and lesson.step_count == 9
    assert lesson.toggled().reading == GATHER and lesson.toggled().step_count == 25
    assert lesson.grad_bias == 9.0
    terms = lesson.rotation_terms(1, 1)
    # input cell (1, 1) is read by output cells (0..1, 0..1) through W[1-r, 1-c]
    assert [(out, w) for out, w, _, _ in terms] == [
        ((0, 0), (1, 1)), ((0, 1), (1, 0)), ((1, 0), (0, 1)), ((1, 1), (0, 0))]
    assert sum(g * w for _, _, g, w in terms) == lesson.grad_input.output[0, 1, 1]


def test_a_step_wraps_and_bad_settings_are_refused() -> None:
    assert BackwardLesson(step=9).step == 0
    with pytest.raises(ArgumentError, match=r"^stride:"):
        BackwardLesson(stride=0)
    with pytest.raises(ArgumentError, match=r"^grad_output:"):
        BackwardLesson(gradient="edited", edited=np.ones((2, 2)))


@pytest.mark.parametrize("name", PRESETS)
def test_presets_have_torch_sizes_and_numbers(name: str) -> None:
    lesson = preset(name)
    layer = torch.nn.ConvTranspose2d(1, 1, lesson.kernel.shape, lesson.stride, lesson.padding,
                                     lesson.output_padding, bias=False,
                                     dilation=lesson.dilation, dtype=torch.float64)
    layer.weight = torch.nn.Parameter(torch.tensor(lesson.kernel[None, None]))
    with torch.no_grad():
        expected = layer(torch.tensor(lesson.x[None, None]))[0, 0].numpy()
    assert tuple(e.value for e in lesson.output_size) == expected.shape
    np.testing.assert_allclose(lesson.trace.output[0], expected, atol=1e-9)
    assert {UNET: (6, 6), ODD_SIZE: (5, 5), LECTURE_BACKWARDS: (5, 5)}[name] == expected.shape


def test_the_lecture_run_backwards_is_the_backward_lessons_grad_input() -> None:
    np.testing.assert_array_equal(preset(LECTURE_BACKWARDS).trace.output,
                                  BackwardLesson().grad_input.output)
    assert preset(ODD_SIZE).with_(output_padding=1).output_size[0].value == 6

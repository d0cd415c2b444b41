"""The Backward panel's views against torch autograd on random layers and output gradients
(Hypothesis): the scatter reading's last stamp, every gather step and every grad_weight step
show torch's numbers, and the code tab's script prints exactly what the grids show."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from convtui.lessons.backward import EDITED, GATHER, GRADIENTS, SCATTER, WEIGHT, BackwardLesson
from convtui.ui.backward.views import current_cell, pytorch_code, result_view, why_line
from tests.ui.lesson_scripts import printed_tensors, shown

EXAMPLES = settings(max_examples=40, deadline=None)


@st.composite
def lessons(draw: st.DrawFn) -> BackwardLesson:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ints = draw(st.booleans())

    def array(shape: tuple[int, int]) -> np.ndarray:
        return rng.integers(-3, 6, shape).astype(float) if ints else rng.normal(0, 2, shape)

    x = array((draw(st.integers(3, 6)), draw(st.integers(3, 6))))
    kernel = array((draw(st.integers(1, 3)), draw(st.integers(1, 3))))
    gradient = draw(st.sampled_from((*GRADIENTS, EDITED)))
    try:
        lesson = BackwardLesson(
            x=x, kernel=kernel, stride=draw(st.tuples(st.integers(1, 3), st.integers(1, 3))),
            padding=draw(st.one_of(st.integers(0, 2), st.sampled_from(["same", "valid"]))),
            dilation=draw(st.tuples(st.integers(1, 2), st.integers(1, 2))),
            hot_cell=(draw(st.integers(0, 5)), draw(st.integers(0, 5))),
            seed=draw(st.integers(0, 99)))
    except ValueError:  # a layer PyTorch refuses too (a kernel larger than the input)
        reject()
    if gradient == EDITED:
        return lesson.with_(gradient=EDITED, edited=array(lesson.output.shape))
    return lesson.with_(gradient=gradient)


def autograd(lesson: BackwardLesson) -> tuple[np.ndarray, np.ndarray, float]:
    xt = torch.tensor(lesson.x[None, None], requires_grad=True)
    wt = torch.tensor(lesson.kernel[None, None], requires_grad=True)
    bt = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    out = F.conv2d(xt, wt, bt, lesson.stride, lesson.padding, lesson.dilation)
    out.backward(torch.tensor(lesson.grad_output[None, None]))
    return xt.grad[0, 0].numpy(), wt.grad[0, 0].numpy(), float(bt.grad[0])


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@given(lessons())
@EXAMPLES
def test_every_reading_shows_what_autograd_computes(lesson: BackwardLesson) -> None:
    grad_input, grad_weight, grad_bias = autograd(lesson)
    scatter = lesson.with_(reading=SCATTER)
    last = scatter.with_(step=scatter.step_count - 1)
    np.testing.assert_allclose(result_view(last).values, grad_input, atol=1e-9)
    gather = lesson.with_(reading=GATHER)
    for step in range(gather.step_count):
        r, c = divmod(step, grad_input.shape[1])
        name, value = current_cell(gather.with_(step=step))
        assert name == f"grad_input[{r},{c}]"
        assert value == pytest.approx(grad_input[r, c], abs=1e-9)
    weight = lesson.with_(reading=WEIGHT)
    for step in range(weight.step_count):
        r, c = divmod(step, grad_weight.shape[1])
        name, value = current_cell(weight.with_(step=step))
        assert name == f"grad_weight[{r},{c}]"
        assert value == pytest.approx(grad_weight[r, c], abs=1e-9)
    assert lesson.grad_bias == pytest.approx(grad_bias, abs=1e-9)
    assert why_line(lesson).startswith("Why rot180(W)")


@given(lessons())
@EXAMPLES
def test_the_code_tab_prints_the_three_gradients_the_panel_shows(lesson: BackwardLesson) -> None:
    printed = printed_tensors(pytorch_code(lesson))
    assert printed == [shown(lesson.grad_input.output[0]), shown(lesson.grad_weight.output[0]),
                       shown(np.array([lesson.grad_bias]))]


def test_the_why_line_reads_the_lecture_example_with_its_numbers() -> None:
    line = why_line(BackwardLesson())
    assert "grad_input[0,1] = g[0,0]·W[0,1] + g[0,1]·W[0,0] = 1·0 + 1·1 = 1" in line

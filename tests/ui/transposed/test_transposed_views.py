"""What the Transposed panel's views show, on many random layers, against torch itself: the
scatter reading's output after its last stamp, the gather reading's every cell, and the code
tab's script (run with torch) printing the same output."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convtui.lessons.transposed import TransposedLesson
from convtui.ui.transposed.views import output_view, pytorch_code


@st.composite
def lessons(draw: st.DrawFn) -> TransposedLesson:
    """Up to 5x5 inputs, 4x4 kernels, strides and dilations up to 3, any padding and
    output_padding that torch accepts (an output of at least one cell)."""
    h, w, kh, kw = (draw(st.integers(1, hi)) for hi in (5, 5, 4, 4))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    op = tuple(draw(st.integers(0, max(s[a], d[a]) - 1)) for a in (0, 1))
    p = tuple(draw(st.integers(0, ((size - 1) * s[a] + d[a] * (k - 1) + op[a]) // 2))
              for a, size, k in ((0, h, kh), (1, w, kw)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1), label="seed"))
    x = rng.integers(-3, 4, (h, w)).astype(np.float64)
    kernel = rng.normal(size=(kh, kw))
    return TransposedLesson(x=x, kernel=kernel, stride=s, padding=p, output_padding=op,
                            dilation=d, bias=float(draw(st.integers(-2, 2))))


def torch_output(lesson: TransposedLesson) -> np.ndarray:
    return F.conv_transpose2d(
        torch.from_numpy(lesson.x)[None, None], torch.from_numpy(lesson.kernel)[None, None],
        torch.tensor([lesson.bias], dtype=torch.float64), lesson.stride, lesson.padding,
        lesson.output_padding, 1, lesson.dilation)[0, 0].numpy()


@settings(max_examples=60, deadline=None)
@given(lessons())
def test_both_readings_show_what_torch_computes(lesson: TransposedLesson) -> None:
    expected = torch_output(lesson)
    scatter = lesson.with_(step=lesson.trace.scatter_step_count - 1)
    np.testing.assert_allclose(output_view(scatter).values, expected, rtol=0, atol=1e-9)
    gather = lesson.toggled()
    totals = [gather.trace.gather_step(i).total for i in range(gather.step_count)]
    np.testing.assert_allclose(np.reshape(totals, expected.shape), expected, rtol=0,
                               atol=1e-9)
    np.testing.assert_allclose(output_view(gather).values, expected, rtol=0, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(lessons())
def test_the_script_prints_what_torch_computes(lesson: TransposedLesson) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(pytorch_code(lesson), "<code tab>", "exec"), {})
    lines = printed.getvalue().splitlines()
    expected = torch_output(lesson)
    assert lines[0] == str((1, 1, *expected.shape))
    values = np.array([[float(v) for v in line.split()] for line in lines[1:]])
    np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-5)  # printed with :g

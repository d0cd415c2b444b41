"""The gradient traces' steps are the numbers torch.autograd computes, in both readings.

For random single-output-channel convolutions (channels, non-square kernels, stride, padding
including "same", dilation): every scatter step adds exactly value x kernel onto the cells its
window covers and the last running grad_input is torch's x.grad; every gather step's sum of
products is torch's x.grad at that cell, over a grid built here independently (np.insert of
stride-1 zeros, then np.pad or cropping by dilation*(k-1) - padding); every grad_weight step
sums to torch's weight.grad; grad_bias is torch's bias.grad.
"""

from __future__ import annotations

import numpy as np
from core_backward_reference import independent_gather_grid, torch_conv2d_grads
from core_strategies import as_pair, ints_or_pairs, random_generator, span
from core_torch_reference import TOLERANCE, examples
from hypothesis import given
from hypothesis import strategies as st

from convtui.core import conv2d, grad_input_trace, grad_weight_trace
from convtui.core.geometry import conv_padding


@st.composite
def trace_cases(draw: st.DrawFn) -> dict:
    channels = draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.one_of(st.just(1), ints_or_pairs(1, 3)))
    dilation = draw(st.one_of(st.just(1), ints_or_pairs(1, 2)))
    padding = draw(st.one_of(ints_or_pairs(0, 2), st.sampled_from(("same", "valid"))))
    if padding == "same":
        stride = 1
    dh, dw = as_pair(dilation)
    h = draw(st.integers(span(kh, dh), span(kh, dh) + 4))
    w = draw(st.integers(span(kw, dw), span(kw, dw) + 4))
    rng = random_generator(draw)
    x = rng.standard_normal((channels, h, w))
    weight = rng.standard_normal((channels, kh, kw))
    out = conv2d(x, weight[None], None, stride, padding, dilation)[0]
    if draw(st.booleans()):
        x, weight = x[0], weight[0]  # the lesson's (H, W) form
    return {"x": x, "weight": weight, "grad_output": rng.standard_normal(out.shape),
            "stride": stride, "padding": padding, "dilation": dilation}


def torch_case(case: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = case["x"] if case["x"].ndim == 3 else case["x"][None]
    weight = case["weight"] if case["weight"].ndim == 3 else case["weight"][None]
    gi, gw, gb = torch_conv2d_grads(x[None], weight[None], case["grad_output"][None, None],
                                    case["stride"], case["padding"], case["dilation"], 1)
    return gi[0], gw[0], gb


@examples(400)
@given(trace_cases())
def test_every_grad_input_step_in_both_readings_sums_to_autograd(case: dict) -> None:
    args = {k: case[k] for k in ("stride", "padding", "dilation")}
    grad_input, _, _ = torch_case(case)
    trace = grad_input_trace(case["x"], case["weight"], case["grad_output"], **args)
    np.testing.assert_allclose(trace.output, grad_input, rtol=0, atol=TOLERANCE)
    before = np.zeros_like(trace.output)
    for index in range(trace.scatter_step_count):
        step = trace.scatter_step(index)
        assert step.value == case["grad_output"][step.row, step.col]
        added = step.running - before
        expected = np.zeros_like(added)
        for i, r in enumerate(step.rows):
            for j, c in enumerate(step.cols):
                if step.inside[i, j]:
                    expected[:, r, c] += step.contributions[:, i, j]
        np.testing.assert_allclose(added, expected, rtol=0, atol=TOLERANCE)
        before = step.running
    np.testing.assert_allclose(before, grad_input, rtol=0, atol=TOLERANCE)
    geom = trace.geometry
    kernel = geom.kernel
    pads = conv_padding(case["padding"], kernel, geom.stride, geom.dilation)
    grid = independent_gather_grid(case["grad_output"], kernel, geom.stride, geom.dilation,
                                   (pads[0], pads[2]), geom.target_size)
    np.testing.assert_array_equal(trace.gathered[0], grid)
    for index in range(trace.gather_step_count):
        step = trace.gather_step(index)
        assert abs(step.total - grad_input[step.channel, step.row, step.col]) <= TOLERANCE
        np.testing.assert_array_equal(step.weights, trace.weights[:, step.channel, ::-1, ::-1])
        for i, sr in enumerate(step.source_rows):
            for j, sc in enumerate(step.source_cols):
                held = case["grad_output"][sr, sc] if sr >= 0 and sc >= 0 else 0.0
                assert step.values[0, i, j] == held


@examples(400)
@given(trace_cases())
def test_every_grad_weight_step_sums_to_autograd(case: dict) -> None:
    args = {k: case[k] for k in ("stride", "padding", "dilation")}
    _, grad_weight, grad_bias = torch_case(case)
    trace = grad_weight_trace(case["x"], case["weight"], case["grad_output"], **args)
    np.testing.assert_allclose(trace.output, grad_weight, rtol=0, atol=TOLERANCE)
    assert abs(trace.grad_bias - grad_bias[0]) <= TOLERANCE
    x = case["x"] if case["x"].ndim == 3 else case["x"][None]
    for index in range(trace.step_count):
        step = trace.step(index)
        assert abs(step.total - grad_weight[step.channel, step.row, step.col]) <= TOLERANCE
        for a, r in enumerate(step.rows):
            for b, c in enumerate(step.cols):
                inside = 0 <= r < x.shape[1] and 0 <= c < x.shape[2]
                assert step.is_pad[a, b] == (not inside)
                assert step.values[a, b] == (x[step.channel, r, c] if inside else 0.0)

"""conv_transpose_trace's two readings are the numbers F.conv_transpose2d computes.

For random single-output-channel transposed convolutions (input channels, non-square kernels,
stride, padding, output_padding, dilation, bias): every scatter step adds value x kernel onto
the output cells its stamp covers (cropped by padding), the last running output plus the bias
is torch's; every gather step's products, over a grid built here independently (zeros
inserted, padded by dilation*(k-1) - padding), sum to torch's output cell; the output-size
lines give torch's shape. Arguments torch refuses are refused too.
"""

from __future__ import annotations

import numpy as np
from core_backward_reference import independent_gather_grid
from core_strategies import as_pair, ints_or_pairs, random_generator
from core_torch_reference import TOLERANCE, examples, run_torch, torch_conv_transpose2d
from hypothesis import event, given
from hypothesis import strategies as st

from convtui.core import conv_transpose_trace
from convtui.core.transpose import explain_transposed_shape, transposed_args


@st.composite
def transposed_cases(draw: st.DrawFn, near_limits: bool) -> dict:
    channels = draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = draw(ints_or_pairs(1, 3))
    dilation = draw(st.one_of(st.just(1), ints_or_pairs(1, 2)))
    if near_limits:
        output_padding = draw(ints_or_pairs(0, 3))
    else:
        limits = [max(s, d) for s, d in zip(as_pair(stride), as_pair(dilation), strict=True)]
        output_padding = tuple(draw(st.integers(0, limit - 1)) for limit in limits)
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = random_generator(draw)
    x = rng.standard_normal((channels, h, w))
    weight = rng.standard_normal((channels, kh, kw))
    if channels == 1 and draw(st.booleans()):
        x, weight = x[0], weight[0]
    return {"x": x, "weight": weight, "bias": float(rng.standard_normal()),
            "stride": stride, "padding": draw(ints_or_pairs(0, 4 if near_limits else 2)),
            "output_padding": output_padding, "dilation": dilation}


def check_trace(case: dict) -> None:
    x = case["x"] if case["x"].ndim == 3 else case["x"][None]
    weight = case["weight"] if case["weight"].ndim == 3 else case["weight"][None]
    args = {k: case[k] for k in ("stride", "padding", "output_padding", "dilation")}
    expected = run_torch(lambda: torch_conv_transpose2d(
        x, weight[:, None], np.array([case["bias"]]), groups=1, **args)[0])
    if isinstance(expected, Exception):
        try:
            conv_transpose_trace(case["x"], case["weight"], case["bias"], **args)
        except ValueError:
            event("both refused")
            return
        raise AssertionError(f"torch refused ({expected}) but the trace did not")
    event("same numbers")
    trace = conv_transpose_trace(case["x"], case["weight"], case["bias"], **args)
    np.testing.assert_allclose(trace.output[0], expected, rtol=0, atol=TOLERANCE)
    explained = explain_transposed_shape(x.shape[1:], weight.shape[1:], transposed_args(**args))
    assert tuple(e.value for e in explained) == expected.shape
    before = np.zeros_like(trace.output)
    for index in range(trace.scatter_step_count):
        step = trace.scatter_step(index)
        assert step.value == x[step.channel, step.row, step.col]
        added = step.running - before
        wanted = np.zeros_like(added)
        for i, r in enumerate(step.rows):
            for j, c in enumerate(step.cols):
                if step.inside[i, j]:
                    wanted[:, r, c] += step.contributions[:, i, j]
        np.testing.assert_allclose(added, wanted, rtol=0, atol=TOLERANCE)
        before = step.running
    np.testing.assert_allclose(before[0] + case["bias"], expected, rtol=0, atol=TOLERANCE)
    geom = trace.geometry
    for channel in range(x.shape[0]):
        grid = independent_gather_grid(x[channel], geom.kernel, geom.stride, geom.dilation,
                                       geom.crop, geom.target_size)
        np.testing.assert_array_equal(trace.gathered[channel], grid)
    for index in range(trace.gather_step_count):
        step = trace.gather_step(index)
        assert abs(step.total - expected[step.row, step.col]) <= TOLERANCE
        np.testing.assert_array_equal(step.weights, weight[:, ::-1, ::-1])


@examples(800)
@given(transposed_cases(near_limits=False))
def test_both_readings_of_every_transposed_step_match_torch(case: dict) -> None:
    check_trace(case)


@examples(300)
@given(transposed_cases(near_limits=True))
def test_the_transposed_trace_refuses_what_torch_refuses(case: dict) -> None:
    check_trace(case)


def test_every_scatter_step_into_a_cell_is_listed() -> None:
    """The lecture's kernel stamped from a 2x2 input at stride 1: the centre cell of the 4x4
    output is covered by all four stamps, a corner by one."""
    trace = conv_transpose_trace(np.ones((2, 2)), np.ones((3, 3)))
    assert trace.scatter_steps_into(0, 1, 1) == [0, 1, 2, 3]
    assert trace.scatter_steps_into(0, 0, 0) == [0]
    assert trace.output[0, 1, 1] == 4

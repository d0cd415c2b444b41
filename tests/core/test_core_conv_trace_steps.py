"""conv_trace's steps are the multiply-and-sum behind each number conv2d (and torch) gives.

For every step of random traces: the step's total is the output cell torch computes, products
are values times weights, pad cells are flagged, and for reflect / replicate / circular padding
each window cell names the input cell it copies, as torch's own F.pad copies it.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
import torch.nn.functional as F
from core_strategies import random_generator, span
from core_torch_reference import (
    TOLERANCE,
    examples,
    tensor,
    torch_conv2d,
    torch_conv_module,
)
from hypothesis import given
from hypothesis import strategies as st

from convtui.core import conv_trace
from convtui.core.geometry import PADDING_MODES

TORCH_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate",
                  "circular": "circular"}


def smallest_size(kernel: int, dilation: int, pads: tuple[int, int], mode: str) -> int:
    """The smallest input size torch accepts along one axis for these arguments."""
    size = max(1, span(kernel, dilation) - sum(pads))
    if mode == "reflect":
        size = max(size, max(pads) + 1)
    if mode == "circular":
        size = max(size, max(pads))
    return size


def side_pads(padding, axis: int, kernel: int, dilation: int) -> tuple[int, int]:
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        total = dilation * (kernel - 1)
        return (total // 2, total - total // 2)
    return (padding[axis],) * 2


@st.composite
def trace_cases(draw: st.DrawFn) -> dict:
    channels = draw(st.sampled_from((None, 1, 2, 3)))  # None: a plain (H, W) plane
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = draw(st.one_of(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                             st.sampled_from(("same", "valid"))))
    stride = (1, 1) if padding == "same" else (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    mode = draw(st.sampled_from(PADDING_MODES))
    h, w = (
        draw(st.integers(low, low + 5))
        for low in (smallest_size(kernel[a], dilation[a],
                                  side_pads(padding, a, kernel[a], dilation[a]), mode)
                    for a in (0, 1))
    )
    rng = random_generator(draw)
    lead = () if channels is None else (channels,)
    return {
        "x": rng.standard_normal((*lead, h, w)),
        "weight": rng.standard_normal((*lead, *kernel)),
        "bias": float(rng.standard_normal()) if draw(st.booleans()) else 0.0,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "padding_mode": mode,
        "flip": draw(st.booleans()),
    }


def torch_output(case: dict) -> np.ndarray:
    x = case["x"] if case["x"].ndim == 3 else case["x"][None]
    weight = case["weight"] if case["weight"].ndim == 3 else case["weight"][None]
    if case["flip"]:
        weight = weight[..., ::-1, ::-1]
    return torch_conv2d(
        x, weight[None], np.array([case["bias"]]), case["stride"], case["padding"],
        case["dilation"], 1, case["padding_mode"],
    ).numpy()[0]


def torch_sources(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each padded position along one axis, the input index torch's F.pad copies there
    (-1 for a zero pad): pad a ramp 0..size-1 and read it back."""
    ramp = tensor(np.arange(size)).reshape(1, 1, size, 1)
    extra = {"value": -1.0} if mode == "constant" else {}
    return F.pad(ramp, (0, 0, before, after), mode=mode, **extra).reshape(-1).numpy()


def case_args(case: dict) -> dict:
    return {k: v for k, v in case.items() if k not in ("x", "weight")}


@examples(700)
@given(trace_cases())
def test_every_step_adds_up_to_the_output_cell_torch_computes(case: dict) -> None:
    trace = conv_trace(case["x"], case["weight"], **case_args(case))
    expected = torch_output(case)
    np.testing.assert_allclose(trace.output, expected, rtol=0, atol=TOLERANCE)
    assert trace.step_count == expected.size
    out_w = expected.shape[1]
    for index in range(trace.step_count):
        step = trace.step(index)
        assert (step.out_row, step.out_col) == divmod(index, out_w)
        assert trace.step_of(step.out_row, step.out_col) == index
        assert abs(step.total - expected[step.out_row, step.out_col]) <= TOLERANCE
        np.testing.assert_array_equal(step.products, step.values * step.weights)
        assert abs(step.channel_sums.sum() + step.bias - step.total) <= TOLERANCE


@examples(500)
@given(trace_cases())
def test_steps_show_the_kernel_as_applied_flipped_for_true_convolution(case: dict) -> None:
    trace = conv_trace(case["x"], case["weight"], **case_args(case))
    weight = case["weight"] if case["weight"].ndim == 3 else case["weight"][None]
    applied = weight[:, ::-1, ::-1] if case["flip"] else weight
    np.testing.assert_array_equal(trace.step(0).weights, applied)
    assert trace.step(0).bias == case["bias"]


@examples(500)
@given(trace_cases())
def test_pad_cells_are_flagged_and_name_the_input_cell_they_copy(case: dict) -> None:
    trace = conv_trace(case["x"], case["weight"], **case_args(case))
    x = case["x"] if case["x"].ndim == 3 else case["x"][None]
    _, h, w = x.shape
    top, bottom, left, right = trace.geometry.pads
    mode = TORCH_PAD_MODE[case["padding_mode"]]
    row_source = torch_sources(h, top, bottom, mode)
    col_source = torch_sources(w, left, right, mode)
    for index in range(trace.step_count):
        step = trace.step(index)
        for i, row in enumerate(step.rows):
            for j, col in enumerate(step.cols):
                outside = not (0 <= row < h and 0 <= col < w)
                assert step.is_pad[i, j] == outside
                src_row, src_col = row_source[row + top], col_source[col + left]
                assert (step.source_rows[i], step.source_cols[j]) == (src_row, src_col)
                if src_row < 0 or src_col < 0:
                    np.testing.assert_array_equal(step.values[:, i, j], 0.0)
                else:
                    np.testing.assert_array_equal(step.values[:, i, j],
                                                  x[:, int(src_row), int(src_col)])


@examples(200)
@given(trace_cases())
def test_outputs_using_an_input_cell_are_those_whose_gradient_it_reaches(case: dict) -> None:
    """Which outputs read an input cell, directly or through a copied pad cell, checked with
    torch's autograd: exactly the outputs whose gradient reaches that cell."""
    trace = conv_trace(case["x"], case["weight"], **case_args(case))
    x = case["x"] if case["x"].ndim == 3 else case["x"][None]
    weight = case["weight"] if case["weight"].ndim == 3 else case["weight"][None]
    if case["flip"]:
        weight = weight[..., ::-1, ::-1]

    conv = torch_conv_module(x.shape[0], weight[None], None, case["stride"], case["padding"],
                             case["dilation"], 1, case["padding_mode"])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using padding='same'")
        jacobian = torch.autograd.functional.jacobian(lambda inp: conv(inp)[0], tensor(x))
    reaches = (jacobian.detach().numpy() != 0).any(axis=2)  # (out_h, out_w, H, W)
    for row in range(x.shape[1]):
        for col in range(x.shape[2]):
            expected = sorted(map(tuple, np.argwhere(reaches[:, :, row, col]).tolist()))
            assert trace.outputs_using(row, col) == expected

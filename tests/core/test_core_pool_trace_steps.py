"""pool_trace's steps explain each pooled number exactly as torch computes it.

For every step of random traces: the step's value is torch's output cell; for max pooling the
winning cell is the one ``return_indices=True`` names (the first maximum, ties included); for
average pooling the sum and the divisor are torch's (count_include_pad on or off, ceil_mode
windows that hang past the input included).
"""

from __future__ import annotations

import numpy as np
import torch.nn.functional as F
from core_strategies import random_generator, span
from core_torch_reference import (
    TOLERANCE,
    examples,
    tensor,
    torch_max_pool_indices,
    torch_pool2d,
)
from hypothesis import given
from hypothesis import strategies as st

from convtui.core import pool_trace
from convtui.core.pool import CELL_INPUT, CELL_OUTSIDE, CELL_PAD


@st.composite
def pool_trace_cases(draw: st.DrawFn, kinds: tuple[str, ...] = ("max", "avg")) -> dict:
    kind = draw(st.sampled_from(kinds))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) if kind == "max" else (1, 1)
    low = [max(1, span(k, d) - 2 * p)
           for k, p, d in zip(kernel, padding, dilation, strict=True)]
    h, w = draw(st.integers(low[0], low[0] + 6)), draw(st.integers(low[1], low[1] + 6))
    rng = random_generator(draw)
    if draw(st.booleans()):
        plane = rng.integers(-2, 3, size=(h, w)).astype(np.float64)  # ties in most windows
    else:
        plane = rng.standard_normal((h, w))
    return {
        "x": plane,
        "kind": kind,
        "kernel_size": kernel,
        "stride": draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3)))),
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }


def torch_avg(plane: np.ndarray, case: dict, **extra) -> np.ndarray:
    return F.avg_pool2d(
        tensor(plane)[None], case["kernel_size"], case["stride"], case["padding"],
        case["ceil_mode"], **({"count_include_pad": case["count_include_pad"]} | extra),
    )[0].numpy()


@examples(800)
@given(pool_trace_cases())
def test_every_step_gives_the_output_cell_torch_computes(case: dict) -> None:
    trace = pool_trace(**case)
    expected = torch_pool2d(case["x"][None], **{k: v for k, v in case.items() if k != "x"})
    expected = expected[0].numpy()
    np.testing.assert_allclose(trace.output, expected, rtol=0, atol=TOLERANCE)
    assert trace.step_count == expected.size
    for index in range(trace.step_count):
        step = trace.step(index)
        assert (step.out_row, step.out_col) == divmod(index, expected.shape[1])
        np.testing.assert_allclose(step.value, expected[step.out_row, step.out_col], rtol=0,
                                   atol=TOLERANCE)


@examples(800)
@given(pool_trace_cases(kinds=("max",)))
def test_max_pool_winner_is_the_cell_torch_return_indices_names(case: dict) -> None:
    trace = pool_trace(**case)
    values, indices = torch_max_pool_indices(
        case["x"][None], case["kernel_size"], case["stride"], case["padding"], case["dilation"],
        case["ceil_mode"],
    )
    width = case["x"].shape[1]
    for index in range(trace.step_count):
        step = trace.step(index)
        if step.winner is None:  # a dilated window that lands only on padding
            assert step.index is None
            assert step.value == values[0, step.out_row, step.out_col] == -np.inf
            assert not (step.cells == CELL_INPUT).any()
            continue
        assert step.index == indices[0, step.out_row, step.out_col]
        i, j = step.winner
        assert step.cells[i, j] == CELL_INPUT
        assert step.rows[i] * width + step.cols[j] == step.index
        assert step.values[i, j] == step.value == case["x"][step.rows[i], step.cols[j]]


@examples(800)
@given(pool_trace_cases(kinds=("avg",)))
def test_avg_pool_step_divides_torchs_window_sum_by_torchs_divisor(case: dict) -> None:
    """torch's sum is avg_pool2d with divisor_override=1; its divisor is the number of input
    cells in the window (pooling ones with divisor_override=1) over the average of ones."""
    trace = pool_trace(**case)
    ones = np.ones_like(case["x"])
    sums = torch_avg(case["x"], case, divisor_override=1)
    counts = torch_avg(ones, case, divisor_override=1)
    divisors = np.rint(counts / torch_avg(ones, case)).astype(int)
    for index in range(trace.step_count):
        step = trace.step(index)
        cell = (step.out_row, step.out_col)
        assert step.divisor == divisors[cell]
        np.testing.assert_allclose(step.total, sums[cell], rtol=0, atol=TOLERANCE)
        assert (step.cells == CELL_INPUT).sum() == counts[cell]
        assert step.value == step.total / step.divisor


@examples(500)
@given(pool_trace_cases())
def test_window_cells_are_marked_input_padding_or_past_the_padded_input(case: dict) -> None:
    trace = pool_trace(**case)
    h, w = case["x"].shape
    pad_h, pad_w = case["padding"]
    pad_value = -np.inf if case["kind"] == "max" else 0.0
    for index in range(trace.step_count):
        step = trace.step(index)
        for i, row in enumerate(step.rows):
            for j, col in enumerate(step.cols):
                if 0 <= row < h and 0 <= col < w:
                    assert step.cells[i, j] == CELL_INPUT
                    assert step.values[i, j] == case["x"][row, col]
                elif -pad_h <= row < h + pad_h and -pad_w <= col < w + pad_w:
                    assert step.cells[i, j] == CELL_PAD
                    assert step.values[i, j] == pad_value
                else:  # only a ceil_mode window reaches past the padded input
                    assert case["ceil_mode"]
                    assert step.cells[i, j] == CELL_OUTSIDE
                    assert np.isnan(step.values[i, j])

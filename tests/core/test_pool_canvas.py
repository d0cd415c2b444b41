"""The pooling canvas the Pooling panel draws holds every window exactly as the engine's steps
see it: the same values, the same padding and the same cells past the padded input."""

from __future__ import annotations

import numpy as np
from core_torch_reference import examples
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from convtui.core.examples import LECTURE_MAX_POOL_INPUT
from convtui.core.pool import CELL_INPUT, CELL_OUTSIDE, CELL_PAD, pool_trace
from convtui.core.pool_canvas import pool_canvas


@st.composite
def pool_cases(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(("max", "avg")))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    return {
        "x": draw(arrays(np.float64, (draw(st.integers(1, 7)), draw(st.integers(1, 7))),
                         elements=st.integers(-9, 9).map(float))),
        "kind": kind,
        "kernel_size": kernel,
        "stride": draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3)))),
        "padding": (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2))),
        "dilation": (1, 1) if kind == "avg" else (draw(st.integers(1, 2)),
                                                   draw(st.integers(1, 2))),
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }


@examples(300)
@given(pool_cases())
def test_every_window_reads_the_canvas_cells_the_engine_uses(case: dict) -> None:
    try:
        trace = pool_trace(**case)
    except ValueError:
        assume(False)
        return
    canvas = pool_canvas(trace)
    saw_outside = False
    for index in range(trace.step_count):
        step = trace.step(index)
        rows = [canvas.to_canvas(r, 0)[0] for r in step.rows]
        cols = [canvas.to_canvas(0, c)[1] for c in step.cols]
        assert min(rows) >= 0 and min(cols) >= 0
        np.testing.assert_array_equal(canvas.cells[np.ix_(rows, cols)], step.cells)
        np.testing.assert_array_equal(canvas.values[np.ix_(rows, cols)], step.values)
        saw_outside |= bool((step.cells == CELL_OUTSIDE).any())
    assert canvas.overhang == saw_outside
    if canvas.overhang:
        assert case["ceil_mode"]


def test_ceil_mode_window_hanging_past_the_padding_is_on_the_canvas() -> None:
    trace = pool_trace(LECTURE_MAX_POOL_INPUT, "max", 3, stride=2, padding=1, ceil_mode=True)
    canvas = pool_canvas(trace)
    # (4 - 3 + 2×1) / 2 + 1 = 2.5 rounds up to 3; the last window starts at input row 3, so
    # it covers row 3, the padding row 4 and row 5, past the padded input
    assert trace.output.shape == (3, 3)
    assert trace.step(8).rows == (3, 4, 5)
    assert canvas.cells.shape == (7, 7)
    assert canvas.cells[0].tolist() == [CELL_PAD] * 6 + [CELL_OUTSIDE]
    assert canvas.cells[1].tolist() == [CELL_PAD, *[CELL_INPUT] * 4, CELL_PAD, CELL_OUTSIDE]
    assert canvas.cells[6].tolist() == [CELL_OUTSIDE] * 7
    assert np.isneginf(canvas.values[0, 0]) and np.isnan(canvas.values[6, 6])
    assert canvas.values[1, 1:5].tolist() == [1, 9, 3, 7]
    assert canvas.overhang


def test_no_overhang_without_ceil_mode() -> None:
    canvas = pool_canvas(pool_trace(LECTURE_MAX_POOL_INPUT, "avg", 3, stride=2, padding=1))
    assert canvas.cells.shape == (6, 6)
    assert canvas.values[0, 0] == 0  # average pooling pads with zeros
    assert not canvas.overhang

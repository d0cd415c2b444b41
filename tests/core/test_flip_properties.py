"""Convolution is cross-correlation with the kernel rotated 180°, whatever the input and layer.

Hypothesis draws inputs, kernels, stride, padding and dilation. Values are small integers stored
as floats, so every sum is exact and the outputs can be compared for equality: a "flip" that
only almost matches would fail.
"""

from __future__ import annotations

import numpy as np
from core_torch_reference import examples
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from convtui.core import conv2d, flip_kernel
from convtui.core.flip import (
    differing_cells,
    flip_relation,
    impulse,
    impulse_position,
    output_difference,
    rotated_position,
)

small_ints = st.integers(-9, 9).map(float)


def kernels(max_side: int = 4) -> st.SearchStrategy[np.ndarray]:
    shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    return arrays(np.float64, shape, elements=small_ints)


@st.composite
def layers(draw: st.DrawFn) -> dict:
    """A kernel, an input it fits, and the layer arguments, in the (H, W) form."""
    kernel = draw(kernels())
    kh, kw = kernel.shape
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    height = draw(st.integers(max(1, span[0] - 2 * padding[0]), 8))
    width = draw(st.integers(max(1, span[1] - 2 * padding[1]), 8))
    x = draw(arrays(np.float64, (height, width), elements=small_ints))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return {"x": x, "kernel": kernel, "stride": stride, "padding": padding,
            "dilation": dilation}


def run(case: dict, kernel: np.ndarray, flip: bool) -> np.ndarray:
    return conv2d(case["x"], kernel, stride=case["stride"], padding=case["padding"],
                  dilation=case["dilation"], flip=flip)


@examples(200)
@given(layers())
def test_flip_true_is_cross_correlation_with_the_rotated_kernel(case: dict) -> None:
    np.testing.assert_array_equal(run(case, case["kernel"], flip=True),
                                  run(case, flip_kernel(case["kernel"]), flip=False))


@examples(100)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 5),
                                    st.integers(1, 5)), elements=small_ints))
def test_flipping_twice_gives_the_kernel_back(weight: np.ndarray) -> None:
    np.testing.assert_array_equal(flip_kernel(flip_kernel(weight)), weight)


@examples(100)
@given(kernels(max_side=6))
def test_rotated_position_is_where_flip_kernel_puts_each_weight(kernel: np.ndarray) -> None:
    rotated = flip_kernel(kernel)
    for i in range(kernel.shape[0]):
        for j in range(kernel.shape[1]):
            ri, rj = rotated_position(i, j, kernel.shape)
            assert rotated[ri, rj] == kernel[i, j]
            assert rotated_position(ri, rj, kernel.shape) == (i, j)


@examples(150)
@given(layers())
def test_a_kernel_equal_to_its_rotation_gives_equal_outputs(case: dict) -> None:
    symmetric = case["kernel"] + flip_kernel(case["kernel"])  # always its own rotation
    assert flip_relation(symmetric) == "same"
    correlation, convolution = run(case, symmetric, False), run(case, symmetric, True)
    np.testing.assert_array_equal(correlation, convolution)
    assert differing_cells(output_difference(correlation, convolution)) == frozenset()


@examples(150)
@given(layers())
def test_a_kernel_the_rotation_negates_gives_the_negative_output(case: dict) -> None:
    antisymmetric = case["kernel"] - flip_kernel(case["kernel"])
    if not antisymmetric.any():  # the zero kernel is its own rotation too
        assert flip_relation(antisymmetric) == "same"
        return
    assert flip_relation(antisymmetric) == "negated"
    np.testing.assert_array_equal(run(case, antisymmetric, True),
                                  -run(case, antisymmetric, False))


@st.composite
def impulse_cases(draw: st.DrawFn) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    kernel = draw(kernels(max_side=5))
    shape = (draw(st.integers(1, 7)), draw(st.integers(1, 7)))
    at = (draw(st.integers(0, shape[0] - 1)), draw(st.integers(0, shape[1] - 1)))
    return kernel, shape, at


@examples(200)
@given(impulse_cases())
def test_an_impulse_stamps_the_rotated_kernel_and_convolution_the_kernel(
    case: tuple[np.ndarray, tuple[int, int], tuple[int, int]],
) -> None:
    kernel, shape, (r, c) = case
    kh, kw = kernel.shape
    x = impulse(shape, (r, c))
    assert impulse_position(x) == (r, c)
    full = (kh - 1, kw - 1)  # padding that lets every weight meet the 1
    correlation = conv2d(x, kernel, padding=full)
    convolution = conv2d(x, kernel, padding=full, flip=True)
    np.testing.assert_array_equal(correlation[r : r + kh, c : c + kw], flip_kernel(kernel))
    np.testing.assert_array_equal(convolution[r : r + kh, c : c + kw], kernel)
    for out in (correlation, convolution):
        rest = out.copy()
        rest[r : r + kh, c : c + kw] = 0
        assert not rest.any()


@examples(100)
@given(kernels())
def test_outputs_differ_exactly_when_the_rotation_changes_the_kernel(
    kernel: np.ndarray,
) -> None:
    kh, kw = kernel.shape
    x = impulse((kh, kw), (0, 0))
    full = (kh - 1, kw - 1)
    diff = output_difference(conv2d(x, kernel, padding=full),
                             conv2d(x, kernel, padding=full, flip=True))
    assert (differing_cells(diff) == frozenset()) == (flip_relation(kernel) == "same")


def test_the_lesson_kernels_are_classified_as_the_panel_says() -> None:
    from convtui.core.examples import KERNELS

    assert flip_relation(KERNELS["lecture"]) == "same"
    assert flip_relation(KERNELS["box blur"]) == "same"
    assert flip_relation(KERNELS["sobel x"]) == "negated"
    assert flip_relation(KERNELS["sobel y"]) == "negated"
    assert flip_relation(np.arange(9.0).reshape(3, 3) + 1) == "different"
    assert impulse((5, 5)).tolist()[2] == [0, 0, 1, 0, 0]
    assert impulse_position(np.eye(2)) is None

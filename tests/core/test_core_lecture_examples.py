"""The lecture's own worked examples give the lecture's answers.

These are the numbers students check against their notes: the 5x5 convolution, the max- and
average-pooling boards, the five output-size exercises and the MNIST-sized conv → pool chain.
"""

from __future__ import annotations

import numpy as np
import pytest

from convtui.core import conv2d, conv_trace, explain_output_size, output_size, pool2d

LECTURE_INPUT = np.array([
    [1, 2, 3, 0, 1],
    [0, 1, 5, 1, 0],
    [1, 0, 2, 2, 1],
    [1, 1, 2, 0, 0],
    [1, 0, 1, 1, 1],
])
LECTURE_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])


def test_the_5x5_input_with_the_x_kernel_gives_the_lecture_output() -> None:
    np.testing.assert_array_equal(
        conv2d(LECTURE_INPUT, LECTURE_KERNEL), [[8, 9, 8], [8, 5, 9], [6, 5, 5]])


def test_the_first_step_writes_out_the_lecture_sum() -> None:
    """1*1 + 2*0 + 3*1 + 0*0 + 1*1 + 5*0 + 1*1 + 0*0 + 2*1 = 8"""
    step = conv_trace(LECTURE_INPUT, LECTURE_KERNEL).step(0)
    np.testing.assert_array_equal(step.values[0].ravel(), [1, 2, 3, 0, 1, 5, 1, 0, 2])
    np.testing.assert_array_equal(step.weights[0].ravel(), [1, 0, 1, 0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(step.products[0].ravel(), [1, 0, 3, 0, 1, 0, 1, 0, 2])
    assert step.total == 8
    assert (step.rows, step.cols) == ((0, 1, 2), (0, 1, 2))
    assert not step.is_pad.any()


def test_every_step_of_the_lecture_example_matches_its_output_cell() -> None:
    trace = conv_trace(LECTURE_INPUT, LECTURE_KERNEL)
    assert trace.step_count == 9
    assert [trace.step(i).total for i in range(9)] == [8, 9, 8, 8, 5, 9, 6, 5, 5]


def test_max_pooling_the_lecture_board_keeps_each_window_maximum() -> None:
    board = np.array([[1, 9, 3, 7], [4, 5, 2, 8], [7, 3, 9, 0], [1, 2, 3, 3]])
    np.testing.assert_array_equal(pool2d(board, "max", 2), [[9, 8], [7, 9]])


def test_average_pooling_the_lecture_board_averages_each_window() -> None:
    board = np.array([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 1, 2], [3, 3, 1, 4]])
    np.testing.assert_array_equal(pool2d(board, "avg", 2), [[1, 2], [3, 2]])


@pytest.mark.parametrize(
    "size, kernel, stride, padding, expected",
    [
        (227, 11, 4, 0, 55),  # AlexNet's first layer
        (64, 7, 2, 0, 29),
        (32, 5, 1, 2, 32),  # "same" size with padding 2
    ],
)
def test_output_size_exercises(size: int, kernel: int, stride: int, padding: int,
                               expected: int) -> None:
    assert output_size(size, kernel, stride, padding) == expected


def test_the_64_7_2_exercise_shows_29_5_and_floors_it() -> None:
    explanation = explain_output_size(64, 7, stride=2, padding=0)
    assert explanation.value == 29
    assert explanation.text == (
        "(64 - 7 + 2×0) / 2 + 1 = 57 / 2 + 1 = 29.5\n"
        "29.5 is not whole: floor it → 29"
    )


@pytest.mark.parametrize(
    "height, width, kernel, padding, expected",
    [
        (32, 64, 5, 0, (28, 60)),  # a non-square input keeps its aspect
        (64, 32, 3, 1, (64, 32)),  # 3x3 with padding 1 keeps the size
    ],
)
def test_non_square_exercises(height: int, width: int, kernel: int, padding: int,
                              expected: tuple[int, int]) -> None:
    assert (output_size(height, kernel, 1, padding),
            output_size(width, kernel, 1, padding)) == expected
    image = np.zeros((1, 1, height, width))
    weights = np.zeros((1, 1, kernel, kernel))
    assert conv2d(image, weights, padding=padding).shape == (1, 1, *expected)


def test_mnist_image_through_conv_then_max_pool_has_the_lecture_shapes() -> None:
    """1x1x28x28 → Conv2d(1, 5, 5) → 1x5x24x24 → MaxPool2d(2) → 1x5x12x12."""
    rng = np.random.default_rng(0)
    image = rng.random((1, 1, 28, 28))
    weights, bias = rng.standard_normal((5, 1, 5, 5)), rng.standard_normal(5)
    features = conv2d(image, weights, bias)
    assert features.shape == (1, 5, 24, 24)
    pooled = pool2d(features, "max", 2)
    assert pooled.shape == (1, 5, 12, 12)
    np.testing.assert_array_equal(pooled[0, 3, 4, 7], features[0, 3, 8:10, 14:16].max())

"""The gradient engine refuses with the forward engine's named messages, plus one of its own
for an output gradient of the wrong shape, in English and in Korean."""

from __future__ import annotations

import numpy as np
import pytest

from convtui import i18n
from convtui.core import (
    conv2d_backward,
    conv_transpose_trace,
    grad_input_trace,
    grad_weight_trace,
)
from convtui.core.errors import ArgumentError

ones = np.ones

CASES = {
    "wrong grad_output shape": (
        lambda: conv2d_backward(ones((1, 5, 5)), ones((1, 1, 3, 3)), ones((1, 3, 4))),
        "grad_output: expected the shape of the convolution's output, (1, 3, 3), got (1, 3, 4)"),
    "batched grad_output for an unbatched input": (
        lambda: conv2d_backward(ones((1, 5, 5)), ones((2, 1, 3, 3)), ones((1, 2, 3, 3))),
        "grad_output: expected the shape of the convolution's output, (2, 3, 3), got "
        "(1, 2, 3, 3)"),
    "2-D grad_output for the 2-D form": (
        lambda: conv2d_backward(ones((5, 5)), ones((3, 3)), ones((1, 3, 3))),
        "grad_output: expected the shape of the convolution's output, (3, 3), got (1, 3, 3)"),
    "stride 0, as conv2d": (
        lambda: conv2d_backward(ones((5, 5)), ones((3, 3)), ones((3, 3)), stride=0),
        "stride: must be at least 1, got 0"),
    "same padding with stride, as conv2d": (
        lambda: conv2d_backward(ones((5, 5)), ones((3, 3)), ones((3, 3)), stride=2,
                                padding="same"),
        "padding: 'same' is not supported for strided convolutions (stride=2)"),
    "groups not dividing, as conv2d": (
        lambda: conv2d_backward(ones((3, 5, 5)), ones((2, 1, 3, 3)), ones((2, 3, 3)),
                                groups=2),
        "groups: in_channels (3) must be divisible by groups (2)"),
    "kernel too big, as conv2d": (
        lambda: conv2d_backward(ones((2, 5)), ones((3, 1)), ones((1, 5))),
        "kernel: the kernel (3 cells) is larger than the padded input (2 cells) in height"),
    "grad_input trace, wrong grad_output": (
        lambda: grad_input_trace(ones((5, 5)), ones((3, 3)), ones((2, 2))),
        "grad_output: expected the shape of the convolution's output, (3, 3), got (2, 2)"),
    "grad_weight trace, channels": (
        lambda: grad_weight_trace(ones((2, 5, 5)), ones((3, 3, 3)), ones((3, 3))),
        "weight: the kernel has 3 channels but the input has 2"),
    "transposed trace, output_padding": (
        lambda: conv_transpose_trace(ones((2, 2)), ones((3, 3)), stride=2, output_padding=2),
        "output_padding: must be smaller than either stride (2) or dilation (1), got 2"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_refusal_names_the_argument_and_says_why(name: str) -> None:
    call, message = CASES[name]
    with pytest.raises(ArgumentError) as err:
        call()
    assert str(err.value).startswith(message)


def test_the_grad_output_refusal_speaks_korean() -> None:
    i18n.set_language("ko")
    try:
        with pytest.raises(ArgumentError) as err:
            conv2d_backward(ones((5, 5)), ones((3, 3)), ones((2, 2)))
    finally:
        i18n.set_language("en")
    assert err.value.argument == "grad_output"
    assert "합성곱 출력의 모양 (3, 3)" in err.value.reason


def test_a_step_past_the_end_is_refused() -> None:
    trace = grad_input_trace(ones((5, 5)), ones((3, 3)), ones((3, 3)))
    with pytest.raises(IndexError, match=r"step 9 is outside 0\.\.8"):
        trace.scatter_step(9)  # 3x3 source: 9 scatter steps, 0..8

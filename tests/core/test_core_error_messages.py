"""Every refusal the engine makes is a ValueError that names the argument and says why.

Messages start with the argument's name and a colon (what the UI highlights), then the reason
in the user's numbers. The last tests check the degenerate shapes (empty axes, a 0-d bias)
against torch, which the random properties never draw.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from core_torch_reference import assert_matches_torch, tensor, torch_conv2d
from torch.nn import functional as F

from convtui.core import (
    conv2d,
    conv_trace,
    conv_transpose2d,
    explain_transposed_output_size,
    output_size,
    pool2d,
    pool_trace,
    transposed_output_size,
)
from convtui.core.conv import conv_geometry
from convtui.core.geometry import pool_output_size

ones = np.ones
IMAGE = ones((1, 5, 5))  # (C, H, W)
KERNEL = ones((1, 1, 3, 3))  # (O, C, kH, kW)

CASES: dict[str, tuple[Callable[[], object], str]] = {
    # conv2d: stride, dilation, padding
    "conv stride 0": (lambda: conv2d(IMAGE, KERNEL, stride=0), "stride: must be at least 1, got 0"),
    "conv stride pair with 0": (lambda: conv2d(IMAGE, KERNEL, stride=(1, 0)),
                                "stride: must be at least 1, got (1, 0)"),
    "conv stride not an int": (lambda: conv2d(IMAGE, KERNEL, stride=1.5),
                               "stride: expected an int or a pair of ints, got 1.5"),
    "conv stride True": (lambda: conv2d(IMAGE, KERNEL, stride=True),
                         "stride: expected an int or a pair of ints, got True"),
    "conv dilation 0": (lambda: conv2d(IMAGE, KERNEL, dilation=0),
                        "dilation: must be at least 1, got 0"),
    "conv negative padding": (lambda: conv2d(IMAGE, KERNEL, padding=-1),
                              "padding: must not be negative, got -1"),
    "conv negative padding in a pair": (lambda: conv2d(IMAGE, KERNEL, padding=(0, -2)),
                                        "padding: must not be negative, got (0, -2)"),
    "conv padding triple": (lambda: conv2d(IMAGE, KERNEL, padding=(1, 2, 3)),
                            "padding: expected an int or a pair of ints, got (1, 2, 3)"),
    "conv same padding with stride": (
        lambda: conv2d(IMAGE, KERNEL, stride=2, padding="same"),
        "padding: 'same' is not supported for strided convolutions (stride=2)"),
    "conv unknown padding string": (
        lambda: conv2d(IMAGE, KERNEL, padding="full"),
        "padding: expected an int, a pair, 'same' or 'valid', got 'full'"),
    "conv unknown padding mode": (
        lambda: conv2d(IMAGE, KERNEL, padding=1, padding_mode="mirror"),
        "padding_mode: expected one of zeros, reflect, replicate, circular, got 'mirror'"),
    "conv reflect padding as large as the input": (
        lambda: conv2d(ones((1, 3, 5)), KERNEL, padding=3, padding_mode="reflect"),
        "padding: reflect padding must be smaller than the input (3x5), got top 3, bottom 3, "
        "left 3, right 3"),
    "conv circular padding larger than the input": (
        lambda: conv2d(ones((1, 2, 5)), ones((1, 1, 1, 1)), padding=3, padding_mode="circular"),
        "padding: circular padding can wrap around at most once, so it must not exceed the "
        "input (2x5), got top 3, bottom 3, left 3, right 3"),
    # conv2d: the kernel against the padded input
    "conv kernel taller than the padded input": (
        lambda: conv2d(ones((2, 5)), ones((3, 1))),
        "kernel: the kernel (3 cells) is larger than the padded input (2 cells) in height"),
    "conv kernel wider than the padded input": (
        lambda: conv2d(ones((5, 4)), ones((1, 3)), padding=(2, 0), dilation=2),
        "kernel: the kernel (5 cells, dilated) is larger than the padded input (4 cells) in "
        "width"),
    # conv2d: channels, groups, weight and bias shapes
    "conv in_channels not divisible by groups": (
        lambda: conv2d(ones((3, 5, 5)), ones((2, 1, 3, 3)), groups=2),
        "groups: in_channels (3) must be divisible by groups (2)"),
    "conv out_channels not divisible by groups": (
        lambda: conv2d(ones((4, 5, 5)), ones((3, 2, 3, 3)), groups=2),
        "groups: out_channels (3) must be divisible by groups (2)"),
    "conv groups 0": (lambda: conv2d(IMAGE, KERNEL, groups=0),
                      "groups: must be a positive int, got 0"),
    "conv weight channels not in_channels / groups": (
        lambda: conv2d(ones((4, 5, 5)), ones((2, 4, 3, 3)), groups=2),
        "weight: expected weight.shape[1] == in_channels / groups = 2, got 4"),
    "conv bias of the wrong length": (
        lambda: conv2d(IMAGE, ones((2, 1, 3, 3)), bias=ones(3)),
        "bias: expected shape (2,), one value per output channel, got (3,)"),
    "conv bias as a scalar": (lambda: conv2d(IMAGE, KERNEL, bias=np.float64(1.0)),
                              "bias: expected shape (1,), one value per output channel, got ()"),
    # conv2d: ranks and empty axes
    "conv 5-D input": (lambda: conv2d(ones((1, 1, 1, 5, 5)), KERNEL),
                       "input: expected a 3-D (C, H, W) or 4-D (N, C, H, W) array (or a 2-D "
                       "(H, W) one with a 2-D kernel), got 5-D shape (1, 1, 1, 5, 5)"),
    "conv 2-D input with a 4-D kernel": (
        lambda: conv2d(ones((5, 5)), KERNEL), "input: expected a 3-D (C, H, W) or 4-D"),
    "conv 3-D kernel": (
        lambda: conv2d(IMAGE, ones((1, 3, 3))),
        "weight: expected a 4-D (out_channels, in_channels/groups, kH, kW) array, got 3-D "
        "shape (1, 3, 3)"),
    "conv empty height": (
        lambda: conv2d(ones((1, 1, 0, 3)), KERNEL, padding=1),
        "input: every dimension but the batch must be at least 1, got shape (1, 1, 0, 3)"),
    "conv no output channels": (
        lambda: conv2d(IMAGE, ones((0, 1, 3, 3))),
        "weight: every dimension must be at least 1, got shape (0, 1, 3, 3)"),
    "conv geometry kernel 0": (lambda: conv_geometry((5, 5), (0, 3)),
                               "kernel_size: must be at least 1, got (0, 3)"),
    # conv_trace
    "trace 1-D input": (lambda: conv_trace(ones(5), ones((3, 3))),
                        "input: expected (H, W) or (C, H, W) with a matching kernel, got input "
                        "(5,) and kernel (3, 3)"),
    "trace kernel channels differ from the input's": (
        lambda: conv_trace(ones((2, 5, 5)), ones((3, 3, 3))),
        "weight: the kernel has 3 channels but the input has 2"),
    # conv_transpose2d
    "transpose output_padding not below stride or dilation": (
        lambda: conv_transpose2d(IMAGE, KERNEL, stride=2, output_padding=2),
        "output_padding: must be smaller than either stride (2) or dilation (1), got 2"),
    "transpose negative output_padding": (
        lambda: conv_transpose2d(IMAGE, KERNEL, output_padding=-1),
        "output_padding: must not be negative, got -1"),
    "transpose padding leaves no output": (
        lambda: conv_transpose2d(ones((1, 2, 2)), ones((1, 1, 1, 1)), padding=1),
        "padding: the output would have size 0; reduce padding (1) or increase stride or "
        "kernel"),
    "transpose weight rows not in_channels": (
        lambda: conv_transpose2d(ones((2, 5, 5)), ones((3, 1, 3, 3))),
        "weight: expected weight.shape[0] == in_channels = 2, got 3"),
    "transpose in_channels not divisible by groups": (
        lambda: conv_transpose2d(ones((3, 5, 5)), ones((3, 1, 3, 3)), groups=2),
        "groups: in_channels (3) must be divisible by groups (2)"),
    "transpose bias of the wrong length": (
        lambda: conv_transpose2d(ones((2, 5, 5)), ones((2, 1, 3, 3)), groups=2, bias=ones(1)),
        "bias: expected shape (2,), one value per output channel, got (1,)"),
    "transpose stride 0": (lambda: conv_transpose2d(IMAGE, KERNEL, stride=0),
                           "stride: must be at least 1, got 0"),
    "transpose dilation 0": (lambda: conv_transpose2d(IMAGE, KERNEL, dilation=0),
                             "dilation: must be at least 1, got 0"),
    "transpose negative padding": (lambda: conv_transpose2d(IMAGE, KERNEL, padding=-1),
                                   "padding: must not be negative, got -1"),
    # pool2d / pool_trace
    "pool unknown kind": (lambda: pool2d(ones((4, 4)), "min", 2),
                          "kind: expected 'max' or 'avg', got 'min'"),
    "pool kernel 0": (lambda: pool2d(ones((4, 4)), "max", 0),
                      "kernel_size: must be at least 1, got 0"),
    "pool stride 0": (lambda: pool2d(ones((4, 4)), "max", 2, stride=0),
                      "stride: must be at least 1, got 0"),
    "pool negative padding": (lambda: pool2d(ones((4, 4)), "avg", 2, padding=-1),
                              "padding: must not be negative, got -1"),
    "pool padding over half the kernel": (
        lambda: pool2d(ones((6, 6)), "max", 3, padding=2),
        "padding: pooling padding must be at most half the kernel size (kernel 3 allows at "
        "most 1), got 2"),
    "pool avg with dilation": (
        lambda: pool2d(ones((6, 6)), "avg", 2, dilation=2),
        "dilation: average pooling has no dilation in PyTorch (use 1)"),
    "pool max dilation 0": (lambda: pool2d(ones((6, 6)), "max", 2, dilation=0),
                            "dilation: must be at least 1, got 0"),
    "pool kernel taller than the padded input": (
        lambda: pool2d(ones((2, 5)), "max", 3),
        "kernel: the kernel (3 cells) is larger than the padded input (2 cells) in height"),
    "pool kernel wider than the padded input": (
        lambda: pool2d(ones((5, 2)), "max", 2, dilation=(1, 3)),
        "kernel: the kernel (4 cells, dilated) is larger than the padded input (2 cells) in "
        "width"),
    "pool 5-D input": (lambda: pool2d(ones((1, 1, 1, 4, 4)), "max", 2),
                       "input: expected a 2-D (H, W), 3-D (C, H, W) or 4-D (N, C, H, W) array, "
                       "got 5-D shape (1, 1, 1, 4, 4)"),
    "pool 1-D input": (lambda: pool2d(ones(4), "max", 2), "input: expected a 2-D (H, W)"),
    "pool empty width": (lambda: pool2d(ones((2, 4, 0)), "max", 1),
                         "input: every dimension must be at least 1, got shape (2, 4, 0)"),
    "pool trace 3-D input": (lambda: pool_trace(ones((1, 4, 4)), "max", 2),
                             "input: expected a 2-D (H, W) plane, got shape (1, 4, 4)"),
    # output-size arithmetic
    "size 0": (lambda: output_size(0, 3), "size: must be at least 1, got 0"),
    "kernel not an int": (lambda: output_size(5, 3.0), "kernel: expected an int, got 3.0"),
    "stride 0 in the formula": (lambda: output_size(5, 3, stride=0),
                                "stride: must be at least 1, got 0"),
    "negative padding in the formula": (lambda: output_size(5, 3, padding=-1),
                                        "padding: must not be negative, got -1"),
    "dilation 0 in the formula": (lambda: output_size(5, 3, dilation=0),
                                  "dilation: must be at least 1, got 0"),
    "kernel larger than the padded input in the formula": (
        lambda: output_size(2, 5, padding=1),
        "kernel: the kernel (5 cells) is larger than the padded input (4 cells)"),
    "ceil_mode output below 1": (
        lambda: output_size(1, 5, stride=1, ceil_mode=True),
        "kernel: the kernel (5 cells) is larger than the padded input (1 cells)"),
    "pool formula padding over half the kernel": (
        lambda: pool_output_size(8, 4, 2, padding=3),
        "padding: pooling padding must be at most half the kernel size (kernel 4 allows at "
        "most 2), got 3"),
    "transposed output_padding too large": (
        lambda: transposed_output_size(4, 3, stride=2, output_padding=3, dilation=3),
        "output_padding: must be smaller than either stride (2) or dilation (3), got 3"),
    "transposed output below 1": (
        lambda: explain_transposed_output_size(1, 1, padding=1),
        "padding: the output would have size -1; reduce padding (1)"),
    "transposed negative output_padding": (
        lambda: transposed_output_size(4, 3, output_padding=-1),
        "output_padding: must not be negative, got -1"),
}


@pytest.mark.parametrize("call, message", CASES.values(), ids=CASES.keys())
def test_each_refusal_names_the_argument_and_the_reason(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        call()


def test_zero_batch_gives_an_empty_batch_like_torch() -> None:
    x = ones((0, 2, 5, 5))
    assert_matches_torch(lambda: conv2d(x, ones((3, 2, 3, 3))),
                         lambda: F.conv2d(tensor(x), tensor(ones((3, 2, 3, 3)))))
    assert_matches_torch(lambda: conv_transpose2d(x, ones((2, 3, 3, 3))),
                         lambda: F.conv_transpose2d(tensor(x), tensor(ones((2, 3, 3, 3)))))
    assert_matches_torch(lambda: pool2d(x, "max", 2), lambda: F.max_pool2d(tensor(x), 2))
    assert_matches_torch(lambda: pool2d(x, "avg", 2), lambda: F.avg_pool2d(tensor(x), 2))


@pytest.mark.parametrize("shape", [(1, 1, 0, 3), (1, 1, 3, 0), (1, 0, 3, 3), (0, 3, 3)])
def test_empty_images_are_refused_like_torch(shape: tuple[int, ...]) -> None:
    x = ones(shape)
    weight = ones((1, 1, 1, 1))
    assert_matches_torch(lambda: pool2d(x, "max", 1), lambda: F.max_pool2d(tensor(x), 1))
    if shape[-3] > 0:  # torch's conv accepts a zero-channel image with a quirky result
        assert_matches_torch(lambda: conv2d(x, weight, padding=1),
                             lambda: F.conv2d(tensor(x), tensor(weight), padding=1))


def test_a_scalar_bias_is_refused_like_torch() -> None:
    bias = np.float64(0.5)
    assert_matches_torch(lambda: conv2d(IMAGE, KERNEL, bias=bias),
                         lambda: torch_conv2d(IMAGE, KERNEL, bias, 1, 0, 1, 1, "zeros"))

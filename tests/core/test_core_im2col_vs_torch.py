"""im2col / col2im give exactly what F.unfold / F.fold give, and refuse what they refuse; the
GEMM reading of a convolution gives F.conv2d's output for any groups; a conv layer's
parameter and MAC counts are nn.Conv2d's.

Hypothesis draws the shapes and every argument as an int or a pair, for the batched and the
unbatched forms. One property per function stays mostly where torch accepts the call (so
numbers are compared), one lives at the limits (tiny inputs, big kernels, wrong column
counts) so most cases compare refusals.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from core_strategies import as_pair, ints_or_pairs, random_generator, span
from core_torch_reference import assert_matches_torch, examples, tensor
from hypothesis import event, given
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from convtui.core import col2im, conv2d, conv_cost, conv_gemm, im2col
from convtui.core.gemm import preset_convs


@st.composite
def unfold_cases(draw: st.DrawFn, near_limits: bool) -> dict:
    kernel = draw(ints_or_pairs(1, 4))
    dilation = draw(st.one_of(st.just(1), ints_or_pairs(1, 3)))
    padding = draw(ints_or_pairs(0, 3))
    stride = draw(st.one_of(st.just(1), ints_or_pairs(1, 3)))
    (kh, kw), (dh, dw) = as_pair(kernel), as_pair(dilation)
    if near_limits:
        h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    else:
        ph, pw = as_pair(padding)
        h = draw(st.integers(max(1, span(kh, dh) - 2 * ph), span(kh, dh) + 5))
        w = draw(st.integers(max(1, span(kw, dw) - 2 * pw), span(kw, dw) + 5))
    c = draw(st.integers(1, 3))
    batched = draw(st.booleans())
    shape = (draw(st.integers(1, 2)), c, h, w) if batched else (c, h, w)
    return {"x": random_generator(draw).standard_normal(shape), "kernel_size": kernel,
            "dilation": dilation, "padding": padding, "stride": stride}


def unfold_both(case: dict) -> np.ndarray | None:
    args = {k: case[k] for k in ("kernel_size", "dilation", "padding", "stride")}
    expected = assert_matches_torch(lambda: im2col(case["x"], **args),
                                    lambda: F.unfold(tensor(case["x"]), **args))
    event("torch refused" if expected is None else "same numbers")
    return expected


@examples(600)
@given(unfold_cases(near_limits=False))
def test_im2col_matches_unfold(case: dict) -> None:
    unfold_both(case)


@examples(400)
@given(unfold_cases(near_limits=True))
def test_im2col_refuses_what_unfold_refuses(case: dict) -> None:
    unfold_both(case)


@st.composite
def fold_cases(draw: st.DrawFn, near_limits: bool) -> dict:
    """The columns of an unfold of a random image size, sometimes (near the limits) with a
    column or a row too many or too few, or an output size the windows do not fit."""
    case = draw(unfold_cases(near_limits=False))
    x = case.pop("x")
    size = x.shape[-2:]
    kh, kw = as_pair(case["kernel_size"])
    (sh, sw), (dh, dw), (ph, pw) = (as_pair(case[k]) for k in ("stride", "dilation",
                                                                "padding"))
    oh = (size[0] + 2 * ph - span(kh, dh)) // sh + 1
    ow = (size[1] + 2 * pw - span(kw, dw)) // sw + 1
    rows, length = x.shape[-3] * kh * kw, oh * ow
    output_size: int | tuple[int, int] = (int(size[0]), int(size[1]))
    if near_limits:
        rows += draw(st.sampled_from((0, 0, 1, -1)))
        length += draw(st.sampled_from((0, 0, 1, -1)))
        output_size = draw(st.sampled_from((output_size, size[0] - 1, (size[0], 0), 1)))
    elif output_size[0] == output_size[1] and draw(st.booleans()):
        output_size = output_size[0]
    shape = (x.shape[0], rows, length) if x.ndim == 4 else (rows, length)
    if min(shape[-2:]) < 1:
        shape = (*shape[:-2], max(rows, 1), max(length, 1))
    return {"cols": random_generator(draw).standard_normal(shape),
            "output_size": output_size, **case}


def fold_both(case: dict) -> None:
    args = {k: case[k] for k in ("output_size", "kernel_size", "dilation", "padding",
                                 "stride")}
    expected = assert_matches_torch(lambda: col2im(case["cols"], **args),
                                    lambda: F.fold(tensor(case["cols"]), **args))
    event("torch refused" if expected is None else "same numbers")


@examples(500)
@given(fold_cases(near_limits=False))
def test_col2im_matches_fold(case: dict) -> None:
    fold_both(case)


@examples(400)
@given(fold_cases(near_limits=True))
def test_col2im_refuses_what_fold_refuses(case: dict) -> None:
    fold_both(case)


@st.composite
def grouped_convs(draw: st.DrawFn) -> dict:
    groups = draw(st.integers(1, 4))
    c_in = groups * draw(st.integers(1, 3))
    c_out = groups * draw(st.integers(1, 3))
    case = draw(unfold_cases(near_limits=False))
    x = case.pop("x")
    kh, kw = as_pair(case.pop("kernel_size"))
    rng = random_generator(draw)
    return {"x": rng.standard_normal((c_in, *x.shape[-2:])),
            "weight": rng.standard_normal((c_out, c_in // groups, kh, kw)),
            "bias": rng.standard_normal(c_out) if draw(st.booleans()) else None,
            "groups": groups, **case}


@examples(500)
@given(grouped_convs())
def test_the_gemm_reading_is_conv2d_for_any_groups(case: dict) -> None:
    x, weight, bias = case["x"], case["weight"], case["bias"]
    args = {k: case[k] for k in ("stride", "padding", "dilation", "groups")}
    gemm = conv_gemm(x, weight, bias, **args)
    expected = F.conv2d(tensor(x), tensor(weight), None if bias is None else tensor(bias),
                        **args).numpy()
    np.testing.assert_allclose(gemm.output, expected, rtol=0, atol=1e-9)
    # the pieces are what the view draws: unfold's matrix and each group's flattened filters
    torch_args = {k: case[k] for k in ("stride", "padding", "dilation")}
    np.testing.assert_array_equal(
        gemm.patches, F.unfold(tensor(x), weight.shape[2:], **torch_args).numpy())
    g = case["groups"]
    flat = tensor(weight).reshape(g, weight.shape[0] // g, -1).numpy()
    np.testing.assert_array_equal(gemm.rows, flat)
    for group in range(g):
        np.testing.assert_allclose(gemm.products[group],
                                   gemm.rows[group] @ gemm.patch_block(group), atol=0)
    np.testing.assert_allclose(gemm.output, conv2d(x, weight, bias, **args), atol=1e-9)


@st.composite
def conv_layers(draw: st.DrawFn) -> dict:
    groups = draw(st.integers(1, 6))
    c_in, c_out = groups * draw(st.integers(1, 4)), groups * draw(st.integers(1, 4))
    kernel = as_pair(draw(ints_or_pairs(1, 5)))
    stride = as_pair(draw(ints_or_pairs(1, 3)))
    padding = as_pair(draw(ints_or_pairs(0, 2)))
    dilation = as_pair(draw(ints_or_pairs(1, 2)))
    h = draw(st.integers(span(kernel[0], dilation[0]), 12))
    w = draw(st.integers(span(kernel[1], dilation[1]), 12))
    return {"in_shape": (c_in, h, w), "out_channels": c_out, "kernel": kernel,
            "stride": stride, "padding": padding, "dilation": dilation, "groups": groups,
            "bias": draw(st.booleans())}


@examples(300)
@given(conv_layers())
def test_conv_cost_counts_what_nn_conv2d_holds_and_computes(case: dict) -> None:
    cost = conv_cost(**case)
    c_in, h, w = case["in_shape"]
    layer = nn.Conv2d(c_in, case["out_channels"], case["kernel"], case["stride"],
                      case["padding"], case["dilation"], case["groups"], case["bias"])
    assert cost.params == sum(p.numel() for p in layer.parameters())
    x = torch.zeros(c_in, h, w)
    with torch.no_grad():
        out = layer(x)
    assert cost.out_size == tuple(out.shape[1:])
    # one multiply-accumulate per weight per output position
    assert cost.macs == layer.weight.numel() * out.shape[1] * out.shape[2]
    unfolded = F.unfold(x, case["kernel"], case["dilation"], case["padding"], case["stride"])
    assert cost.unfolded_values == unfolded.numel()
    assert cost.input_values == x.numel()


def test_vgg16_convs_are_named_by_block_with_their_torch_shapes() -> None:
    convs = preset_convs("vgg16")
    assert [c.name for c in convs] == [
        "conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3",
        "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3"]
    conv3_2 = convs[5]
    assert conv3_2.in_shape == (256, 56, 56)
    layer = nn.Conv2d(256, 256, 3, padding=1)
    assert conv3_2.cost.params == sum(p.numel() for p in layer.parameters())
    x = torch.zeros(256, 56, 56)
    assert conv3_2.cost.unfolded_values == F.unfold(x, 3, padding=1).numel()
    assert conv3_2.cost.blowup == 9.0


ones = np.ones
REFUSALS = {
    "unfold 2-D input": (lambda: im2col(ones((5, 5)), 3),
                         "input: expected a 3-D (C, H, W) or 4-D (N, C, H, W) array, got 2-D "
                         "shape (5, 5)"),
    "unfold kernel 0": (lambda: im2col(ones((1, 5, 5)), 0),
                        "kernel_size: must be at least 1, got 0"),
    "unfold kernel triple": (lambda: im2col(ones((1, 5, 5)), (3, 3, 3)),
                             "kernel_size: expected an int or a pair of ints, got (3, 3, 3)"),
    "unfold padding 'same'": (lambda: im2col(ones((1, 5, 5)), 3, padding="same"),
                              "padding: expected an int or a pair of ints, got 'same'"),
    "unfold negative padding": (lambda: im2col(ones((1, 5, 5)), 3, padding=(0, -1)),
                                "padding: must not be negative, got (0, -1)"),
    "unfold stride 0": (lambda: im2col(ones((1, 5, 5)), 3, stride=0),
                        "stride: must be at least 1, got 0"),
    "unfold empty channels": (lambda: im2col(ones((2, 0, 5, 5)), 3),
                              "input: every dimension but the batch must be at least 1"),
    "unfold kernel too big": (lambda: im2col(ones((1, 5, 5)), 7),
                              "kernel: the kernel (7 cells) is larger than the padded input "
                              "(5 cells) in height"),
    "fold 1-D input": (lambda: col2im(ones(27), 5, 3),
                       "input: expected a 2-D (C*kH*kW, L) or 3-D (N, C*kH*kW, L) array, got "
                       "1-D shape (27,)"),
    "fold rows not a multiple": (lambda: col2im(ones((27, 9)), 5, 2),
                                 "input: the 27 rows must be divisible by the kernel's kH*kW "
                                 "= 2*2 = 4 cells"),
    "fold wrong column count": (lambda: col2im(ones((27, 9)), (6, 5), 3),
                                "input: a 6x5 output with these arguments has 4*3 = 12 "
                                "windows, so the input needs 12 columns, got 9"),
    "fold output size 0": (lambda: col2im(ones((9, 1)), 0, 1, padding=1),
                           "output_size: must be at least 1, got 0"),
    "gemm batched input": (lambda: conv_gemm(ones((1, 1, 5, 5)), ones((1, 1, 3, 3))),
                           "input: expected one 3-D (C, H, W) image, got 4-D shape"),
    "gemm groups not dividing": (lambda: conv_gemm(ones((3, 5, 5)), ones((2, 1, 3, 3)),
                                                   groups=2),
                                 "groups: in_channels (3) must be divisible by groups (2)"),
    "cost groups not dividing": (lambda: conv_cost((4, 5, 5), 3, (3, 3), groups=2),
                                 "groups: out_channels (3) must be divisible by groups (2)"),
}


@pytest.mark.parametrize("call, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_each_refusal_names_the_argument_and_the_reason(call, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        call()


def test_the_refused_calls_are_refused_by_torch_too() -> None:
    x = tensor(ones((1, 5, 5)))
    for call in (lambda: F.unfold(x, 0), lambda: F.unfold(x, 7),
                 lambda: F.unfold(x, 3, padding=(0, -1)), lambda: F.unfold(x, 3, stride=0),
                 lambda: F.unfold(tensor(ones((2, 0, 5, 5))), 3),
                 lambda: F.fold(tensor(ones((27, 9))), 5, 2),
                 lambda: F.fold(tensor(ones((27, 9))), (6, 5), 3),
                 lambda: F.fold(tensor(ones((1, 9, 1))), 0, 1, padding=1)):
        with pytest.raises((RuntimeError, TypeError)):
            call()


def test_unfold_then_fold_counts_how_many_windows_cover_each_cell() -> None:
    """fold(unfold(x)) is x times the number of windows over each cell, as torch documents."""
    x = np.arange(1.0, 26.0).reshape(1, 5, 5)
    cover = col2im(im2col(np.ones_like(x), 3, padding=1), 5, 3, padding=1)
    np.testing.assert_array_equal(col2im(im2col(x, 3, padding=1), 5, 3, padding=1), x * cover)
    assert cover[0, 0, 0] == 4 and cover[0, 2, 2] == 9

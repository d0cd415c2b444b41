"""conv2d_backward gives exactly the gradients torch.autograd gives, and refuses what it refuses.

Hypothesis draws the three input forms ((H, W) with a (kH, kW) kernel, (C, H, W), (N, C, H, W)),
non-square kernels, stride, int / pair / "same" / "valid" padding, dilation, groups and a random
output gradient. One property stays mostly valid so most cases compare numbers, including
strides that leave the last input rows unread (their gradient is zero); the other lives at the
limits (mismatched channels, tiny inputs, an output gradient of the wrong shape) so most cases
compare refusals.
"""

from __future__ import annotations

import numpy as np
from core_backward_reference import torch_conv2d_grads
from core_strategies import as_pair, ints_or_pairs, random_generator, span
from core_torch_reference import TOLERANCE, examples
from hypothesis import event, given
from hypothesis import strategies as st

from convtui.core import conv2d, conv2d_backward, conv_transpose2d

FORMS = ("HW", "CHW", "NCHW")


@st.composite
def backward_cases(draw: st.DrawFn, near_limits: bool) -> dict:
    form = draw(st.sampled_from(FORMS))
    groups = 1 if form == "HW" else draw(st.integers(1, 3))
    if near_limits:
        c_in, c_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        per_group = max(1, c_in // groups + draw(st.sampled_from((0, 0, 0, 1, -1))))
    else:
        c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
        per_group = c_in // groups
    if form == "HW":
        c_in = c_out = per_group = 1
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = draw(st.one_of(st.just(1), ints_or_pairs(1, 3)))
    dilation = draw(st.one_of(st.just(1), ints_or_pairs(1, 3)))
    padding = draw(st.one_of(ints_or_pairs(0, 4 if near_limits else 2),
                             st.sampled_from(("same", "valid"))))
    if near_limits:
        h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    elif padding == "same":
        stride = 1
        h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    else:
        dh, dw = as_pair(dilation)
        h = draw(st.integers(span(kh, dh), span(kh, dh) + 5))
        w = draw(st.integers(span(kw, dw), span(kw, dw) + 5))
    n = draw(st.integers(1, 2)) if form == "NCHW" else 1
    shape = {"HW": (h, w), "CHW": (c_in, h, w), "NCHW": (n, c_in, h, w)}[form]
    weight_shape = (kh, kw) if form == "HW" else (c_out, per_group, kh, kw)
    rng = random_generator(draw)
    x, weight = rng.standard_normal(shape), rng.standard_normal(weight_shape)
    args = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    try:
        out_shape = conv2d(x, weight, **args).shape
    except ValueError:  # torch refuses too (the forward test proves it); any gradient shape
        out_shape = shape
    if near_limits and draw(st.booleans()):
        axis = draw(st.integers(0, len(out_shape) - 1))
        out_shape = tuple(d + (1 if a == axis else 0) for a, d in enumerate(out_shape))
    return {"x": x, "weight": weight, "grad_output": rng.standard_normal(out_shape), **args}


def torch_grads(case: dict) -> tuple[np.ndarray, ...] | Exception:
    x, weight, grad = case["x"], case["weight"], case["grad_output"]
    args = {k: case[k] for k in ("stride", "padding", "dilation", "groups")}
    two_d = x.ndim == 2
    try:
        if two_d:
            gi, gw, gb = torch_conv2d_grads(x[None, None], weight[None, None],
                                            grad[None, None], **args)
            return gi[0, 0], gw[0, 0], gb
        batched = x.ndim == 4
        gi, gw, gb = torch_conv2d_grads(x if batched else x[None], weight,
                                        grad if batched else grad[None], **args)
        return (gi if batched else gi[0]), gw, gb
    except Exception as err:
        return err


def check_against_torch(case: dict) -> None:
    expected = torch_grads(case)
    args = {k: case[k] for k in ("stride", "padding", "dilation", "groups")}
    if isinstance(expected, Exception):
        try:
            conv2d_backward(case["x"], case["weight"], case["grad_output"], **args)
        except ValueError:
            event("both refused")
            return
        raise AssertionError(f"torch refused ({expected}) but conv2d_backward did not")
    got = conv2d_backward(case["x"], case["weight"], case["grad_output"], **args)
    for ours, theirs in zip(got, expected, strict=True):
        assert ours.dtype == np.float64
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOLERANCE)
    event("same gradients")


@examples(1500)
@given(backward_cases(near_limits=False))
def test_conv2d_backward_matches_autograd_for_every_argument(case: dict) -> None:
    check_against_torch(case)


@examples(800)
@given(backward_cases(near_limits=True))
def test_conv2d_backward_refuses_exactly_what_torch_refuses(case: dict) -> None:
    check_against_torch(case)


@examples(300)
@given(backward_cases(near_limits=False))
def test_grad_input_is_conv_transpose2d_of_the_output_gradient(case: dict) -> None:
    """The identity both panels teach: with the same weight, stride, padding and dilation,
    conv_transpose2d of grad_output is grad_input, output_padding making up the rows a
    stride left unread."""
    x, weight, grad = case["x"], case["weight"], case["grad_output"]
    padding = case["padding"]
    if isinstance(padding, str):
        return  # conv_transpose2d takes only numeric padding; "same" may pad unevenly
    if x.ndim == 2:
        x, weight, grad = x[None], weight[None, None], grad[None]
    grad_input, _, _ = conv2d_backward(x, weight, grad, case["stride"], padding,
                                       case["dilation"], case["groups"])
    stride, pad, dil = as_pair(case["stride"]), as_pair(padding), as_pair(case["dilation"])
    extra = tuple(
        x.shape[-2 + a] - ((grad.shape[-2 + a] - 1) * stride[a] - 2 * pad[a]
                           + dil[a] * (weight.shape[2 + a] - 1) + 1)
        for a in (0, 1)
    )
    transposed = conv_transpose2d(grad, weight, None, stride, pad, extra, case["groups"], dil)
    np.testing.assert_allclose(transposed, grad_input, rtol=0, atol=TOLERANCE)

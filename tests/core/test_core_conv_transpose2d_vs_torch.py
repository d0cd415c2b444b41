"""conv_transpose2d gives exactly what F.conv_transpose2d gives, and refuses what it refuses.

Covers stride, padding, output_padding (including values at and past the stride/dilation
limit), groups, dilation and bias, for (C, H, W) and (N, C, H, W) inputs, plus the (H, W)
convenience form with a (kH, kW) kernel.
"""

from __future__ import annotations

from core_strategies import as_pair, ints_or_pairs, random_generator
from core_torch_reference import assert_matches_torch, examples, torch_conv_transpose2d
from hypothesis import event, given
from hypothesis import strategies as st

from convtui.core import conv_transpose2d


@st.composite
def transpose_cases(draw: st.DrawFn, near_limits: bool) -> dict:
    form = draw(st.sampled_from(("HW", "CHW", "NCHW")))
    groups = 1 if form == "HW" else draw(st.integers(1, 3))
    if near_limits:
        c_in = draw(st.integers(1, 4))
        rows = c_in + draw(st.sampled_from((0, 0, 0, 1, -1)))  # weight.shape[0] must be c_in
        rows = max(rows, 1)
    else:
        c_in = rows = groups * draw(st.integers(1, 2))
    out_per_group = draw(st.integers(1, 2))
    if form == "HW":
        c_in = rows = out_per_group = 1
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = draw(st.integers(1, 3 if near_limits else 6)), draw(st.integers(1, 3 if near_limits
                                                                          else 6))
    n = draw(st.integers(1, 2)) if form == "NCHW" else 1
    shape = {"HW": (h, w), "CHW": (c_in, h, w), "NCHW": (n, c_in, h, w)}[form]
    weight_shape = (kh, kw) if form == "HW" else (rows, out_per_group, kh, kw)
    bias_len = out_per_group * groups
    if near_limits:
        bias_len += draw(st.sampled_from((0, 0, 0, 1, -1)))
    stride = draw(ints_or_pairs(1, 3))
    dilation = draw(st.one_of(st.just(1), ints_or_pairs(1, 3)))
    if near_limits:
        output_padding = draw(ints_or_pairs(0, 3))
    else:  # below max(stride, dilation) in each direction, the range torch accepts
        limits = [max(s, d) for s, d in zip(as_pair(stride), as_pair(dilation), strict=True)]
        output_padding = tuple(draw(st.integers(0, limit - 1)) for limit in limits)
    rng = random_generator(draw)
    return {
        "x": rng.standard_normal(shape),
        "weight": rng.standard_normal(weight_shape),
        "bias": rng.standard_normal(bias_len) if draw(st.booleans()) else None,
        "stride": stride,
        "padding": draw(ints_or_pairs(0, 4 if near_limits else 2)),
        "output_padding": output_padding,
        "groups": groups,
        "dilation": dilation,
    }


def check_against_torch(case: dict) -> None:
    x, weight = case["x"], case["weight"]
    torch_x, torch_w = (x[None, None], weight[None, None]) if x.ndim == 2 else (x, weight)
    args = {k: case[k] for k in ("bias", "stride", "padding", "output_padding", "groups",
                                 "dilation")}
    expected = assert_matches_torch(
        lambda: conv_transpose2d(x, weight, **args),
        lambda: torch_conv_transpose2d(torch_x, torch_w, **args)[
            (0, 0) if x.ndim == 2 else ()],
    )
    event("torch refused" if expected is None else "same numbers")


@examples(1200)
@given(transpose_cases(near_limits=False))
def test_conv_transpose2d_matches_torch_for_every_argument(case: dict) -> None:
    check_against_torch(case)


@examples(800)
@given(transpose_cases(near_limits=True))
def test_conv_transpose2d_refuses_exactly_what_torch_refuses(case: dict) -> None:
    check_against_torch(case)

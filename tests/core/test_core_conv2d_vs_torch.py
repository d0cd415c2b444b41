"""conv2d gives exactly what PyTorch's nn.Conv2d gives, and refuses exactly what it refuses.

Hypothesis draws shapes and every argument (non-square kernels, stride, int / pair / "same" /
"valid" padding, dilation, groups, the four padding modes, bias, true convolution via flip) for
the three input forms a user can pass: (H, W) with an (kH, kW) kernel, (C, H, W) and
(N, C, H, W). One property stays mostly in valid territory so most cases compare numbers; the
other lives at the limits (tiny inputs, big paddings, mismatched channels) so most cases compare
refusals.
"""

from __future__ import annotations

import numpy as np
import pytest
from core_strategies import as_pair, ints_or_pairs, random_generator, span
from core_torch_reference import assert_matches_torch, examples, torch_conv2d
from hypothesis import event, given
from hypothesis import strategies as st

from convtui.core import conv2d, flip_kernel
from convtui.core.geometry import PADDING_MODES

FORMS = ("HW", "CHW", "NCHW")


@st.composite
def conv_cases(draw: st.DrawFn, near_limits: bool) -> dict:
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
        stride = 1  # torch allows "same" only unstrided; the limits property covers the rest
        h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    else:
        dh, dw = as_pair(dilation)
        h = draw(st.integers(max(1, span(kh, dh) - 1), span(kh, dh) + 5))
        w = draw(st.integers(max(1, span(kw, dw) - 1), span(kw, dw) + 5))
    n = draw(st.integers(1, 2)) if form == "NCHW" else 1
    shape = {"HW": (h, w), "CHW": (c_in, h, w), "NCHW": (n, c_in, h, w)}[form]
    weight_shape = (kh, kw) if form == "HW" else (c_out, per_group, kh, kw)
    bias_len = c_out + (draw(st.sampled_from((0, 0, 0, 1, -1))) if near_limits else 0)
    rng = random_generator(draw)
    return {
        "x": rng.standard_normal(shape),
        "weight": rng.standard_normal(weight_shape),
        "bias": rng.standard_normal(bias_len) if draw(st.booleans()) else None,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "padding_mode": draw(st.sampled_from(PADDING_MODES)),
        "flip": draw(st.booleans()),
    }


def check_against_torch(case: dict) -> None:
    x, weight, flip = case["x"], case["weight"], case["flip"]
    torch_x, torch_w = (x[None, None], weight[None, None]) if x.ndim == 2 else (x, weight)
    if flip:  # true convolution = torch's cross-correlation with the kernel rotated 180°
        torch_w = torch_w[..., ::-1, ::-1]
    args = {k: case[k] for k in ("bias", "stride", "padding", "dilation", "groups",
                                 "padding_mode")}
    expected = assert_matches_torch(
        lambda: conv2d(x, weight, flip=flip, **args),
        lambda: torch_conv2d(torch_x, torch_w, **args)[(0, 0) if x.ndim == 2 else ()],
    )
    event("torch refused" if expected is None else "same numbers")


@examples(1500)
@given(conv_cases(near_limits=False))
def test_conv2d_matches_torch_for_every_argument(case: dict) -> None:
    check_against_torch(case)


@examples(1000)
@given(conv_cases(near_limits=True))
def test_conv2d_refuses_exactly_what_torch_refuses(case: dict) -> None:
    check_against_torch(case)


def test_flip_rotates_the_kernel_180_degrees() -> None:
    kernel = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(flip_kernel(kernel), [[5, 4, 3], [2, 1, 0]])


def test_negative_padding_is_refused_in_every_padding_mode() -> None:
    """Zeros mode matches torch; torch's reflect/replicate/circular modes would silently crop
    the input instead, which the lesson never means by padding, so convtui refuses them too."""
    for mode in PADDING_MODES:
        with pytest.raises(ValueError, match="padding: must not be negative"):
            conv2d(np.ones((5, 5)), np.ones((1, 1)), padding=-1, padding_mode=mode)

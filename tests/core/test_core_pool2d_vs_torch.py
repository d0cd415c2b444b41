"""pool2d gives exactly what F.max_pool2d / F.avg_pool2d give, and refuses what they refuse.

Covers kernel, stride (None = the kernel, or explicit), implicit padding, dilation for max
pooling, ceil_mode (where the last window may hang past the input) and count_include_pad, for
(C, H, W) and (N, C, H, W) inputs and the (H, W) convenience form. Inputs are often small
integers, so windows hold ties.
"""

from __future__ import annotations

import numpy as np
from core_strategies import as_pair, ints_or_pairs, random_generator
from core_torch_reference import assert_matches_torch, examples, torch_pool2d
from hypothesis import event, given
from hypothesis import strategies as st

from convtui.core import pool2d


def pool_input(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    """Small integers (many ties, to pin down which maximum wins) or arbitrary reals."""
    rng = random_generator(draw)
    if draw(st.booleans()):
        return rng.integers(-3, 4, size=shape).astype(np.float64)
    return rng.standard_normal(shape)


@st.composite
def pool_cases(draw: st.DrawFn, near_limits: bool) -> dict:
    form = draw(st.sampled_from(("HW", "CHW", "NCHW")))
    kind = draw(st.sampled_from(("max", "avg")))
    kernel = draw(ints_or_pairs(1, 4))
    if near_limits:
        padding = draw(ints_or_pairs(0, 3))
        h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    else:  # at most half the kernel, the range torch accepts
        padding = tuple(draw(st.integers(0, k // 2)) for k in as_pair(kernel))
        h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    shape = {"HW": (h, w), "CHW": (draw(st.integers(1, 3)), h, w),
             "NCHW": (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w)}[form]
    return {
        "x": pool_input(draw, shape),
        "kind": kind,
        "kernel_size": kernel,
        "stride": draw(st.one_of(st.none(), ints_or_pairs(1, 3))),
        "padding": padding,
        "dilation": draw(ints_or_pairs(1, 3)) if kind == "max" else 1,
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }


def check_against_torch(case: dict) -> None:
    x = case["x"]
    args = {k: v for k, v in case.items() if k != "x"}
    expected = assert_matches_torch(
        lambda: pool2d(x, **args),
        lambda: torch_pool2d(x[None] if x.ndim == 2 else x, **args)[0 if x.ndim == 2 else ()],
    )
    event("torch refused" if expected is None else "same numbers")


@examples(1500)
@given(pool_cases(near_limits=False))
def test_pool2d_matches_torch_for_every_argument(case: dict) -> None:
    check_against_torch(case)


@examples(1000)
@given(pool_cases(near_limits=True))
def test_pool2d_refuses_exactly_what_torch_refuses(case: dict) -> None:
    check_against_torch(case)

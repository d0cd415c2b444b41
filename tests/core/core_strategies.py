"""Hypothesis building blocks shared by the engine's differential tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def ints_or_pairs(low: int, high: int) -> st.SearchStrategy:
    """An int, or an (h, w) pair, as torch accepts for stride / padding / dilation."""
    return st.one_of(st.integers(low, high),
                     st.tuples(st.integers(low, high), st.integers(low, high)))


def as_pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, value)


def span(kernel: int, dilation: int) -> int:
    """Cells a dilated kernel covers along one axis."""
    return dilation * (kernel - 1) + 1


def random_generator(draw: st.DrawFn) -> np.random.Generator:
    """Array contents come from a drawn seed: fast to generate, and the seed is shown
    in a failing example so the arrays can be rebuilt."""
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1), label="seed"))

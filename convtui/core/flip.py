"""Cross-correlation versus convolution: where the 180° rotation sends each weight, which
kernels it leaves alone (or only negates), and the impulse input that shows a kernel back.

``conv2d(..., flip=True)`` is convolution; these helpers say what the flip changes, so the Flip
panel can explain a difference instead of just showing one.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from convtui.core.conv import flip_kernel
from convtui.core.errors import refuse
from convtui.i18n import t

#: How a kernel relates to its own 180° rotation.
FlipRelation = Literal["same", "negated", "different"]

#: Output cells closer than this count as equal (float sums in another order may differ by
#: rounding).
TOLERANCE = 1e-9


def rotated_position(row: int, col: int, shape: tuple[int, int]) -> tuple[int, int]:
    """Where weight (row, col) of a kernel of ``shape`` lands after the 180° rotation."""
    height, width = shape
    if not (0 <= row < height and 0 <= col < width):
        raise IndexError(t("core.flip.weight_outside", row=row, col=col, height=height,
                           width=width))
    return height - 1 - row, width - 1 - col


def flip_relation(kernel: np.ndarray) -> FlipRelation:
    """``same`` when the kernel equals its own 180° rotation (then convolution and
    cross-correlation agree), ``negated`` when the rotation only flips every sign (then, without
    bias, the convolution is the negative of the cross-correlation), else ``different``."""
    k = np.asarray(kernel, dtype=np.float64)
    rotated = flip_kernel(k)
    if np.array_equal(rotated, k):
        return "same"
    if np.array_equal(rotated, -k):
        return "negated"
    return "different"


def impulse(shape: tuple[int, int], at: tuple[int, int] | None = None) -> np.ndarray:
    """A field of zeros with a single 1, at ``at`` or in the centre: convolving it with a kernel
    stamps the kernel itself, cross-correlating it stamps the kernel rotated 180°."""
    height, width = shape
    row, col = at if at is not None else ((height - 1) // 2, (width - 1) // 2)
    if not (0 <= row < height and 0 <= col < width):
        raise IndexError(t("core.flip.impulse_outside", row=row, col=col, height=height,
                           width=width))
    x = np.zeros((height, width))
    x[row, col] = 1.0
    return x


def impulse_position(x: np.ndarray) -> tuple[int, int] | None:
    """The cell of the single 1 if ``x`` (H, W) is an impulse (all other cells 0), else None."""
    arr = np.asarray(x, dtype=np.float64)
    nonzero = np.argwhere(arr != 0)
    if arr.ndim != 2 or len(nonzero) != 1 or arr[tuple(nonzero[0])] != 1:
        return None
    return int(nonzero[0][0]), int(nonzero[0][1])


def output_difference(correlation: np.ndarray, convolution: np.ndarray) -> np.ndarray:
    """Cross-correlation minus convolution, cell by cell (same shapes: same layer settings)."""
    a = np.asarray(correlation, dtype=np.float64)
    b = np.asarray(convolution, dtype=np.float64)
    if a.shape != b.shape:
        raise refuse("outputs", "core.flip.shapes_differ", first=a.shape, second=b.shape)
    return a - b


def differing_cells(difference: np.ndarray) -> frozenset[tuple[int, int]]:
    """The (row, col) cells where the two outputs really differ (beyond float rounding)."""
    return frozenset((int(r), int(c)) for r, c in np.argwhere(np.abs(difference) > TOLERANCE))

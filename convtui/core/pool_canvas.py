"""The input as a pooling layer's windows see it: the plane, its implicit padding, and, with
``ceil_mode``, the cells past the padded input that the last window hangs over.

A view draws this canvas and places each step's window on it; nothing here changes a result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.pool import CELL_INPUT, CELL_OUTSIDE, CELL_PAD, PoolTrace


@dataclass(frozen=True)
class PoolCanvas:
    """``values`` holds the input, the padding value (-inf for max, 0 for avg) and nan past
    the padded input; ``cells`` says which is which (CELL_INPUT / CELL_PAD / CELL_OUTSIDE).
    Input cell (r, c) sits at canvas cell (r + top, c + left)."""

    values: np.ndarray
    cells: np.ndarray
    top: int
    left: int

    @property
    def overhang(self) -> bool:
        """Whether some window reaches past the padded input (only ever with ceil_mode)."""
        return bool((self.cells == CELL_OUTSIDE).any())

    def to_canvas(self, row: int, col: int) -> tuple[int, int]:
        return row + self.top, col + self.left


def _axis_kinds(size: int, pad: int, last: int) -> np.ndarray:
    """The kind of every position from -pad to ``last`` (or to the padded end, if further)."""
    positions = np.arange(-pad, max(last, size + pad - 1) + 1)
    return np.where((positions >= 0) & (positions < size), CELL_INPUT,
                    np.where(positions < size + pad, CELL_PAD, CELL_OUTSIDE))


def pool_canvas(trace: PoolTrace) -> PoolCanvas:
    """Pad the trace's plane for drawing, reaching as far as its last window does."""
    g = trace.geometry
    (oh, ow), (h, w) = g.out_size, g.in_size
    last_row = (oh - 1) * g.stride[0] - g.padding[0] + (g.kernel[0] - 1) * g.dilation[0]
    last_col = (ow - 1) * g.stride[1] - g.padding[1] + (g.kernel[1] - 1) * g.dilation[1]
    rows = _axis_kinds(h, g.padding[0], last_row)
    cols = _axis_kinds(w, g.padding[1], last_col)
    cells = np.maximum.outer(rows, cols)
    values = np.full(cells.shape, np.nan)
    values[cells == CELL_PAD] = -np.inf if g.kind == "max" else 0.0
    top, left = g.padding
    values[top : top + h, left : left + w] = trace.plane
    return PoolCanvas(values, cells, top, left)

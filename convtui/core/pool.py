"""Max and average pooling, ``F.max_pool2d`` / ``F.avg_pool2d`` in numpy, and their steps.

Padding is implicit as in PyTorch: -inf for max pooling (a pad cell never wins), zeros for
average pooling (counted in the divisor only with ``count_include_pad``). With ``ceil_mode`` the
last window may hang past the padded input; those cells are neither input nor padding and are
never counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from convtui.core.errors import refuse
from convtui.core.geometry import (
    check_extent,
    check_non_negative,
    check_positive,
    pair,
    pool_output_size,
)
from convtui.i18n import t

PoolKind = Literal["max", "avg"]

#: What a window cell is: a real input cell, a padding cell, or past the padded input.
CELL_INPUT, CELL_PAD, CELL_OUTSIDE = 0, 1, 2


@dataclass(frozen=True)
class PoolGeometry:
    kind: PoolKind
    in_size: tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    ceil_mode: bool
    count_include_pad: bool
    out_size: tuple[int, int]


def pool_geometry(
    in_size: tuple[int, int], kind: PoolKind, kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None, padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1, ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> PoolGeometry:
    """Check the arguments as PyTorch does; stride defaults to the kernel size."""
    if kind not in ("max", "avg"):
        raise refuse("kind", "core.pool.kind", value=repr(kind))
    check_extent(in_size, "input")
    kernel = pair(kernel_size, "kernel_size")
    check_positive(kernel, "kernel_size")
    stride_p = kernel if stride is None else pair(stride, "stride")
    check_positive(stride_p, "stride")
    pad_p = pair(padding, "padding")
    check_non_negative(pad_p, "padding")
    dil_p = pair(dilation, "dilation")
    check_positive(dil_p, "dilation")
    if kind == "avg" and dil_p != (1, 1):
        raise refuse("dilation", "core.pool.avg_dilation")
    out = tuple(
        pool_output_size(in_size[a], kernel[a], stride_p[a], pad_p[a], dil_p[a], ceil_mode,
                         ("height", "width")[a])
        for a in (0, 1)
    )
    return PoolGeometry(kind, tuple(in_size), kernel, stride_p, pad_p, dil_p, ceil_mode,
                        count_include_pad, out)


def _window_positions(geom: PoolGeometry, axis: int, o: int) -> list[int]:
    """Input coordinates of one window along an axis (negative or past the end = not input)."""
    start = o * geom.stride[axis] - geom.padding[axis]
    return [start + k * geom.dilation[axis] for k in range(geom.kernel[axis])]


def _cell_kind(pos: int, axis: int, geom: PoolGeometry) -> int:
    size = geom.in_size[axis]
    if 0 <= pos < size:
        return CELL_INPUT
    if -geom.padding[axis] <= pos < size + geom.padding[axis]:
        return CELL_PAD
    return CELL_OUTSIDE


@dataclass(frozen=True)
class PoolStep:
    """One pooled output cell: its window, and how the value came out of it.

    ``cells`` is (kH, kW) of CELL_INPUT / CELL_PAD / CELL_OUTSIDE; ``values`` holds the input
    values, -inf (max) or 0 (avg) on padding, nan past the padded input. For max pooling
    ``winner`` is the (row, col) in the window of the maximum and ``index`` its flat input
    index, as ``return_indices=True`` gives (both None when a dilated window holds only
    padding and the result is -inf); for average pooling ``divisor`` is what the sum is
    divided by."""

    out_row: int
    out_col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    cells: np.ndarray
    values: np.ndarray
    value: float
    winner: tuple[int, int] | None
    index: int | None
    total: float | None
    divisor: int | None


def _step(plane: np.ndarray, geom: PoolGeometry, r: int, c: int) -> PoolStep:
    rows = _window_positions(geom, 0, r)
    cols = _window_positions(geom, 1, c)
    cells = np.maximum.outer(
        np.array([_cell_kind(p, 0, geom) for p in rows]),
        np.array([_cell_kind(p, 1, geom) for p in cols]),
    )
    pad_value = -np.inf if geom.kind == "max" else 0.0
    values = np.full(cells.shape, np.nan)
    values[cells == CELL_PAD] = pad_value
    w = geom.in_size[1]
    for i, pr in enumerate(rows):
        for j, pc in enumerate(cols):
            if cells[i, j] == CELL_INPUT:
                values[i, j] = plane[pr, pc]
    if geom.kind == "max":
        winner = _first_max(values, cells)
        if winner is None:  # a dilated window that lands only on padding: PyTorch gives -inf
            return PoolStep(r, c, tuple(rows), tuple(cols), cells, values, -np.inf, None,
                            None, None, None)
        rr, cc = rows[winner[0]], cols[winner[1]]
        return PoolStep(r, c, tuple(rows), tuple(cols), cells, values,
                        float(values[winner]), winner, rr * w + cc, None, None)
    inside = cells == CELL_INPUT
    total = float(values[inside].sum())
    if geom.count_include_pad:
        divisor = int((cells != CELL_OUTSIDE).sum())
    else:
        divisor = int(inside.sum())
    return PoolStep(r, c, tuple(rows), tuple(cols), cells, values, total / divisor, None,
                    None, total, divisor)


def _first_max(values: np.ndarray, cells: np.ndarray) -> tuple[int, int] | None:
    """PyTorch's rule: scan the window in order, keep the first maximum; a NaN wins."""
    best: tuple[int, int] | None = None
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if cells[i, j] != CELL_INPUT:
                continue
            v = values[i, j]
            if best is None or v > values[best] or np.isnan(v):
                best = (i, j)
                if np.isnan(v):
                    return best
    return best


def pool2d(
    x: np.ndarray,
    kind: PoolKind,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> np.ndarray:
    """Pool x of shape (N, C, H, W), (C, H, W) or (H, W); float64 result of the same rank."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim not in (2, 3, 4):
        raise refuse("input", "core.pool.input_rank", ndim=arr.ndim, shape=tuple(arr.shape))
    check_extent(arr.shape, "input", batched=arr.ndim == 4)
    geom = pool_geometry(arr.shape[-2:], kind, kernel_size, stride, padding, dilation,
                         ceil_mode, count_include_pad)
    planes = arr.reshape(-1, *arr.shape[-2:])
    out = np.empty((planes.shape[0], *geom.out_size))
    oh, ow = geom.out_size
    for r in range(oh):
        for c in range(ow):
            out[:, r, c] = _pool_cell(planes, geom, r, c)
    return out.reshape(*arr.shape[:-2], oh, ow)


def _pool_cell(planes: np.ndarray, geom: PoolGeometry, r: int, c: int) -> np.ndarray:
    """One output cell for every plane at once (vectorised over N*C)."""
    h, w = geom.in_size
    rows = _window_positions(geom, 0, r)
    cols = _window_positions(geom, 1, c)
    rin = [p for p in rows if 0 <= p < h]
    cin = [p for p in cols if 0 <= p < w]
    window = planes[:, rin][:, :, cin].reshape(planes.shape[0], len(rin) * len(cin))
    if geom.kind == "max":
        # np.max propagates NaN like PyTorch; padding (-inf) can never win.
        if window.shape[1] == 0:
            return np.full(planes.shape[0], -np.inf)
        return window.max(axis=1)
    if geom.count_include_pad:
        pr = sum(_cell_kind(p, 0, geom) != CELL_OUTSIDE for p in rows)
        pc = sum(_cell_kind(p, 1, geom) != CELL_OUTSIDE for p in cols)
        divisor = pr * pc
    else:
        divisor = len(rin) * len(cin)
    return window.sum(axis=1) / divisor


@dataclass(frozen=True)
class PoolTrace:
    """A single-plane pooling, as steps in raster order plus its output."""

    geometry: PoolGeometry
    plane: np.ndarray
    output: np.ndarray

    @property
    def step_count(self) -> int:
        return self.output.size

    def step(self, index: int) -> PoolStep:
        oh, ow = self.geometry.out_size
        if not 0 <= index < oh * ow:
            raise IndexError(t("core.conv.step_outside", index=index, last=oh * ow - 1))
        r, c = divmod(index, ow)
        return _step(self.plane, self.geometry, r, c)


def pool_trace(
    x: np.ndarray, kind: PoolKind, kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None, padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1, ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> PoolTrace:
    """Step-by-step form of pool2d for one (H, W) plane."""
    plane = np.asarray(x, dtype=np.float64)
    if plane.ndim != 2:
        raise refuse("input", "core.pool.plane", shape=tuple(plane.shape))
    geom = pool_geometry(plane.shape, kind, kernel_size, stride, padding, dilation, ceil_mode,
                         count_include_pad)
    out = pool2d(plane, kind, kernel_size, stride, padding, dilation, ceil_mode,
                 count_include_pad)
    return PoolTrace(geom, plane, out)

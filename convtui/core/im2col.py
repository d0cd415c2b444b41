"""im2col and col2im: a convolution's windows laid out as the columns of one matrix.

``im2col`` is ``torch.nn.functional.unfold`` and ``col2im`` is ``torch.nn.functional.fold``
(same argument forms, shapes and refusals; results are float64). The windows come from the
same code conv2d reads them with, so the columns are exactly the patches conv2d multiplies.
Both take zero padding only, as torch's unfold and fold do.
"""

from __future__ import annotations

import numpy as np

from convtui.core.conv import ConvGeometry, conv_geometry, pad_input, windows
from convtui.core.errors import refuse
from convtui.core.geometry import check_extent, check_non_negative, check_positive, pair

IntOrPair = int | tuple[int, int]


def unfold_geometry(
    in_size: tuple[int, int], kernel_size: IntOrPair, dilation: IntOrPair = 1,
    padding: IntOrPair = 0, stride: IntOrPair = 1,
) -> ConvGeometry:
    """The windows of an unfold over ``in_size``: ints or pairs only (no 'same' / 'valid',
    which torch's unfold and fold refuse), checked as torch checks them."""
    kernel = pair(kernel_size, "kernel_size")
    check_positive(kernel, "kernel_size")
    pads = pair(padding, "padding")
    check_non_negative(pads, "padding")
    return conv_geometry(in_size, kernel, stride, pads, dilation)


def im2col(
    x: np.ndarray, kernel_size: IntOrPair, dilation: IntOrPair = 1, padding: IntOrPair = 0,
    stride: IntOrPair = 1,
) -> np.ndarray:
    """``F.unfold``: (N, C, H, W) to (N, C*kH*kW, L), or unbatched (C, H, W) to
    (C*kH*kW, L). Row ``c*kH*kW + i*kW + j`` holds weight position (c, i, j) of every window;
    column ``l`` is the window of output cell ``divmod(l, out_w)``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim not in (3, 4):
        raise refuse("input", "core.im2col.input_rank", ndim=x.ndim, shape=tuple(x.shape))
    check_extent(x.shape, "input", batched=x.ndim == 4)
    x4 = x if x.ndim == 4 else x[None]
    geom = unfold_geometry(x4.shape[2:], kernel_size, dilation, padding, stride)
    win = windows(pad_input(x4, geom), geom)  # (N, C, oh, ow, kH, kW)
    n, c, oh, ow, kh, kw = win.shape
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)
    return cols if x.ndim == 4 else cols[0]


def col2im(
    cols: np.ndarray, output_size: IntOrPair, kernel_size: IntOrPair, dilation: IntOrPair = 1,
    padding: IntOrPair = 0, stride: IntOrPair = 1,
) -> np.ndarray:
    """``F.fold``: (N, C*kH*kW, L) to (N, C, H, W), or (C*kH*kW, L) to (C, H, W), adding up
    every column's values where the windows overlap (so it inverts im2col only where windows
    do not overlap)."""
    cols = np.asarray(cols, dtype=np.float64)
    if cols.ndim not in (2, 3):
        raise refuse("input", "core.im2col.cols_rank", ndim=cols.ndim, shape=tuple(cols.shape))
    check_extent(cols.shape, "input", batched=cols.ndim == 3)
    c3 = cols if cols.ndim == 3 else cols[None]
    size = pair(output_size, "output_size")
    check_positive(size, "output_size")
    kh, kw = pair(kernel_size, "kernel_size")
    check_positive((kh, kw), "kernel_size")
    if c3.shape[1] % (kh * kw):
        raise refuse("input", "core.im2col.rows_divide", rows=c3.shape[1], kh=kh, kw=kw,
                     cells=kh * kw)
    geom = unfold_geometry(size, (kh, kw), dilation, padding, stride)
    oh, ow = geom.out_size
    if c3.shape[2] != oh * ow:
        raise refuse("input", "core.im2col.blocks", got=c3.shape[2], oh=oh, ow=ow,
                     blocks=oh * ow, size=f"{size[0]}x{size[1]}")
    n, c = c3.shape[0], c3.shape[1] // (kh * kw)
    top, _, left, _ = geom.pads
    (sh, sw), (dh, dw) = geom.stride, geom.dilation
    padded = np.zeros((n, c, size[0] + 2 * top, size[1] + 2 * left))
    blocks = c3.reshape(n, c, kh, kw, oh, ow)
    for i in range(kh):  # kernel positions in torch's order, so sums add up in its order
        for j in range(kw):
            rows = slice(i * dh, i * dh + (oh - 1) * sh + 1, sh)
            cols_ = slice(j * dw, j * dw + (ow - 1) * sw + 1, sw)
            padded[:, :, rows, cols_] += blocks[:, :, i, j]
    out = padded[:, :, top : top + size[0], left : left + size[1]]
    return out if cols.ndim == 3 else out[0]

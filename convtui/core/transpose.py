"""Transposed convolution, ``torch.nn.functional.conv_transpose2d`` in numpy.

Each input cell scatters a copy of the kernel, scaled by its value, into the output; stride
spaces the copies apart, padding crops the border. Written as that scatter rather than as a
convolution of a dilated input, because the scatter is what the lesson draws.
"""

from __future__ import annotations

import numpy as np

from convtui.core.conv import as_nchw, check_bias, check_channels
from convtui.core.geometry import (
    check_non_negative,
    check_positive,
    explain_transposed_output_size,
    pair,
)


def conv_transpose2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    groups: int = 1,
    dilation: int | tuple[int, int] = 1,
) -> np.ndarray:
    """x is (N, C_in, H, W) or (C_in, H, W); weight is (C_in, C_out/groups, kH, kW)."""
    x4, w4, rank = as_nchw(x, weight)
    check_channels(x4.shape[1], w4, groups, transposed=True)
    stride_p = pair(stride, "stride")
    pad_p = pair(padding, "padding")
    outpad_p = pair(output_padding, "output_padding")
    dil_p = pair(dilation, "dilation")
    check_positive(stride_p, "stride")
    check_positive(dil_p, "dilation")
    check_non_negative(pad_p, "padding")
    check_non_negative(outpad_p, "output_padding")
    n, c_in, h, w = x4.shape
    kh, kw = w4.shape[2:]
    og = w4.shape[1]
    b = check_bias(bias, og * groups)
    out_h = explain_transposed_output_size(h, kh, stride_p[0], pad_p[0], outpad_p[0],
                                           dil_p[0]).value
    out_w = explain_transposed_output_size(w, kw, stride_p[1], pad_p[1], outpad_p[1],
                                           dil_p[1]).value
    # Uncropped output: every kernel copy fits, plus room for output_padding's extra row/col.
    full_h = max(pad_p[0] + out_h, (h - 1) * stride_p[0] + dil_p[0] * (kh - 1) + 1)
    full_w = max(pad_p[1] + out_w, (w - 1) * stride_p[1] + dil_p[1] * (kw - 1) + 1)
    full = np.zeros((n, og * groups, full_h, full_w))
    cg = c_in // groups
    for g in range(groups):
        xg = x4[:, g * cg : (g + 1) * cg]
        wg = w4[g * cg : (g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                r0, c0 = i * dil_p[0], j * dil_p[1]
                full[:, g * og : (g + 1) * og,
                     r0 : r0 + (h - 1) * stride_p[0] + 1 : stride_p[0],
                     c0 : c0 + (w - 1) * stride_p[1] + 1 : stride_p[1]] += np.einsum(
                    "nchw,co->nohw", xg, wg[:, :, i, j])
    out = full[:, :, pad_p[0] : pad_p[0] + out_h, pad_p[1] : pad_p[1] + out_w]
    out = out + b[None, :, None, None]
    if rank == 2:
        return out[0, 0]
    return out if rank == 4 else out[0]

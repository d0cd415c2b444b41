"""The gradients of a convolution, what ``torch.autograd`` gives for ``F.conv2d``.

``conv2d_backward`` takes the same arguments and checks as ``conv2d`` plus the gradient of the
loss with respect to the output, and returns the gradients with respect to the input, the
weight and the bias. The input gradient is a transposed convolution of the output gradient with
the same weight, so its trace is ``convtui.core.transpose``'s, in both readings: the scatter
(each output-gradient cell stamps the kernel back onto the window it came from) and the gather
(the output gradient, dilated by the stride and padded, cross-correlated with the kernel rotated
180°). The weight gradient is the correlation of the input with the output gradient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.conv import (
    ConvGeometry,
    as_nchw,
    check_channels,
    conv_geometry,
    pad_input,
    plane_and_kernels,
    windows,
)
from convtui.core.errors import refuse
from convtui.core.geometry import Padding
from convtui.core.transpose import (
    StampGeometry,
    StampTrace,
    check_step_index,
    scatter_kernels,
)


def _checked(
    x: np.ndarray, weight: np.ndarray, grad_output: np.ndarray, stride, padding, dilation,
    groups: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, ConvGeometry]:
    """Everything conv2d checks, and an output gradient shaped like conv2d's output."""
    x4, w4, rank = as_nchw(x, weight)
    check_channels(x4.shape[1], w4, groups, transposed=False)
    geom = conv_geometry(x4.shape[2:], w4.shape[2:], stride, padding, dilation)
    out_shape = (x4.shape[0], w4.shape[0], *geom.out_size)
    g = checked_grad(grad_output, {2: out_shape[2:], 3: out_shape[1:], 4: out_shape}[rank])
    return x4, w4, g.reshape(out_shape), rank, geom


def checked_grad(grad_output: np.ndarray, expected: tuple[int, ...]) -> np.ndarray:
    """The output gradient as float64, refused unless it has the output's shape."""
    g = np.asarray(grad_output, dtype=np.float64)
    if g.shape != tuple(expected):
        raise refuse("grad_output", "core.backward.grad_output_shape", expected=tuple(expected),
                     got=tuple(g.shape))
    return g


def _grad_input(g4: np.ndarray, w4: np.ndarray, geom: ConvGeometry, groups: int) -> np.ndarray:
    top, bottom, left, right = geom.pads
    h, w = geom.in_size
    full = scatter_kernels(g4, w4, geom.stride, geom.dilation, groups,
                           (top + h + bottom, left + w + right))
    return full[:, :, top : top + h, left : left + w]


def _grad_weight(x4: np.ndarray, g4: np.ndarray, geom: ConvGeometry, groups: int,
                 weight_shape: tuple[int, ...]) -> np.ndarray:
    win = windows(pad_input(x4, geom), geom)
    grad = np.empty(weight_shape)
    cg, og = x4.shape[1] // groups, weight_shape[0] // groups
    for k in range(groups):
        grad[k * og : (k + 1) * og] = np.einsum(
            "nchwij,nohw->ocij", win[:, k * cg : (k + 1) * cg], g4[:, k * og : (k + 1) * og],
            optimize=True,
        )
    return grad


def conv2d_backward(
    x: np.ndarray,
    weight: np.ndarray,
    grad_output: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: Padding = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(grad_input, grad_weight, grad_bias)`` of ``F.conv2d(x, weight, bias, ...)`` for the
    output gradient ``grad_output`` (shaped like that call's output), zero padding.

    Shapes follow the arguments: grad_input like x, grad_weight like weight, grad_bias one value
    per output channel (shape (1,) for the 2-D form)."""
    x4, w4, g4, rank, geom = _checked(x, weight, grad_output, stride, padding, dilation, groups)
    grad_input = _grad_input(g4, w4, geom, groups)
    grad_weight = _grad_weight(x4, g4, geom, groups, w4.shape)
    grad_bias = g4.sum(axis=(0, 2, 3))
    if rank == 2:
        return grad_input[0, 0], grad_weight[0, 0], grad_bias
    return (grad_input if rank == 4 else grad_input[0]), grad_weight, grad_bias


def _single_channel(
    x: np.ndarray, weight: np.ndarray, grad_output: np.ndarray, stride, padding, dilation,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, ConvGeometry]:
    """x (H, W) or (C, H, W), weight (kH, kW) or (C, kH, kW) as conv_trace takes them, and
    the (out_h, out_w) gradient of that one output channel."""
    x3, w3 = plane_and_kernels(x, weight)
    geom = conv_geometry(x3.shape[1:], w3.shape[1:], stride, padding, dilation)
    return x3, w3, checked_grad(grad_output, geom.out_size), geom


def backward_traces(
    x: np.ndarray,
    weight: np.ndarray,
    grad_output: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: Padding = 0,
    dilation: int | tuple[int, int] = 1,
) -> tuple[StampTrace, WeightGradTrace]:
    """Both gradients of one output channel step by step, from one ``conv2d_backward``: the
    grad_input trace in its two readings (source grad_output (1, out_h, out_w), target
    grad_input (C, H, W)) and the grad_weight trace."""
    x3, w3, g, geom = _single_channel(x, weight, grad_output, stride, padding, dilation)
    grad_input, grad_weight, _ = conv2d_backward(x3, w3[None], g[None], stride, padding,
                                                 dilation)
    stamp = StampGeometry(geom.out_size, geom.kernel, geom.stride, geom.dilation,
                          (geom.pads[0], geom.pads[2]), geom.in_size)
    return (StampTrace(stamp, g[None], w3[None], np.zeros(x3.shape[0]), grad_input),
            WeightGradTrace(geom, pad_input(x3, geom), g, grad_weight[0]))


def grad_input_trace(
    x: np.ndarray,
    weight: np.ndarray,
    grad_output: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: Padding = 0,
    dilation: int | tuple[int, int] = 1,
) -> StampTrace:
    """Both readings of grad_input for one output channel (``backward_traces``' first)."""
    return backward_traces(x, weight, grad_output, stride, padding, dilation)[0]


@dataclass(frozen=True)
class WeightGradStep:
    """One weight cell's gradient: the input cells that weight touched, one per output cell,
    times the output gradient there, summed.

    ``rows``/``cols`` are input positions (negative or past the edge in the padding);
    ``values``, ``grads`` and ``products`` are (out_h, out_w)."""

    channel: int
    row: int
    col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    is_pad: np.ndarray  # (out_h, out_w) bool
    values: np.ndarray
    grads: np.ndarray
    products: np.ndarray

    @property
    def total(self) -> float:
        return float(self.products.sum())


@dataclass(frozen=True)
class WeightGradTrace:
    """grad_weight of one output channel, (C, kH, kW), as steps in raster order."""

    geometry: ConvGeometry
    padded: np.ndarray  # (C, H+pads, W+pads)
    grad_output: np.ndarray  # (out_h, out_w)
    output: np.ndarray  # (C, kH, kW)

    @property
    def step_count(self) -> int:
        return self.output.size

    @property
    def grad_bias(self) -> float:
        """The bias touches every output cell with weight 1: its gradient is their sum."""
        return float(self.grad_output.sum())

    def step(self, index: int) -> WeightGradStep:
        check_step_index(index, self.step_count)
        c, rest = divmod(index, self.output[0].size)
        i, j = divmod(rest, self.output.shape[2])
        g = self.geometry
        oh, ow = g.out_size
        prow = [r * g.stride[0] + i * g.dilation[0] for r in range(oh)]
        pcol = [s * g.stride[1] + j * g.dilation[1] for s in range(ow)]
        rows = tuple(p - g.pads[0] for p in prow)
        cols = tuple(p - g.pads[2] for p in pcol)
        row_pad = np.array([not 0 <= p < g.in_size[0] for p in rows])
        col_pad = np.array([not 0 <= p < g.in_size[1] for p in cols])
        values = self.padded[c][prow][:, pcol]
        return WeightGradStep(
            channel=c, row=i, col=j, rows=rows, cols=cols,
            is_pad=row_pad[:, None] | col_pad[None, :], values=values,
            grads=self.grad_output, products=values * self.grad_output,
        )


def grad_weight_trace(
    x: np.ndarray,
    weight: np.ndarray,
    grad_output: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: Padding = 0,
    dilation: int | tuple[int, int] = 1,
) -> WeightGradTrace:
    """grad_weight of one output channel step by step (``backward_traces``' second)."""
    return backward_traces(x, weight, grad_output, stride, padding, dilation)[1]

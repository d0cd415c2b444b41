"""2-D convolution (PyTorch's cross-correlation, or true convolution with ``flip=True``).

Same argument names, defaults, checks and output shapes as ``torch.nn.functional.conv2d`` plus
``nn.Conv2d``'s ``padding_mode``; results are float64. ``conv_trace`` gives the same numbers one
output cell at a time, with everything a view needs to draw the multiply-and-sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.errors import refuse
from convtui.core.geometry import (
    PADDING_MODES,
    Padding,
    check_extent,
    check_positive,
    conv_output_size,
    conv_padding,
    pair,
)
from convtui.i18n import t

_NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                   "circular": "wrap"}


def flip_kernel(weight: np.ndarray) -> np.ndarray:
    """Rotate the kernel 180° over its last two axes: what turns cross-correlation into
    convolution."""
    return np.asarray(weight)[..., ::-1, ::-1]


@dataclass(frozen=True)
class ConvGeometry:
    """The resolved arguments of one conv2d call, shared by the fast path and the steps."""

    in_size: tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: tuple[int, int, int, int]  # top, bottom, left, right
    padding_mode: str
    out_size: tuple[int, int]


def conv_geometry(
    in_size: tuple[int, int], kernel: tuple[int, int], stride: int | tuple[int, int] = 1,
    padding: Padding = 0, dilation: int | tuple[int, int] = 1, padding_mode: str = "zeros",
) -> ConvGeometry:
    """Check every argument as PyTorch does and work out the padded geometry."""
    check_extent(in_size, "input")
    stride_p = pair(stride, "stride")
    dilation_p = pair(dilation, "dilation")
    check_positive(stride_p, "stride")
    check_positive(dilation_p, "dilation")
    check_positive(kernel, "kernel_size")
    if padding_mode not in PADDING_MODES:
        raise unknown_padding_mode(padding_mode)
    pads = conv_padding(padding, kernel, stride_p, dilation_p)
    h, w = in_size
    if padding_mode == "reflect" and (max(pads[:2]) >= h or max(pads[2:]) >= w):
        raise refuse("padding", "core.conv.reflect_too_big", h=h, w=w, pads=_pads_text(pads))
    if padding_mode == "circular" and (max(pads[:2]) > h or max(pads[2:]) > w):
        raise refuse("padding", "core.conv.circular_too_big", h=h, w=w, pads=_pads_text(pads))
    out_h = conv_output_size(h, kernel[0], stride_p[0], pads[0], pads[1], dilation_p[0], "height")
    out_w = conv_output_size(w, kernel[1], stride_p[1], pads[2], pads[3], dilation_p[1], "width")
    return ConvGeometry(in_size, kernel, stride_p, dilation_p, pads, padding_mode, (out_h, out_w))


def unknown_padding_mode(mode: object) -> ValueError:
    return refuse("padding_mode", "core.conv.padding_mode", modes=", ".join(PADDING_MODES),
                  value=repr(mode))


def _pads_text(pads: tuple[int, int, int, int]) -> str:
    return t("core.conv.pads", top=pads[0], bottom=pads[1], left=pads[2], right=pads[3])


def pad_input(x: np.ndarray, geom: ConvGeometry) -> np.ndarray:
    """Pad the last two axes with the geometry's padding mode."""
    top, bottom, left, right = geom.pads
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    return np.pad(x, widths, mode=_NUMPY_PAD_MODE[geom.padding_mode])


def source_indices(geom: ConvGeometry) -> tuple[np.ndarray, np.ndarray]:
    """For each padded row and column, the input index it copies, or -1 for a zero pad.

    This is what lets a view say which input cell a reflected or wrapped pad cell shows."""
    top, bottom, left, right = geom.pads
    mode = _NUMPY_PAD_MODE[geom.padding_mode]
    kwargs = {"constant_values": -1} if mode == "constant" else {}
    rows = np.pad(np.arange(geom.in_size[0]), (top, bottom), mode=mode, **kwargs)
    cols = np.pad(np.arange(geom.in_size[1]), (left, right), mode=mode, **kwargs)
    return rows, cols


def as_nchw(x: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Bring x and weight to 4-D; return the rank the result should go back to."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    if x.ndim == 2 and weight.ndim == 2:
        check_extent(x.shape, "input")
        check_extent(weight.shape, "weight")
        return x[None, None], weight[None, None], 2
    if x.ndim not in (3, 4):
        raise refuse("input", "core.conv.input_rank", ndim=x.ndim, shape=tuple(x.shape))
    if weight.ndim != 4:
        raise refuse("weight", "core.conv.weight_rank", ndim=weight.ndim,
                     shape=tuple(weight.shape))
    check_extent(x.shape, "input", batched=x.ndim == 4)
    check_extent(weight.shape, "weight")
    return (x if x.ndim == 4 else x[None]), weight, x.ndim


def check_channels(c_in: int, weight: np.ndarray, groups: int, transposed: bool) -> None:
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise refuse("groups", "core.conv.groups_positive", value=repr(groups))
    if c_in % groups:
        raise groups_not_dividing("in_channels", c_in, groups)
    if transposed:
        if weight.shape[0] != c_in:
            raise refuse("weight", "core.conv.transposed_weight_rows", c_in=c_in,
                         rows=weight.shape[0], shape=tuple(weight.shape))
        return
    if weight.shape[0] % groups:
        raise groups_not_dividing("out_channels", weight.shape[0], groups)
    if weight.shape[1] * groups != c_in:
        raise refuse("weight", "core.conv.weight_channels", expected=c_in // groups,
                     got=weight.shape[1], shape=tuple(weight.shape), c_in=c_in)


def groups_not_dividing(which: str, channels: int, groups: int) -> ValueError:
    """``which`` is ``in_channels`` or ``out_channels``, as PyTorch names them."""
    return refuse("groups", "core.conv.groups_divide", which=which, channels=channels,
                  groups=groups)


def check_bias(bias: np.ndarray | None, out_channels: int) -> np.ndarray:
    if bias is None:
        return np.zeros(out_channels)
    b = np.asarray(bias, dtype=np.float64)
    if b.shape != (out_channels,):
        raise refuse("bias", "core.conv.bias_shape", channels=out_channels,
                     shape=tuple(b.shape))
    return b


def windows(padded: np.ndarray, geom: ConvGeometry) -> np.ndarray:
    """All kernel windows: shape (N, C, out_h, out_w, kH, kW), a view, no copy."""
    kh, kw = geom.kernel
    dh, dw = geom.dilation
    sh, sw = geom.stride
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(padded, (span_h, span_w), axis=(2, 3))
    win = win[..., ::dh, ::dw]
    oh, ow = geom.out_size
    return win[:, :, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw]


def conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: Padding = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    flip: bool = False,
) -> np.ndarray:
    """``torch.nn.functional.conv2d`` in numpy (float64), plus padding modes and ``flip``.

    x is (N, C, H, W) or (C, H, W); weight is (O, C/groups, kH, kW). A 2-D x with a 2-D kernel
    gives a 2-D result, the way the lecture writes it on the board."""
    x4, w4, rank = as_nchw(x, weight)
    check_channels(x4.shape[1], w4, groups, transposed=False)
    b = check_bias(bias, w4.shape[0])
    if flip:
        w4 = flip_kernel(w4)
    geom = conv_geometry(x4.shape[2:], w4.shape[2:], stride, padding, dilation, padding_mode)
    win = windows(pad_input(x4, geom), geom)
    n = x4.shape[0]
    o = w4.shape[0]
    out = np.empty((n, o, *geom.out_size))
    cg, og = x4.shape[1] // groups, o // groups
    for g in range(groups):
        out[:, g * og : (g + 1) * og] = np.einsum(
            "nchwij,ocij->nohw", win[:, g * cg : (g + 1) * cg], w4[g * og : (g + 1) * og],
            optimize=True,
        )
    out += b[None, :, None, None]
    if rank == 2:
        return out[0, 0]
    return out if rank == 4 else out[0]


@dataclass(frozen=True)
class ConvStep:
    """One output cell of a single-output-channel convolution, fully written out.

    Arrays are (C, kH, kW): ``values`` are the window's input values (padding included),
    ``weights`` the kernel as applied (already flipped for true convolution), ``products``
    their element-wise product. ``rows``/``cols`` are the window's positions in input
    coordinates (negative or past the edge for padding); ``source_rows``/``source_cols`` the
    input index each padded position copies (-1 for a zero pad)."""

    out_row: int
    out_col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    source_rows: tuple[int, ...]
    source_cols: tuple[int, ...]
    is_pad: np.ndarray  # (kH, kW) bool
    values: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    bias: float

    @property
    def channel_sums(self) -> np.ndarray:
        return self.products.sum(axis=(1, 2))

    @property
    def total(self) -> float:
        return float(self.channel_sums.sum() + self.bias)


@dataclass(frozen=True)
class ConvTrace:
    """A whole single-output-channel convolution, as steps in raster order plus its output."""

    geometry: ConvGeometry
    padded: np.ndarray  # (C, H+pads, W+pads)
    weights: np.ndarray  # (C, kH, kW), flipped if flip=True
    bias: float
    output: np.ndarray  # (out_h, out_w)

    @property
    def step_count(self) -> int:
        return self.output.size

    def step(self, index: int) -> ConvStep:
        """The multiply-and-sum behind output cell ``index`` (raster order)."""
        oh, ow = self.geometry.out_size
        if not 0 <= index < oh * ow:
            raise IndexError(t("core.conv.step_outside", index=index, last=oh * ow - 1))
        r, c = divmod(index, ow)
        g = self.geometry
        top, left = g.pads[0], g.pads[2]
        prow = [r * g.stride[0] + i * g.dilation[0] for i in range(g.kernel[0])]
        pcol = [c * g.stride[1] + j * g.dilation[1] for j in range(g.kernel[1])]
        src_rows, src_cols = source_indices(g)
        rows = tuple(p - top for p in prow)
        cols = tuple(p - left for p in pcol)
        in_h, in_w = g.in_size
        row_pad = np.array([not 0 <= p < in_h for p in rows])
        col_pad = np.array([not 0 <= p < in_w for p in cols])
        values = self.padded[:, prow][:, :, pcol]
        return ConvStep(
            out_row=r, out_col=c, rows=rows, cols=cols,
            source_rows=tuple(int(src_rows[p]) for p in prow),
            source_cols=tuple(int(src_cols[p]) for p in pcol),
            is_pad=row_pad[:, None] | col_pad[None, :],
            values=values, weights=self.weights, products=values * self.weights,
            bias=self.bias,
        )

    def step_of(self, out_row: int, out_col: int) -> int:
        return out_row * self.geometry.out_size[1] + out_col

    def outputs_using(self, in_row: int, in_col: int) -> list[tuple[int, int]]:
        """Every output cell whose window reads input cell (in_row, in_col), directly or
        through a reflected / replicated / wrapped pad cell."""
        g = self.geometry
        src_rows, src_cols = source_indices(g)
        hits = []
        for r in range(g.out_size[0]):
            prow = [r * g.stride[0] + i * g.dilation[0] for i in range(g.kernel[0])]
            if in_row not in {int(src_rows[p]) for p in prow}:
                continue
            for c in range(g.out_size[1]):
                pcol = [c * g.stride[1] + j * g.dilation[1] for j in range(g.kernel[1])]
                if in_col in {int(src_cols[p]) for p in pcol}:
                    hits.append((r, c))
        return hits


def plane_and_kernels(x: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H, W) or (C, H, W) with a (kH, kW) or (C, kH, kW) kernel, as conv_trace takes them,
    brought to (C, H, W) and (C, kH, kW)."""
    x3 = np.asarray(x, dtype=np.float64)
    w3 = np.asarray(weight, dtype=np.float64)
    if x3.ndim == 2:
        x3 = x3[None]
    if w3.ndim == 2:
        w3 = w3[None]
    if x3.ndim != 3 or w3.ndim != 3:
        raise refuse("input", "core.conv.trace_rank", input=tuple(np.shape(x)),
                     kernel=tuple(np.shape(weight)))
    if w3.shape[0] != x3.shape[0]:
        raise refuse("weight", "core.conv.trace_channels", kernel=w3.shape[0],
                     input=x3.shape[0])
    return x3, w3


def conv_trace(
    x: np.ndarray,
    weight: np.ndarray,
    bias: float = 0.0,
    stride: int | tuple[int, int] = 1,
    padding: Padding = 0,
    dilation: int | tuple[int, int] = 1,
    padding_mode: str = "zeros",
    flip: bool = False,
) -> ConvTrace:
    """Step-by-step form of conv2d for one output channel.

    x is (H, W) or (C, H, W); weight is (kH, kW) or (C, kH, kW), matching x's channels. The
    output is the same as ``conv2d`` for the same arguments."""
    x3, w3 = plane_and_kernels(x, weight)
    output = conv2d(x3, w3[None], np.array([bias], dtype=np.float64), stride, padding,
                    dilation, 1, padding_mode, flip)[0]
    weights = flip_kernel(w3) if flip else w3
    geom = conv_geometry(x3.shape[1:], w3.shape[1:], stride, padding, dilation, padding_mode)
    return ConvTrace(geom, pad_input(x3, geom), np.ascontiguousarray(weights), float(bias),
                     output)

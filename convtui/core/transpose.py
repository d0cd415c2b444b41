"""Transposed convolution, ``torch.nn.functional.conv_transpose2d`` in numpy, and its trace.

Each input cell scatters a copy of the kernel, scaled by its value, into the output; stride
spaces the copies apart, padding crops the border. Written as that scatter rather than as a
convolution of a dilated input, because the scatter is what the lesson draws. The trace gives
both readings of the same numbers: the scatter, one source cell at a time, and the gather (zeros
inserted between source cells, padded by ``dilation*(k-1) - padding``, cross-correlated with the
kernel rotated 180°), one target cell at a time. The gradient of a convolution with respect to
its input is this very computation, so ``convtui.core.backward`` traces it with the same types.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.conv import (
    as_nchw,
    check_bias,
    check_channels,
    flip_kernel,
    plane_and_kernels,
)
from convtui.core.geometry import (
    Explanation,
    check_non_negative,
    check_positive,
    effective_kernel,
    explain_transposed_output_size,
    pair,
)
from convtui.i18n import t


def scatter_kernels(
    x4: np.ndarray, w4: np.ndarray, stride: tuple[int, int], dilation: tuple[int, int],
    groups: int, full_size: tuple[int, int],
) -> np.ndarray:
    """Every (N, C_in, h, w) source cell stamps its (C_in, C_out/groups, kH, kW) kernel copy,
    scaled, into an uncropped (N, C_out, *full_size) canvas; copies sum where they overlap."""
    n, c_in, h, w = x4.shape
    kh, kw = w4.shape[2:]
    og = w4.shape[1]
    full = np.zeros((n, og * groups, *full_size))
    cg = c_in // groups
    for g in range(groups):
        xg = x4[:, g * cg : (g + 1) * cg]
        wg = w4[g * cg : (g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                r0, c0 = i * dilation[0], j * dilation[1]
                full[:, g * og : (g + 1) * og,
                     r0 : r0 + (h - 1) * stride[0] + 1 : stride[0],
                     c0 : c0 + (w - 1) * stride[1] + 1 : stride[1]] += np.einsum(
                    "nchw,co->nohw", xg, wg[:, :, i, j])
    return full


@dataclass(frozen=True)
class TransposedArgs:
    """The checked arguments of one conv_transpose2d call, as (h, w) pairs."""

    stride: tuple[int, int]
    padding: tuple[int, int]
    output_padding: tuple[int, int]
    dilation: tuple[int, int]


def transposed_args(
    stride: int | tuple[int, int], padding: int | tuple[int, int],
    output_padding: int | tuple[int, int], dilation: int | tuple[int, int],
) -> TransposedArgs:
    """Check the arguments as ``nn.ConvTranspose2d`` does."""
    args = TransposedArgs(pair(stride, "stride"), pair(padding, "padding"),
                          pair(output_padding, "output_padding"), pair(dilation, "dilation"))
    check_positive(args.stride, "stride")
    check_positive(args.dilation, "dilation")
    check_non_negative(args.padding, "padding")
    check_non_negative(args.output_padding, "output_padding")
    return args


def explain_transposed_shape(
    in_size: tuple[int, int], kernel: tuple[int, int], args: TransposedArgs,
) -> tuple[Explanation, Explanation]:
    """The output height and width, each derived with the numbers."""
    return tuple(  # type: ignore[return-value]
        explain_transposed_output_size(in_size[a], kernel[a], args.stride[a], args.padding[a],
                                       args.output_padding[a], args.dilation[a])
        for a in (0, 1)
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
    args = transposed_args(stride, padding, output_padding, dilation)
    h, w = x4.shape[2:]
    kh, kw = w4.shape[2:]
    b = check_bias(bias, w4.shape[1] * groups)
    out_h, out_w = (e.value for e in explain_transposed_shape((h, w), (kh, kw), args))
    pad_h, pad_w = args.padding
    # Uncropped output: every kernel copy fits, plus room for output_padding's extra row/col.
    full_h = max(pad_h + out_h, (h - 1) * args.stride[0] + args.dilation[0] * (kh - 1) + 1)
    full_w = max(pad_w + out_w, (w - 1) * args.stride[1] + args.dilation[1] * (kw - 1) + 1)
    full = scatter_kernels(x4, w4, args.stride, args.dilation, groups, (full_h, full_w))
    out = full[:, :, pad_h : pad_h + out_h, pad_w : pad_w + out_w]
    out = out + b[None, :, None, None]
    if rank == 2:
        return out[0, 0]
    return out if rank == 4 else out[0]


@dataclass(frozen=True)
class StampGeometry:
    """Where a source grid's kernel copies land in a target grid.

    A source cell (r, c) stamps kernel cell (i, j) at target row ``r*stride + i*dilation -
    crop`` (likewise for columns); stamps that land outside the target are cropped away. For a
    transposed convolution ``crop`` is its padding and the target its output (output_padding
    included); for a convolution's input gradient the source is the output gradient, ``crop``
    the forward padding before the input, and the target the input."""

    source_size: tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    crop: tuple[int, int]  # top, left
    target_size: tuple[int, int]

    @property
    def gather_padding(self) -> tuple[int, int]:
        """Zeros added before the stride-dilated source, ``dilation*(k-1) - crop`` per axis
        (negative: that many cells cropped)."""
        return tuple(  # type: ignore[return-value]
            effective_kernel(self.kernel[a], self.dilation[a]) - 1 - self.crop[a]
            for a in (0, 1)
        )

    @property
    def gather_padding_after(self) -> tuple[int, int]:
        """Zeros added after the stride-dilated source so the correlation covers the target
        (output_padding's extra cells show up here)."""
        return tuple(  # type: ignore[return-value]
            self.target_size[a] - 1 - self.crop[a] - (self.source_size[a] - 1) * self.stride[a]
            for a in (0, 1)
        )

    @property
    def gather_size(self) -> tuple[int, int]:
        """The dilated and padded source the rotated kernel slides over (stride 1)."""
        return tuple(  # type: ignore[return-value]
            self.target_size[a] + effective_kernel(self.kernel[a], self.dilation[a]) - 1
            for a in (0, 1)
        )

    def gather_sources(self, axis: int) -> np.ndarray:
        """For each row (axis 0) or column (axis 1) of the gathered grid, the source index
        it holds, or -1 for an inserted zero or a pad zero."""
        shifted = np.arange(self.gather_size[axis]) - self.gather_padding[axis]
        stride = self.stride[axis]
        holds = (shifted >= 0) & (shifted % stride == 0) & (
            shifted // stride < self.source_size[axis])
        return np.where(holds, shifted // stride, -1)

    def stamp_positions(self, row: int, col: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The target rows and columns source cell (row, col) stamps its kernel onto."""
        return (
            tuple(row * self.stride[0] + i * self.dilation[0] - self.crop[0]
                  for i in range(self.kernel[0])),
            tuple(col * self.stride[1] + j * self.dilation[1] - self.crop[1]
                  for j in range(self.kernel[1])),
        )


@dataclass(frozen=True)
class ScatterStep:
    """One source cell stamping the kernel, scaled by its value, onto the target.

    ``rows``/``cols`` are target positions (outside the target where cropped, flagged by
    ``inside``); ``contributions`` are (T, kH, kW), value times each target channel's kernel;
    ``running`` is the (T, tH, tW) target after this step and every one before it (no bias)."""

    channel: int
    row: int
    col: int
    value: float
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    inside: np.ndarray  # (kH, kW) bool
    weights: np.ndarray  # (T, kH, kW)
    contributions: np.ndarray  # (T, kH, kW)
    running: np.ndarray  # (T, tH, tW)


@dataclass(frozen=True)
class GatherStep:
    """One target cell as a multiply-and-sum over the gathered grid with the rotated kernel.

    ``rows``/``cols`` index the gathered grid; ``source_rows``/``source_cols`` the source cell
    each holds (-1 for an inserted or pad zero). Arrays are (S, kH, kW)."""

    channel: int
    row: int
    col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    source_rows: tuple[int, ...]
    source_cols: tuple[int, ...]
    values: np.ndarray
    weights: np.ndarray  # the kernel rotated 180°
    products: np.ndarray
    bias: float

    @property
    def total(self) -> float:
        return float(self.products.sum() + self.bias)


@dataclass(frozen=True)
class StampTrace:
    """One scatter-shaped computation in both readings: source (S, h, w), weights
    (S, T, kH, kW), target (T, tH, tW) = the engine's answer, bias included."""

    geometry: StampGeometry
    source: np.ndarray
    weights: np.ndarray
    bias: np.ndarray  # (T,)
    output: np.ndarray

    @property
    def scatter_step_count(self) -> int:
        return self.source.size

    @property
    def gather_step_count(self) -> int:
        return self.output.size

    @property
    def rotated(self) -> np.ndarray:
        """The kernel rotated 180°: what the gather reading correlates with."""
        return flip_kernel(self.weights)

    @property
    def gathered(self) -> np.ndarray:
        """The (S, gH, gW) source with zeros inserted stride apart and the border padded."""
        rows = self.geometry.gather_sources(0)
        cols = self.geometry.gather_sources(1)
        keep = (rows[:, None] >= 0) & (cols[None, :] >= 0)
        picked = self.source[:, np.maximum(rows, 0)][:, :, np.maximum(cols, 0)]
        return np.where(keep[None], picked, 0.0)

    def scatter_step(self, index: int) -> ScatterStep:
        """Source cell ``index`` in raster order (channel, row, column) stamping its kernel."""
        check_step_index(index, self.scatter_step_count)
        s, rest = divmod(index, self.source[0].size)
        r, c = divmod(rest, self.source.shape[2])
        g = self.geometry
        running = np.zeros(self.output.shape)
        for k in range(index + 1):
            ks, krest = divmod(k, self.source[0].size)
            kr, kc = divmod(krest, self.source.shape[2])
            self._stamp(running, ks, kr, kc)
        rows, cols = g.stamp_positions(r, c)
        inside = (np.array([0 <= p < g.target_size[0] for p in rows])[:, None]
                  & np.array([0 <= p < g.target_size[1] for p in cols])[None, :])
        value = float(self.source[s, r, c])
        return ScatterStep(
            channel=s, row=r, col=c, value=value, rows=rows, cols=cols, inside=inside,
            weights=self.weights[s], contributions=value * self.weights[s], running=running,
        )

    def _stamp(self, target: np.ndarray, s: int, r: int, c: int) -> None:
        rows, cols = self.geometry.stamp_positions(r, c)
        th, tw = self.geometry.target_size
        for i, tr in enumerate(rows):
            for j, tc in enumerate(cols):
                if 0 <= tr < th and 0 <= tc < tw:
                    target[:, tr, tc] += self.source[s, r, c] * self.weights[s, :, i, j]

    def gather_step(self, index: int) -> GatherStep:
        """Target cell ``index`` in raster order (channel, row, column) gathered."""
        check_step_index(index, self.gather_step_count)
        t_ch, rest = divmod(index, self.output[0].size)
        r, c = divmod(rest, self.output.shape[2])
        g = self.geometry
        rows = tuple(r + i * g.dilation[0] for i in range(g.kernel[0]))
        cols = tuple(c + j * g.dilation[1] for j in range(g.kernel[1]))
        src_rows, src_cols = g.gather_sources(0), g.gather_sources(1)
        values = self.gathered[:, rows][:, :, cols]
        weights = self.rotated[:, t_ch]
        return GatherStep(
            channel=t_ch, row=r, col=c, rows=rows, cols=cols,
            source_rows=tuple(int(src_rows[p]) for p in rows),
            source_cols=tuple(int(src_cols[p]) for p in cols),
            values=values, weights=weights, products=values * weights,
            bias=float(self.bias[t_ch]),
        )

    def scatter_steps_into(self, channel: int, row: int, col: int) -> list[int]:
        """The scatter steps that add to target cell (channel, row, col): where windows
        overlap, more than one."""
        del channel  # every source channel stamps onto every target channel
        hits = []
        for index in range(self.scatter_step_count):
            _, rest = divmod(index, self.source[0].size)
            r, c = divmod(rest, self.source.shape[2])
            rows, cols = self.geometry.stamp_positions(r, c)
            if row in rows and col in cols:
                hits.append(index)
        return hits


def check_step_index(index: int, count: int) -> None:
    if not 0 <= index < count:
        raise IndexError(t("core.conv.step_outside", index=index, last=count - 1))


def conv_transpose_trace(
    x: np.ndarray,
    weight: np.ndarray,
    bias: float = 0.0,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> StampTrace:
    """Both readings of conv_transpose2d for one output channel.

    x is (H, W) or (C_in, H, W); weight is (kH, kW) or (C_in, kH, kW), the slice
    ``weight[:, o]`` of a ConvTranspose2d weight. The output is the same as conv_transpose2d's
    for the same arguments."""
    x3, w3 = plane_and_kernels(x, weight)
    w4 = w3[:, None]
    output = conv_transpose2d(x3, w4, np.array([bias], dtype=np.float64), stride, padding,
                              output_padding, 1, dilation)
    args = transposed_args(stride, padding, output_padding, dilation)
    geom = StampGeometry(x3.shape[1:], w3.shape[1:], args.stride, args.dilation, args.padding,
                         output.shape[1:])
    return StampTrace(geom, x3, w4, np.array([float(bias)]), output)

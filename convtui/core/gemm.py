"""A convolution read as matrix products (how libraries compute it), and what a conv layer
costs: parameters, multiply-accumulates, and the memory its unfolded input takes.

``conv_gemm`` unfolds the input once with ``im2col``; group ``g`` multiplies its filters,
flattened into rows ``(C_out/groups, C_in/groups*kH*kW)``, with the rows of the patch matrix
that hold its own input channels, and the products reshaped to ``(out_h, out_w)`` plus the
bias are ``conv2d``'s output. Parameter and MAC counts come from the Shapes panel's
``Conv2d`` layer, so both panels count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.conv import as_nchw, check_bias, check_channels
from convtui.core.errors import refuse
from convtui.core.im2col import IntOrPair, im2col, unfold_geometry
from convtui.core.layers import Conv2d, Tensor
from convtui.core.network import leaf_rows, trace
from convtui.core.presets import PRESETS


@dataclass(frozen=True)
class ConvGemm:
    """One (unbatched) convolution as ``groups`` matrix products.

    ``patches`` is im2col of the input, (C_in*kH*kW, L); ``rows[g]`` group g's filters
    flattened, (C_out/groups, C_in/groups*kH*kW); ``products[g]`` their product with group
    g's rows of the patches, (C_out/groups, L); ``output`` the products reshaped to
    (C_out, out_h, out_w) with the bias added."""

    patches: np.ndarray
    rows: np.ndarray  # (groups, C_out/groups, C_in/groups*kH*kW)
    products: np.ndarray  # (groups, C_out/groups, L)
    bias: np.ndarray  # (C_out,)
    out_size: tuple[int, int]
    groups: int

    @property
    def group_rows(self) -> int:
        """How many patch rows each group reads: C_in/groups*kH*kW."""
        return self.rows.shape[2]

    def patch_block(self, group: int) -> np.ndarray:
        """The rows of the patch matrix group ``group``'s filters multiply."""
        k = self.group_rows
        return self.patches[group * k : (group + 1) * k]

    @property
    def output(self) -> np.ndarray:
        c_out = self.rows.shape[0] * self.rows.shape[1]
        out = self.products.reshape(c_out, *self.out_size)
        return out + self.bias[:, None, None]


def conv_gemm(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
    stride: IntOrPair = 1, padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: int = 1,
) -> ConvGemm:
    """x (C_in, H, W), weight (C_out, C_in/groups, kH, kW): ``conv2d``'s arguments (zero
    padding given as an int or a pair, as im2col takes it) and its checks."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise refuse("input", "core.im2col.gemm_input", ndim=x.ndim, shape=tuple(x.shape))
    x4, w4, _ = as_nchw(x, weight)
    check_channels(x4.shape[1], w4, groups, transposed=False)
    b = check_bias(bias, w4.shape[0])
    kernel = w4.shape[2:]
    geom = unfold_geometry(x4.shape[2:], kernel, dilation, padding, stride)
    patches = im2col(x4[0], kernel, dilation, padding, stride)
    c_out = w4.shape[0]
    rows = w4.reshape(groups, c_out // groups, -1)
    k = rows.shape[2]
    products = np.stack([rows[g] @ patches[g * k : (g + 1) * k] for g in range(groups)])
    return ConvGemm(patches, rows, products, b, geom.out_size, groups)


@dataclass(frozen=True)
class ConvCost:
    """What one conv layer costs on one (C_in, H, W) image."""

    params: int
    macs: int
    out_size: tuple[int, int]
    input_values: int  # C_in*H*W
    unfolded_values: int  # (C_in*kH*kW) * (out_h*out_w): the patch matrix im2col builds

    @property
    def blowup(self) -> float:
        """How many times bigger the patch matrix is than the input (about kH*kW at stride
        1 with 'same' padding)."""
        return self.unfolded_values / self.input_values


def conv_cost(
    in_shape: tuple[int, int, int], out_channels: int, kernel: tuple[int, int],
    stride: tuple[int, int] = (1, 1), padding: tuple[int, int] = (0, 0),
    dilation: tuple[int, int] = (1, 1), groups: int = 1, bias: bool = True,
) -> ConvCost:
    """``nn.Conv2d(C_in, out_channels, kernel, ..., groups, bias)`` on ``in_shape`` (C_in, H,
    W). ValueError (LayerError) if PyTorch would refuse the layer."""
    layer = Conv2d(kernel, out_channels, stride, padding, dilation, groups, bias)
    applied = layer.apply(Tensor(tuple(in_shape)))
    c_in, h, w = in_shape
    oh, ow = applied.tensor.shape[1:]
    return ConvCost(applied.params, applied.macs, (oh, ow), c_in * h * w,
                    c_in * kernel[0] * kernel[1] * oh * ow)


@dataclass(frozen=True)
class PresetConv:
    """A conv layer of a shipped network, named the paper's way (VGG's ``conv3_1``: block 3,
    first conv), with its input and cost."""

    name: str
    layer: Conv2d
    in_shape: tuple[int, int, int]
    cost: ConvCost


def preset_convs(preset: str) -> list[PresetConv]:
    """Every conv layer of a plain (non-residual) preset with its input shape, numbered by
    block; a block ends at each max pooling. The batch is left out: costs are per image."""
    p = PRESETS[preset]
    rows = leaf_rows(trace(p.input_shape, p.layers).rows)
    found, block, index = [], 1, 0
    for row in rows:
        if row.layer.type == "maxpool2d":
            block, index = block + 1, 0
        elif isinstance(row.layer, Conv2d):
            index += 1
            shape = row.in_shape[-3:]
            layer = row.layer
            found.append(PresetConv(
                f"conv{block}_{index}", layer, shape,
                conv_cost(shape, layer.out_channels, layer.kernel, layer.stride,
                          layer.padding, layer.dilation, layer.groups, layer.bias)))
    return found

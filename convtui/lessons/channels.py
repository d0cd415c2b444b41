"""The Channels lesson: one conv layer with several filters and ``groups``, stepped one output
cell at a time, and read as im2col matrix products.

Immutable like the other lessons: a key press makes a new lesson with ``with_``. Every number
comes from ``convtui.core`` (``conv_gemm`` for the output and its pieces, ``conv_cost`` for
parameters, MACs and the unfolded matrix's size); this module only says which of them belong
to the current step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from convtui.core.examples import random_integers
from convtui.core.gemm import ConvCost, ConvGemm, conv_cost, conv_gemm
from convtui.i18n import t

IntPair = tuple[int, int]

#: The named layouts, by the id the catalogue names them with (``channels.presets.<id>``).
STANDARD, GROUPED, DEPTHWISE, POINTWISE, SEPARABLE = (
    "standard", "grouped", "depthwise", "pointwise", "separable")
PRESETS = (STANDARD, GROUPED, DEPTHWISE, POINTWISE, SEPARABLE)


@dataclass(frozen=True)
class ChannelStep:
    """Output cell (``row``, ``col``) of output channel ``out_channel``: the filter that makes
    it, the input channels its group sees, each channel's partial sum and the bias."""

    out_channel: int
    row: int
    col: int
    group: int
    channels: range  # the input channels this filter reads
    column: int  # the patch-matrix column (output position in raster order)
    partial_sums: np.ndarray  # one per channel in ``channels``
    bias: float

    @property
    def total(self) -> float:
        return float(self.partial_sums.sum() + self.bias)


@dataclass(frozen=True, eq=False)
class ChannelsLesson:
    """x (C_in, H, W) through ``nn.Conv2d(C_in, C_out, kernel, stride, padding, dilation,
    groups)`` with weight (C_out, C_in/groups, kH, kW) and bias (C_out,). ``step`` counts
    output cells channel by channel, each channel in raster order."""

    x: np.ndarray
    weight: np.ndarray
    bias: np.ndarray
    stride: IntPair = (1, 1)
    padding: IntPair = (0, 0)
    dilation: IntPair = (1, 1)
    groups: int = 1
    step: int = 0
    preset: str = STANDARD

    def __post_init__(self) -> None:
        self.gemm  # noqa: B018 -- building it checks every argument (ValueError if refused)
        if not 0 <= self.step < self.step_count:
            raise IndexError(t("core.conv.step_outside", index=self.step,
                               last=self.step_count - 1))

    @cached_property
    def gemm(self) -> ConvGemm:
        return conv_gemm(self.x, self.weight, self.bias, self.stride, self.padding,
                         self.dilation, self.groups)

    @property
    def output(self) -> np.ndarray:
        """(C_out, out_h, out_w): what ``nn.Conv2d`` gives."""
        return self.gemm.output

    @property
    def in_channels(self) -> int:
        return self.x.shape[0]

    @property
    def out_channels(self) -> int:
        return self.weight.shape[0]

    @property
    def kernel(self) -> IntPair:
        return (self.weight.shape[2], self.weight.shape[3])

    @property
    def step_count(self) -> int:
        return self.output.size

    def group_of(self, out_channel: int) -> int:
        return out_channel // (self.out_channels // self.groups)

    def channels_of(self, group: int) -> range:
        """The input channels group ``group``'s filters read."""
        per = self.in_channels // self.groups
        return range(group * per, (group + 1) * per)

    @cached_property
    def current(self) -> ChannelStep:
        o, cell = divmod(self.step, self.gemm.out_size[0] * self.gemm.out_size[1])
        row, col = divmod(cell, self.gemm.out_size[1])
        g = self.group_of(o)
        filt = self.gemm.rows[g][o % (self.out_channels // self.groups)]
        patch = self.gemm.patch_block(g)[:, cell]
        kh, kw = self.kernel
        partial = (filt * patch).reshape(-1, kh * kw).sum(axis=1)
        return ChannelStep(o, row, col, g, self.channels_of(g), cell, partial,
                           float(self.bias[o]))

    @cached_property
    def cost(self) -> ConvCost:
        return self._cost(self.groups, self.out_channels, self.kernel)

    @cached_property
    def standard_cost(self) -> ConvCost:
        """The same layer with groups=1: what grouping saves is measured against it."""
        return self._cost(1, self.out_channels, self.kernel)

    def _cost(self, groups: int, out_channels: int, kernel: IntPair) -> ConvCost:
        return conv_cost(self.x.shape, out_channels, kernel, self.stride, self.padding,
                         self.dilation, groups, bias=True)

    def with_(self, **changes: object) -> ChannelsLesson:
        """A new lesson (ValueError if the engine refuses the layer, IndexError for a step
        outside the output)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class SeparableCost:
    """A depthwise k×k conv (groups=C_in) then a pointwise 1×1 conv to C_out, against one
    standard k×k conv from C_in to C_out: MobileNet's trade."""

    depthwise: ConvCost
    pointwise: ConvCost
    standard: ConvCost

    @property
    def params(self) -> int:
        return self.depthwise.params + self.pointwise.params

    @property
    def macs(self) -> int:
        return self.depthwise.macs + self.pointwise.macs

    @property
    def param_ratio(self) -> float:
        return self.params / self.standard.params


def separable_cost(
    in_shape: tuple[int, int, int], out_channels: int, kernel: IntPair,
    stride: IntPair = (1, 1), padding: IntPair = (0, 0), dilation: IntPair = (1, 1),
) -> SeparableCost:
    c_in = in_shape[0]
    depthwise = conv_cost(in_shape, c_in, kernel, stride, padding, dilation, groups=c_in)
    mid = (c_in, *depthwise.out_size)
    pointwise = conv_cost(mid, out_channels, (1, 1))
    standard = conv_cost(in_shape, out_channels, kernel, stride, padding, dilation)
    return SeparableCost(depthwise, pointwise, standard)


def preset_lesson(
    name: str, in_channels: int = 4, out_channels: int = 4, size: IntPair = (5, 5),
    kernel: int = 3, padding: int = 0, seed: int = 0,
) -> ChannelsLesson:
    """One of the named layouts on small random integers. ``grouped`` uses 2 groups;
    ``separable`` shows its depthwise half (its pointwise half and the saving are
    ``separable_cost``)."""
    groups = {STANDARD: 1, GROUPED: 2, DEPTHWISE: in_channels, POINTWISE: 1,
              SEPARABLE: in_channels}[name]
    if name in (DEPTHWISE, SEPARABLE):
        out_channels = in_channels
    k = 1 if name == POINTWISE else kernel
    x = random_integers((in_channels, *size), seed)
    weight = random_integers((out_channels, in_channels // groups, k, k), seed + 1, -2, 2)
    bias = random_integers((out_channels,), seed + 2, -1, 1)
    return ChannelsLesson(x, weight, bias, padding=(padding, padding), groups=groups,
                          preset=name)

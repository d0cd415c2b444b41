"""Check a traced network against PyTorch itself.

``build_network`` turns a successful trace into real ``torch.nn`` modules; ``verify`` runs a
zero tensor through them layer by layer (on the ``meta`` device by default: shapes only, no
memory or arithmetic, so VGG-16 at 224x224 is instant) and compares every output shape,
parameter count and module repr with the trace. ``measure_receptive_field`` finds which input
pixels one output cell depends on by backpropagating from it, an independent check of the
receptive fields the trace computes with the formula.

torch is imported inside the functions only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convtui.core.geometry import effective_kernel
from convtui.core.layers import Flatten, IntPair, Layer, Linear, MaxPool2d, Shape, show_shape
from convtui.core.network import NetworkTrace, Residual, TraceRow, path_text, trace
from convtui.core.torch_calls import ModuleCall, module_call
from convtui.i18n import t, tn

if TYPE_CHECKING:
    from torch import Tensor, nn


@functools.cache
def residual_module_class() -> type:
    """``main(x) + shortcut(x)`` as an nn.Module (built on first use: torch loads lazily)."""
    from torch import nn

    class ResidualBlock(nn.Module):
        def __init__(self, main: nn.Module, shortcut: nn.Module) -> None:
            super().__init__()
            self.main = main
            self.shortcut = shortcut

        def forward(self, x: Tensor) -> Tensor:
            return self.main(x) + self.shortcut(x)

    return ResidualBlock


def torch_module(call: ModuleCall) -> nn.Module:
    """The module a call of the core's table names, built with its arguments."""
    from torch import nn

    return getattr(nn, call.name)(*call.args, **dict(call.kwargs))


def _residual(row: TraceRow, build: Callable[[TraceRow], nn.Module]) -> nn.Module:
    """A residual row's block, each path's rows built by ``build``."""
    from torch import nn

    return residual_module_class()(
        *(nn.Sequential(*map(build, row.paths[name])) for name in ("main", "shortcut")))


def build_layer(row: TraceRow) -> nn.Module:
    """The torch module for one trace row, with the row's real input channels/features."""
    if isinstance(row.layer, Residual):
        return _residual(row, build_layer)
    return torch_module(module_call(row.layer, row.in_width))


def build_network(result: NetworkTrace) -> nn.Sequential:
    """An ``nn.Sequential`` of the trace's layers; the trace must have no error."""
    from torch import nn

    if result.error is not None:
        raise ValueError(t("pytorch.network.cannot_build", error=result.error.text))
    return nn.Sequential(*(build_layer(row) for row in result.rows))


def torch_input_shape(input_shape: Sequence[int]) -> Shape:
    """The tensor PyTorch is fed: a board-form [H, W] input becomes [1, 1, H, W]."""
    shape = tuple(input_shape)
    return (1, 1, *shape) if len(shape) == 2 else shape


@dataclass(frozen=True)
class Difference:
    """One place where the trace and PyTorch disagree."""

    where: str
    what: str  # "shape", "params" or "repr"
    engine: str
    torch: str

    @property
    def text(self) -> str:
        what = {"shape": t("pytorch.network.shape"), "params": t("pytorch.network.params"),
                "repr": t("pytorch.network.repr")}[self.what]
        return t("pytorch.network.difference", where=self.where, what=what,
                 engine=self.engine, torch=self.torch)


@dataclass(frozen=True)
class VerifyReport:
    checked: int  # rows compared, residual paths' rows included
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def text(self) -> str:
        if self.ok:
            return tn("pytorch.network.all_match", self.checked)
        return "\n".join(d.text for d in self.differences)


def verify(
    input_shape: Sequence[int], layers: Sequence[Layer], device: str = "meta"
) -> VerifyReport:
    """Build the network in PyTorch, push a zero tensor through it layer by layer and compare
    each row's output shape, parameter count and repr with convtui's trace."""
    import torch

    result = trace(input_shape, layers)
    if result.error is not None:
        raise ValueError(t("pytorch.network.does_not_trace", error=result.error.text))
    board = len(result.input_shape) == 2
    differences: list[Difference] = []
    with torch.device(device), torch.no_grad():
        x = torch.zeros(torch_input_shape(result.input_shape))
        _, checked = _run_rows(result.rows, x, board, differences)
    return VerifyReport(checked, tuple(differences))


def _run_rows(
    rows: Sequence[TraceRow], x: Tensor, board: bool, differences: list[Difference]
) -> tuple[Tensor, int]:
    checked = 0
    for row in rows:
        module = build_layer(row)
        module.eval()
        where = path_text(row.path)
        if isinstance(row.layer, Residual):
            main, n_main = _run_rows(row.paths["main"], x, board, differences)
            short, n_short = _run_rows(row.paths["shortcut"], x, board, differences)
            y = main + short
            checked += n_main + n_short
        else:
            y = module(x)
            if row.description != repr(module):
                differences.append(Difference(where, "repr", row.description, repr(module)))
        expected = torch_input_shape(row.out_shape) if board else row.out_shape
        if tuple(y.shape) != expected:
            differences.append(
                Difference(where, "shape", show_shape(expected), show_shape(tuple(y.shape))))
        params = sum(p.numel() for p in module.parameters())
        if params != row.params:
            differences.append(Difference(where, "params", f"{row.params:,}", f"{params:,}"))
        checked += 1
        x = y
    return x, checked


@dataclass(frozen=True)
class MeasuredField:
    """The input pixels one output cell depends on, found by backpropagation.

    ``size`` is the (h, w) extent of the input cells with a non-zero gradient, ``jump`` how far
    that window moves for the next output cell (None at the edge), ``clipped`` whether the
    window reaches the input's border (then ``size`` may be cut short of the true field)."""

    size: IntPair
    jump: tuple[int | None, int | None]
    clipped: bool


def _window_sum(layer: MaxPool2d, channels: int, out_size: IntPair) -> nn.Module:
    """A max pool's exact footprint as a linear layer: every window cell gets a gradient
    (max pooling would pass it to the winning cell only). ceil_mode's extra last window is
    covered by padding the bottom/right as far as it reaches."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    spans = [effective_kernel(k, d) for k, d in zip(layer.kernel, layer.dilation, strict=True)]
    ph, pw = layer.padding

    class WindowSum(nn.Module):
        def forward(self, x: Tensor) -> Tensor:
            extra = [
                max(0, (out_size[a] - 1) * layer.step[a] + spans[a]
                    - (x.shape[2 + a] + 2 * layer.padding[a]))
                for a in (0, 1)
            ]
            x = F.pad(x, (pw, pw + extra[1], ph, ph + extra[0]))
            weight = torch.ones(channels, 1, *layer.kernel, dtype=x.dtype)
            return F.conv2d(x, weight, stride=layer.step, dilation=layer.dilation,
                            groups=channels)

    return WindowSum()


def _measuring_layer(row: TraceRow, generator: Any) -> nn.Module:
    """The row's module with positive random weights (so no gradient cancels out) and max
    pooling swapped for its window sum."""
    import torch

    if isinstance(row.layer, MaxPool2d):
        channels = 1 if len(row.in_shape) == 2 else row.in_shape[-3]
        return _window_sum(row.layer, channels, row.out_shape[-2:])
    if isinstance(row.layer, Residual):
        return _residual(row, lambda inner: _measuring_layer(inner, generator))
    module = build_layer(row).double().eval()
    with torch.no_grad():
        for param in module.parameters():
            param.copy_(torch.rand(param.shape, generator=generator, dtype=torch.float64) + 0.1)
    return module


def measure_receptive_field(
    input_shape: Sequence[int], layers: Sequence[Layer], seed: int = 0
) -> MeasuredField:
    """Backpropagate from the centre output cell (all channels) to the input and measure the
    box of input cells with a non-zero gradient, then do the same from its right and lower
    neighbours to get the jump."""
    import torch

    result = trace(input_shape, layers)
    if result.error is not None:
        raise ValueError(t("pytorch.network.does_not_trace", error=result.error.text))
    if any(isinstance(row.layer, (Flatten, Linear)) for row in result.rows):
        raise ValueError(t("pytorch.network.spatial_only"))
    generator = torch.Generator().manual_seed(seed)
    model = torch.nn.Sequential(*(_measuring_layer(row, generator) for row in result.rows))
    shape = torch_input_shape(result.input_shape)

    def box(cell: tuple[int, int]) -> tuple[int, int, int, int]:
        x = torch.ones(shape, dtype=torch.float64, requires_grad=True)
        model(x)[..., cell[0], cell[1]].sum().backward()
        assert x.grad is not None
        hit = (x.grad != 0).any(dim=0).any(dim=0)
        rows = hit.any(dim=1).nonzero().flatten()
        cols = hit.any(dim=0).nonzero().flatten()
        return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])

    oh, ow = result.rows[-1].out_shape[-2:] if result.rows else shape[-2:]
    centre = (oh // 2, ow // 2)
    top, bottom, left, right = box(centre)
    jump_h = box((centre[0] + 1, centre[1]))[0] - top if centre[0] + 1 < oh else None
    jump_w = box((centre[0], centre[1] + 1))[2] - left if centre[1] + 1 < ow else None
    clipped = top == 0 or left == 0 or bottom == shape[-2] - 1 or right == shape[-1] - 1
    return MeasuredField((bottom - top + 1, right - left + 1), (jump_h, jump_w), clipped)

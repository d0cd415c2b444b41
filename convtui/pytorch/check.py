""""Check with PyTorch": run the same layer in torch and compare every output cell.

torch is imported inside the functions, so only pressing the check key pays for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtui.core.errors import refuse
from convtui.core.geometry import Padding
from convtui.i18n import t, tn

#: The engine promises torch's float64 results to this tolerance.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class CheckResult:
    cells: int
    mismatches: tuple[tuple[int, int], ...]
    max_abs_diff: float
    torch_version: str
    cells_key: str = "lesson_counts.all_output_cells"  # how the agreeing cells are counted

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def summary(self) -> str:
        """One line for the status bar, in the user's language."""
        if self.ok:
            return t("pytorch.check.agrees", version=self.torch_version,
                     cells=tn(self.cells_key, self.cells),
                     diff=f"{self.max_abs_diff:.1e}")
        return t("pytorch.check.disagrees", version=self.torch_version,
                 count=len(self.mismatches), cells=self.cells, first=self.mismatches[0])


def _compare(ours: np.ndarray, theirs: np.ndarray, version: str,
             cells_key: str = "lesson_counts.all_output_cells") -> CheckResult:
    if ours.shape != theirs.shape:
        raise refuse("shape", "pytorch.check.shapes_differ", ours=ours.shape,
                     theirs=theirs.shape)
    diff = np.abs(ours - theirs)
    diff = np.where(np.isnan(ours) & np.isnan(theirs), 0.0, diff)
    diff = np.where(np.isinf(ours) & (ours == theirs), 0.0, diff)
    bad = np.argwhere(~(diff <= TOLERANCE))
    return CheckResult(int(ours.size), tuple((int(r), int(c)) for r, c in bad),
                       float(np.nanmax(diff)) if diff.size else 0.0, version, cells_key)


def check_conv(
    x: np.ndarray, kernel: np.ndarray, bias: float, stride: tuple[int, int], padding: Padding,
    dilation: tuple[int, int], padding_mode: str, flip: bool, ours: np.ndarray,
) -> CheckResult:
    """x (C, H, W) and kernel (C, kH, kW) through ``nn.Conv2d(C, 1, ...)`` in float64."""
    import torch

    c = x.shape[0]
    conv = torch.nn.Conv2d(c, 1, kernel.shape[1:], stride=stride, padding=padding,
                           dilation=dilation, padding_mode=padding_mode).double()
    weight = torch.from_numpy(np.ascontiguousarray(kernel))[None]
    with torch.no_grad():
        conv.weight.copy_(weight.flip(-2, -1) if flip else weight)
        conv.bias.fill_(bias)
        out = conv(torch.from_numpy(np.ascontiguousarray(x))[None])[0, 0].numpy()
    return _compare(np.asarray(ours), out, torch.__version__)


def check_pool(
    plane: np.ndarray, kind: str, kernel_size: tuple[int, int], stride: tuple[int, int],
    padding: tuple[int, int], dilation: tuple[int, int], ceil_mode: bool,
    count_include_pad: bool, ours: np.ndarray,
) -> CheckResult:
    """One (H, W) plane through ``nn.MaxPool2d`` / ``nn.AvgPool2d`` in float64."""
    import torch

    if kind == "max":
        layer = torch.nn.MaxPool2d(kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)
    else:
        layer = torch.nn.AvgPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode,
                                   count_include_pad=count_include_pad)
    with torch.no_grad():
        out = layer(torch.from_numpy(np.ascontiguousarray(plane))[None, None])[0, 0].numpy()
    return _compare(np.asarray(ours), out, torch.__version__)


def check_conv_transpose(
    x: np.ndarray, kernel: np.ndarray, bias: float, stride: tuple[int, int],
    padding: tuple[int, int], output_padding: tuple[int, int], dilation: tuple[int, int],
    ours: np.ndarray,
) -> CheckResult:
    """One (H, W) plane and (kH, kW) kernel through ``nn.ConvTranspose2d(1, 1, ...)`` in
    float64."""
    import torch

    layer = torch.nn.ConvTranspose2d(1, 1, kernel.shape, stride=stride, padding=padding,
                                     output_padding=output_padding, dilation=dilation).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel))[None, None])
        layer.bias.fill_(bias)
        out = layer(torch.from_numpy(np.ascontiguousarray(x))[None, None])[0, 0].numpy()
    return _compare(np.asarray(ours), out, torch.__version__)


def check_conv_backward(
    x: np.ndarray, kernel: np.ndarray, stride: tuple[int, int], padding: Padding,
    dilation: tuple[int, int], grad_output: np.ndarray, grad_input: np.ndarray,
    grad_weight: np.ndarray, grad_bias: float, cells_key: str,
) -> tuple[CheckResult, CheckResult, CheckResult]:
    """One (H, W) plane through ``nn.Conv2d(1, 1, ...)`` in float64 and ``out.backward(grad)``
    run by autograd: x.grad, weight.grad and bias.grad compared with ours, in that order
    (``cells_key`` counts the cells that agree)."""
    import torch

    conv = torch.nn.Conv2d(1, 1, kernel.shape, stride=stride, padding=padding,
                           dilation=dilation).double()
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel))[None, None])
    xt = torch.from_numpy(np.ascontiguousarray(x))[None, None].requires_grad_()
    conv(xt).backward(torch.from_numpy(np.ascontiguousarray(grad_output))[None, None])
    theirs = (xt.grad[0, 0], conv.weight.grad[0, 0], conv.bias.grad[None])
    ours = (grad_input, grad_weight, np.array([[grad_bias]]))
    return tuple(  # type: ignore[return-value]
        _compare(np.asarray(o), th.numpy(), torch.__version__, cells_key)
        for o, th in zip(ours, theirs, strict=True))

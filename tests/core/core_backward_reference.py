"""torch.autograd as the oracle for the gradient tests: what ``out.backward(grad)`` leaves in
``x.grad``, ``weight.grad`` and ``bias.grad`` after ``F.conv2d``."""

from __future__ import annotations

import warnings

import numpy as np
import torch
import torch.nn.functional as F
from core_torch_reference import tensor


def torch_conv2d_grads(
    x: np.ndarray, weight: np.ndarray, grad_output: np.ndarray, stride, padding, dilation,
    groups: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x.grad, weight.grad, bias.grad) for 4-D x and weight, zero padding, a bias."""
    xt = tensor(x).requires_grad_()
    wt = tensor(weight).requires_grad_()
    bt = torch.zeros(weight.shape[0], dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using padding='same'")
        out = F.conv2d(xt, wt, bt, stride, padding, dilation, groups)
    out.backward(tensor(grad_output))
    return xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


def independent_gather_grid(grad: np.ndarray, kernel: tuple[int, int], stride, dilation,
                            before: tuple[int, int], target: tuple[int, int]) -> np.ndarray:
    """The output gradient with stride-1 zeros inserted, then padded by dilation*(k-1) -
    padding before (cropped where negative) and whatever makes the correlation cover the
    target after."""
    grid = grad
    for axis in (0, 1):
        s = stride[axis]
        if s > 1:
            positions = np.repeat(np.arange(1, grid.shape[axis]), s - 1)
            grid = np.insert(grid, positions, 0.0, axis=axis)
        q = dilation[axis] * (kernel[axis] - 1) - before[axis]
        size = target[axis] + dilation[axis] * (kernel[axis] - 1)
        widths = [(0, 0), (0, 0)]
        widths[axis] = (max(q, 0), 0)
        grid = np.pad(grid, widths)
        if q < 0:
            grid = np.take(grid, np.arange(-q, grid.shape[axis]), axis=axis)
        after = size - grid.shape[axis]
        widths = [(0, 0), (0, 0)]
        widths[axis] = (0, max(after, 0))
        grid = np.pad(grid, widths)
        grid = np.take(grid, np.arange(size), axis=axis)
    return grid

"""PyTorch as the oracle for the engine tests.

Each ``torch_*`` function makes the call a student would make in PyTorch (``nn.Conv2d`` with its
padding modes, ``F.conv_transpose2d``, ``F.max_pool2d`` / ``F.avg_pool2d``) on float64 tensors.
``assert_matches_torch`` runs the engine and torch on the same arguments and demands the same
outcome: equal arrays within 1e-9, or a refusal from both (a ValueError from the engine).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import settings
from torch import nn

TOLERANCE = 1e-9

#: The Hypothesis profile tests/core/conftest.py registers.
PROFILE = "convtui-core"

#: Multiplies every property's example count, for a deeper local run (e.g. 10).
SCALE = float(os.environ.get("CONVTUI_CORE_EXAMPLES_SCALE", "1"))


def examples(count: int) -> settings:
    """The fixed core profile with ``count`` examples (times CONVTUI_CORE_EXAMPLES_SCALE)."""
    return settings(settings.get_profile(PROFILE), max_examples=max(1, int(count * SCALE)))


def tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, dtype=np.float64))


def run_torch(call: Callable[[], torch.Tensor]) -> np.ndarray | Exception:
    """torch's answer as an array, or the exception it refused with."""
    try:
        return call().numpy()
    except Exception as err:
        return err


def assert_matches_torch(
    ours: Callable[[], np.ndarray], theirs: Callable[[], torch.Tensor]
) -> np.ndarray | None:
    """Same outcome from the engine and from torch; returns torch's array when it has one."""
    expected = run_torch(theirs)
    if isinstance(expected, Exception):
        with pytest.raises(ValueError):
            ours()
        return None
    got = ours()
    assert isinstance(got, np.ndarray), f"expected an array, got {type(got).__name__}"
    assert got.dtype == np.float64
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE)
    return expected


def torch_conv_module(
    in_channels: int, weight: np.ndarray, bias: np.ndarray | None, stride, padding, dilation,
    groups: int, padding_mode: str,
) -> nn.Conv2d:
    """``nn.Conv2d`` built from the arguments, with the given weight and bias swapped in as-is
    (so a wrongly shaped weight reaches torch's own checks)."""
    w = tensor(weight)
    conv = nn.Conv2d(
        in_channels=in_channels, out_channels=w.shape[0], kernel_size=tuple(w.shape[2:]),
        stride=stride, padding=padding, dilation=dilation, groups=groups,
        bias=bias is not None, padding_mode=padding_mode, dtype=torch.float64,
    )
    conv.weight = nn.Parameter(w)
    if bias is not None:
        conv.bias = nn.Parameter(tensor(bias))
    return conv


def torch_conv2d(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, stride, padding, dilation,
    groups: int, padding_mode: str,
) -> torch.Tensor:
    """What ``nn.Conv2d(...)(x)`` gives with this weight and bias."""
    conv = torch_conv_module(x.shape[-3], weight, bias, stride, padding, dilation, groups,
                             padding_mode)
    with warnings.catch_warnings(), torch.no_grad():
        # torch notes that padding='same' with an even kernel costs a padded copy; not our case
        warnings.filterwarnings("ignore", message="Using padding='same'")
        return conv(tensor(x))


def torch_conv_transpose2d(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, stride, padding,
    output_padding, groups: int, dilation,
) -> torch.Tensor:
    return F.conv_transpose2d(
        tensor(x), tensor(weight), None if bias is None else tensor(bias), stride, padding,
        output_padding, groups, dilation,
    )


def torch_pool2d(
    x: np.ndarray, kind: str, kernel_size, stride, padding, dilation, ceil_mode: bool,
    count_include_pad: bool,
) -> torch.Tensor:
    if kind == "max":
        return F.max_pool2d(tensor(x), kernel_size, stride, padding, dilation, ceil_mode)
    return F.avg_pool2d(tensor(x), kernel_size, stride, padding, ceil_mode, count_include_pad)


def torch_max_pool_indices(
    x: np.ndarray, kernel_size, stride, padding, dilation, ceil_mode: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``F.max_pool2d(..., return_indices=True)``: the values and the flat input indices."""
    values, indices = F.max_pool2d(
        tensor(x), kernel_size, stride, padding, dilation, ceil_mode, return_indices=True
    )
    return values.numpy(), indices.numpy()

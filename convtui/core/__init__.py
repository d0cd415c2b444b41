"""The math convtui teaches, in numpy alone: no Textual, no torch.

Every function mirrors ``torch.nn.functional``'s argument names, defaults, checks and output
shapes, so each number a panel shows is the number PyTorch would compute.
"""

from convtui.core.conv import ConvStep, ConvTrace, conv2d, conv_trace, flip_kernel
from convtui.core.geometry import (
    Explanation,
    explain_output_size,
    explain_transposed_output_size,
    output_size,
    transposed_output_size,
)
from convtui.core.pool import PoolStep, PoolTrace, pool2d, pool_trace
from convtui.core.transpose import conv_transpose2d

__all__ = [
    "ConvStep",
    "ConvTrace",
    "Explanation",
    "PoolStep",
    "PoolTrace",
    "conv2d",
    "conv_trace",
    "conv_transpose2d",
    "explain_output_size",
    "explain_transposed_output_size",
    "flip_kernel",
    "output_size",
    "pool2d",
    "pool_trace",
    "transposed_output_size",
]

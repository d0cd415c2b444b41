"""The math convtui teaches, in numpy alone: no Textual, no torch.

Every function mirrors ``torch.nn.functional``'s argument names, defaults, checks and output
shapes, so each number a panel shows is the number PyTorch would compute.
"""

from convtui.core.backward import (
    WeightGradStep,
    WeightGradTrace,
    backward_traces,
    conv2d_backward,
    grad_input_trace,
    grad_weight_trace,
)
from convtui.core.conv import ConvStep, ConvTrace, conv2d, conv_trace, flip_kernel
from convtui.core.gemm import ConvCost, ConvGemm, conv_cost, conv_gemm
from convtui.core.geometry import (
    Explanation,
    explain_output_size,
    explain_transposed_output_size,
    output_size,
    transposed_output_size,
)
from convtui.core.im2col import col2im, im2col
from convtui.core.pool import PoolStep, PoolTrace, pool2d, pool_trace
from convtui.core.transpose import (
    GatherStep,
    ScatterStep,
    StampGeometry,
    StampTrace,
    conv_transpose2d,
    conv_transpose_trace,
)

__all__ = [
    "ConvCost",
    "ConvGemm",
    "ConvStep",
    "ConvTrace",
    "Explanation",
    "GatherStep",
    "PoolStep",
    "PoolTrace",
    "ScatterStep",
    "StampGeometry",
    "StampTrace",
    "WeightGradStep",
    "WeightGradTrace",
    "backward_traces",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "conv_cost",
    "conv_gemm",
    "conv_trace",
    "conv_transpose2d",
    "conv_transpose_trace",
    "explain_output_size",
    "explain_transposed_output_size",
    "flip_kernel",
    "grad_input_trace",
    "grad_weight_trace",
    "im2col",
    "output_size",
    "pool2d",
    "pool_trace",
    "transposed_output_size",
]

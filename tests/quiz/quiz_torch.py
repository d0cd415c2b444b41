"""PyTorch as the oracle for quiz answers: build a puzzle's layers as torch modules, push a
zero tensor through, and read the shape torch gives."""

from __future__ import annotations

import warnings

import torch
from torch import nn

from convtui.core.network import Layer
from convtui.quiz.model import Puzzle

torch.set_num_threads(1)


def torch_module(layer: Layer, in_channels: int) -> nn.Module:
    """The ``torch.nn`` module a student would write for ``layer``."""
    kind = layer.type
    if kind == "conv2d":
        return nn.Conv2d(in_channels, layer.out_channels or 1, layer.kernel, layer.stride,
                         layer.padding, layer.dilation, layer.groups, layer.bias,
                         layer.padding_mode)
    if kind == "conv_transpose2d":
        return nn.ConvTranspose2d(in_channels, layer.out_channels or 1, layer.kernel,
                                  layer.stride, layer.padding, layer.output_padding,
                                  layer.groups, layer.bias, layer.dilation)
    if kind == "maxpool2d":
        return nn.MaxPool2d(layer.kernel, layer.stride, layer.padding, layer.dilation,
                            ceil_mode=layer.ceil_mode)
    if kind == "avgpool2d":
        return nn.AvgPool2d(layer.kernel, layer.stride, layer.padding, layer.ceil_mode,
                            layer.count_include_pad)
    if kind == "adaptiveavgpool2d":
        return nn.AdaptiveAvgPool2d(layer.output_size)
    if kind == "relu":
        return nn.ReLU()
    if kind == "dropout":
        return nn.Dropout(layer.p)
    if kind == "batchnorm2d":
        return nn.BatchNorm2d(in_channels)
    raise AssertionError(f"no torch module for {kind}")


def torch_output_shape(puzzle: Puzzle, small_batch: bool = False) -> tuple[int, ...]:
    """Run a zero tensor of the puzzle's input shape through torch. A board-form [H, W]
    input is one image with one channel, so it runs as [1, 1, H, W] and only H, W are kept.

    ``small_batch`` runs an [N, C, H, W] input with N = 1 and puts N back in the result: the
    batch never changes a shape, and large generated batches would only make the test slow."""
    shape = puzzle.input_shape
    board = len(shape) == 2
    batch = shape[0] if small_batch and len(shape) == 4 else None
    run_shape = (1, 1, *shape) if board else ((1, *shape[1:]) if batch else shape)
    x = torch.zeros(run_shape)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using padding='same'")
        for layer in puzzle.layers:
            x = torch_module(layer, x.shape[-3]).eval()(x)
    out = tuple(x.shape)
    if board:
        return out[-2:]
    return (batch, *out[1:]) if batch else out

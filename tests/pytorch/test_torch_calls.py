"""The core's table of ``nn.`` calls against torch itself, on thousands of random layers: the
module it names, built with its arguments, is the module the layer's settings give when every
argument is passed by name (same repr, the repr the trace claims, same parameter and buffer
shapes); the code convtui writes for it builds that module again; and it writes no argument at
PyTorch's default."""

from __future__ import annotations

import inspect

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from convtui.core import layers as core_layers
from convtui.core.export import call_code
from convtui.core.geometry import PADDING_MODES
from convtui.core.layers import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    IntPair,
    Layer,
    Linear,
    MaxPool2d,
    ReLU,
)
from convtui.core.network import Residual
from convtui.core.torch_calls import module_call
from convtui.pytorch.network import torch_module

MANY = settings(max_examples=1500, deadline=None, derandomize=True, database=None)


def pairs(low: int, high: int) -> st.SearchStrategy[IntPair]:
    """Square pairs half the time: those are written as one int."""
    side = st.integers(low, high)
    return st.one_of(side.map(lambda v: (v, v)), st.tuples(side, side))


@st.composite
def convolutions(draw: st.DrawFn) -> tuple[Layer, int]:
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    width = groups * draw(st.integers(1, 3))
    out = None if groups == 1 and draw(st.booleans()) else groups * draw(st.integers(1, 3))
    common = {"kernel": draw(pairs(1, 4)), "out_channels": out, "groups": groups,
              "dilation": draw(pairs(1, 3)), "bias": draw(st.booleans())}
    if draw(st.booleans()):
        padding = draw(st.one_of(pairs(0, 3), st.sampled_from(["same", "valid"])))
        stride = (1, 1) if padding == "same" else draw(pairs(1, 3))  # torch's rule for 'same'
        return Conv2d(stride=stride, padding=padding,
                      padding_mode=draw(st.sampled_from(PADDING_MODES)), **common), width
    stride = draw(pairs(1, 3))
    output_padding = (draw(st.integers(0, stride[0] - 1)), draw(st.integers(0, stride[1] - 1)))
    return ConvTranspose2d(stride=stride, padding=draw(pairs(0, 3)),
                           output_padding=output_padding, **common), width


@st.composite
def poolings(draw: st.DrawFn) -> tuple[Layer, int]:
    kernel = draw(pairs(1, 5))
    stride = draw(st.one_of(st.none(), st.just(kernel), pairs(1, 4)))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    if draw(st.booleans()):
        return MaxPool2d(kernel, stride, padding, draw(pairs(1, 3)), draw(st.booleans())), 1
    return AvgPool2d(kernel, stride, padding, draw(st.booleans()), draw(st.booleans())), 1


@st.composite
def others(draw: st.DrawFn) -> tuple[Layer, int]:
    width = draw(st.integers(1, 40))
    return draw(st.sampled_from([
        AdaptiveAvgPool2d(draw(pairs(1, 7))),
        BatchNorm2d(draw(st.sampled_from([None, width]))),
        Linear(draw(st.integers(1, 20)), draw(st.sampled_from([None, width])),
               draw(st.booleans())),
        Dropout(draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9]))),
        Flatten(),
        ReLU(),
    ])), width


layers_and_widths = st.one_of(convolutions(), poolings(), others())


def _compact(value: IntPair) -> int | IntPair:
    return value[0] if value[0] == value[1] else value


def direct(layer: Layer, width: int) -> nn.Module:
    """The module straight from the layer's fields, every argument by name (pooling's pairs
    compact, as convtui hands them over: those modules keep what they are given)."""
    if isinstance(layer, Conv2d):
        return nn.Conv2d(in_channels=width, out_channels=layer.out_channels or 1,
                         kernel_size=layer.kernel, stride=layer.stride, padding=layer.padding,
                         dilation=layer.dilation, groups=layer.groups, bias=layer.bias,
                         padding_mode=layer.padding_mode)
    if isinstance(layer, ConvTranspose2d):
        return nn.ConvTranspose2d(in_channels=width, out_channels=layer.out_channels or 1,
                                  kernel_size=layer.kernel, stride=layer.stride,
                                  padding=layer.padding, output_padding=layer.output_padding,
                                  groups=layer.groups, bias=layer.bias, dilation=layer.dilation)
    if isinstance(layer, MaxPool2d):
        return nn.MaxPool2d(kernel_size=_compact(layer.kernel), stride=_compact(layer.step),
                            padding=_compact(layer.padding), dilation=_compact(layer.dilation),
                            ceil_mode=layer.ceil_mode)
    if isinstance(layer, AvgPool2d):
        return nn.AvgPool2d(kernel_size=_compact(layer.kernel), stride=_compact(layer.step),
                            padding=_compact(layer.padding), ceil_mode=layer.ceil_mode,
                            count_include_pad=layer.count_include_pad)
    if isinstance(layer, AdaptiveAvgPool2d):
        return nn.AdaptiveAvgPool2d(output_size=_compact(layer.output_size))
    if isinstance(layer, BatchNorm2d):
        return nn.BatchNorm2d(num_features=width)
    if isinstance(layer, Linear):
        return nn.Linear(in_features=width, out_features=layer.out_features, bias=layer.bias)
    if isinstance(layer, Dropout):
        return nn.Dropout(p=layer.p)
    return {ReLU: nn.ReLU, Flatten: nn.Flatten}[type(layer)]()


def shapes(module: nn.Module) -> list[tuple[str, tuple[int, ...]]]:
    return [(name, tuple(t.shape)) for name, t in (*module.named_parameters(),
                                                   *module.named_buffers())]


@given(layers_and_widths)
@MANY
def test_the_called_module_is_the_layer(case: tuple[Layer, int]) -> None:
    layer, width = case
    with torch.device("meta"):  # shapes only: no weights are drawn
        built, expected = torch_module(module_call(layer, width)), direct(layer, width)
    assert repr(built) == repr(expected) == layer.describe(width)
    assert shapes(built) == shapes(expected)


@given(layers_and_widths)
@MANY
def test_the_written_code_builds_the_same_module(case: tuple[Layer, int]) -> None:
    layer, width = case
    call = module_call(layer, width)
    forms = [call]
    if "kernel_size" in dict(call.kwargs):
        forms.append(call.kernel_by_position())  # nn.Conv2d(1, 1, 3): the Transposed panel's
    with torch.device("meta"):
        for form in forms:
            assert repr(eval(call_code(form), {"nn": nn})) == repr(direct(layer, width))


@given(layers_and_widths)
@MANY
def test_no_argument_is_written_at_its_default(case: tuple[Layer, int]) -> None:
    call = module_call(*case)
    signature = inspect.signature(getattr(nn, call.name))
    for key, value in call.kwargs:
        default = signature.parameters[key].default
        assert default is inspect.Parameter.empty or value != default, key


def test_the_table_has_every_layer_type_and_no_other() -> None:
    concrete = {cls for cls in vars(core_layers).values() if isinstance(cls, type)
                and issubclass(cls, Layer) and not inspect.isabstract(cls)
                and not cls.__name__.startswith("_")}
    assert concrete == {Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d,
                        BatchNorm2d, Linear, Dropout, Flatten, ReLU}
    with pytest.raises(TypeError):
        module_call(Residual((ReLU(),)))


@pytest.mark.parametrize(("layer", "width", "code"), [
    (Conv2d((3, 3), 32, padding=(1, 1)), 1, "nn.Conv2d(1, 32, kernel_size=3, padding=1)"),
    (Conv2d((3, 5), 8, padding="same", padding_mode="reflect"), 4,
     "nn.Conv2d(4, 8, kernel_size=(3, 5), padding='same', padding_mode='reflect')"),
    (ConvTranspose2d((2, 2), 1, (2, 2), output_padding=(0, 1)), 1,
     "nn.ConvTranspose2d(1, 1, kernel_size=2, stride=2, output_padding=(0, 1))"),
    (MaxPool2d((2, 2), (2, 2)), 1, "nn.MaxPool2d(kernel_size=2)"),
    (AvgPool2d((3, 3), (1, 1), (1, 1), count_include_pad=False), 1,
     "nn.AvgPool2d(kernel_size=3, stride=1, padding=1, count_include_pad=False)"),
    (AdaptiveAvgPool2d((1, 1)), 64, "nn.AdaptiveAvgPool2d(1)"),
    (Linear(10, bias=False), 3136, "nn.Linear(3136, 10, bias=False)"),
    (Dropout(0.5), 1, "nn.Dropout()"),
])
def test_calls_read_as_the_exported_code_writes_them(layer: Layer, width: int, code: str) -> None:
    assert call_code(module_call(layer, width)) == code

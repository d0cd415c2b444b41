"""The typed spec: parsing, printing back, and errors that point at the right column."""

from __future__ import annotations

import pytest

from convtui.core.layers import Conv2d, Linear, MaxPool2d, ReLU
from convtui.core.network import Residual, trace
from convtui.core.presets import PRESETS
from convtui.core.spec import SpecError, format_spec, parse_spec


def test_the_documented_example() -> None:
    spec = parse_spec("conv(16,3,p=1) relu maxpool(2) flatten linear(10)")
    assert spec.input_shape is None
    conv, relu, pool, _, linear = spec.layers
    assert conv == Conv2d(kernel=(3, 3), out_channels=16, padding=(1, 1))
    assert relu == ReLU() and pool == MaxPool2d(kernel=(2, 2))
    assert linear == Linear(out_features=10)
    result = trace([1, 1, 28, 28], spec.layers)
    assert result.output_shape == (1, 10)
    assert result.rows[-1].description == "Linear(in_features=3136, out_features=10, bias=True)"


def test_input_shape_prefix_and_long_keywords() -> None:
    spec = parse_spec("1x3x32x32: conv(8, 3, stride=2, dilation=2)")
    assert spec.input_shape == (1, 3, 32, 32)
    assert spec.layers[0] == Conv2d(kernel=(3, 3), out_channels=8, stride=(2, 2),
                                    dilation=(2, 2))


def test_arrows_and_pairs() -> None:
    spec = parse_spec("28x28: conv(k=3x5, s=1x2) -> maxpool(2x1) → relu")
    assert spec.input_shape == (28, 28)
    assert spec.layers[0] == Conv2d(kernel=(3, 5), stride=(1, 2))
    assert spec.layers[1] == MaxPool2d(kernel=(2, 1))
    assert trace(spec.input_shape, spec.layers).output_shape == (13, 12)


def test_residual_with_and_without_shortcut() -> None:
    spec = parse_spec("res(conv(4,3,p=1) bn | conv(4,1) bn) res(conv(4,3,p=1))")
    first, second = spec.layers
    assert isinstance(first, Residual) and len(first.main) == 2 and len(first.shortcut) == 2
    assert isinstance(second, Residual) and second.shortcut == ()


@pytest.mark.parametrize("text", [
    "conv(16,3,p=1) relu maxpool(2) flatten linear(10)",
    "28x28: conv(k=3,p=same) avgpool(3,s=2,p=1,ceil=true,cip=false)",
    "1x2x9x9: conv(4,3x5,s=1x2,p=valid,d=2,g=2,bias=false,mode=reflect) maxpool(3,s=1,d=2)",
    "1x4x8x8: convT(2,3,s=2,p=1,op=1,d=2) adaptiveavgpool(2x3) bn(2) dropout(0.25)",
    "1x1x8x8: flatten linear(64,10,bias=false) dropout",
    "res(conv(4,3,p=1) bn relu | conv(4,1) bn(4)) relu res(conv(4,3,p=1))",
])
def test_print_back_round_trips(text: str) -> None:
    spec = parse_spec(text)
    printed = format_spec(spec.layers, spec.input_shape)
    assert printed == text
    assert parse_spec(printed) == spec


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip(name: str) -> None:
    preset = PRESETS[name]
    printed = format_spec(preset.layers, preset.input_shape)
    assert printed == preset.spec
    assert parse_spec(printed).layers == preset.layers


@pytest.mark.parametrize(("text", "column", "message"), [
    ("1x1x28x28: conv(16,3,p=1", 25, "missing ')' to close conv("),
    ("conv(16,3,,p=1)", 11, "expected a value, found ','"),
    ("conv(16;3)", 8, "unexpected character ';'"),
    ("relu conx(3)", 6, "unknown layer 'conx'; known: conv, convT, maxpool, avgpool, "
                        "adaptiveavgpool, bn, linear, relu, flatten, dropout, res"),
    ("conv(16,3,s=two)", 11, "stride: expected an int or [h, w], got 'two'"),
    ("conv(16,3,p=1,s=2,4)", 19, "a positional argument cannot follow a keyword one"),
    ("conv(1,2,3,4,5)", 14, "conv takes at most 4 positional arguments, got 5"),
    ("relu(2)", 6, "relu takes no positional arguments, got 1"),
    ("conv(4,3,p=1,k=3x3)", 14, "kernel is given twice"),
    ("conv(4, 3x3x3)", 9, "expected a pair like 3x5, found '3x3x3'"),
    ("relu conv -> relu", 6, "conv needs kernel; write conv(out, k), e.g. conv(16,3)"),
    ("relu res()", 6, "res( needs at least one layer on its main path"),
    ("res(relu", 9, "expected ')' to close res(, found 'the end'"),
    ("1x0x3: relu", 1, "input: every dimension must be at least 1, got [1, 0, 3]"),
    ("relu ) relu", 6, "expected a layer name, found ')'"),
    ("1x28x28 conv(4,3)", 1, "expected a layer name, found '1x28x28' (an input shape goes "
                             "first, with a colon: 1x28x28: ...)"),
    ("maxpool(2, p=2.5)", 12, "padding: expected an int or [h, w], got 2.5"),
    ("conv(٣,3)", 6, "unexpected character '٣'"),
    ("١x28x28: relu", 1, "unexpected character '١'"),
])
def test_parse_errors_point_at_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    err = info.value
    assert (err.position + 1, err.message) == (column, message)
    assert str(err) == f"column {column}: {message}"
    assert err.pointer == f"{text}\n{' ' * (column - 1)}^"


def test_spec_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match=r"^column 1: "):
        parse_spec("?")

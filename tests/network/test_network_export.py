"""Exports: the dict form round trip and quiz chains that the puzzle loader accepts."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from convtui.core.export import layer_dict, to_puzzle_pack, to_pytorch
from convtui.core.network import leaf_rows, parse_layer, trace
from convtui.core.presets import PRESETS
from convtui.core.spec import format_spec, parse_spec

CHAIN = ("28x28: conv(k=5,s=2,p=1) maxpool(2,s=1,ceil=true) convT(k=3x2,s=2,op=1) "
         "avgpool(2,cip=false) relu")


@pytest.mark.parametrize("name", list(PRESETS))
def test_dict_form_round_trips(name: str) -> None:
    for layer in PRESETS[name].layers:
        assert parse_layer(layer_dict(layer)) == layer


def test_dict_form_leaves_defaults_out() -> None:
    spec = parse_spec("conv(16,3,p=1) maxpool(2) convT(4,2,s=2) linear(3136,10)")
    assert [layer_dict(layer) for layer in spec.layers] == [
        {"type": "conv2d", "kernel": 3, "out_channels": 16, "padding": 1},
        {"type": "maxpool2d", "kernel": 2},
        {"type": "conv_transpose2d", "kernel": 2, "out_channels": 4, "stride": 2},
        {"type": "linear", "out_features": 10, "in_features": 3136},
    ]


def test_puzzle_pack_holds_the_chain_and_its_traced_answer() -> None:
    spec = parse_spec(CHAIN)
    text = to_puzzle_pack(spec.input_shape, spec.layers, "board-chain", "Board chain")
    data = tomllib.loads(text)
    assert data["pack"] == {"version": 1, "id": "board-chain", "title": "Board chain"}
    (puzzle,) = data["puzzles"]
    assert puzzle["id"] == "board-chain" and puzzle["input"] == [28, 28]
    assert puzzle["layers"][2] == {"type": "conv_transpose2d", "kernel": [3, 2], "stride": 2,
                                   "output_padding": 1}
    layers = [parse_layer(item) for item in puzzle["layers"]]
    assert layers == list(spec.layers)
    assert puzzle["answer"] == [13, 12] == list(trace([28, 28], layers).output_shape)


def test_puzzle_pack_loads_in_quiz_mode(tmp_path: Path) -> None:
    from convtui.quiz.loader import check_files

    spec = parse_spec("1x1x28x28: conv(5,5) maxpool(2)")
    path = tmp_path / "chain.toml"
    path.write_text(to_puzzle_pack(spec.input_shape, spec.layers, "lecture-chain"))
    packs, problems = check_files([path])
    assert problems == []
    assert [p.id for p in packs[0].puzzles] == ["lecture-chain"]


def test_puzzle_pack_asks_the_image_part_and_says_where_it_ends() -> None:
    spec = parse_spec(PRESETS["tiny"].spec)
    data = tomllib.loads(to_puzzle_pack(spec.input_shape, spec.layers, "tiny"))
    (puzzle,) = data["puzzles"]
    assert puzzle["answer"] == [1, 5, 12, 12] and len(puzzle["layers"]) == 3
    assert "# the quiz chain ends before layer 4 (flatten)" in to_puzzle_pack(
        spec.input_shape, spec.layers)


def test_puzzle_pack_refuses_a_network_with_nothing_to_ask() -> None:
    spec = parse_spec("1x1x28x28: flatten linear(784,10)")
    with pytest.raises(ValueError, match=r"^layer 1 \(flatten\): a quiz chain asks about"):
        to_puzzle_pack(spec.input_shape, spec.layers)
    spec = parse_spec("1x1x28x28: relu")
    with pytest.raises(ValueError, match="has no such layer"):
        to_puzzle_pack(spec.input_shape, spec.layers)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_exports_a_chain_the_quiz_loads_with_the_traced_shapes(
        name: str, tmp_path: Path) -> None:
    from convtui.quiz.loader import check_files

    preset = PRESETS[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(to_puzzle_pack(preset.input_shape, preset.layers, name))
    packs, problems = check_files([path])
    assert problems == []
    traced = {(row.in_shape, row.out_shape) for row in leaf_rows(trace(
        preset.input_shape, preset.layers).rows)}
    for puzzle in packs[0].puzzles:
        rows = puzzle.trace.rows
        assert (rows[0].in_shape, rows[0].out_shape) in traced


def test_exports_refuse_a_stack_that_does_not_trace() -> None:
    spec = parse_spec("1x1x8x8: conv(2,9)")
    for export in (to_pytorch, to_puzzle_pack):
        with pytest.raises(ValueError, match=r"^cannot export a network that fails to trace: "
                                             r"layer 1 \(conv 9x9 s1 p0\)"):
            export(spec.input_shape, spec.layers)


def test_pytorch_code_for_the_lab_network() -> None:
    preset = PRESETS["lab"]
    assert to_pytorch(preset.input_shape, preset.layers) == '''\
import torch
from torch import nn

model = nn.Sequential(
    nn.Conv2d(1, 32, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(kernel_size=2),
    nn.Conv2d(32, 64, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(kernel_size=2),
    nn.Flatten(),
    nn.Linear(3136, 10),
)
x = torch.zeros(1, 1, 28, 28)
print(model(x).shape)  # torch.Size([1, 10])
'''


def test_pytorch_code_with_residual_blocks_is_a_module_class() -> None:
    spec = parse_spec("1x4x8x8: res(conv(8,3,s=2,p=1) bn | conv(8,1,s=2)) relu res(relu)")
    code = to_pytorch(spec.input_shape, spec.layers)
    assert "class Residual(nn.Module):" in code and "class Net(nn.Module):" in code
    assert '''\
            Residual(
                nn.Sequential(
                    nn.Conv2d(4, 8, kernel_size=3, stride=2, padding=1),
                    nn.BatchNorm2d(8),
                ),
                nn.Sequential(
                    nn.Conv2d(4, 8, kernel_size=1, stride=2),
                ),
            ),''' in code
    assert "nn.Identity()" in code
    assert code.endswith("model = Net()\nmodel.eval()  # BatchNorm uses its running statistics, "
                         "as at test time\nx = torch.zeros(1, 4, 8, 8)\n"
                         "print(model(x).shape)  # torch.Size([1, 8, 4, 4])\n")


EVERY_OPTION = ("1x4x9x9: conv(4,3x5,s=1x2,p=1,d=2,g=2,bias=false,mode=reflect) "
                "convT(4,3,s=2,p=1,op=1,d=2,g=2,bias=false) maxpool(3,s=1,p=1,d=2,ceil=true) "
                "avgpool(2,s=1,p=1,ceil=true,cip=false) adaptiveavgpool(2x3) bn(4) dropout(0.25) "
                "flatten linear(24,10,bias=false)")


def test_every_option_is_written_by_the_spec_the_dict_form_and_the_code() -> None:
    """The three writers share one list of each layer's arguments: each writes every
    non-default one, in PyTorch's order, and leaves the defaults out."""
    spec = parse_spec(EVERY_OPTION)
    assert format_spec(spec.layers, spec.input_shape) == EVERY_OPTION
    assert [layer_dict(layer) for layer in spec.layers][:5] == [
        {"type": "conv2d", "kernel": [3, 5], "out_channels": 4, "stride": [1, 2], "padding": 1,
         "dilation": 2, "groups": 2, "bias": False, "padding_mode": "reflect"},
        {"type": "conv_transpose2d", "kernel": 3, "out_channels": 4, "stride": 2, "padding": 1,
         "output_padding": 1, "dilation": 2, "groups": 2, "bias": False},
        {"type": "maxpool2d", "kernel": 3, "stride": 1, "padding": 1, "dilation": 2,
         "ceil_mode": True},
        {"type": "avgpool2d", "kernel": 2, "stride": 1, "padding": 1, "ceil_mode": True,
         "count_include_pad": False},
        {"type": "adaptiveavgpool2d", "output_size": [2, 3]},
    ]
    assert [parse_layer(layer_dict(layer)) for layer in spec.layers] == list(spec.layers)
    assert to_pytorch(spec.input_shape, spec.layers).splitlines()[4:13] == [
        "    nn.Conv2d(4, 4, kernel_size=(3, 5), stride=(1, 2), padding=1, dilation=2, groups=2, "
        "bias=False, padding_mode='reflect'),",
        "    nn.ConvTranspose2d(4, 4, kernel_size=3, stride=2, padding=1, output_padding=1, "
        "dilation=2, groups=2, bias=False),",
        "    nn.MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=2, ceil_mode=True),",
        "    nn.AvgPool2d(kernel_size=2, stride=1, padding=1, ceil_mode=True, "
        "count_include_pad=False),",
        "    nn.AdaptiveAvgPool2d((2, 3)),",
        "    nn.BatchNorm2d(4),",
        "    nn.Dropout(p=0.25),",
        "    nn.Flatten(),",
        "    nn.Linear(24, 10, bias=False),",
    ]


def test_a_pool_stride_equal_to_the_kernel_is_left_out_of_the_code_but_kept_in_the_spec() -> None:
    spec = parse_spec("1x1x8x8: maxpool(2,s=2) avgpool(2)")
    assert format_spec(spec.layers, spec.input_shape) == "1x1x8x8: maxpool(2,s=2) avgpool(2)"
    assert layer_dict(spec.layers[0]) == {"type": "maxpool2d", "kernel": 2, "stride": 2}
    code = to_pytorch(spec.input_shape, spec.layers)
    assert "nn.MaxPool2d(kernel_size=2)," in code and "nn.AvgPool2d(kernel_size=2)," in code

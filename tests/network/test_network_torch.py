"""The trace against PyTorch itself: presets, counts, receptive fields, errors, exported code.

Shapes and parameter counts are checked on torch's ``meta`` device (no memory, no arithmetic),
so VGG-16 at 224x224 costs nothing; receptive fields are measured on small CPU tensors.
"""

from __future__ import annotations

import contextlib
import io

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convtui.core.export import to_pytorch
from convtui.core.layers import BatchNorm2d
from convtui.core.network import Residual, leaf_rows, trace
from convtui.core.presets import PRESETS
from convtui.core.spec import parse_spec
from convtui.pytorch.network import build_network, measure_receptive_field, verify

torch.set_num_threads(1)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_matches_torch_layer_by_layer(name: str) -> None:
    preset = PRESETS[name]
    report = verify(preset.input_shape, preset.layers)
    assert report.ok, report.text
    assert report.checked >= len(preset.layers)


@pytest.mark.parametrize(("name", "params", "output"), [
    ("lecture", 130, (1, 5, 12, 12)),
    ("tiny", 7_340, (1, 10)),
    ("lab", 50_186, (1, 10)),
    ("deep", 1_379_557, (1, 10)),
    ("lenet5", 61_706, (1, 10)),
    ("vgg16", 138_357_544, (1, 1000)),
    ("resnet18", 11_689_512, (1, 1000)),
    ("resnet18-tv-cifar", 11_181_642, (1, 10)),
    ("resnet18-cifar", 11_173_962, (1, 10)),
])
def test_preset_totals_equal_torch(name: str, params: int, output: tuple) -> None:
    preset = PRESETS[name]
    result = trace(preset.input_shape, preset.layers)
    assert (result.params, result.output_shape) == (params, output)
    with torch.device("meta"):
        model = build_network(result)
        shape = tuple(model.eval()(torch.zeros(preset.input_shape)).shape)
    assert sum(p.numel() for p in model.parameters()) == params
    assert shape == output


def test_key_shapes_along_the_presets() -> None:
    lecture = trace(PRESETS["lecture"].input_shape, PRESETS["lecture"].layers)
    assert [r.out_shape for r in lecture.rows] == [(1, 5, 24, 24), (1, 5, 12, 12)]
    vgg = trace(PRESETS["vgg16"].input_shape, PRESETS["vgg16"].layers)
    flatten = next(r for r in vgg.rows if r.label == "flatten")
    assert flatten.in_shape == (1, 512, 7, 7) and flatten.out_shape == (1, 25088)
    assert [r.out_shape for r in vgg.rows if r.label.startswith("linear")] == [
        (1, 4096), (1, 4096), (1, 1000)]
    deep = trace(PRESETS["deep"].input_shape, PRESETS["deep"].layers)
    assert deep.rows[8].out_shape == (1, 128, 4, 4)  # the padded third pool: 7 -> 4
    resnet = trace(PRESETS["resnet18"].input_shape, PRESETS["resnet18"].layers)
    blocks = [r for r in resnet.rows if isinstance(r.layer, Residual)]
    assert [b.out_shape[1:] for b in blocks[::2]] == [
        (64, 56, 56), (128, 28, 28), (256, 14, 14), (512, 7, 7)]
    down = blocks[2]
    assert [r.description for r in down.paths["shortcut"]] == [
        "Conv2d(64, 128, kernel_size=(1, 1), stride=(2, 2), bias=False)",
        "BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, bias=True, "
        "track_running_stats=True)",
    ]
    cifar = trace(PRESETS["resnet18-cifar"].input_shape, PRESETS["resnet18-cifar"].layers)
    assert [r for r in cifar.rows if isinstance(r.layer, Residual)][-1].out_shape == (
        1, 512, 4, 4)
    tv = trace(PRESETS["resnet18-tv-cifar"].input_shape, PRESETS["resnet18-tv-cifar"].layers)
    assert [r for r in tv.rows if isinstance(r.layer, Residual)][-1].out_shape == (1, 512, 1, 1)


@pytest.mark.parametrize("name", ["lab", "deep", "tiny"])
def test_mnist_presets_are_the_networks_convtui_trains(name: str) -> None:
    from convtui.training.models import build_model

    preset = PRESETS[name]
    result = trace(preset.input_shape, preset.layers)
    model = build_model(name).eval()
    with torch.no_grad():
        output = model(torch.zeros(preset.input_shape))
    assert sum(p.numel() for p in model.parameters()) == result.params
    assert tuple(output.shape) == result.output_shape


@pytest.mark.parametrize("name", ["lab", "lenet5", "vgg16", "resnet18", "resnet18-cifar"])
def test_macs_equal_torch_flop_counter(name: str) -> None:
    """torch counts 2 FLOPs per multiply-accumulate of conv and linear layers; BatchNorm's
    per-element scale-and-shift is convtui's own addition, left out here."""
    preset = PRESETS[name]
    result = trace(preset.input_shape, preset.layers)
    with torch.device("meta"):
        model = build_network(result).eval()
        with FlopCounterMode(display=False) as counter:
            model(torch.zeros(preset.input_shape))
    weight_macs = sum(r.macs for r in leaf_rows(result.rows)
                      if not isinstance(r.layer, BatchNorm2d))
    assert counter.get_total_flops() == 2 * weight_macs


@pytest.mark.parametrize("text", [
    "1x1x32x32: conv(4,3) relu conv(4,3)",
    "1x1x64x64: conv(4,3,s=2) conv(4,3,s=2) maxpool(2)",
    "1x2x48x48: conv(3,3,d=2) conv(3,3,d=4) bn relu",
    "1x1x40x40: conv(2,3,p=1) maxpool(3,s=2,p=1,d=2,ceil=true) conv(2,3x5,s=1x2)",
    "1x1x45x45: avgpool(3,s=2,p=1) conv(2,5,s=2,p=2) avgpool(2,ceil=true)",
    "1x4x40x40: res(conv(4,3,s=2,p=1) bn relu conv(4,3,p=1) | conv(4,1,s=2) bn) relu "
    "res(conv(4,3,p=1) conv(4,3,p=1))",
    "1x1x28x28: conv(32,3,p=1) relu maxpool(2) conv(64,3,p=1) relu maxpool(2)",
    "1x1x32x32: conv(2,3) adaptiveavgpool(5)",
    "30x30: conv(k=3,s=2) maxpool(2,s=1)",
])
def test_receptive_field_equals_the_gradient_measurement(text: str) -> None:
    spec = parse_spec(text)
    last = trace(spec.input_shape, spec.layers).rows[-1]
    measured = measure_receptive_field(spec.input_shape, spec.layers)
    assert not measured.clipped, "the test input must hold the whole field"
    assert measured.size == last.receptive_field
    assert measured.jump == last.jump


def test_unbatched_flatten_matches_torch() -> None:
    spec = parse_spec("3x8x8: conv(4,3) flatten linear(36,5)")
    assert trace(spec.input_shape, spec.layers).output_shape == (4, 5)
    assert verify(spec.input_shape, spec.layers).ok


def test_board_form_is_run_as_one_image() -> None:
    spec = parse_spec("28x28: conv(k=5,s=2,p=1) maxpool(2,ceil=true) convT(k=3,s=2,op=1)")
    report = verify(spec.input_shape, spec.layers)
    assert report.ok, report.text
    assert trace(spec.input_shape, spec.layers).output_shape == (16, 16)


def test_verify_reports_differences() -> None:
    """A row claiming a wrong shape and count is caught (the report is not always 'ok')."""
    from dataclasses import replace

    from convtui.pytorch.network import _run_rows

    result = trace([1, 1, 8, 8], parse_spec("conv(2,3)").layers)
    wrong = replace(result.rows[0], out_shape=(1, 2, 7, 7), params=19)
    differences: list = []
    with torch.device("meta"):
        _run_rows([wrong], torch.zeros(1, 1, 8, 8), False, differences)
    assert [d.text for d in differences] == [
        "layer 1: shape is [1, 2, 7, 7] in convtui but [1, 2, 6, 6] in PyTorch",
        "layer 1: params is 19 in convtui but 20 in PyTorch",
    ]


@pytest.mark.parametrize(("text", "module", "shape"), [
    ("1x8x12x12: conv(8,13)", nn.Conv2d(8, 8, 13), (1, 8, 12, 12)),
    ("1x1x8x8: maxpool(2,p=2)", nn.MaxPool2d(2, padding=2), (1, 1, 8, 8)),
    ("1x6x6x6: conv(4,3,g=4)", None, None),
    ("64x7x7: bn", nn.BatchNorm2d(64), (64, 7, 7)),
    ("1x3000: linear(3136,10)", nn.Linear(3136, 10), (1, 3000)),
    ("1x1x4x4: convT(1,3,s=2,op=2)", nn.ConvTranspose2d(1, 1, 3, 2, output_padding=2),
     (1, 1, 4, 4)),
])
def test_torch_refuses_what_the_trace_refuses(text: str, module, shape) -> None:
    if text.startswith("1x3000"):
        result = trace([1, 1, 3000, 1], [*parse_spec("flatten").layers,
                                         *parse_spec(text.split(": ")[1]).layers])
    else:
        spec = parse_spec(text)
        result = trace(spec.input_shape, spec.layers)
    assert result.error is not None
    with pytest.raises((RuntimeError, ValueError)):
        if module is None:
            nn.Conv2d(6, 4, 3, groups=4)
        else:
            module(torch.zeros(shape))


def test_residual_mismatch_fails_in_torch_too() -> None:
    spec = parse_spec("1x64x16x16: res(conv(128,3,s=2,p=1) bn)")
    assert trace(spec.input_shape, spec.layers).error.message.startswith("residual: ")
    main = nn.Sequential(nn.Conv2d(64, 128, 3, 2, 1), nn.BatchNorm2d(128))
    x = torch.zeros(1, 64, 16, 16)
    with pytest.raises(RuntimeError):
        main(x) + x


def test_batchnorm_on_one_value_per_channel_is_noted_and_fails_in_training() -> None:
    result = trace(PRESETS["resnet18-tv-cifar"].input_shape, PRESETS["resnet18-tv-cifar"].layers)
    noted = [r for r in leaf_rows(result.rows) if r.notes]
    assert noted and all(r.in_shape[2:] == (1, 1) for r in noted)
    assert "train with a batch of 2 or more" in noted[0].notes[0]
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        nn.BatchNorm2d(512).train()(torch.zeros(1, 512, 1, 1))


def run_exported(code: str, device: str) -> tuple[dict, str]:
    namespace: dict = {}
    out = io.StringIO()
    with torch.device(device), contextlib.redirect_stdout(out):
        exec(compile(code, "<exported>", "exec"), namespace)
    return namespace, out.getvalue()


@pytest.mark.parametrize("name", list(PRESETS))
def test_exported_code_runs_and_prints_the_traced_shape(name: str) -> None:
    preset = PRESETS[name]
    result = trace(preset.input_shape, preset.layers)
    namespace, printed = run_exported(to_pytorch(preset.input_shape, preset.layers), "meta")
    assert printed == f"torch.Size({list(result.output_shape)})\n"
    model = namespace["model"]
    assert sum(p.numel() for p in model.parameters()) == result.params


def test_exported_board_form_code_runs_on_cpu() -> None:
    spec = parse_spec("28x28: conv(k=5,s=2,p=1) maxpool(2,s=1,ceil=true) avgpool(2,cip=false)")
    code = to_pytorch(spec.input_shape, spec.layers)
    _, printed = run_exported(code, "cpu")
    assert printed == "torch.Size([1, 1, 6, 6])\n"
    assert trace(spec.input_shape, spec.layers).output_shape == (6, 6)

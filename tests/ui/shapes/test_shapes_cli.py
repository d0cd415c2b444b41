"""``convtui shapes`` options: --print table / torch / toml, and a spec that does not parse."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib

import pytest

from convtui.core.export import to_puzzle_pack, to_pytorch
from convtui.core.presets import PRESETS
from convtui.core.spec import parse_spec
from convtui.shapes_cli import add_shapes_arguments, run_shapes


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="convtui shapes")
    add_shapes_arguments(parser)
    return parser.parse_args(argv)


def test_print_table_lists_every_layer_with_shapes_and_totals(capsys) -> None:
    assert run_shapes(parse("--preset", "lab", "--print", "table")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["#", "layer", "input", "output", "params", "MACs", "RF", "jump"]
    assert lines[1].split() == ["input", "1x1x28x28", "1", "1"]
    assert lines[2].split() == ["1", "conv", "3x3", "s1", "p1", "1x1x28x28", "1x32x28x28",
                                "320", "225,792", "3", "1"]
    assert lines[9].split() == ["8", "linear", "→10", "1x3136", "1x10", "31,370", "31,360",
                                "–", "–"]
    assert lines[-1] == "total 50,186 params · 3,869,824 MACs · output 1x10"


def test_print_table_is_never_cut_short(capsys) -> None:
    assert run_shapes(parse("--preset", "resnet18", "--print", "table")) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert "│ skip conv 1x1 s2 p0" in out
    assert out.splitlines()[-1] == "total 11,689,512 params · 1,816,557,056 MACs · output 1x1000"


def test_print_table_of_a_network_that_fails_ends_with_the_error_and_exits_1(capsys) -> None:
    spec = "1x1x28x28: conv(5,5) maxpool(2) flatten linear(100,10)"
    assert run_shapes(parse("--spec", spec, "--print", "table")) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3].split()[:4] == ["4", "✗", "linear", "→10"]
    assert lines[-2] == ("✗ layer 4 (linear →10) on [1, 720]: in_features: the input has 720 "
                         "features (5*12*12) but Linear expects in_features=100")
    assert lines[-1] == "  fix: use Linear(720, 10)"


def test_print_torch_is_the_exported_code(capsys) -> None:
    assert run_shapes(parse("--print", "torch")) == 0  # the lecture's network by default
    preset = PRESETS["lecture"]
    assert capsys.readouterr().out == to_pytorch(preset.input_shape, preset.layers)


def test_print_toml_is_a_quiz_chain(capsys) -> None:
    spec = "1x3x32x32: conv(8,3,s=2,p=1) relu maxpool(2)"
    assert run_shapes(parse("--spec", spec, "--print", "toml")) == 0
    out = capsys.readouterr().out
    puzzle = tomllib.loads(out)["puzzles"][0]
    parsed = parse_spec(spec)
    assert out == to_puzzle_pack(parsed.input_shape, parsed.layers, puzzle["id"],
                                 "Custom network (from the Shapes panel)")
    assert puzzle["answer"] == [1, 8, 8, 8]


def test_print_toml_of_a_network_with_flatten_stops_the_chain_there(capsys) -> None:
    assert run_shapes(parse("--preset", "tiny", "--print", "toml")) == 0
    out = capsys.readouterr().out
    assert "# the quiz chain ends before layer 4 (flatten)" in out
    assert "# layers 1–3" in out and "flatten" not in out.split("[[puzzles]]", 1)[1]


@pytest.mark.parametrize("print_as", [None, "table"])
def test_a_spec_that_does_not_parse_points_at_the_column(capsys, print_as) -> None:
    argv = ["--spec", "1x1x28x28: conv(5,5) maxpol(2)"]
    if print_as:
        argv += ["--print", print_as]
    assert run_shapes(parse(*argv)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "convtui shapes: --spec does not parse"
    assert err[1].startswith("✗ column 22: unknown layer 'maxpol'")
    spec_line = err.index("1x1x28x28: conv(5,5) maxpol(2)")
    assert err[spec_line + 1] == " " * 21 + "^"


def test_without_print_the_app_opens() -> None:
    assert run_shapes(parse("--preset", "vgg16")) is None
    assert run_shapes(parse("--spec", "conv(4,3) relu")) is None


def test_unknown_presets_and_two_networks_are_refused_by_argparse(capsys) -> None:
    with pytest.raises(SystemExit):
        parse("--preset", "alexnet")
    assert "invalid choice: 'alexnet'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse("--preset", "lab", "--spec", "conv(4,3)")
    assert "not allowed with argument" in capsys.readouterr().err


def test_print_table_from_a_fresh_process_does_not_import_textual_or_torch() -> None:
    code = ("import argparse, sys\n"
            "from convtui.shapes_cli import add_shapes_arguments, run_shapes\n"
            "p = argparse.ArgumentParser(); add_shapes_arguments(p)\n"
            "status = run_shapes(p.parse_args(['--preset', 'lenet5', '--print', 'table']))\n"
            "assert 'torch' not in sys.modules and 'textual' not in sys.modules\n"
            "sys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "total 61,706 params · 416,520 MACs · output 1x10"

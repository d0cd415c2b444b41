"""The Shapes panel driven as a student would: presets, the spec line, editing layers with keys
and the mouse, errors where they happen, exports and the PyTorch check."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from convtui.core.export import to_puzzle_pack, to_pytorch
from convtui.core.spec import parse_spec
from convtui.quiz.loader import check_files
from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from convtui.ui.shapes.dialog import LayerDialog
from tests.ui.conftest import SIZE, check_with_pytorch, text_of
from tests.ui.shapes.helpers import LAB_ERROR_SPEC, select_row, shapes_app, table, type_spec


def column(app: ConvtuiApp, name: str) -> list[str]:
    index = ["#", "layer", "input", "output", "params", "MACs", "RF", "jump"].index(name)
    return [row[index] for row in table(app)]


def row_of(app: ConvtuiApp, label: str) -> int:
    """The first row whose layer cell is ``label``."""
    return column(app, "layer").index(label)


async def choose_preset(pilot, name: str) -> None:
    pilot.app.screen.query_one("#preset", Select).value = name
    await pilot.pause()


async def answer_dialog(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, LayerDialog)
    field = pilot.app.screen.query_one("#dialog-text", Input)
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_opens_on_the_lecture_example_with_its_shapes() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE):
        assert table(app) == [
            ["", "input", "", "1x1x28x28", "", "", "1", "1"],
            ["1", "conv 5x5 s1 p0", "1x1x28x28", "1x5x24x24", "130", "72,000", "5", "1"],
            ["2", "maxpool 2x2 s2", "1x5x24x24", "1x5x12x12", "0", "0", "6", "2"],
        ]
        assert text_of(app, "#totals") == "total 130 params · 72,000 MACs · output 1x5x12x12"
        assert app.screen.query_one("#spec", Input).value == "1x1x28x28: conv(5,5) maxpool(2)"
        assert app.screen.query_one("#preset", Select).value == "lecture"


async def test_choosing_presets_from_the_list() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")  # opens the preset list; the third entry is the lab's CNN
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#preset", Select).value == "lab"
        assert column(app, "output")[-1] == "1x10"
        assert column(app, "layer")[-2:] == ["flatten", "linear →10"]
        assert column(app, "output")[-2] == "1x3136"
        await choose_preset(pilot, "vgg16")
        assert "total 138,357,544 params" in text_of(app, "#totals")
        assert column(app, "output")[-1] == "1x1000"
        assert column(app, "params")[1] == "1,792"
        await choose_preset(pilot, "resnet18")
        assert "total 11,689,512 params" in text_of(app, "#totals")
        await choose_preset(pilot, "resnet18-tv-cifar")
        layers, outputs = column(app, "layer"), column(app, "output")
        assert outputs[layers.index("maxpool 3x3 s2 p1")] == "1x64x8x8"


async def test_typing_a_spec_traces_it() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_spec(pilot, "3x32x32: conv(8,3,s=2,p=1) relu avgpool(2)")
        assert table(app)[1:] == [
            ["1", "conv 3x3 s2 p1", "3x32x32", "8x16x16", "224", "55,296", "3", "2"],
            ["2", "relu", "8x16x16", "8x16x16", "0", "0", "3", "2"],
            ["3", "avgpool 2x2 s2", "8x16x16", "8x8x8", "0", "0", "5", "4"],
        ]
        assert app.screen.query_one("#preset", Select).value == Select.NULL  # custom
        assert not app.screen.query_one("#spec-error").display
        await pilot.press("enter")  # back to the table
        assert app.screen.query_one("#layers", DataTable).has_focus


async def test_a_spec_with_a_mistake_points_at_its_column_and_keeps_the_last_network() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_spec(pilot, "1x1x28x28: conv(5,5) maxpol(2)")
        error = app.screen.query_one("#spec-error")
        assert error.display
        lines = text_of(app, "#spec-error").splitlines()
        assert lines[0].startswith("✗ column 22: unknown layer 'maxpol'; known: conv,")
        assert lines[1] == "1x1x28x28: conv(5,5) maxpol(2)"
        assert lines[2] == " " * 21 + "^"
        # the table still shows the last spec that parsed: the conv alone
        assert column(app, "layer") == ["input", "conv 5x5 s1 p0"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", "p", "o", "o", "l", "(", "2", ")")
        assert not error.display
        assert column(app, "output")[-1] == "1x5x12x12"


async def test_a_linear_layer_with_the_wrong_in_features_shows_the_error_row_and_fix() -> None:
    app = shapes_app(spec=LAB_ERROR_SPEC)
    async with app.run_test(size=SIZE):
        rows = table(app)
        # the layers before the failing one are traced as usual
        assert rows[4] == ["4", "flatten", "1x5x12x12", "1x720", "0", "0", "–", "–"]
        assert rows[5][:4] == ["5", "✗ linear →10", "1x720", "✗"]
        assert rows[5][0:2] and str(app.screen.query_one("#layers", DataTable)
                                    .get_row_at(5)[1].style) == "bold red"
        # the layers after it are listed, not reached
        assert [r[:4] for r in rows[6:]] == [["6", "relu", "·", "·"], ["7", "linear →2", "·", "·"]]
        assert text_of(app, "#totals") == (
            "✗ the trace stops at layer 5 (linear →10) · fix: use Linear(720, 10)")
        # the cursor starts on the failing row, whose detail gives the reason and the fix
        assert text_of(app, "#detail").splitlines() == [
            "✗ layer 5 · linear →10 · input [1, 720]",
            "Linear(in_features=100, out_features=10, bias=True)",
            "in_features: the input has 720 features (5*12*12) but Linear expects "
            "in_features=100",
            "fix: use Linear(720, 10)",
            "press e to edit this layer, d to delete it",
        ]


async def test_fixing_the_error_row_with_the_edit_dialog() -> None:
    app = shapes_app(spec=LAB_ERROR_SPEC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, LayerDialog)
        assert app.screen.query_one("#dialog-text", Input).value == "linear(100,10)"
        await answer_dialog(pilot, "linear(720,10)")
        assert column(app, "output")[-1] == "1x2"
        assert text_of(app, "#totals").startswith("total 7,362 params")
        assert app.screen.query_one("#spec", Input).value == (
            "1x1x28x28: conv(5,5) relu maxpool(2) flatten linear(720,10) relu linear(10,2)")


async def test_delete_and_move_layers_with_keys() -> None:
    app = shapes_app(preset="lab")
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, row_of(app, "relu"))  # layer 2
        await pilot.press("d")
        assert column(app, "layer")[1:4] == ["conv 3x3 s1 p1", "maxpool 2x2 s2", "conv 3x3 s1 p1"]
        assert "deleted layer 2 (relu)" in text_of(app, "#shapes-status")
        assert app.screen.query_one("#spec", Input).value.startswith(
            "1x1x28x28: conv(32,3,p=1) maxpool(2) conv(64,3,p=1)")
        # the cursor stays in place, now on the maxpool: move it above the conv
        assert column(app, "layer")[app.screen.query_one("#layers", DataTable).cursor_row] \
            == "maxpool 2x2 s2"
        await pilot.press("K")
        assert column(app, "layer")[1:3] == ["maxpool 2x2 s2", "conv 3x3 s1 p1"]
        assert column(app, "output")[1:3] == ["1x1x14x14", "1x32x14x14"]
        assert column(app, "output")[-1] == "1x10"  # pooling first: the same shapes after
        await pilot.press("shift+down")  # and back down
        assert column(app, "layer")[1:3] == ["conv 3x3 s1 p1", "maxpool 2x2 s2"]
        await select_row(pilot, 1)
        await pilot.press("K")
        assert "already the first layer" in text_of(app, "#shapes-status")
        # without the first pool the features are 64x14x14, so linear(3136, 10) fails
        await select_row(pilot, 2)
        await pilot.press("delete")
        assert table(app)[-1][1] == "✗ linear →10"
        assert "fix: use Linear(12544, 10)" in text_of(app, "#totals")


async def test_insert_a_layer_from_the_form_and_from_a_snippet() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, 1)  # the conv: 5 channels out
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, LayerDialog)
        # the form starts on a conv that fits the 5 channels; pick a kind to change it
        assert dialog.query_one("#dialog-text", Input).value == "conv(5,3,p=1)"
        dialog.query_one("#kind", Select).value = "relu"
        await pilot.pause()
        assert dialog.query_one("#dialog-text", Input).value == "relu"
        await pilot.press("enter")
        await pilot.pause()
        assert column(app, "layer") == ["input", "conv 5x5 s1 p0", "relu", "maxpool 2x2 s2"]
        assert "inserted relu after layer 1" in text_of(app, "#shapes-status")
        # a snippet of several layers, after the last row
        await select_row(pilot, 3)
        await pilot.press("a")
        await answer_dialog(pilot, "flatten linear(10)")
        assert column(app, "layer")[-2:] == ["flatten", "linear →10"]
        assert column(app, "output")[-1] == "1x10"
        assert column(app, "params")[-1] == "7,210"
        # and before everything, from the input row
        await select_row(pilot, 0)
        await pilot.press("a")
        await answer_dialog(pilot, "avgpool(2)")
        assert table(app)[1][:4] == ["1", "avgpool 2x2 s2", "1x1x28x28", "1x1x14x14"]


async def test_edit_a_layer_and_the_input_shape() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, 1)
        await pilot.press("enter")  # Enter on a row opens its editor, prefilled
        dialog = app.screen
        assert isinstance(dialog, LayerDialog)
        assert dialog.query_one("#dialog-text", Input).value == "conv(5,5)"
        await answer_dialog(pilot, "conv(8,3,s=2,p=tru)")
        assert isinstance(app.screen, LayerDialog)  # refused, with the column
        assert text_of(app, "#dialog-error").startswith(
            "✗ column 14: padding: expected an int or [h, w], 'same' or 'valid', got 'tru'")
        await answer_dialog(pilot, "conv(8,3,s=2)")
        assert not isinstance(app.screen, LayerDialog)
        assert column(app, "output")[1:] == ["1x8x13x13", "1x8x6x6"]
        assert "layer 1 is now conv 3x3 s2 p0" in text_of(app, "#shapes-status")
        await select_row(pilot, 0)
        await pilot.press("e")
        assert app.screen.query_one("#dialog-text", Input).value == "1x1x28x28"
        await answer_dialog(pilot, "4x1x32x32")
        assert column(app, "output") == ["4x1x32x32", "4x8x15x15", "4x8x7x7"]
        assert app.screen.query_one("#spec", Input).value == (
            "4x1x32x32: conv(8,3,s=2) maxpool(2)")


async def test_the_mouse_selects_a_row_and_a_second_click_opens_its_editor() -> None:
    app = shapes_app(preset="lab")
    async with app.run_test(size=SIZE) as pilot:
        widget = app.screen.query_one("#layers", DataTable)
        offset = (10, 1 + row_of(app, "maxpool 2x2 s2"))  # below the header line
        await pilot.click("#layers", offset=offset)
        await pilot.pause()
        assert "MaxPool2d(kernel_size=2, stride=2" in text_of(app, "#detail")
        assert not isinstance(app.screen, LayerDialog)
        await pilot.click("#layers", offset=offset)
        await pilot.pause()
        assert isinstance(app.screen, LayerDialog)
        await pilot.click("#delete")
        await pilot.pause()
        assert column(app, "layer").count("maxpool 2x2 s2") == 1
        assert widget.row_count == 8


async def test_detail_pane_shows_the_output_size_arithmetic() -> None:
    app = shapes_app(spec="1x3x32x32: conv(4,3x5,s=2,p=1x0) maxpool(3,s=2,ceil=true)")
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, 1)
        assert text_of(app, "#detail").splitlines() == [
            "layer 1 · conv 3x5 s2 p1x0 · [1, 3, 32, 32] → [1, 4, 16, 14]",
            "Conv2d(3, 4, kernel_size=(3, 5), stride=(2, 2), padding=(1, 0))",
            "H: (32 - 3 + 2×1) / 2 + 1 = 31 / 2 + 1 = 16.5",
            "   16.5 is not whole: floor it → 16",
            "W: (32 - 5 + 2×0) / 2 + 1 = 27 / 2 + 1 = 14.5",
            "   14.5 is not whole: floor it → 14",
            "params 184 · MACs 40,320 · receptive field 3x5 · jump 2",
        ]
        await pilot.press("down")  # the pool, rounding up
        detail = text_of(app, "#detail")
        assert "MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=True)" \
            in detail
        assert "H: (16 - 3 + 2×0) / 2 + 1 = 13 / 2 + 1 = 7.5" in detail
        assert column(app, "output")[-1] == "1x4x8x7"


async def test_residual_blocks_show_their_paths_and_can_be_edited_inside() -> None:
    app = shapes_app(preset="resnet18-cifar")
    async with app.run_test(size=SIZE) as pilot:
        rows = table(app)
        block = row_of(app, "residual")
        assert [r[1] for r in rows[block:block + 8]] == [
            "residual", "│ main conv 3x3 s1 p1", "│      batchnorm", "│      relu",
            "│      conv 3x3 s1 p1", "│      batchnorm", "│ skip identity", "└ add"]
        assert rows[block][4] == "73,984"  # the block's parameters together
        assert rows[block + 7][2:] == ["1x64x32x32", "1x64x32x32", "0", "0", "7", "1"]
        projection = column(app, "layer").index("│ skip conv 1x1 s2 p0")
        assert rows[projection][2:5] == ["1x64x32x32", "1x128x16x16", "8,192"]
        await select_row(pilot, block + 7)
        assert "main path gives [1, 64, 32, 32], the identity shortcut gives [1, 64, 32, 32]" \
            in text_of(app, "#detail")
        # delete the relu inside the first block's main path
        await select_row(pilot, block + 3)
        await pilot.press("d")
        assert "deleted layer 4, main path layer 3 (relu)" in text_of(app, "#shapes-status")
        assert "res(conv(64,3,p=1,bias=false) bn conv(64,3,p=1,bias=false) bn) relu" in \
            app.screen.query_one("#spec", Input).value
        # give the identity shortcut a layer: it becomes a projection
        skip = column(app, "layer").index("│ skip identity")
        await select_row(pilot, skip)
        await pilot.press("a")
        await answer_dialog(pilot, "conv(64,1,bias=false) bn")
        assert column(app, "layer")[skip:skip + 2] == ["│ skip conv 1x1 s1 p0",
                                                        "│      batchnorm"]
        assert rows[block][4] != table(app)[block][4]
        assert table(app)[block][4] == f"{73_984 - 0 + 64 * 64 + 128:,}"


async def test_a_residual_block_whose_paths_do_not_match_says_how_to_fix_it() -> None:
    app = shapes_app(spec="1x16x8x8: res(conv(32,3,s=2,p=1) bn) relu")
    async with app.run_test(size=SIZE):
        assert table(app)[1][:4] == ["1", "✗ residual", "1x16x8x8", "✗"]
        detail = text_of(app, "#detail")
        assert ("residual: the main path gives [1, 32, 4, 4] but the shortcut gives "
                "[1, 16, 8, 8]; they must match to be added") in detail
        fix = "fix: give the shortcut a 1x1 conv with out_channels=32 and stride 2, then " \
              "batchnorm2d"
        assert fix in detail
        assert fix in text_of(app, "#totals")


async def test_an_error_inside_a_residual_block_is_shown_on_its_path() -> None:
    app = shapes_app(spec="1x3x32x32: conv(8,3) res(conv(8,3,p=1) bn linear(5) relu) relu")
    async with app.run_test(size=SIZE) as pilot:
        rows = table(app)
        assert [r[:4] for r in rows[2:]] == [
            ["2", "residual", "1x8x30x30", ""],
            ["", "│ main ✗ linear →5", "1x8x30x30", "✗"],
            ["3", "relu", "·", "·"],
        ]
        assert text_of(app, "#detail").startswith(
            "✗ layer 2, main path layer 3 · linear →5 · input [1, 8, 30, 30]")
        assert "fix: add flatten before linear, then use Linear(7200, 5)" in text_of(
            app, "#detail")
        await pilot.press("d")  # delete the failing layer: the block traces again
        assert [r[1] for r in table(app)[2:]] == [
            "residual", "│ main conv 3x3 s1 p1", "│      batchnorm", "│      relu",
            "│ skip identity", "└ add", "relu"]
        assert text_of(app, "#totals").startswith("total 824 params")


async def test_export_shows_and_saves_pytorch_code_and_a_quiz_chain(user_dirs) -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        spec = parse_spec("1x1x28x28: conv(5,5) maxpool(2)")
        code = to_pytorch(spec.input_shape, spec.layers)
        await pilot.press("x")
        assert "nn.Conv2d(1, 5, kernel_size=5)," in text_of(app, "#torch-code")
        assert '{ type = "conv2d", kernel = 5, out_channels = 5 },' in text_of(app, "#toml-code")
        await pilot.press("w")
        folder: Path = user_dirs["data"] / "exports"
        (py,) = folder.glob("*.py")
        (toml,) = folder.glob("*.toml")
        assert py.read_text() == code
        assert toml.read_text() == to_puzzle_pack(
            spec.input_shape, spec.layers, toml.stem,
            "Lecture: Conv2d + MaxPool2d (from the Shapes panel)")
        packs, problems = check_files([toml])  # what `convtui quiz --pack FILE` loads
        assert problems == [] and [p.id for p in packs[0].puzzles] == [toml.stem]
        note = text_of(app, "#export-note")
        assert f"saved the PyTorch code to {py}" in note
        assert f"convtui quiz --pack {toml}" in note.replace("\n", "")


@pytest.mark.parametrize("preset", ["lab", "resnet18"])
async def test_w_saves_both_files_for_a_network_with_flatten(user_dirs, preset: str) -> None:
    app = shapes_app(preset=preset)
    async with app.run_test(size=SIZE) as pilot:
        assert "w saves both" in text_of(app, "#export-note")
        await pilot.press("w")
        folder: Path = user_dirs["data"] / "exports"
        assert sorted(p.suffix for p in folder.iterdir()) == [".py", ".toml"]
        (toml,) = folder.glob("*.toml")
        packs, problems = check_files([toml])
        assert problems == [] and packs[0].puzzles


async def test_the_note_says_when_only_the_code_can_be_saved(user_dirs) -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "ctrl+u", *"1x1x28x28: flatten linear(784,10)", "enter")
        await pilot.pause()
        note = text_of(app, "#export-note").replace("\n", " ")
        assert "w saves the PyTorch code to" in note and "there is no quiz chain" in note
        await pilot.press("w")
        assert [p.suffix for p in (user_dirs["data"] / "exports").iterdir()] == [".py"]


async def test_no_valid_network_is_said_instead_of_zero_totals() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "ctrl+u")
        await pilot.pause()
        assert "no valid network yet: it has no layers" in text_of(app, "#totals")
        await pilot.press(*"1x1x28x28: conv(5")
        await pilot.pause()
        totals = text_of(app, "#totals")
        assert "no valid network: the spec line does not parse" in totals
        assert "total 0 params" not in totals


async def test_check_with_pytorch_agrees() -> None:
    app = shapes_app(preset="resnet18")
    async with app.run_test(size=SIZE) as pilot:
        await check_with_pytorch(pilot)
        assert text_of(app, "#check-result") == (
            "✓ PyTorch: every shape and parameter count agrees (69 layers, module reprs too)")


async def test_check_with_pytorch_lists_the_differences_it_finds(monkeypatch) -> None:
    from convtui.pytorch import network

    report = network.VerifyReport(2, (network.Difference("layer 2", "shape", "[1, 5, 12, 12]",
                                                         "[1, 5, 11, 11]"),))
    monkeypatch.setattr(network, "verify", lambda shape, layers: report)
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await check_with_pytorch(pilot)
        assert text_of(app, "#check-result").splitlines() == [
            "✗ PyTorch disagrees:",
            "layer 2: shape is [1, 5, 12, 12] in convtui but [1, 5, 11, 11] in PyTorch",
        ]


async def test_check_refuses_a_network_that_does_not_trace() -> None:
    app = shapes_app(spec=LAB_ERROR_SPEC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert "fix the red ✗ row first: layer 5 does not trace" in text_of(
            app, "#shapes-status")


async def test_a_bad_spec_from_the_command_line_is_shown_not_raised() -> None:
    app = shapes_app(spec="1x1x28x28: conv(5,5) maxpool(2")
    async with app.run_test(size=SIZE):
        assert "✗ column 31: missing ')' to close maxpool(" in text_of(app, "#spec-error")
        assert column(app, "layer") == ["input", "conv 5x5 s1 p0", "maxpool 2x2 s2"]


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_explains_the_panel(key: str) -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen)
        assert "Shapes: how a tensor's shape changes" in app.screen.panel_help()

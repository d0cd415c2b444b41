"""The Flip panel driven as a student would: the examples, lockstep stepping, the weights'
destinations, settings, editing a weight, and PyTorch's verdict on both outputs."""

from __future__ import annotations

from textual.widgets import Input, Select

from convtui.cli import build_parser
from convtui.ui.app import ConvtuiApp
from convtui.ui.flip.screen import FlipScreen
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.pool.screen import PoolScreen
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import (
    LECTURE_OUT,
    SIZE,
    check_with_pytorch,
    choose,
    click_cell,
    grid_rows,
    open_settings,
    set_field,
    text_of,
    to_the_grids,
)
from tests.ui.lesson_scripts import code_tab_prints_the_grids

OUTPUTS = ("#corr-grid", "#conv-grid", "#diff-grid")


def marks(app, selector: str) -> frozenset[tuple[int, int]]:
    return app.screen.query_one(selector, HeatGrid).view.marks


def negated(rows: list[list[str]]) -> list[list[str]]:
    return [[v if v == "0" else (v[1:] if v.startswith("-") else f"-{v}") for v in row]
            for row in rows]


async def choose_example(pilot, name: str) -> None:
    """Pick an example in the settings (opened if needed), then leave them for the grids."""
    await choose(pilot, "example", name)
    pilot.app.screen.set_focus(None)


async def test_symmetric_lecture_kernel_gives_identical_outputs_and_says_why() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        kernel = [["1", "0", "1"], ["0", "1", "0"], ["1", "0", "1"]]
        assert grid_rows(app, "#kernel-grid") == kernel
        assert grid_rows(app, "#rotated-grid") == kernel
        assert "rot180(W)" in text_of(app, "#rotated-grid")
        assert grid_rows(app, "#corr-grid") == [["8", "·", "·"], ["·", "·", "·"],
                                                 ["·", "·", "·"]]
        await pilot.press("end")
        assert grid_rows(app, "#corr-grid") == LECTURE_OUT
        assert grid_rows(app, "#conv-grid") == LECTURE_OUT
        assert grid_rows(app, "#diff-grid") == [["0"] * 3] * 3
        assert all(marks(app, g) == frozenset() for g in OUTPUTS)
        verdict = text_of(app, "#flip-verdict")
        assert "Identical outputs: W equals its own 180° rotation" in verdict
        assert "corr = cross-correlation (nn.Conv2d) · conv = convolution" in verdict


async def test_box_blur_is_symmetric_too() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "box_blur")
        await pilot.press("end")
        assert grid_rows(app, "#kernel-grid")[0] == ["0.11"] * 3
        assert grid_rows(app, "#corr-grid") == grid_rows(app, "#conv-grid")
        assert "Identical outputs" in text_of(app, "#flip-verdict")


async def test_sobel_flips_every_sign_so_the_convolution_is_the_negative() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "sobel")
        assert grid_rows(app, "#kernel-grid")[0] == ["-1", "0", "1"]
        assert grid_rows(app, "#rotated-grid")[0] == ["1", "0", "-1"]
        await pilot.press("end")
        corr, conv = grid_rows(app, "#corr-grid"), grid_rows(app, "#conv-grid")
        assert corr == [["13", "0", "-13"], ["8", "3", "-9"], ["3", "1", "-5"]]  # = torch
        assert conv == negated(corr)
        differing = {(r, c) for r in range(3) for c in range(3) if corr[r][c] != "0"}
        assert all(marks(app, g) == differing for g in OUTPUTS)
        assert grid_rows(app, "#diff-grid")[0] == ["26", "0", "-26"]
        assert "conv = −corr in every cell" in text_of(app, "#flip-verdict")


async def test_a_random_kernel_gives_two_outputs_with_the_differences_marked() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "random")
        kernel = grid_rows(app, "#kernel-grid")
        assert grid_rows(app, "#rotated-grid") == [row[::-1] for row in kernel[::-1]]
        await pilot.press("end")
        corr, conv = grid_rows(app, "#corr-grid"), grid_rows(app, "#conv-grid")
        differing = {(r, c) for r in range(3) for c in range(3) if corr[r][c] != conv[r][c]}
        assert differing
        assert all(marks(app, g) == differing for g in OUTPUTS)
        assert f"The outputs differ in {len(differing)} of 9 cells (marked)" in text_of(
            app, "#flip-verdict")
        await pilot.press("home")  # marks follow the cells filled so far
        assert marks(app, "#diff-grid") == differing & {(0, 0)}
        await pilot.press("r")
        assert grid_rows(app, "#kernel-grid") != kernel
        assert "differ in" in text_of(app, "#flip-verdict")


async def test_an_impulse_shows_the_rotated_kernel_in_corr_and_the_kernel_in_conv() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "impulse")
        assert app.screen.query_one("#padding", Input).value == "1"
        assert "pad 1" in text_of(app, "#input-grid")
        await pilot.press("end")
        corr, conv = grid_rows(app, "#corr-grid"), grid_rows(app, "#conv-grid")
        assert [row[1:4] for row in corr[1:4]] == [["9", "8", "7"], ["6", "5", "4"],
                                                   ["3", "2", "1"]]
        assert [row[1:4] for row in conv[1:4]] == [["1", "2", "3"], ["4", "5", "6"],
                                                   ["7", "8", "9"]]
        assert corr[0] == conv[0] == ["0"] * 5
        assert "corr stamps rot180(W), conv stamps W itself" in text_of(app, "#flip-verdict")


async def test_stepping_moves_both_in_lockstep_with_each_arithmetic_written_out() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "sobel")
        corr = text_of(app, "#corr-arithmetic").splitlines()
        conv = text_of(app, "#conv-arithmetic").splitlines()
        assert corr[0] == "corr[0,0] =   (1×-1) + (2×0) + (3×1)"
        assert conv[0] == "conv[0,0] =   (1×1) + (2×0) + (3×-1)"
        assert corr[-1].endswith("bias 0 = 13") and conv[-1].endswith("bias 0 = -13")
        await pilot.press("right")
        assert text_of(app, "#corr-arithmetic").startswith("corr[0,1] =")
        assert text_of(app, "#conv-arithmetic").startswith("conv[0,1] =")
        window = app.screen.query_one("#input-grid", HeatGrid).view.window
        assert window == {(r, c) for r in range(3) for c in range(1, 4)}
        for grid_id in OUTPUTS:
            assert app.screen.query_one(grid_id, HeatGrid).view.window == {(0, 1)}
        assert "step 2/9 · corr[0,1] = 0 · conv = 0" in text_of(app, "#status")


async def test_clicking_a_weight_marks_where_the_rotation_puts_it() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "impulse")  # weights 1..9, all different
        await click_cell(pilot, "#kernel-grid", 0, 1)
        assert marks(app, "#kernel-grid") == {(0, 1)}
        assert marks(app, "#rotated-grid") == {(2, 1)}
        assert "weight b = 2: W[0,1] → rotated[2,1]" in text_of(app, "#status")
        assert grid_rows(app, "#rotated-grid")[2][1] == "2"
        await click_cell(pilot, "#rotated-grid", 0, 0)
        assert marks(app, "#rotated-grid") == {(0, 0)}
        assert marks(app, "#kernel-grid") == {(2, 2)}
        assert "weight i = 9: W[2,2] → rotated[0,0]" in text_of(app, "#status")


async def test_the_weights_tab_names_each_weight_and_follows_it_into_both_sums() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "random")
        await pilot.press("w")
        text = text_of(app, "#weights-view")
        lines = text.splitlines()
        assert lines[0].startswith("W: a b c    rotated: i h g")
        assert lines[2].startswith("   g h i             c b a")
        assert "a↔i, b↔h, c↔g, d↔f; e stays" in text
        corr_line = next(line for line in lines if line.startswith("corr[0,0]"))
        assert corr_line.split("    conv")[0].rstrip() == "corr[0,0] = 1a + 2b + 3c"
        assert "conv[0,0] = 1i + 2h + 3g" in corr_line


async def test_stride_and_padding_settings_apply_to_both_outputs() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "stride", "2")
        app.screen.set_focus(None)
        await pilot.press("end")
        assert grid_rows(app, "#corr-grid") == [["8", "8"], ["6", "5"]]
        assert grid_rows(app, "#conv-grid") == [["8", "8"], ["6", "5"]]
        await set_field(pilot, "padding", "1")
        assert app.screen.lesson.correlation.trace.output.shape == (3, 3)
        assert "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1, bias=False)" in \
            text_of(app, "#code-view")
        app.screen.set_focus(None)
        await pilot.press("end")  # every output cell filled in
        assert code_tab_prints_the_grids(app, "#corr-grid", "#conv-grid", "#diff-grid")


async def test_invalid_settings_show_the_message_and_keep_the_last_good_state() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        for field, value, message in (
            ("stride", "0", "stride: must be at least 1, got 0"),
            ("stride", "two", "stride: expected a number like 2 or a pair like 1,2, got 'two'"),
            ("padding", "9", "padding: the Flip panel shows padding up to 4"),
            ("padding", "-1", "padding: must not be negative, got -1"),
        ):
            await set_field(pilot, field, value)
            assert message in text_of(app, "#settings-error")
            assert message in text_of(app, "#status")
            await set_field(pilot, field, "1" if field == "stride" else "0")
        app.screen.set_focus(None)
        await pilot.press("end")
        assert grid_rows(app, "#corr-grid") == LECTURE_OUT


async def test_editing_a_weight_breaks_the_symmetry() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#kernel-grid", HeatGrid).focus()
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, EditCellScreen)
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press("5", "enter")
        await pilot.pause()
        await to_the_grids(pilot)
        assert grid_rows(app, "#kernel-grid")[0] == ["5", "0", "1"]
        assert grid_rows(app, "#rotated-grid")[2] == ["1", "0", "5"]
        assert "edited" in text_of(app, "#status")
        await open_settings(pilot)
        assert app.screen.query_one("#example", Select).value == "edited"
        assert "differ in" in text_of(app, "#flip-verdict")


async def test_check_with_pytorch_agrees_on_both_outputs() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose_example(pilot, "random")
        await set_field(pilot, "stride", "2")
        await set_field(pilot, "padding", "1")
        app.screen.set_focus(None)
        lines = (await check_with_pytorch(pilot)).splitlines()
        assert lines[0].startswith("✓ cross-correlation: PyTorch")
        assert lines[1].startswith("✓ convolution (W rotated): PyTorch")
        assert all("agrees on all 9 output cells" in line for line in lines)
        assert "✓ PyTorch agrees on both outputs" in text_of(app, "#status")


async def test_why_tab_and_code_name_which_library_computes_which() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        why = text_of(app, "#why-view")
        assert "training would simply have found the rotated version" in why
        for line in ("numpy.convolve (1-D)            convolution: flips the kernel",
                     "scipy.signal.convolve2d         convolution: flips the kernel",
                     "scipy.signal.correlate2d        cross-correlation: no flip",
                     "PyTorch nn.Conv2d / F.conv2d    cross-correlation, called convolution",
                     "TensorFlow / Keras Conv2D       cross-correlation, called convolution"):
            assert line in why
        await pilot.press("p")
        code = text_of(app, "#code-view")
        assert "    corr = layer(x)  # cross-correlation, what nn.Conv2d computes" in code
        assert "    layer.weight.copy_(w.flip(-2, -1))" in code
        assert "scipy.signal.correlate2d(x, w, mode='valid')  == corr" in code


async def test_e_cycles_through_the_examples() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for _ in range(6):
            await pilot.press("e")
            seen.append(text_of(app, "#status").split(" · ")[-1])
        assert seen == ["box blur (symmetric)", "sobel x (signs flip)",
                        "random kernel (asymmetric)", "impulse input",
                        "numbered kernel 1…9 (asymmetric)", "lecture kernel (symmetric)"]
        await open_settings(pilot)  # the settings open on the example shown
        example = app.screen.query_one("#example", Select)
        assert example.value == "lecture"
        assert example.query_one("SelectCurrent").label == "lecture kernel (symmetric)"
        await pilot.press("e")
        assert example.value == "box_blur"


async def test_flip_and_pooling_are_panels_two_and_three() -> None:
    commands = build_parser().parse_args(["flip"]).command, build_parser().parse_args(
        ["pool"]).command
    assert commands == ("flip", "pool")
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, FlipScreen)
        await pilot.press("3")
        assert isinstance(app.screen, PoolScreen)
        await pilot.press("2")
        assert isinstance(app.screen, FlipScreen)
        await pilot.press("question_mark")
        assert "cross-correlation" in app.screen.panel_help()

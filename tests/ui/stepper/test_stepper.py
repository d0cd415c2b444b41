"""The Stepper driven as a student would: keys, clicks, settings, and what ends up on screen."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input

from convtui.core import conv2d
from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import (
    LECTURE_OUT,
    SIZE,
    check_with_pytorch,
    click_cell,
    grid_rows,
    set_field,
    text_of,
)
from tests.ui.lesson_scripts import code_tab_prints_the_grids


async def test_opens_on_the_lecture_example_and_fills_the_output_step_by_step() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        assert grid_rows(app, "#input-grid")[0] == ["1", "2", "3", "0", "1"]
        assert grid_rows(app, "#kernel-grid") == [["1", "0", "1"], ["0", "1", "0"],
                                                   ["1", "0", "1"]]
        assert grid_rows(app, "#output-grid") == [["8", "·", "·"], ["·", "·", "·"],
                                                   ["·", "·", "·"]]
        await pilot.press("right", "right", "right")
        assert grid_rows(app, "#output-grid") == [["8", "9", "8"], ["8", "·", "·"],
                                                   ["·", "·", "·"]]
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == LECTURE_OUT
        assert "step 9/9" in text_of(app, "#status")
        await pilot.press("home")
        assert "step 1/9" in text_of(app, "#status")


async def test_arithmetic_writes_out_each_product_as_the_lecture_does() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        text = text_of(app, "#arithmetic")
        assert text.splitlines() == [
            "out[0,0] =   (1×1) + (2×0) + (3×1)",
            "           + (0×0) + (1×1) + (5×0)",
            "           + (1×1) + (0×0) + (2×1)",
            "           + bias 0 = 8",
        ]
        await pilot.press("right")
        assert text_of(app, "#arithmetic").splitlines()[0] == "out[0,1] =   (2×1) + (3×0) + (0×1)"
        window = app.screen.query_one("#input-grid", HeatGrid).view.window
        assert window == {(r, c) for r in range(3) for c in range(1, 4)}


async def test_clicking_an_output_cell_jumps_to_its_step() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await click_cell(pilot, "#output-grid", 2, 1)
        assert "step 8/9" in text_of(app, "#status")
        assert text_of(app, "#arithmetic").startswith("out[2,1] =")
        assert text_of(app, "#arithmetic").endswith("bias 0 = 5")


async def test_clicking_an_input_cell_marks_every_output_it_feeds() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await click_cell(pilot, "#input-grid", 0, 0)
        assert app.screen.query_one("#output-grid", HeatGrid).view.marks == {(0, 0)}
        await click_cell(pilot, "#input-grid", 2, 2)  # the centre feeds all nine outputs
        marks = app.screen.query_one("#output-grid", HeatGrid).view.marks
        assert marks == {(r, c) for r in range(3) for c in range(3)}
        assert "input[2,2] feeds 9 output cells, marked" in text_of(app, "#status")


async def test_keyboard_cursor_on_the_input_grid_marks_outputs_too() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#input-grid", HeatGrid).focus()
        await pilot.pause()
        await pilot.press("right", "right", "right", "right")  # to input[0,4]
        marks = app.screen.query_one("#output-grid", HeatGrid).view.marks
        assert marks == {(0, 2)}


async def test_stride_and_padding_settings_change_the_output() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "stride", "2")
        assert grid_rows(app, "#output-grid")[0][0] == "8"
        await pilot.press("escape")
        app.screen.set_focus(None)
        await pilot.press("end")
        expected = conv2d(app.screen.lesson.x[0], app.screen.lesson.kernel[0], stride=2)
        assert expected.tolist() == [[8, 8], [6, 5]]
        assert grid_rows(app, "#output-grid") == [["8", "8"], ["6", "5"]]
        await set_field(pilot, "padding", "1")
        out = app.screen.lesson.trace.output
        assert out.shape == (3, 3)
        # the padding ring is drawn: the input grid grows by one cell on every side
        assert len(grid_rows(app, "#input-grid")) == 7
        assert "pad 1" in text_of(app, "#input-grid")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kernel-size", "7x7", "kernel: the kernel (7 cells) is larger than the padded input "
                               "(5 cells) in height"),
        ("stride", "two", "stride: expected a number like 2 or a pair like 1,2, got 'two'"),
        ("stride", "0", "stride: must be at least 1, got 0"),
        ("padding", "-1", "padding: must not be negative, got -1"),
        ("bias", "x", "bias: expected a number like 3 or -1.5, got 'x'"),
    ],
)
async def test_invalid_settings_show_the_engine_message_and_keep_the_last_good_state(
    field: str, value: str, message: str
) -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, field, value)
        assert message in text_of(app, "#settings-error")
        assert message in text_of(app, "#status")
        app.screen.set_focus(None)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == LECTURE_OUT


async def test_same_padding_keeps_the_size_and_stride_two_same_is_refused() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "padding", "same")
        assert app.screen.lesson.trace.output.shape == (5, 5)
        await set_field(pilot, "stride", "2")
        assert "'same' is not supported for strided convolutions" in text_of(
            app, "#settings-error")


async def test_non_square_kernel_and_padding_modes() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "kernel-size", "1x3")
        lesson = app.screen.lesson
        assert lesson.kernel.shape == (1, 1, 3)
        assert lesson.trace.output.shape == (5, 3)
        await set_field(pilot, "padding", "1")
        app.screen.query_one("#padding-mode").value = "reflect"
        await pilot.pause()
        lesson = app.screen.lesson
        assert lesson.padding_mode == "reflect"
        np.testing.assert_array_equal(
            lesson.trace.output,
            conv2d(lesson.x, lesson.kernel[None], padding=1, padding_mode="reflect")[0])
        # reflect padding shows the reflected values in the ring, not zeros
        assert grid_rows(app, "#input-grid")[0][:3] == ["1", "0", "1"]


async def test_multichannel_sums_every_channel_and_the_bias() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "channels", "3")
        await set_field(pilot, "bias", "0.5")
        lesson = app.screen.lesson
        assert lesson.x.shape[0] == 3
        expected = conv2d(lesson.x, lesson.kernel[None], np.array([0.5]))[0]
        np.testing.assert_array_equal(lesson.trace.output, expected)
        text = text_of(app, "#arithmetic")
        assert "channel 0:" in text and "channel 2:" in text
        step = lesson.current
        sums = " + ".join(f"{int(s)}" for s in step.channel_sums)
        assert f"[{sums}] + bias 0.5 = " in text
        app.screen.set_focus(None)
        await pilot.press("right_square_bracket")
        assert "channel 1/3" in text_of(app, "#input-grid")


async def test_editing_a_cell_by_hand_recomputes_the_output() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        grid = app.screen.query_one("#input-grid", HeatGrid)
        grid.focus()
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, EditCellScreen)
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press("a", "b", "enter")
        assert "expected a number" in text_of(app, "#edit-error")
        field.value = ""
        await pilot.press("1", "0", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, EditCellScreen)
        assert app.screen.lesson.x[0, 0, 0] == 10
        assert grid_rows(app, "#output-grid")[0][0] == "17"


async def test_neuron_view_and_pytorch_code() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        neuron = text_of(app, "#neuron-view")
        assert "Σ = 8 + bias 0 → 8" in neuron
        assert neuron.count("─×") == 9
        await pilot.press("p")
        code = text_of(app, "#code-view")
        assert "conv = nn.Conv2d(1, 1, kernel_size=3)" in code
        assert "out = conv(x)  # shape (1, 1, 3, 3)" in code
        await pilot.press("end")  # every output cell filled in
        assert code_tab_prints_the_grids(app, "#output-grid")


async def test_check_with_pytorch_agrees_on_every_cell() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "padding", "1")
        app.screen.query_one("#padding-mode").value = "circular"
        await pilot.pause()
        app.screen.set_focus(None)
        await check_with_pytorch(pilot)
        assert "✓ PyTorch" in text_of(app, "#check-result")
        assert "agrees on all 25 output cells" in text_of(app, "#check-result")


async def test_play_steps_on_its_own_and_stops_at_the_end() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus")  # fastest speed
        await pilot.press("space")
        assert "playing" in text_of(app, "#status")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.player is None:
                break
        assert app.screen.player is None
        assert grid_rows(app, "#output-grid") == LECTURE_OUT


async def test_help_explains_the_stepper() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Stepper" in app.screen.panel_help()
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

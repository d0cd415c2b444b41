"""The Transposed panel driven as a student would: both readings stepped to the end and read off
the grids (against the engine's conv_transpose2d, itself tested against torch), each preset's
output size against the formula, settings and their messages, the PyTorch check and the code
tab's script run with torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from textual.widgets import Select

from convtui.cli import build_parser
from convtui.core import conv_transpose2d
from convtui.lessons.transposed import PRESETS, preset
from convtui.ui.app import ConvtuiApp
from convtui.ui.numbers import fmt
from convtui.ui.transposed.screen import TransposedScreen
from tests.ui.conftest import (
    SIZE,
    check_with_pytorch,
    grid_rows,
    open_preset,
    set_field,
    text_of,
    to_the_grids,
)


def expected_rows(name: str, **changes: object) -> list[list[str]]:
    """The preset's output as the panel writes it, from the engine's conv_transpose2d."""
    lesson = preset(name).with_(**changes)
    out = conv_transpose2d(lesson.x[None, None], lesson.kernel[None, None], None,
                           lesson.stride, lesson.padding, lesson.output_padding, 1,
                           lesson.dilation)[0, 0]
    return [[fmt(v) for v in row] for row in out]


def formula(size: int, k: int, s: int, p: int, op: int, d: int) -> int:
    return (size - 1) * s - 2 * p + d * (k - 1) + op + 1


@pytest.mark.parametrize("name", PRESETS)
async def test_both_readings_end_on_the_engines_output(name: str) -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, name)
        screen = app.screen
        assert screen.lesson.reading == "scatter"
        await pilot.press("end")
        scatter = grid_rows(app, "#output-grid")
        assert scatter == expected_rows(name)
        await pilot.press("v")
        assert screen.lesson.reading == "gather"
        assert screen.query_one("#gathered-grid-box").display
        assert "· gather ·" in text_of(app, "#status")
        for step in range(screen.lesson.step_count):  # every output cell, one by one
            assert screen.lesson.step == step
            r, c = divmod(step, len(scatter[0]))
            assert f"out[{r},{c}] = {scatter[r][c]}" in text_of(app, "#status")
            assert text_of(app, "#arithmetic").split("\n")[kernel_rows(screen)].strip(
            ).endswith(f"= {scatter[r][c]}")
            await pilot.press("right")
        assert grid_rows(app, "#output-grid") == scatter


def kernel_rows(screen: TransposedScreen) -> int:
    """The gather arithmetic's line holding the total: one line per kernel row before it."""
    return screen.lesson.kernel.shape[0]


async def test_scatter_steps_add_each_stamp_to_the_running_output() -> None:
    app = ConvtuiApp("transposed")  # U-Net: 3x3 input of 1..9, kernel of ones, k2 s2
    async with app.run_test(size=SIZE) as pilot:
        assert grid_rows(app, "#output-grid")[0] == ["1", "1", "0", "0", "0", "0"]
        await pilot.press("right")
        assert grid_rows(app, "#output-grid")[0] == ["1", "1", "2", "2", "0", "0"]
        assert "x[0,1] = 2" in text_of(app, "#status")
        arith = text_of(app, "#arithmetic")
        assert "x[0,1] = 2 stamps 2 × W:" in arith
        assert "out[0,2] += 2×1 = 2" in arith and "out[1,3] += 2×1 = 2" in arith
        stamped = app.screen.query_one("#output-grid").view.window
        assert stamped == {(0, 2), (0, 3), (1, 2), (1, 3)}


async def test_padding_crops_the_stamps_that_fall_outside() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, "odd_size")  # k3 s2 p1: x[0,0]'s stamp loses its top row
        arith = text_of(app, "#arithmetic")
        assert "[-1,-1] 1×1 = 1 ✂" in arith and "out[0,0] += 1×1 = 1" in arith
        assert "✂ 5 products land outside the output: padding crops them" in arith


@pytest.mark.parametrize("name", PRESETS)
async def test_each_presets_output_shape_follows_the_formula(name: str) -> None:
    lesson = preset(name)
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, name)
        await pilot.press("o")
        (h, w), (k, _) = lesson.x.shape, lesson.kernel.shape
        s, p, op, d = lesson.stride, lesson.padding, lesson.output_padding, lesson.dilation
        size = formula(h, k, s, p, op, d)
        assert len(grid_rows(app, "#output-grid")) == size
        assert all(len(row) == formula(w, k, s, p, op, d) for row in grid_rows(
            app, "#output-grid"))
        text = text_of(app, "#size-view")
        assert (f"height and width: ({h} - 1)×{s} - 2×{p} + {d}×({k} - 1) + {op} + 1 = {size}"
                in text)
        assert f"takes a {size}x{size} input to {h}x{w}" in text
        assert "same computation as grad_input of nn.Conv2d(1, 1, " in text
        assert "Press 7 for the Backward panel" in text
    assert {"unet": (6, 6), "odd_size": (5, 5), "lecture_backwards": (5, 5)}[name] == (
        size, size)


async def test_output_padding_picks_the_size_and_bad_values_say_what_torch_says() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, "odd_size")
        await pilot.press("o")
        assert "other output_padding values (below stride or dilation): 1 → 6" in text_of(
            app, "#size-view")
        await set_field(pilot, "output-padding", "1")
        app.screen.set_focus(None)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == expected_rows("odd_size", output_padding=1)
        assert app.screen.query_one("#preset", Select).value == "custom"
        await set_field(pilot, "output-padding", "2")
        message = "output_padding: must be smaller than either stride (2) or dilation (1), got 2"
        assert message in text_of(app, "#settings-error")
        assert message in text_of(app, "#status")
        assert len(grid_rows(app, "#output-grid")) == 6  # the last good lesson stays
        await set_field(pilot, "dilation", "3")  # now 2 < dilation: allowed
        assert "✗" not in text_of(app, "#status")
        lesson = app.screen.lesson
        assert lesson.output_size[0].value == formula(3, 3, 2, 1, 2, 3) == 11
        await set_field(pilot, "stride", "x")
        assert "stride: expected a number like 2 or a pair like 1,2, got 'x'" in text_of(
            app, "#settings-error")
        await set_field(pilot, "stride", "9")
        assert "stride: the Transposed panel shows strides up to 4" in text_of(app, "#status")
        await pilot.press("escape")
        assert not app.screen.query_one("#settings").display


async def test_a_non_square_layer_explains_height_and_width_apart() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "in-size", "2x3")
        await set_field(pilot, "stride", "1,2")
        app.screen.set_focus(None)
        await pilot.press("o", "end")
        text = text_of(app, "#size-view")
        assert "height: (2 - 1)×1 - 2×0 + 1×(2 - 1) + 0 + 1 = 3" in text
        assert "width: (3 - 1)×2 - 2×0 + 1×(2 - 1) + 0 + 1 = 6" in text
        assert grid_rows(app, "#input-grid") == [["1", "2", "3"], ["4", "5", "6"]]
        lesson = app.screen.lesson
        out = conv_transpose2d(lesson.x[None, None], lesson.kernel[None, None], None, (1, 2))
        assert grid_rows(app, "#output-grid") == [[fmt(v) for v in row] for row in out[0, 0]]


async def test_check_with_pytorch_agrees_and_goes_stale_on_a_change_not_a_toggle() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, "odd_size")
        await check_with_pytorch(pilot)
        assert text_of(app, "#check-result").startswith("✓ PyTorch")
        assert "agrees on all 25 output cells" in text_of(app, "#check-result")
        assert "✓ PyTorch agrees" in text_of(app, "#status")
        await pilot.press("v", "right")  # another reading of the same numbers
        assert text_of(app, "#check-result").startswith("✓ PyTorch")
        await pilot.press("r")  # new numbers
        assert "The last PyTorch check was for other numbers" in text_of(app, "#check-result")
        await check_with_pytorch(pilot)
        assert text_of(app, "#check-result").startswith("✓ PyTorch")


@pytest.mark.parametrize("name", PRESETS)
async def test_the_code_tab_is_a_script_that_prints_what_the_panel_shows(name: str) -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, name)
        await pilot.press("end", "p")
        script = text_of(app, "#code-view")
        shown = grid_rows(app, "#output-grid")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, check=True)
    lines = run.stdout.splitlines()
    assert lines[0] == f"(1, 1, {len(shown)}, {len(shown[0])})"
    printed = [[fmt(float(v)) for v in line.split()] for line in lines[1:]]
    assert printed == shown


async def test_editing_an_input_cell_and_the_presets_cycle() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert "U-Net 2x upsampling (k2 s2)" in text_of(app, "#tr-note")
        await pilot.press("e")
        assert "undoing a stride-2 conv of 5x5" in text_of(app, "#tr-note")
        await pilot.press("e")
        assert "lecture example backwards" in text_of(app, "#tr-note")
        lecture_kernel = [["1", "0", "1"], ["0", "1", "0"], ["1", "0", "1"]]
        assert [row[:3] for row in grid_rows(app, "#output-grid")[:3]] == lecture_kernel
        grid = screen.query_one("#input-grid")
        grid.focus()
        await pilot.press("enter")
        await pilot.press("backspace", "5", "enter")
        await pilot.pause()
        await to_the_grids(pilot)
        assert grid_rows(app, "#input-grid")[0] == ["5", "1", "1"]
        assert text_of(app, "#tr-note").startswith("custom · Scatter")
        assert screen.lesson.x[0, 0] == 5.0
        await pilot.press("e")  # back to the first preset
        assert "U-Net" in text_of(app, "#tr-note")
        assert np.array_equal(screen.lesson.x, preset("unet").x)


async def test_key_8_the_cli_and_the_palette_open_the_panel() -> None:
    assert build_parser().parse_args(["transposed"]).command == "transposed"
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        assert isinstance(app.screen, TransposedScreen)
        await pilot.press("1")
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open ConvT" in commands
        await pilot.press("8", "question_mark")
        await pilot.pause()
        assert "Transposed convolution, in two readings" in app.screen.query_one(
            "Markdown").source


async def test_the_largest_layer_fits_80x24_and_follows_the_window() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=(80, 24)) as pilot:
        await set_field(pilot, "in-size", "8")
        await set_field(pilot, "kernel-size", "5")
        await set_field(pilot, "stride", "4")
        await set_field(pilot, "dilation", "3")
        app.screen.set_focus(None)
        await pilot.press("s", "v", "end")  # the settings closed, the last gather step
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert screen.lesson.trace.output.shape == (1, 41, 41)  # (8 - 1)×4 + 3×(5 - 1) + 1
        assert screen.query_one("#tr-grid-row").region.width <= 80
        for box_id, grid_id in (("#gathered-grid-box", "#gathered-grid"),
                                ("#output-grid-box", "#output-grid")):
            box, grid = screen.query_one(box_id), screen.query_one(grid_id)
            assert grid.view.compact
            x, y = grid.cell_offset(*min(grid.view.window))  # its first cell, at least
            origin = grid.virtual_region.offset
            assert box.scroll_offset.y <= origin.y + y < box.scroll_offset.y + \
                box.scrollable_content_region.height
            assert box.scroll_offset.x <= origin.x + x < box.scroll_offset.x + \
                box.scrollable_content_region.width


async def test_a_gathered_cell_is_also_read_as_the_stamps_that_reach_it() -> None:
    app = ConvtuiApp("transposed")
    async with app.run_test(size=SIZE) as pilot:
        await open_preset(pilot, "odd_size")  # k3 s2 p1 on 1..9, the lecture's kernel
        await pilot.press("v", *["right"] * 6)  # out[1,1]
        arith = text_of(app, "#arithmetic").replace("\n", " ")
        assert ("The scatter reading of this cell: x[0,0]·W[2,2] + x[0,1]·W[2,0] + "
                "x[1,0]·W[0,2] + x[1,1]·W[0,0] = 1×1 + 2×1 + 4×1 + 5×1 = 12") in arith
        await set_field(pilot, "kernel-size", "1")  # k1 s2: stamps leave gaps
        app.screen.set_focus(None)
        await pilot.press("home", "right")  # out[0,1], between the stamps of x[0,0], x[0,1]
        assert "no stamp reaches out[0,1] (a gap between stamps or an output_padding " \
            "cell), so it holds just the bias: 0" in text_of(app, "#arithmetic").replace(
                "\n", " ")

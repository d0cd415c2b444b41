"""The Backward panel driven as a student would: grad_input stepped to the end in the scatter
reading and cell by cell in the gather reading, both read off the grids and compared with the
engine's conv2d_backward (itself tested against torch autograd), grad_weight stepped, the
output-gradient choices, settings and their messages, the PyTorch autograd check and the code
tab's script run with torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from textual.widgets import Select, TabbedContent

from convtui.cli import build_parser
from convtui.core import conv2d_backward
from convtui.i18n import t
from convtui.lessons.backward import EDITED, ONE_HOT, RANDOM, SUM_OF_SQUARES, BackwardLesson
from convtui.ui.app import ConvtuiApp
from convtui.ui.backward.screen import BackwardScreen
from convtui.ui.numbers import fmt
from tests.ui.conftest import SIZE, grid_rows, set_field, set_fields, settle, text_of, to_the_grids

SETTINGS = [
    {},
    {"stride": "2", "padding": "1"},
    {"dilation": "2", "padding": "2"},
    {"stride": "1,2", "padding": "same"},
]


def engine(lesson: BackwardLesson) -> tuple[list[list[str]], list[list[str]], str]:
    """grad_input, grad_weight (as the panel writes them) and grad_bias from the engine."""
    gi, gw, gb = conv2d_backward(lesson.x, lesson.kernel, lesson.grad_output, lesson.stride,
                                 lesson.padding, lesson.dilation)
    return ([[fmt(v) for v in row] for row in gi], [[fmt(v) for v in row] for row in gw],
            fmt(float(gb[0])))


async def apply_settings(pilot, fields: dict[str, str]) -> None:
    await set_fields(pilot, fields)
    if fields:
        await pilot.press("escape")
    await pilot.pause()


@pytest.mark.parametrize("fields", SETTINGS, ids=lambda f: ",".join(f"{k}={v}"
                                                                    for k, v in f.items()))
async def test_both_readings_and_grad_weight_end_on_the_engines_numbers(fields) -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        await apply_settings(pilot, fields)
        await pilot.press("r")  # a random output gradient: every cell of g differs
        screen = app.screen
        lesson = screen.lesson
        assert lesson.gradient == RANDOM and not screen.settings_open
        grad_input, grad_weight, grad_bias = engine(lesson)
        await pilot.press("end")
        assert lesson.reading == "scatter"
        assert grid_rows(app, "#result-grid") == grad_input
        await pilot.press("v")
        assert screen.lesson.reading == "gather"
        for step in range(screen.lesson.step_count):  # every input cell, one by one
            assert screen.lesson.step == step
            r, c = divmod(step, len(grad_input[0]))
            status = text_of(app, "#status")
            assert f"grad_input[{r},{c}] = {grad_input[r][c]}" in status
            assert f"grad_bias = {grad_bias}" in status
            arith = text_of(app, "#arithmetic")
            assert f"= {grad_input[r][c]}\n" in arith  # the gather total
            assert arith.rstrip().endswith(f"= {grad_input[r][c]}")  # the scatter side
            await pilot.press("right")
        assert grid_rows(app, "#result-grid") == grad_input  # the two readings agree
        await pilot.press("w")
        assert screen.lesson.reading == "weight"
        for step in range(screen.lesson.step_count):
            r, c = divmod(step, len(grad_weight[0]))
            assert f"grad_weight[{r},{c}] = {grad_weight[r][c]}" in text_of(app, "#status")
            await pilot.press("right")
        assert grid_rows(app, "#result-grid") == grad_weight
        assert f"grad_bias = Σ g = {grad_bias}" in text_of(app, "#bw-note")


async def test_the_lecture_default_scatter_stamps_the_kernel() -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        assert grid_rows(app, "#input-grid")[0] == ["1", "2", "3", "0", "1"]
        assert grid_rows(app, "#grad-grid") == [["1"] * 3] * 3  # the gradient of out.sum()
        first = [row[:3] for row in grid_rows(app, "#result-grid")[:3]]
        assert first == grid_rows(app, "#kernel-grid")  # g[0,0] = 1 stamps W itself
        await pilot.press("right")
        assert grid_rows(app, "#result-grid")[0] == ["1", "1", "1", "1", "0"]
        assert "g[0,1] = 1 stamps 1 × W onto grad_input:" in text_of(app, "#arithmetic")
        assert "· grad_input, scatter · g[0,1] = 1 · grad_bias = 9" in text_of(app, "#status")
        assert ("grad_input[0,1] = g[0,0]·W[0,1] + g[0,1]·W[0,0] = 1·0 + 1·1 = 1"
                in text_of(app, "#bw-why"))
        await pilot.press("v")
        assert grid_rows(app, "#kernel-grid") == [["1", "0", "1"], ["0", "1", "0"],
                                                  ["1", "0", "1"]]  # symmetric: rot = W
        assert "g, pad 2 (7x7)" in text_of(app, "#grad-grid")


async def test_the_output_gradient_choices() -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        out = screen.lesson.output
        await pilot.press("d")  # one-hot at g[0,0]: grad_input is W in the corner
        assert screen.lesson.gradient == ONE_HOT
        assert "one-hot at g[0,0]" in text_of(app, "#bw-note")
        await set_field(pilot, "hot-cell", "2,1")
        await pilot.press("escape")
        assert screen.lesson.grad_output[2, 1] == 1 and screen.lesson.grad_output.sum() == 1
        assert "one-hot at g[2,1]: L = out[2,1]" in text_of(app, "#bw-note")
        await pilot.press("d", "d")
        assert screen.lesson.gradient == SUM_OF_SQUARES
        assert grid_rows(app, "#grad-grid") == [[fmt(2 * v) for v in row] for row in out]
        screen.query_one("#grad-grid").focus()
        await pilot.press("enter", "backspace", "backspace", "7", "enter")
        await pilot.pause()
        await to_the_grids(pilot)
        assert screen.lesson.gradient == EDITED
        assert grid_rows(app, "#grad-grid")[0][0] == "7"
        assert "edited by hand" in text_of(app, "#bw-note")
        await set_field(pilot, "stride", "2")  # another output size: the edit cannot stay
        assert screen.lesson.grad_output.shape == (2, 2)
        assert screen.lesson.gradient == "ones"
        assert screen.query_one("#gradient", Select).value == "ones"


async def test_settings_refuse_bad_values_with_a_message_and_escape_closes_them() -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await set_field(pilot, "stride", "9")
        assert t("backward.stride_limit", max=3) in text_of(app, "#settings-error")
        await set_field(pilot, "stride", "2")
        await set_field(pilot, "padding", "same")
        assert "padding" in text_of(app, "#settings-error")  # 'same' needs stride 1
        assert screen.lesson.stride == (2, 2) and screen.lesson.padding == 0
        await set_field(pilot, "padding", "1")
        assert text_of(app, "#settings-error") == ""
        await pilot.press("escape")
        assert not screen.settings_open
        assert len(grid_rows(app, "#grad-grid")) == 3  # (5 - 3 + 2) / 2 + 1


async def test_check_with_pytorch_agrees_and_goes_stale_on_a_change_not_a_toggle() -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "c")
        await settle(pilot)
        result = text_of(app, "#check-result")
        assert app.screen.query_one("#views", TabbedContent).active == "code"
        for name, cells in (("x.grad (grad_input)", 25), ("conv.weight.grad (grad_weight)", 9)):
            assert f"✓ {name}: PyTorch" in result and f"agrees on all {cells} cells" in result
        assert "✓ conv.bias.grad (grad_bias): PyTorch" in result
        assert "agrees on its 1 cell" in result
        assert "✓ PyTorch autograd agrees on all three gradients" in text_of(app, "#status")
        await pilot.press("v", "right", "w", "right")  # other readings of the same numbers
        assert text_of(app, "#check-result").startswith("✓ x.grad")
        await pilot.press("d")  # another output gradient: other numbers
        assert "The last PyTorch check was for other numbers" in text_of(app, "#check-result")


@pytest.mark.parametrize("gradient", ["ones", "one_hot", "random", "sum_of_squares"])
async def test_the_code_tab_is_a_script_that_prints_what_the_panel_shows(gradient) -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.apply(lambda: screen.lesson.with_(gradient=gradient, hot_cell=(1, 2)))
        await pilot.press("end", "p")
        script = text_of(app, "#code-view")
        grad_input = grid_rows(app, "#result-grid")
        await pilot.press("w", "end")
        grad_weight = grid_rows(app, "#result-grid")
        bias = fmt(screen.lesson.grad_bias)
        assert f"grad_bias = {bias}" in text_of(app, "#status")
    assert "out.backward(grad)" in script and "x.grad" in script
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, check=True)
    blocks = [block.replace("[", " ").replace("]", " ").replace(")", " ").replace(",", " ")
              for block in run.stdout.split("tensor(")[1:]]
    printed = [[[fmt(float(v)) for v in row.split()] for row in block.strip().splitlines()]
               for block in blocks]
    assert printed == [grad_input, grad_weight, [[bias]]]


async def test_key_7_the_cli_the_palette_and_the_help_open_the_panel() -> None:
    assert build_parser().parse_args(["backward"]).command == "backward"
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        assert isinstance(app.screen, BackwardScreen)
        await pilot.press("1")
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open Backprop" in commands
        await pilot.press("7", "question_mark")
        await pilot.pause()
        assert "Backprop: the gradients of a convolution" in app.screen.query_one(
            "Markdown").source


async def test_editing_x_and_w_and_the_gather_grids_are_derived() -> None:
    app = ConvtuiApp("backward")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.query_one("#kernel-grid").focus()
        await pilot.press("enter", "backspace", "3", "enter")
        await pilot.pause()
        await to_the_grids(pilot)
        assert screen.lesson.kernel[0, 0] == 3
        assert grid_rows(app, "#result-grid")[0][:3] == ["3", "0", "1"]  # g[0,0] stamps W
        screen.query_one("#input-grid").focus()
        await pilot.press("enter", "backspace", "9", "enter")
        await pilot.pause()
        await to_the_grids(pilot)
        assert screen.lesson.x[0, 0] == 9
        await pilot.press("v")
        screen.query_one("#kernel-grid").focus()
        await pilot.press("enter")
        assert t("backward.derived_in_gather") in text_of(app, "#status")
        screen.set_focus(None)
        await pilot.press("w")
        assert grid_rows(app, "#input-grid")[0][0] == "9"
        assert grid_rows(app, "#result-grid")[0][0] == fmt(
            conv2d_backward(screen.lesson.x, screen.lesson.kernel, np.ones((3, 3)))[1][0, 0])

"""The Pooling panel driven as a student would: presets, stepping, settings, the winner, the
divisor, ceil_mode's partial window, MNIST, and PyTorch's verdict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Select

from convtui.core.examples import LECTURE_MAX_POOL_INPUT
from convtui.ui.app import ConvtuiApp
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import (
    SIZE,
    check_with_pytorch,
    choose,
    click_cell,
    grid_rows,
    open_settings,
    set_field,
    set_fields,
    settle,
    text_of,
    to_the_grids,
    toggle,
)
from tests.ui.lesson_scripts import code_tab_prints_the_grids


def grid(app, selector: str) -> HeatGrid:
    return app.screen.query_one(selector, HeatGrid)


async def test_lecture_max_pooling_fills_9_8_7_9_and_marks_each_winner() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        assert grid_rows(app, "#input-grid") == [["1", "9", "3", "7"], ["4", "5", "2", "8"],
                                                  ["7", "3", "9", "0"], ["1", "2", "3", "3"]]
        assert grid_rows(app, "#output-grid") == [["9", "·"], ["·", "·"]]
        assert grid(app, "#input-grid").view.window == {(0, 0), (0, 1), (1, 0), (1, 1)}
        assert grid(app, "#input-grid").view.accents == {(0, 1)}
        lines = text_of(app, "#arithmetic").splitlines()
        assert lines[0] == "out[0,0] = max(1, 9,"
        assert lines[1].strip() == "4, 5) = 9"
        assert "winner: input[0,1] (marked), flat index 1 = 0×4 + 1" in lines[2]
        assert "return_indices=True" in lines[2]
        await pilot.press("right")
        assert grid(app, "#input-grid").view.accents == {(1, 3)}
        assert "flat index 7 = 1×4 + 3" in text_of(app, "#arithmetic")
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == [["9", "8"], ["7", "9"]]
        assert grid(app, "#input-grid").view.accents == {(2, 2)}
        assert "step 4/4" in text_of(app, "#status")
        await pilot.press("home")
        assert "step 1/4 · out[0,0] = 9" in text_of(app, "#status")


async def test_the_flat_index_shown_is_what_return_indices_gives() -> None:
    import torch

    torch.set_num_threads(1)
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await set_fields(pilot, {"kernel-size": "3", "stride": "1", "padding": "1"})
        await to_the_grids(pilot)
        _, indices = torch.nn.functional.max_pool2d(
            torch.from_numpy(LECTURE_MAX_POOL_INPUT)[None, None], 3, 1, 1, return_indices=True)
        shown = []
        for _ in range(16):
            shown.append(int(re.search(r"flat index (\d+)", text_of(app, "#arithmetic"))[1]))
            await pilot.press("right")
        assert shown == indices.flatten().tolist()


async def test_average_preset_writes_the_sum_over_the_divisor() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "lecture_avg")
        await to_the_grids(pilot)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == [["1", "2"], ["3", "2"]]
        lines = text_of(app, "#arithmetic").splitlines()
        assert lines[0] == "out[1,1] = (1 + 2"
        assert lines[1].strip() == "+ 1 + 4) / 4 = 2"
        assert lines[2] == "divisor 4: the window's 4 input cells"
        assert grid(app, "#input-grid").view.accents == frozenset()
        assert "output 2×2 · avg pool 2×2" in text_of(app, "#output-grid")


async def test_k_switches_between_max_and_average_on_the_same_input() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k", "end")
        assert grid_rows(app, "#output-grid") == [["4.75", "5"], ["3.25", "3.75"]]
        await pilot.press("k")
        assert grid_rows(app, "#output-grid") == [["9", "8"], ["7", "9"]]


async def test_clicking_an_output_cell_jumps_to_its_window() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await click_cell(pilot, "#output-grid", 1, 0)
        assert "step 3/4 · out[1,0] = 7" in text_of(app, "#status")
        assert grid(app, "#input-grid").view.window == {(2, 0), (2, 1), (3, 0), (3, 1)}
        assert grid(app, "#input-grid").view.accents == {(2, 0)}


async def test_empty_stride_means_the_kernel_size_and_stride_1_overlaps() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        assert "stride 2 = kernel size" in text_of(app, "#window-note")
        assert "nn.MaxPool2d(kernel_size=2, return_indices=True)  # stride defaults to " \
            "kernel_size" in text_of(app, "#code-view")
        await set_field(pilot, "stride", "1")
        await to_the_grids(pilot)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == [["9", "9", "8"], ["7", "9", "9"],
                                                   ["7", "9", "9"]]
        assert "stride=1" in text_of(app, "#code-view")
        assert code_tab_prints_the_grids(app, "#output-grid")


async def test_max_pooling_pads_with_minus_infinity_which_never_wins() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await set_fields(pilot, {"kernel-size": "3", "stride": "2", "padding": "1"})
        await to_the_grids(pilot)
        rows = grid_rows(app, "#input-grid")
        assert rows[0] == ["-inf"] * 6
        assert rows[1] == ["-inf", "1", "9", "3", "7", "-inf"]
        assert "pad 1 (-inf)" in text_of(app, "#input-grid")
        text = text_of(app, "#arithmetic")
        assert text.splitlines()[0] == "out[0,0] = max(-inf, -inf, -inf,"
        assert "padding is -inf, so it never wins" in text
        assert grid(app, "#input-grid").view.accents == {(1, 2)}  # the 9, in canvas cells


async def test_count_include_pad_decides_what_the_average_divides_by() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "lecture_avg")
        await set_fields(pilot, {"stride": "2", "padding": "1"})
        await to_the_grids(pilot)
        # the corner window holds one input cell (1) and three padding zeros
        assert grid_rows(app, "#input-grid")[0] == ["0"] * 6
        text = text_of(app, "#arithmetic")
        assert ") / 4 = 0.25" in text
        assert "divisor 4: 1 input cell + 3 padding zeros (count_include_pad=True" in text
        await toggle(pilot, "count-include-pad")
        text = text_of(app, "#arithmetic")
        assert ") / 1 = 1" in text
        assert "only the 1 input cell, not the 3 padding zeros" in text
        assert "count_include_pad=False" in text_of(app, "#code-view")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dilation", "2", "dilation: average pooling has no dilation in PyTorch (use 1)"),
        ("padding", "2", "padding: pooling padding must be at most half the kernel size "
                         "(kernel 2 allows at most 1), got 2"),
        ("stride", "x", "stride: expected a number like 2 or a pair like 1,2, got 'x'"),
        ("kernel-size", "0", "kernel_size: must be at least 1, got '0'"),
        ("kernel-size", "5", "kernel: the kernel (5 cells) is larger than the padded input "
                             "(4 cells)"),
    ],
)
async def test_invalid_settings_show_the_engine_message_and_keep_the_last_good_state(
    field: str, value: str, message: str
) -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        if field == "dilation":
            await choose(pilot, "kind", "avg")
        await set_field(pilot, field, value)
        assert message in text_of(app, "#settings-error")
        assert message in text_of(app, "#status")
        await to_the_grids(pilot)
        await pilot.press("end")
        assert len(grid_rows(app, "#output-grid")) == 2


async def test_dilation_spreads_a_max_window() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "dilation", "2")
        await to_the_grids(pilot)
        assert grid(app, "#input-grid").view.window == {(0, 0), (0, 2), (2, 0), (2, 2)}
        assert text_of(app, "#arithmetic").startswith("out[0,0] = max(1, 3,")
        assert "dilation=2" in text_of(app, "#code-view")


async def test_ceil_mode_adds_a_partial_window_past_the_input_and_says_why() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await set_fields(pilot, {"kernel-size": "3", "stride": "2"})
        assert len(grid_rows(app, "#output-grid")) == 1  # (4 - 3) / 2 + 1 = 1.5 -> 1
        await toggle(pilot, "ceil-mode")
        await to_the_grids(pilot)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == [["9", "9"], ["9", "9"]]
        rows = grid_rows(app, "#input-grid")
        assert len(rows) == 5 and rows[4] == ["×"] * 5
        assert [r[4] for r in rows] == ["×"] * 5
        window = grid(app, "#input-grid").view.window
        assert window == {(r, c) for r in range(2, 5) for c in range(2, 5)}
        note = text_of(app, "#window-note").replace("\n", " ")
        assert "ceil_mode rounds the output size up (height and width: " \
               "(4 - 3 + 2×0) / 2 + 1 = 1 / 2 + 1 = 1.5 → 2)" in note
        assert "starts inside the input or its left padding" in note
        assert "× cells lie past the padded input" in text_of(app, "#arithmetic")
        assert "ceil_mode=True" in text_of(app, "#code-view")


async def test_check_with_pytorch_agrees_on_every_cell() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await set_fields(pilot, {"kernel-size": "3", "stride": "2", "padding": "1"})
        await toggle(pilot, "ceil-mode")
        await to_the_grids(pilot)
        await check_with_pytorch(pilot)
        assert "✓ PyTorch" in text_of(app, "#check-result")
        assert "agrees on all 9 output cells" in text_of(app, "#check-result")


async def test_random_inputs_of_a_chosen_size() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "random")  # the size shown: 4×4
        first = grid_rows(app, "#input-grid")
        assert len(first) == 4 and first[0] != ["1", "9", "3", "7"]
        assert "random integers" in text_of(app, "#status")
        await set_field(pilot, "in-size", "8x6")
        assert len(grid_rows(app, "#input-grid")) == 8
        assert len(grid_rows(app, "#output-grid")) == 4
        await to_the_grids(pilot)
        shown = grid_rows(app, "#input-grid")
        await pilot.press("r")
        assert grid_rows(app, "#input-grid") != shown
        await set_field(pilot, "in-size", "40x40")
        assert "inputs up to 32×32" in text_of(app, "#settings-error")


async def test_play_steps_on_its_own_and_stops_at_the_end() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus", "space")
        assert "playing" in text_of(app, "#status")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.player is None:
                break
        assert app.screen.player is None
        assert grid_rows(app, "#output-grid") == [["9", "8"], ["7", "9"]]


async def test_mnist_digit_through_2x2_max_pooling(
    mnist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "mnist")
        await settle(pilot)
        assert "MNIST test #0: a 7" in text_of(app, "#status")
        inputs, outputs = grid(app, "#input-grid").view, grid(app, "#output-grid").view
        assert inputs.values.shape == (28, 28) and inputs.compact
        assert outputs.values.shape == (14, 14) and outputs.compact
        assert "output 14×14 · max pool 2×2" in text_of(app, "#output-grid")
        await to_the_grids(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "MNIST test #1: a 2" in text_of(app, "#status")


async def test_a_large_input_follows_the_window_at_80x24(
    mnist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))
    app = ConvtuiApp("pool")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "input-preset", "mnist")
        await app.workers.wait_for_complete()
        await to_the_grids(pilot)
        await pilot.press("s", "end")  # hide the settings, go to the last window
        await pilot.pause()
        await pilot.pause()
        for box_id, grid_id, cell in (("#pool-input-box", "#input-grid", (27, 27)),
                                      ("#pool-output-box", "#output-grid", (13, 13))):
            box = app.screen.query_one(box_id)
            x, y = grid(app, grid_id).cell_offset(*cell)
            origin = grid(app, grid_id).virtual_region.offset
            assert box.scroll_offset.y > 0
            assert box.scroll_offset.y <= origin.y + y < box.scroll_offset.y + \
                box.scrollable_content_region.height
            assert box.scroll_offset.x <= origin.x + x < box.scroll_offset.x + \
                box.scrollable_content_region.width


async def test_without_mnist_the_panel_says_where_it_looked_and_keeps_the_input() -> None:
    app = ConvtuiApp("pool")  # the test's cache dir is empty and CONVTUI_MNIST_DIR unset
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "mnist")
        await settle(pilot)
        note = text_of(app, "#window-note").replace("\n", " ")
        assert "MNIST is not available" in note
        assert "lacks t10k-images-idx3-ubyte" in note
        assert "CONVTUI_MNIST_DIR" in note and "convtui train" in note
        assert "MNIST is not available" in text_of(app, "#status")
        assert app.screen.query_one("#input-preset", Select).value == "lecture_max"
        assert grid_rows(app, "#input-grid")[0] == ["1", "9", "3", "7"]
        await pilot.press("f2")  # the reason is read again, in Korean this time
        await settle(pilot)
        note = text_of(app, "#window-note").replace("\n", " ")
        assert note.startswith("✗ MNIST를 쓸 수 없습니다:")
        assert "lacks" not in note and "t10k-images-idx3-ubyte" in note
        assert grid_rows(app, "#input-grid")[0] == ["1", "9", "3", "7"]
        await pilot.press("f2")
        await to_the_grids(pilot)
        await pilot.press("right")
        assert "MNIST" not in text_of(app, "#window-note")


async def test_help_explains_pooling() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert "return_indices=True" in app.screen.panel_help()
        assert "ceil_mode" in app.screen.panel_help()



async def test_a_size_typed_over_the_lecture_input_makes_a_random_input_of_that_size() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await set_field(pilot, "in-size", "4x4")  # the lecture input's own size: kept
        assert app.screen.lesson.input_name == "lecture_max"
        await set_field(pilot, "in-size", "6x5")
        assert app.screen.lesson.x.shape == (6, 5)
        assert app.screen.select_value("input-preset") == "random"
        assert "random integers" in text_of(app, "#status")
        assert len(grid_rows(app, "#input-grid")) == 6


async def test_the_output_title_names_the_output_size_and_the_kernel_apart() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "lecture_avg")
        await set_field(pilot, "stride", "1")  # kernel 2×2, output 3×3
        assert text_of(app, "#output-grid").splitlines()[0].strip() == \
            "output 3×3 · avg pool 2×2"


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_with_the_settings_open_at_80_columns_both_grids_stay_whole(
    lang: str, mnist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output's title ("output 2×2 · max pool 2×2") was cut to a fixed 40 % of the row
    though the row had room for both grids; only grids that cannot fit share the room, and
    then they fill it."""
    from convtui import i18n

    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))
    i18n.set_language(lang)
    app = ConvtuiApp("pool")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        for name in ("input", "output"):
            box = app.screen.query_one(f"#pool-{name}-box")
            assert box.max_scroll_x == 0 and box.size.width >= grid(app, f"#{name}-grid")\
                .natural_width, name
        await choose(pilot, "input-preset", "mnist")
        await settle(pilot)
        row = app.screen.query_one("#pool-grids")
        boxes = [app.screen.query_one(f"#pool-{name}-box") for name in ("input", "output")]
        arrow = app.screen.query_one("#pool-arrow").outer_size.width
        assert sum(box.outer_size.width for box in boxes) >= row.size.width - arrow - 2
        assert all(box.max_scroll_x > 0 for box in boxes)  # each scrolls what it cannot show

"""Real data in the Stepper: an MNIST test digit as the input, and a digit with a learned kernel
handed over by another panel (``load_arrays``), stepped exactly as the engine computes it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Select

from convtui.core import conv2d
from convtui.core.examples import LECTURE_INPUT
from convtui.launch import Launch
from convtui.training.idx import ALL_FILES, load_split
from convtui.ui.app import ConvtuiApp
from convtui.ui.numbers import fmt
from convtui.ui.widgets.grid import GridBox, HeatGrid
from tests.ui.conftest import (
    LECTURE_OUT,
    SIZE,
    check_with_pytorch,
    grid_rows,
    open_settings,
    press_f2,
    set_field,
    settle,
    text_of,
)


@pytest.fixture
def mnist_env(mnist_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))
    return mnist_dir


@pytest.fixture
def test_set(mnist_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """MNIST's test digits and labels, read by idx as the Stepper reads them."""
    split = load_split(mnist_dir, "test")
    return split.images, split.labels


def in_sight(app, box_id: str, first: tuple[int, int], last: tuple[int, int]) -> bool:
    """Whether grid cells first..last are inside the part of their box shown on screen."""
    box = app.screen.query_one(f"#{box_id}", GridBox)
    grid = box.query_one(HeatGrid)
    cells = grid.cells_region(first, last).translate(grid.virtual_region.offset)
    window = box.scrollable_content_region.at_offset(box.scroll_offset)
    return window.contains_region(cells)


# MNIST ------------------------------------------------------------------------------------
async def test_the_mnist_preset_shows_the_test_digit_idx_reads(
        mnist_env: Path, test_set: tuple[np.ndarray, np.ndarray]) -> None:
    images, labels = test_set
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        app.screen.query_one("#input-preset", Select).value = "mnist"
        await settle(pilot)
        lesson = app.screen.lesson
        np.testing.assert_array_equal(lesson.x[0], images[0])
        grid = app.screen.query_one("#input-grid", HeatGrid)
        np.testing.assert_array_equal(grid.view.values, images[0])
        assert text_of(app, "#input-grid").startswith("input 28×28")
        assert text_of(app, "#source").startswith(f"MNIST test #0 (of 10000): a {labels[0]}")
        assert app.screen.query_one("#in-size", Input).value == "28x28"
        # the lecture kernel, stepped across the digit, gives the engine's numbers
        np.testing.assert_array_equal(lesson.trace.output,
                                      conv2d(images[0].astype(float), lesson.kernel[0]))
        # typing a digit's number shows that digit
        field = app.screen.query_one("#digit", Input)
        field.value = "1234"
        await settle(pilot)
        np.testing.assert_array_equal(app.screen.lesson.x[0], images[1234])
        assert f"MNIST test #1234 (of 10000): a {labels[1234]}" in text_of(app, "#source")


async def test_m_steps_through_digits_and_the_arithmetic_reads_their_pixels(
        mnist_env: Path, test_set: tuple[np.ndarray, np.ndarray]) -> None:
    images, _ = test_set
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await settle(pilot)
        np.testing.assert_array_equal(app.screen.lesson.x[0], images[0])
        await pilot.press("m", "m")
        await settle(pilot)
        np.testing.assert_array_equal(app.screen.lesson.x[0], images[2])
        await pilot.press("M")
        await settle(pilot)
        np.testing.assert_array_equal(app.screen.lesson.x[0], images[1])
        # go to the step whose window starts on the brightest pixel: its row of products
        # shows that digit's own pixel values
        r, c = (int(v) for v in np.unravel_index(np.argmax(images[1][:26, :26]), (26, 26)))
        app.screen.go_to(r * 26 + c)
        await pilot.pause()
        first_line = text_of(app, "#arithmetic").splitlines()[0]
        row = " + ".join(f"({fmt(images[1][r, c + j])}×{fmt(k)})"
                         for j, k in enumerate(app.screen.lesson.kernel[0, 0]))
        assert first_line == f"out[{r},{c}] =   {row}"


async def test_a_digit_number_past_the_test_set_is_refused(
        mnist_env: Path, test_set: tuple[np.ndarray, np.ndarray]) -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        assert not app.screen.query_one("#digit-row").display  # no digit, no digit field
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.query_one("#digit-row").display
        app.screen.query_one("#digit", Input).value = "10000"  # pasted, not typed
        await settle(pilot)
        assert ("digit: MNIST's test set has 10000 digits, numbered 0 to 9999; got 10000"
                in text_of(app, "#settings-error"))
        np.testing.assert_array_equal(app.screen.lesson.x[0], test_set[0][0])
        await set_field(pilot, "digit", "-1")
        assert "digit: must be at least 0, got -1" in text_of(app, "#settings-error")


async def test_a_digit_at_80x24_keeps_the_window_and_the_output_cell_in_sight(
        mnist_env: Path) -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        for step in (0, 14 * 26 + 20, 26 * 26 - 1):  # top left, the middle, bottom right
            app.screen.go_to(step)
            await pilot.pause()
            await pilot.pause()
            r, c = divmod(step, 26)
            assert in_sight(app, "input-box", (r, c), (r + 2, c + 2)), step
            assert in_sight(app, "output-box", (r, c), (r, c)), step
        # the grid is drawn as colour: two columns a pixel, the window marked
        grid = app.screen.query_one("#input-grid", HeatGrid)
        assert grid.view.compact
        # a keyboard cursor on the input is followed instead of the window
        grid.focus()
        await pilot.pause()
        await pilot.press("home", *["down"] * 20)
        await pilot.pause()
        await pilot.pause()
        assert grid.cursor == (20, 0)
        assert in_sight(app, "input-box", (20, 0), (20, 0))


async def test_without_mnist_the_stepper_says_what_to_put_where_and_keeps_the_input() -> None:
    app = ConvtuiApp("stepper")  # the test's cache dir is empty and CONVTUI_MNIST_DIR unset
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        await open_settings(pilot)
        app.screen.query_one("#input-preset", Select).value = "mnist"
        await settle(pilot)
        source = text_of(app, "#source")
        assert source.startswith("✗ MNIST is not available:")
        for name in ALL_FILES:
            assert f"{name}.gz" in source
        assert "the download cache" in source
        assert "convtui train" in source and "CONVTUI_MNIST_DIR" in source
        assert "MNIST is not available" in text_of(app, "#status")
        # the lecture input is still there, one step in, and its preset is shown again
        assert app.screen.query_one("#input-preset", Select).value == "lecture"
        assert app.screen.lesson.step == 1
        app.screen.set_focus(None)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == LECTURE_OUT
        assert text_of(app, "#source") == ""  # the notice goes with the next change


async def test_a_data_dir_without_mnist_is_named_and_a_damaged_one_explained(
        tmp_path: Path) -> None:
    options = Launch(data_dir=str(tmp_path / "nowhere"))
    app = ConvtuiApp("stepper", options)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await settle(pilot)
        source = text_of(app, "#source")
        assert f"{tmp_path / 'nowhere'} (chosen by --data-dir)" in source
        await press_f2(pilot)
        assert text_of(app, "#source").startswith("✗ MNIST를 쓸 수 없습니다:")
        await pilot.press("f2")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for name in ALL_FILES:
        (damaged / name).write_bytes(b"not an idx file")
    app = ConvtuiApp("stepper", Launch(data_dir=str(damaged)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await settle(pilot)
        source = text_of(app, "#source")
        assert source.startswith("✗ MNIST could not be read:")
        assert "wrong magic number" in source
        np.testing.assert_array_equal(app.screen.lesson.x[0], LECTURE_INPUT)
        await pilot.press("f2")  # the reason is read again, in Korean this time
        await settle(pilot)
        source = text_of(app, "#source")
        assert source.startswith("✗ MNIST를 읽을 수 없습니다:")
        assert "매직 넘버" in source and "magic" not in source
        np.testing.assert_array_equal(app.screen.lesson.x[0], LECTURE_INPUT)


# load_arrays ------------------------------------------------------------------------------
async def test_load_arrays_steps_a_learned_kernel_across_a_digit_exactly(
        test_set: tuple[np.ndarray, np.ndarray]) -> None:
    images, _ = test_set
    image = (images[12] / 255 - 0.1307) / 0.3081  # as the network sees it
    kernel = np.random.default_rng(3).normal(0, 0.3, (5, 5))
    expected = conv2d(image, kernel)
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await app.switch_mode("stepper")  # what the Train panel's "Open in Stepper" does
        app.screen.load_arrays(image, kernel, "run A · filter 3 · test digit #12")
        await pilot.pause()
        lesson = app.screen.lesson
        np.testing.assert_array_equal(lesson.trace.output, expected)
        assert (lesson.stride, lesson.padding, lesson.bias) == ((1, 1), 0, 0.0)
        assert text_of(app, "#source") == "Input and kernel from run A · filter 3 · test digit #12"
        assert text_of(app, "#status").startswith(f"step 1/576 · out[0,0] = {fmt(expected[0, 0])}")
        arithmetic = text_of(app, "#arithmetic").splitlines()
        assert arithmetic[0] == "out[0,0] =   " + " + ".join(
            f"({fmt(image[0, j])}×{fmt(kernel[0, j])})" for j in range(5))
        assert arithmetic[-1].endswith(f"bias 0 = {fmt(expected[0, 0])}")
        notes = text_of(app, "#arith-notes")
        assert f"out[0,0] is exactly {float(expected[0, 0])!r}" in notes
        assert "(28 - 5 + 2×0) / 1 + 1 = 23 / 1 + 1 = 24" in notes
        kernel_rows = grid_rows(app, "#kernel-grid")
        assert kernel_rows[1] == [fmt(v) for v in kernel[1]]
        await pilot.press("end")
        np.testing.assert_array_equal(
            app.screen.query_one("#output-grid", HeatGrid).view.values, expected)
        # the settings show the arrays; other settings step the same arrays
        await set_field(pilot, "stride", "2")
        np.testing.assert_array_equal(app.screen.lesson.trace.output,
                                      conv2d(image, kernel, stride=2))
        assert app.screen.query_one("#input-preset", Select).value == "loaded"
        assert app.screen.query_one("#kernel-size", Input).value == "5x5"
        # another input and back: the loaded one returns
        app.screen.query_one("#input-preset", Select).value = "lecture"
        await pilot.pause()
        assert app.screen.lesson.x.shape == (1, 5, 5)
        assert text_of(app, "#source") == "Input and kernel from run A · filter 3 · test digit #12"
        app.screen.query_one("#input-preset", Select).value = "loaded"
        await pilot.pause()
        np.testing.assert_array_equal(app.screen.lesson.x[0], image)
        await set_field(pilot, "kernel-size", "3x3")
        assert ("kernel: the loaded kernel is 5×5 with one channel"
                in text_of(app, "#settings-error"))
        app.screen.set_focus(None)
        await check_with_pytorch(pilot)
        assert "agrees on all 144 output cells" in text_of(app, "#check-result")


@pytest.mark.parametrize(
    ("image", "kernel", "reason"),
    [
        (np.zeros((2, 5, 5)), np.ones((3, 3)),
         "the input must be a 2-D array (H, W), got shape (2, 5, 5)."),
        (np.zeros((5, 5)), np.full((3, 3), np.nan),
         "the kernel holds values that are not finite numbers (nan or inf)."),
        (np.zeros((100, 100)), np.ones((3, 3)),
         "the Stepper shows inputs up to 64×64 and kernels up to 15×15; got an input of "
         "100×100 and a kernel of 3×3."),
        (np.zeros((4, 4)), np.ones((5, 5)), "kernel: the kernel (5 cells) is larger than the "
                                            "padded input (4 cells) in height"),
    ],
)
async def test_arrays_the_stepper_cannot_show_are_refused_with_the_reason(
        image: np.ndarray, kernel: np.ndarray, reason: str) -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        app.screen.load_arrays(image, kernel, "run B")
        await pilot.pause()
        source = text_of(app, "#source")
        assert source.startswith("✗ Could not open run B in the Stepper: ")
        assert reason in source
        assert app.screen.lesson.step == 1
        np.testing.assert_array_equal(app.screen.lesson.x[0], LECTURE_INPUT)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_normalised_digit_says_how_its_pixels_were_normalised(
        test_set: tuple[np.ndarray, np.ndarray], lang: str) -> None:
    images, _ = test_set
    image = (images[12] / 255 - 0.1307) / 0.3081
    note = {"en": "Pixels are normalised as in training: (pixel / 255 − 0.1307) / 0.3081, "
                  "MNIST's mean and standard deviation, so black is -0.42 and white 2.82",
            "ko": "픽셀은 학습 때처럼 정규화되어 있습니다: (픽셀 / 255 − 0.1307) / 0.3081"}[lang]
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        app.action_switch_language(lang)
        app.screen.load_arrays(image, np.ones((3, 3)), "run A", normalised=True)
        await pilot.pause()
        assert note in text_of(app, "#source")
        await pilot.press("r")  # a random input: nothing normalised on screen any more
        assert note not in text_of(app, "#source")
        app.screen.load_arrays(images[12], np.ones((3, 3)), "raw pixels")
        await pilot.pause()
        assert "0.3081" not in text_of(app, "#source")

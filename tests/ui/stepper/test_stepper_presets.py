"""The Stepper's lesson states for the guided tour: each preset shows the same thing however
the panel was left."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input, TabbedContent

from convtui.core import conv2d
from convtui.core.examples import LECTURE_INPUT, LECTURE_KERNEL
from convtui.ui.app import ConvtuiApp
from convtui.ui.stepper.screen import StepperScreen
from tests.ui.conftest import LECTURE_OUT, SIZE, grid_rows, open_preset, set_field, text_of


async def wander(pilot) -> None:
    """Leave the panel in some other state: other settings, a later step, the code tab."""
    await set_field(pilot, "kernel-size", "2x2")
    await set_field(pilot, "padding", "2")
    pilot.app.screen.set_focus(None)
    await pilot.press("end", "p")


def active_tab(app) -> str:
    return app.screen.query_one("#views", TabbedContent).active


async def test_lecture_preset_is_the_lecture_example_at_its_first_step() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await wander(pilot)
        await open_preset(pilot, "lecture")
        lesson = app.screen.lesson
        np.testing.assert_array_equal(lesson.x[0], LECTURE_INPUT)
        np.testing.assert_array_equal(lesson.kernel[0], LECTURE_KERNEL)
        assert (lesson.stride, lesson.padding, lesson.step) == ((1, 1), 0, 0)
        assert active_tab(app) == "arith"
        assert text_of(app, "#status").startswith("step 1/9 · out[0,0] = 8")
        assert app.screen.query_one("#padding", Input).value == "0"  # the open settings too
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == LECTURE_OUT


async def test_stride_padding_preset_works_the_formula_out() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await wander(pilot)
        await open_preset(pilot, "stride-padding")
        lesson = app.screen.lesson
        expected = conv2d(LECTURE_INPUT, LECTURE_KERNEL, stride=2, padding=1)
        np.testing.assert_array_equal(lesson.trace.output, expected)
        assert (lesson.stride, lesson.padding, lesson.step) == ((2, 2), 1, 0)
        assert active_tab(app) == "arith"
        assert "input 5×5 · pad 1" in text_of(app, "#input-grid")
        assert "(5 - 3 + 2×1) / 2 + 1 = 4 / 2 + 1 = 3" in text_of(app, "#arith-notes")
        assert app.screen.query_one("#stride", Input).value == "2"


async def test_multichannel_preset_shows_three_channels_as_one_neuron() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await wander(pilot)
        await open_preset(pilot, "multichannel")
        lesson = app.screen.lesson
        assert lesson.x.shape == (3, 5, 5) and lesson.kernel.shape == (3, 3, 3)
        assert len({lesson.kernel[c].tobytes() for c in range(3)}) == 3  # a kernel per channel
        np.testing.assert_array_equal(lesson.trace.output, conv2d(lesson.x, lesson.kernel[None])[0])
        assert active_tab(app) == "neuron"
        neuron = text_of(app, "#neuron-view")
        assert "(channel 0; the neuron adds every channel's Σ and the bias:" in neuron
        # the neuron takes every channel's window: 3 × 3×3 inputs, one weight each
        assert "27 inputs (3 channels × the 3×3 window), 27 weights (the kernel)" in neuron
        assert app.screen.query_one("#channels", Input).value == "3"


async def test_a_preset_can_be_shown_as_the_panel_opens_and_unknown_ones_are_refused() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await app.switch_mode("stepper")
        screen = app.screen
        assert isinstance(screen, StepperScreen)
        assert screen.PRESETS == ("lecture", "stride-padding", "multichannel")
        screen.show_preset("multichannel")
        await pilot.pause()
        assert active_tab(app) == "neuron"
        with pytest.raises(KeyError, match="no preset 'nope'"):
            screen.show_preset("nope")
        # a preset chosen before the screen is first shown is what it first shows
        fresh = StepperScreen()
        fresh.show_preset("stride-padding")
        await app.push_screen(fresh)
        await pilot.pause()
        assert text_of(app, "#status").startswith("step 1/9 · out[0,0] = ")
        assert "pad 1" in text_of(app, "#input-grid")

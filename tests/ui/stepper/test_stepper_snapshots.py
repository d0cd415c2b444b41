"""How the Stepper looks, at the smallest supported terminal and a roomy one, in English and in
Korean (two cells a syllable), with the lecture example and with a real MNIST digit."""

from __future__ import annotations

from pathlib import Path

import pytest

from convtui.ui.app import ConvtuiApp
from tests.ui.conftest import open_settings, settle, switch_language


async def pad_one(pilot) -> None:
    """Open the settings, pad by one, leave the fields and take one step."""
    await open_settings(pilot)
    field = pilot.app.screen.query_one("#padding")
    field.value = "1"
    await pilot.pause()
    pilot.app.screen.set_focus(None)
    await pilot.press("right")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stepper_mid_lesson(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(ConvtuiApp("stepper"), press=["right", "right", "right", "right"],
                        terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stepper_with_settings_and_padding(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(ConvtuiApp("stepper"), run_before=pad_one, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stepper_in_korean_with_settings_and_padding(snap_compare, size: tuple[int, int]) -> None:
    async def korean(pilot) -> None:
        await switch_language(pilot, "ko")
        pilot.app.clear_notifications()
        await pad_one(pilot)

    assert snap_compare(ConvtuiApp("stepper"), run_before=korean, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stepper_mnist_digit_in_korean(snap_compare, size: tuple[int, int], mnist_dir: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))

    async def digit(pilot) -> None:
        await switch_language(pilot, "ko")
        pilot.app.clear_notifications()
        await pilot.press("s", "m")
        await settle(pilot)
        pilot.app.screen.go_to(13 * 26 + 19)  # a window on the digit's stroke
        await pilot.pause()

    assert snap_compare(ConvtuiApp("stepper"), run_before=digit, terminal_size=size)

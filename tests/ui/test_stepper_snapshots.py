"""How the Stepper looks, at the smallest supported terminal and a roomy one."""

from __future__ import annotations

import pytest

from convtui.ui.app import ConvtuiApp


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stepper_mid_lesson(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(ConvtuiApp("stepper"), press=["right", "right", "right", "right"],
                        terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stepper_with_settings_and_padding(snap_compare, size: tuple[int, int]) -> None:
    async def pad_one(pilot) -> None:
        await pilot.press("s")
        await pilot.pause()
        field = pilot.app.screen.query_one("#padding")
        field.value = "1"
        await pilot.pause()
        pilot.app.screen.set_focus(None)
        await pilot.press("right")

    assert snap_compare(ConvtuiApp("stepper"), run_before=pad_one, terminal_size=size)

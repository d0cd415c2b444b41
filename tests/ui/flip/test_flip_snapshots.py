"""How the Flip panel looks, at the smallest supported terminal and a roomy one."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.ui.app import ConvtuiApp


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_flip_sobel_mid_lesson(snap_compare, size: tuple[int, int]) -> None:
    # e, e: the Sobel example, where the convolution is the negative of the cross-correlation
    assert snap_compare(ConvtuiApp("flip"), press=["e", "e", "right", "right", "right", "right"],
                        terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_flip_impulse_with_a_weight_followed(snap_compare, size: tuple[int, int]) -> None:
    async def impulse_weights(pilot) -> None:
        for _ in range(4):
            await pilot.press("e")
        await pilot.press("end", "w")
        await pilot.click("#kernel-grid", offset=pilot.app.screen.query_one(
            "#kernel-grid").cell_offset(0, 0))
        await pilot.pause()

    assert snap_compare(ConvtuiApp("flip"), run_before=impulse_weights, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_flip_korean_lecture_preset_with_settings(snap_compare, size: tuple[int, int]) -> None:
    """Korean is two cells a syllable: the verdict, status, tabs, footer and settings must
    still fit."""
    i18n.set_language("ko")

    async def lecture(pilot) -> None:
        pilot.app.screen.show_preset("lecture")
        await pilot.press("right", "right", "s")
        await pilot.pause()

    assert snap_compare(ConvtuiApp("flip"), run_before=lecture, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_flip_korean_weights_tab(snap_compare, size: tuple[int, int]) -> None:
    i18n.set_language("ko")
    # the random example, its weights followed letter by letter
    assert snap_compare(ConvtuiApp("flip"), press=["e", "e", "e", "right", "w"],
                        terminal_size=size)

"""How the Transposed panel looks, at the smallest supported terminal and a roomy one, in both
languages."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.ui.app import ConvtuiApp

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_transposed_unet_scatter_mid_lesson(snap_compare, size: tuple[int, int]) -> None:
    # the U-Net preset, the fifth stamp: the four before it side by side in the output
    assert snap_compare(ConvtuiApp("transposed"), press=["right"] * 4, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_transposed_odd_size_gather_and_output_size(snap_compare, size: tuple[int, int]) -> None:
    async def gather(pilot) -> None:
        pilot.app.screen.show_preset("odd_size")
        await pilot.press("v", "right", "right", "right", "right", "right", "right", "o")
        await pilot.pause()

    assert snap_compare(ConvtuiApp("transposed"), run_before=gather, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_transposed_korean_lecture_backwards_with_settings(snap_compare,
                                                           size: tuple[int, int]) -> None:
    """Korean is two cells a syllable: the note, status, tabs, footer and settings must fit."""
    i18n.set_language("ko")

    async def lecture(pilot) -> None:
        pilot.app.screen.show_preset("lecture_backwards")
        await pilot.press("right", "right", "s")
        await pilot.pause()

    assert snap_compare(ConvtuiApp("transposed"), run_before=lecture, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_transposed_korean_gather_arithmetic(snap_compare, size: tuple[int, int]) -> None:
    i18n.set_language("ko")
    assert snap_compare(ConvtuiApp("transposed"), press=["v", "right", "right", "right"],
                        terminal_size=size)

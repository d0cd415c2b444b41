"""How the Backward panel looks, at the smallest supported terminal and a roomy one, in both
languages."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.ui.app import ConvtuiApp

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_backward_lecture_scatter_mid_lesson(snap_compare, size: tuple[int, int]) -> None:
    # the gradient of out.sum(), the fifth stamp: four overlapping stamps summed before it
    assert snap_compare(ConvtuiApp("backward"), press=["right"] * 4, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_backward_strided_gather(snap_compare, size: tuple[int, int]) -> None:
    async def gather(pilot) -> None:
        screen = pilot.app.screen
        screen.apply(lambda: screen.lesson.with_(stride=2, padding=1, gradient="random",
                                                 seed=3))
        await pilot.press("v", *["right"] * 6)
        await pilot.pause()

    assert snap_compare(ConvtuiApp("backward"), run_before=gather, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_backward_korean_grad_weight_with_settings(snap_compare, size: tuple[int, int]) -> None:
    """Korean is two cells a syllable: the note, status, tabs, footer and settings must fit."""
    i18n.set_language("ko")
    assert snap_compare(ConvtuiApp("backward"), press=["w", "right", "right", "right", "s"],
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_backward_korean_gather_why_tab(snap_compare, size: tuple[int, int]) -> None:
    i18n.set_language("ko")
    assert snap_compare(ConvtuiApp("backward"), press=["d", "v", "right", "right", "y"],
                        terminal_size=size)

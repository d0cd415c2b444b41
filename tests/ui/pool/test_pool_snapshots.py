"""How the Pooling panel looks, at the smallest supported terminal and a roomy one."""

from __future__ import annotations

from pathlib import Path

import pytest

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from tests.ui.conftest import open_settings, settle


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_pool_lecture_max_mid_lesson(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(ConvtuiApp("pool"), press=["right"], terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_pool_ceil_mode_partial_window(snap_compare, size: tuple[int, int]) -> None:
    async def ceil_mode(pilot) -> None:
        await open_settings(pilot)
        screen = pilot.app.screen
        for field, value in (("kernel-size", "3"), ("stride", "2"), ("padding", "1")):
            screen.query_one(f"#{field}").value = value
            await pilot.pause()
        screen.query_one("#ceil-mode").value = True
        await pilot.pause()
        await pilot.press("s", "end")

    assert snap_compare(ConvtuiApp("pool"), run_before=ceil_mode, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_pool_mnist_digit_late_in_the_lesson(
    snap_compare, size: tuple[int, int], mnist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))

    async def digit(pilot) -> None:
        await open_settings(pilot)
        pilot.app.screen.query_one("#input-preset").value = "mnist"
        await settle(pilot)
        await pilot.press("s", *["right"] * 100)
        await pilot.pause()

    assert snap_compare(ConvtuiApp("pool"), run_before=digit, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_pool_korean_lecture_preset(snap_compare, size: tuple[int, int]) -> None:
    """Korean is two cells a syllable: grid titles, notes, status and footer must still fit."""
    i18n.set_language("ko")

    async def lecture(pilot) -> None:
        pilot.app.screen.show_preset("lecture")
        await pilot.press("right")
        await pilot.pause()

    assert snap_compare(ConvtuiApp("pool"), run_before=lecture, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_pool_korean_average_ceil_mode_with_settings(snap_compare,
                                                     size: tuple[int, int]) -> None:
    i18n.set_language("ko")

    async def average_ceil_mode(pilot) -> None:
        await open_settings(pilot)
        screen = pilot.app.screen
        screen.query_one("#input-preset").value = "lecture_avg"
        await pilot.pause()
        for field, value in (("kernel-size", "3"), ("stride", "2"), ("padding", "1")):
            screen.query_one(f"#{field}").value = value
            await pilot.pause()
        screen.query_one("#ceil-mode").value = True
        await pilot.pause()
        screen.set_focus(None)
        await pilot.press("end")

    assert snap_compare(ConvtuiApp("pool"), run_before=average_ceil_mode, terminal_size=size)

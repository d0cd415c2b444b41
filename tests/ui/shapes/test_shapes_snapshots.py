"""How the Shapes panel looks, at the smallest supported terminal and a roomy one, in English
and in Korean (whose syllables take two cells each)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import switch_language
from tests.ui.shapes.helpers import shapes_app

SIZES = [(80, 24), (120, 40)]
ERROR_SPEC = "1x1x28x28: conv(5,5) relu maxpool(2) flatten linear(100,10) relu linear(10,2)"


async def korean(pilot) -> None:
    await switch_language(pilot, "ko")
    pilot.app.clear_notifications()  # the "언어: 한국어" toast would cover the panel
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_shapes_lab_network_with_a_conv_selected(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(shapes_app(preset="lab"), press=["down", "down", "down", "down"],
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_shapes_error_row_and_fix(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(shapes_app(spec=ERROR_SPEC), terminal_size=size)


def test_shapes_resnet_block_at_80x24(snap_compare) -> None:
    assert snap_compare(shapes_app(preset="resnet18-cifar"), press=["down"] * 6,
                        terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_shapes_in_korean_with_a_conv_selected(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(shapes_app(preset="lab"), press=["down", "down", "down", "down"],
                        run_before=korean, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_shapes_in_korean_error_row_and_fix(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(shapes_app(spec=ERROR_SPEC), run_before=korean, terminal_size=size)

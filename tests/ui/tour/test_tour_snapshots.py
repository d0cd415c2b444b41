"""How a tour step looks: the bar above the footer, over the Stepper it opened, at the smallest
supported terminal and a roomy one, in English and in Korean (two cells per syllable)."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.ui.app import ConvtuiApp


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_tour_stride_and_padding_step(snap_compare, size: tuple[int, int], lang: str) -> None:
    i18n.set_language(lang)
    assert snap_compare(ConvtuiApp(tour="restart"), press=["f4", "f4"], terminal_size=size)

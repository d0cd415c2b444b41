"""A key storm on the Backward panel: random keys and clicks from everything a student can
reach (the shared storm of tests/ui/test_key_storm.py), and the panel is alive and valid after
every burst."""

from __future__ import annotations

from convtui.ui.app import ConvtuiApp
from tests.ui.test_key_storm import BURST, KEYS_PER_STORM, storm, storm_seeds


async def test_a_key_storm_leaves_the_backward_panel_alive() -> None:
    for seed in storm_seeds("backward"):
        assert await storm(ConvtuiApp("backward"), "backward", seed) >= KEYS_PER_STORM - BURST

"""The app's panels, in lesson order: one entry per top-level mode.

A panel is registered here once it exists; the tab bar, the number keys, the command palette
and the CLI's panel subcommands all read this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep `convtui --help` from importing Textual
    from textual.screen import Screen


@dataclass(frozen=True)
class Panel:
    name: str  # the mode name and the CLI subcommand
    title: str
    key: str
    summary: str  # one line, for `convtui --help` and the command palette
    screen: str  # "module:Class", imported when the panel is first opened

    def load(self) -> type[Screen]:
        module, _, cls = self.screen.partition(":")
        return getattr(import_module(module), cls)


PANELS: tuple[Panel, ...] = (
    Panel("stepper", "Stepper", "1",
          "Step a kernel across an input, one multiply-and-sum at a time",
          "convtui.ui.screens.stepper:StepperScreen"),
    Panel("flip", "Flip", "2",
          "Convolution vs cross-correlation: the same input with the kernel as is and rotated",
          "convtui.ui.screens.flip:FlipScreen"),
    Panel("pool", "Pooling", "3",
          "Step max and average pooling, with padding, dilation and ceil_mode",
          "convtui.ui.screens.pool:PoolScreen"),
    Panel("shapes", "Shapes", "4", "Trace NCHW shapes through a network",
          "convtui.ui.screens.shapes:ShapesScreen"),
    Panel("quiz", "Quiz", "5", "Output-size puzzles from TOML packs",
          "convtui.ui.screens.quiz:QuizScreen"),
)


def panel(name: str) -> Panel:
    for p in PANELS:
        if p.name == name:
            return p
    raise KeyError(name)

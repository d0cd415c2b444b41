"""The app's panels, in lesson order: one entry per top-level mode.

A panel is registered here once it exists; the tab bar, the number keys, the command palette
and the CLI's panel subcommands all read this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from convtui.i18n import t

if TYPE_CHECKING:  # keep `convtui --help` from importing Textual
    from textual.screen import Screen


@dataclass(frozen=True)
class Panel:
    """A panel's title and one-line summary live in the catalogue under ``panels.<name>``."""

    name: str  # the mode name and the CLI subcommand
    key: str
    screen: str  # "module:Class", imported when the panel is first opened

    @property
    def title(self) -> str:
        return t(f"panels.{self.name}.title")

    @property
    def summary(self) -> str:
        """One line, for `convtui --help` and the command palette."""
        return t(f"panels.{self.name}.summary")

    def load(self) -> type[Screen]:
        module, _, cls = self.screen.partition(":")
        return getattr(import_module(module), cls)


PANELS: tuple[Panel, ...] = (
    Panel("stepper", "1", "convtui.ui.screens.stepper:StepperScreen"),
    Panel("flip", "2", "convtui.ui.screens.flip:FlipScreen"),
    Panel("pool", "3", "convtui.ui.screens.pool:PoolScreen"),
    Panel("shapes", "4", "convtui.ui.screens.shapes:ShapesScreen"),
    Panel("quiz", "5", "convtui.ui.screens.quiz:QuizScreen"),
    Panel("train", "6", "convtui.ui.screens.train:TrainScreen"),
    Panel("backward", "7", "convtui.ui.backward.screen:BackwardScreen"),
    Panel("transposed", "8", "convtui.ui.transposed.screen:TransposedScreen"),
)


def panel(name: str) -> Panel:
    for p in PANELS:
        if p.name == name:
            return p
    raise KeyError(name)

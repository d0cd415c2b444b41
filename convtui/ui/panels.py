"""The app's panels, in lesson order: one entry per top-level mode.

A panel is registered here once it exists; the tab bar, the number keys, the command palette
and the CLI's panel subcommands all read this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from convtui.i18n import t

if TYPE_CHECKING:  # keep `convtui --help` from importing Textual
    import argparse

    from textual.screen import Screen


@dataclass(frozen=True)
class Panel:
    """A panel's title and one-line summary live in the catalogue under ``panels.<name>``."""

    name: str  # the mode name and the CLI subcommand
    key: str
    screen: str  # "module:Class", imported when the panel is first opened
    #: "module:function" adding the panel's own arguments to its CLI subcommand, if any.
    arguments: str = ""

    @property
    def title(self) -> str:
        return t(f"panels.{self.name}.title")

    @property
    def summary(self) -> str:
        """One line, for `convtui --help` and the command palette."""
        return t(f"panels.{self.name}.summary")

    def load(self) -> type[Screen]:
        return _resolve(self.screen)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        if self.arguments:
            _resolve(self.arguments)(parser)


def _resolve(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(import_module(module), name)


PANELS: tuple[Panel, ...] = (
    Panel("stepper", "1", "convtui.ui.stepper.screen:StepperScreen",
          "convtui.launch:add_data_dir_argument"),
    Panel("flip", "2", "convtui.ui.flip.screen:FlipScreen"),
    Panel("pool", "3", "convtui.ui.pool.screen:PoolScreen",
          "convtui.launch:add_data_dir_argument"),
    Panel("shapes", "4", "convtui.ui.shapes.screen:ShapesScreen",
          "convtui.shapes_cli:add_shapes_arguments"),
    Panel("quiz", "5", "convtui.ui.quiz.screen:QuizScreen", "convtui.quiz.cli:add_quiz_arguments"),
    Panel("train", "6", "convtui.ui.train.screen:TrainScreen",
          "convtui.training.cli:add_train_arguments"),
    Panel("backward", "7", "convtui.ui.backward.screen:BackwardScreen"),
    Panel("transposed", "8", "convtui.ui.transposed.screen:TransposedScreen"),
)


def panel(name: str) -> Panel:
    for p in PANELS:
        if p.name == name:
            return p
    raise KeyError(name)

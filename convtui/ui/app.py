"""The convtui Textual app: one mode per lesson panel (see panels.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from convtui.ui.panels import PANELS, Panel, panel
from convtui.ui.screens.base import PanelScreen


class ConvtuiApp(App[None]):
    """Opens on one panel; the number keys, the tab bar and the command palette switch."""

    TITLE = "convtui"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS: ClassVar = [
        *(Binding(p.key, f"open_panel('{p.name}')", p.title, show=False) for p in PANELS),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, panel_name: str = "stepper",
                 options: argparse.Namespace | None = None) -> None:
        super().__init__()
        self.options = options or argparse.Namespace()
        self.first_panel = panel(panel_name).name
        for p in PANELS:  # each panel's module is imported when it is first opened
            self.add_mode(p.name, _factory(p))

    def on_mount(self) -> None:
        self.switch_mode(self.first_panel)

    def action_open_panel(self, name: str) -> None:
        self.switch_mode(name)

    def action_help(self) -> None:
        from convtui.ui.screens.help import HelpScreen

        screen = self.screen
        text = screen.HELP if isinstance(screen, PanelScreen) else ""
        if not isinstance(screen, HelpScreen):
            self.push_screen(HelpScreen(text))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for p in PANELS:
            yield SystemCommand(f"Open {p.title}", p.summary,
                                lambda name=p.name: self.switch_mode(name))
        yield SystemCommand("Help", "Explain the panel in front of you", self.action_help)


def _factory(p: Panel) -> Callable[[], Screen]:
    return lambda: p.load()()


def run_app(panel_name: str, options: argparse.Namespace) -> int:
    ConvtuiApp(panel_name, options).run()
    return 0

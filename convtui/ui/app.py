"""The convtui Textual app: one mode per lesson panel (see panels.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from convtui import i18n
from convtui.i18n import LANGUAGE_NAMES, LANGUAGES, t
from convtui.ui.panels import PANELS, Panel, panel
from convtui.ui.screens.base import Localized, PanelScreen


class ConvtuiApp(App[None]):
    """Opens on one panel; the number keys, the tab bar and the command palette switch."""

    TITLE = "convtui"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS: ClassVar = [
        *(Binding(p.key, f"open_panel('{p.name}')", f"panels.{p.name}.title", show=False)
          for p in PANELS),
        Binding("question_mark,f1", "help", "keys.help", key_display="?"),
        Binding("f2", "switch_language", "keys.language", show=False),
        Binding("ctrl+q", "quit", "keys.quit", priority=True),
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
        if isinstance(screen, PanelScreen):
            self.push_screen(HelpScreen(screen.help_markdown))

    def action_switch_language(self, lang: str = "") -> None:
        """Switch to ``lang`` (or the next language). The screen in front is redrawn now;
        the other panels redraw when they are next shown."""
        if not lang:
            lang = LANGUAGES[(LANGUAGES.index(i18n.current()) + 1) % len(LANGUAGES)]
        i18n.set_language(lang)
        for screen in self.screen_stack:
            if isinstance(screen, Localized):
                screen.apply_language()
        self.notify(t("app.language_switched", name=LANGUAGE_NAMES[lang]))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for p in PANELS:
            yield SystemCommand(t("app.open_panel", title=p.title), p.summary,
                                lambda name=p.name: self.switch_mode(name))
        yield SystemCommand(t("app.help_command"), t("app.help_command_summary"),
                            self.action_help)
        for lang in LANGUAGES:
            name = LANGUAGE_NAMES[lang]
            yield SystemCommand(t("app.language_command", name=name),
                                t("app.language_command_summary", name=name),
                                lambda lang=lang: self.action_switch_language(lang))


def _factory(p: Panel) -> Callable[[], Screen]:
    return lambda: p.load()()


def run_app(panel_name: str, options: argparse.Namespace) -> int:
    ConvtuiApp(panel_name, options).run()
    return 0

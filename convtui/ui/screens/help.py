"""The help screen: the panel's own help, then the keys every panel shares."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from convtui.ui.panels import PANELS


class HelpScreen(ModalScreen[None]):
    """The help for the panel in front of the user, plus the keys every panel shares."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar = [("escape,q,question_mark,f1", "dismiss", "Close help")]

    COMMON = """
## Everywhere
| key | does |
|---|---|
| 1 … {last} | open a panel (or click its tab) |
| ? / F1 | this help |
| Ctrl+P | command palette: every panel and action by name |
| Tab / Shift+Tab | move between widgets |
| Ctrl+Q | quit |
"""

    def __init__(self, panel_help: str) -> None:
        super().__init__()
        self.panel_help = panel_help

    def compose(self) -> ComposeResult:
        common = self.COMMON.format(last=PANELS[-1].key)
        with VerticalScroll():
            yield Markdown(self.panel_help + "\n" + common)

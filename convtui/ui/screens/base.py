"""What every panel shares: the tab bar on top, the key footer below, and its help text."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown, Tab, Tabs

from convtui.ui.panels import PANELS


class PanelTabs(Tabs):
    """The row of panels; click one to open it. Not focusable: arrows belong to the panel."""

    can_focus = False

    def __init__(self, current: str) -> None:
        super().__init__(
            *(Tab(f"{p.key} {p.title}", id=f"tab-{p.name}") for p in PANELS),
            active=f"tab-{current}",
        )


class PanelScreen(Screen):
    """Base for the app's panels. Subclasses set PANEL (their registry name) and HELP
    (markdown shown by ? / F1) and compose their body in ``compose_body``."""

    PANEL: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    AUTO_FOCUS = None  # arrows step the lesson until the user tabs into a widget

    def compose(self) -> ComposeResult:
        yield PanelTabs(self.PANEL)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        name = event.tab.id.removeprefix("tab-") if event.tab and event.tab.id else ""
        if name and name != self.PANEL:
            self.app.switch_mode(name)


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

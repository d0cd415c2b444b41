"""What every panel shares: the tab bar on top, the key footer below, and its help text
(shown by screens/help.py, imported only when asked for: the Markdown widget is slow to load)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Tab, Tabs

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

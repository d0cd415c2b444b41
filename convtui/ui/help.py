"""The help screen: the panel's own help, then the keys every panel shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from convtui.i18n import t
from convtui.ui.panel.screen import Dialog
from convtui.ui.panels import PANELS
from convtui.ui.tour.offer import TourOffer


class HelpScreen(Dialog[None]):
    """The help for the panel in front of the user, plus the keys every panel shares."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    /* The tour's offer is a few lines above the help, not half of it at 80x24. */
    HelpScreen TourOffer { border: none; border-left: outer $accent; margin: 0 0 1 0; }
    HelpScreen TourOffer #offer-buttons, HelpScreen TourOffer Collapsible { margin-top: 0; }
    /* A key is never broken over lines; what it does wraps in the room left. */
    HelpScreen MarkdownTableContent { grid-columns: auto 1fr; }
    """
    BINDINGS: ClassVar = [("escape,q,question_mark,f1", "dismiss", "keys.close_help"),
                          ("t", "tour", "keys.tour.resume")]

    def __init__(self, panel_help: Callable[[], str]) -> None:
        super().__init__()
        self.panel_help = panel_help  # called again when the language changes

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield TourOffer()
            yield Markdown(self._markdown())

    def relabel(self) -> None:
        self.query_one(Markdown).update(self._markdown())
        self.query_one(TourOffer).relabel()

    def action_tour(self) -> None:
        self.query_one(TourOffer).go()

    def _markdown(self) -> str:
        return self.panel_help() + "\n" + t("help.common", last=PANELS[-1].key)

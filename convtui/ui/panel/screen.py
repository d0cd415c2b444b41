"""What every panel shares: the tab bar on top, the key footer below, its help text (shown by
help.py, imported only when asked for: the Markdown widget is slow to load), and
following the language when the user switches it; and the dialogs shown in front of a panel."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Tab, Tabs

from convtui import i18n
from convtui.i18n import t
from convtui.launch import Launch
from convtui.ui.panel.worded import Worded
from convtui.ui.panels import PANELS
from convtui.ui.widgets.tour_bar import TourBar

NO_LAUNCH = Launch()


class PanelTabs(Tabs):
    """The row of panels; click one to open it. Not focusable: arrows belong to the panel."""

    can_focus = False

    def __init__(self, current: str) -> None:
        super().__init__(*(Tab(_tab_label(p.name), id=f"tab-{p.name}") for p in PANELS),
                         active=f"tab-{current}")

    def relabel(self) -> None:
        for p in PANELS:
            self.query_one(f"#tab-{p.name}", Tab).label = _tab_label(p.name)


def _tab_label(name: str) -> str:
    p = next(p for p in PANELS if p.name == name)
    return f"{p.key} {p.title}"


class Localized(Screen):
    """A screen that follows the language. Binding descriptions that are catalogue keys
    (``keys.…``) are shown translated in the footer, and so are tooltips (the longer name the
    palette gives an action whose footer word is short); when the language changes the app calls
    ``apply_language`` on the screen in front, and any other screen catches up when it is
    shown again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._language = i18n.current()

    def on_screen_resume(self) -> None:
        if self._language != i18n.current():
            self.apply_language()

    def apply_language(self) -> None:
        self._language = i18n.current()
        for worded in self.query(Worded):
            worded.reword()
        self.relabel()
        self.refresh_bindings()

    def relabel(self) -> None:
        """Redraw every text of this screen in the current language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return {key: active._replace(binding=replace(
                    active.binding, description=_describe(active.binding.description),
                    tooltip=_describe(active.binding.tooltip)))
                for key, active in super().active_bindings.items()}


ResultType = TypeVar("ResultType")


class Dialog(Localized, ModalScreen[ResultType]):
    """A modal screen in front of a panel, closed once. Two closes can race: a key bound to
    ``dismiss``, checked while the dialog is in front, awaits before it dismisses, and a button
    press handled meanwhile closes the dialog; Textual's ``dismiss`` pops whatever screen is in
    front, so the late one popped the panel and ended the app (``ScreenStackError``, found by
    1000-key storms). A dialog no longer in front is not dismissed again."""

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)


class PanelFooter(Footer):
    """The key footer. Below WIDE columns it is compact and leaves out the palette key (Ctrl+P
    still opens the palette, and Help lists it), so every key of the panel, Quit and Help last
    among them, stays on screen at 80 columns in both languages."""

    WIDE: ClassVar[int] = 100

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < self.WIDE
        if self.compact != narrow:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)


def _describe(description: str) -> str:
    return t(description) if description.startswith("keys.") else description


class PanelScreen(Localized):
    """Base for the app's panels. Subclasses set PANEL (their registry name), compose their
    body in ``compose_body`` and redraw their texts in ``relabel``; their help is the markdown
    under ``<PANEL>.help`` in the catalogue."""

    PANEL: ClassVar[str] = ""
    PRESETS: ClassVar[tuple[str, ...]] = ()
    AUTO_FOCUS = None  # arrows step the lesson until the user tabs into a widget

    def compose(self) -> ComposeResult:
        yield PanelTabs(self.PANEL)
        yield from self.compose_body()
        yield TourBar()  # shown only while the guided tour runs
        yield PanelFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def help_markdown(self) -> str:
        return t(f"{self.PANEL}.help")

    @property
    def launch(self) -> Launch:
        """What the command line asked the panels to show (nothing, outside convtui's app)."""
        return getattr(self.app, "launch", NO_LAUNCH)

    def show_preset(self, preset: str) -> None:
        """Put the panel into one of its named lesson states; the guided tour opens panels
        this way. Panels list theirs in PRESETS."""
        raise KeyError(f"the {self.PANEL} panel has no preset {preset!r}")

    def apply_language(self) -> None:
        self.query_one(PanelTabs).relabel()
        self.query_one(TourBar).relabel()
        super().apply_language()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        name = event.tab.id.removeprefix("tab-") if event.tab and event.tab.id else ""
        if name and name != self.PANEL:
            self.app.switch_mode(name)

"""The guided tour's bar: docked just above the footer of every panel while the tour runs, it
says where the user is, explains the step and offers the tour's keys (also clickable)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from convtui.i18n import t
from convtui.tour import STEPS, TourState


class TourKey(Static):
    """One of the tour's keys, shown as ``F4 next``; clicking it does what the key does."""

    DEFAULT_CSS = """
    TourKey { width: auto; height: 1; margin-left: 1; padding: 0 1; background: $accent 30%; }
    TourKey:hover { background: $accent 60%; }
    """

    def __init__(self, key: str, action: str, id: str) -> None:
        super().__init__(id=id)
        self.key = key
        self.action = action

    def label(self, description: str) -> None:
        self.update(Text.assemble((self.key, "bold"), " ", description))

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.app.run_action(self.action)


class TourBar(Vertical):
    """Hidden unless the app's ``tour`` (a TourState, or None) says a tour is running."""

    # Docked at the bottom of what the Footer (split off below) leaves: just above it.
    DEFAULT_CSS = """
    TourBar {
        dock: bottom; height: auto; max-height: 50%;
        display: none; background: $boost;
    }
    TourBar.-running { display: block; }
    TourBar #tour-head { height: auto; background: $accent 15%; padding: 0 1; }
    TourBar #tour-title { width: 1fr; text-style: bold; }
    TourBar #tour-scroll { height: auto; max-height: 8; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.state: TourState | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="tour-head"):
            yield Static(id="tour-title", markup=False)
            yield TourKey("F3", "tour_back", id="tour-back")
            yield TourKey("F4", "tour_next", id="tour-next")
            yield TourKey("F5", "tour_end", id="tour-end")
        with VerticalScroll(id="tour-scroll"):
            yield Static(id="tour-text", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "tour", self.show)

    def show(self, state: TourState | None) -> None:
        self.state = state
        self.set_class(state is not None, "-running")
        self.relabel()

    def relabel(self) -> None:
        """Redraw in the current language (the app calls this when it switches)."""
        state = self.state
        if state is None:
            return
        step = state.step
        mark = " ✓" if state.is_done(step) else ""
        self.query_one("#tour-title", Static).update(t(
            "tour.bar.title", position=state.position, total=len(STEPS), mark=mark,
            title=step.title))
        self.query_one("#tour-text", Static).update(step.text.strip())
        self.query_one("#tour-back", TourKey).label(t("tour.bar.back"))
        self.query_one("#tour-next", TourKey).label(
            t("tour.bar.finish") if state.is_last else t("tour.bar.next"))
        self.query_one("#tour-end", TourKey).label(t("tour.bar.end"))
        self.query_one("#tour-back").display = not state.is_first
        self.query_one("#tour-scroll", VerticalScroll).scroll_home(animate=False)

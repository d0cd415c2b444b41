"""The help screen's offer of the guided tour: start it, resume it where the user left off, or
start it over; its steps, the finished ones ticked, to jump to any of them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Collapsible, Static

from convtui.i18n import t
from convtui.tour import STEPS, TourState, load_progress
from convtui.ui.tour.app import TourApp
from convtui.ui.widgets.option_lists import OptionList


class TourOffer(Vertical):
    """Buttons and a step list that close the help and hand over to the app's tour actions."""

    DEFAULT_CSS = """
    TourOffer { height: auto; border: round $accent; padding: 0 1; margin-top: 1; }
    TourOffer #offer-buttons { height: auto; margin-top: 1; }
    TourOffer Button { margin-right: 2; }
    TourOffer Collapsible { border: none; padding: 0; margin-top: 1; }
    TourOffer Collapsible Contents { padding: 0; }
    TourOffer OptionList { height: auto; border: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="offer-summary", markup=False)
        with Horizontal(id="offer-buttons"):
            yield Button("", id="offer-go", variant="primary", compact=True)
            yield Button("", id="offer-restart", compact=True)
        with Collapsible(id="offer-steps-box"):
            yield OptionList(id="offer-steps")

    def on_mount(self) -> None:
        self.relabel()

    def progress(self) -> tuple[TourState | None, bool]:
        """The tour's state and whether it runs: the running tour's, else the saved progress
        (None when nothing is done yet; a damaged file is reported when the tour starts)."""
        app = self.app
        if isinstance(app, TourApp) and app.tour is not None:
            return app.tour, True
        state = load_progress().state
        return (None if state == TourState() else state), False

    def relabel(self) -> None:
        state, running = self.progress()
        total = len(STEPS)
        go = self.query_one("#offer-go", Button)
        if state is None:
            summary, go.label = t("tour.offer.new", total=total), t("tour.offer.start")
        elif running:
            summary = t("tour.offer.running", position=state.position, total=total,
                        title=state.step.title)
            go.label = t("tour.offer.back_to_step")
        else:
            summary = t("tour.offer.saved", done=len(state.done), total=total)
            go.label = t("tour.offer.resume", position=state.position)
        self.query_one("#offer-summary", Static).update(summary)
        restart = self.query_one("#offer-restart", Button)
        restart.label = t("tour.offer.restart")
        restart.display = state is not None
        self.query_one("#offer-steps-box", Collapsible).title = t("tour.offer.steps")
        steps = self.query_one("#offer-steps", OptionList)
        steps.clear_options()
        steps.add_options([
            t("tour.offer.step", mark="✓" if state and state.is_done(step) else "·",
              position=f"{i + 1:>2}", title=step.title)
            for i, step in enumerate(STEPS)])

    def go(self) -> None:
        """What the first button (and the help's t key) does."""
        self._hand_over("tour_start")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._hand_over("tour_start(True)" if event.button.id == "offer-restart"
                        else "tour_start")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._hand_over(f"tour_go({event.option_index})")

    def _hand_over(self, action: str) -> None:
        """Close the help, then let the app run the tour action on the panel beneath."""
        if not self.screen.is_current:  # a press queued behind the one that closed the help:
            return  # the tour action it asked for is already on its way
        self.screen.dismiss()
        self.app.call_later(self.app.run_action, action)

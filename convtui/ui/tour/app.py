"""The guided tour's half of the app: where the user is in the tour, its keys, its commands.

ConvtuiApp derives from TourApp. While a tour runs, ``tour`` holds its state; every panel's
TourBar watches it, and each move opens the step's panel with the step's preset and saves the
progress, so `convtui tour` resumes where the user left off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Literal

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive

from convtui.i18n import t
from convtui.tour import TourState, load_progress, save_progress
from convtui.ui.panel.screen import PanelScreen

TourStart = Literal["resume", "restart"]
TOUR_ACTIONS = ("tour_back", "tour_next", "tour_end")


class TourApp(App[None]):
    """F3 / F4 / F5 move back, move on and end the tour; they do nothing while no tour runs
    or while a dialog is in front. Starting a tour resumes the saved progress."""

    BINDINGS: ClassVar = [
        Binding("f3", "tour_back", "keys.tour.back", show=False),
        Binding("f4", "tour_next", "keys.tour.next", show=False),
        Binding("f5", "tour_end", "keys.tour.end", show=False),
    ]

    tour: reactive[TourState | None] = reactive(None)

    def __init__(self) -> None:
        super().__init__()
        self._warned_unsaved = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TOUR_ACTIONS:
            return self.tour is not None and isinstance(self.screen, PanelScreen)
        return super().check_action(action, parameters)

    async def action_tour_start(self, restart: bool = False) -> None:
        """Resume the tour (the running one, else the saved progress), or start it over."""
        if restart:
            state = TourState()
        elif self.tour is not None:
            state = self.tour
        else:
            state = self._saved_progress()
        await self._show_step(state)

    async def action_tour_go(self, index: int) -> None:
        """Jump to step ``index`` (0-based), keeping what is marked done."""
        state = self.tour if self.tour is not None else self._saved_progress()
        await self._show_step(state.go(index))

    async def action_tour_next(self) -> None:
        if self.tour is None:
            return
        if self.tour.is_last:
            self._save(self.tour.forward())
            self.tour = None
            self.notify(t("tour.finished"), title=t("tour.name"))
        else:
            await self._show_step(self.tour.forward())

    async def action_tour_back(self) -> None:
        if self.tour is not None:
            await self._show_step(self.tour.back())

    def action_tour_end(self) -> None:
        if self.tour is not None:
            self.notify(t("tour.paused", position=self.tour.position), title=t("tour.name"))
            self.tour = None

    def tour_commands(self) -> Iterable[SystemCommand]:
        """The command palette's tour entries."""
        if self.tour is None:
            yield SystemCommand(t("tour.command.start"), t("tour.command.start_summary"),
                                self.action_tour_start)
        else:
            yield SystemCommand(t("tour.command.end"), t("tour.command.end_summary"),
                                self.action_tour_end)
        yield SystemCommand(t("tour.command.restart"), t("tour.command.restart_summary"),
                            lambda: self.action_tour_start(restart=True))

    async def _show_step(self, state: TourState) -> None:
        """Make ``state`` the tour's, then open its step's panel with the step's preset
        (a step without a panel stays on the panel in front)."""
        self.tour = state
        self._save(state)
        step = state.step
        if step.panel is None or step.preset is None:
            return
        await self.switch_mode(step.panel)
        panel = self.screen_stack[0]  # the panel, even under a dialog left open on it
        if isinstance(panel, PanelScreen):
            panel.show_preset(step.preset)

    def _saved_progress(self) -> TourState:
        loaded = load_progress()
        if loaded.problem:
            self.notify(loaded.problem, title=t("tour.name"), severity="warning", timeout=12,
                        markup=False)  # a path or a parser's message, never markup
        return loaded.state

    def _save(self, state: TourState) -> None:
        try:
            save_progress(state)
        except OSError as err:
            if not self._warned_unsaved:  # once: the tour itself still works
                self._warned_unsaved = True
                self.notify(t("tour.unsaved", reason=err.strerror or str(err)),
                            title=t("tour.name"), severity="warning", timeout=12, markup=False)


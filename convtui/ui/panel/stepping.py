"""A panel that walks through an output one cell at a time: step, jump, play and speed, with
a settings pane (``#settings``) that Escape closes.

Subclasses say how many steps there are, which one is shown, how to show another, and what
the status line says; the keys, the player and opening / closing the pane live here once.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.timer import Timer

from convtui.i18n import t
from convtui.i18n.wording import Phrase, Wording
from convtui.ui.panel.screen import PanelScreen

#: Seconds between steps while playing, slowest to fastest.
SPEEDS = (2.0, 1.0, 0.5, 0.25, 0.1)


class SteppingPanel(PanelScreen):
    BINDINGS: ClassVar = [
        Binding("right,l", "step(1)", "keys.stepper.step", key_display="→"),
        Binding("left,h", "step(-1)", "keys.stepper.back", key_display="←"),
        Binding("home,g", "jump(0)", "keys.stepper.first", show=False),
        Binding("end,G", "jump(-1)", "keys.stepper.last", show=False),
        Binding("space", "play", "keys.stepper.play", key_display="␣"),
        Binding("plus,equals_sign", "speed(1)", "keys.stepper.faster", show=False),
        Binding("minus", "speed(-1)", "keys.stepper.slower", show=False),
        Binding("escape", "close_settings", "keys.lesson.close", key_display="Esc",
                tooltip="keys.lesson.close_settings"),
    ]
    FIRST_SETTING: ClassVar[str]  # the id of the field focused when the settings open

    def __init__(self) -> None:
        super().__init__()
        self.speed = 2
        self.player: Timer | None = None

    # what a subclass provides ------------------------------------------------------------
    @property
    def step_index(self) -> int:
        raise NotImplementedError

    @property
    def step_count(self) -> int:
        raise NotImplementedError

    def go_to(self, index: int) -> None:
        """Show step ``index`` (already clamped to the valid range)."""
        raise NotImplementedError

    def update_status(self, message: Wording | None = None) -> None:
        raise NotImplementedError

    # shared ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape (and its footer entry) only while the settings pane is open."""
        if action == "close_settings":
            return self.settings_open
        return super().check_action(action, parameters)

    @property
    def settings_open(self) -> bool:
        return any(pane.display for pane in self.query("#settings"))

    def show_settings(self, shown: bool) -> None:
        """Open the (mounted) settings pane with its first field focused, or close it and give
        the keys back to the lesson."""
        self.query_one("#settings").display = shown
        if shown:
            self.query_one(f"#{self.FIRST_SETTING}").focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def action_close_settings(self) -> None:
        self.show_settings(False)

    def playing_note(self) -> str:
        """For the status line while the player runs, else ''."""
        return t("stepper.play.playing", rate=self.rate()) if self.player else ""

    def rate(self) -> str:
        """Steps per second at the current speed, as shown."""
        return f"{1 / SPEEDS[self.speed]:g}"

    def action_step(self, delta: int) -> None:
        self.go_to(min(max(self.step_index + delta, 0), self.step_count - 1))

    def action_jump(self, index: int) -> None:
        self.go_to(self.step_count - 1 if index < 0 else index)

    def action_play(self) -> None:
        if self.player is not None:
            self.stop_player()
        else:
            if self.step_index == self.step_count - 1:
                self.go_to(0)
            self.player = self.set_interval(SPEEDS[self.speed], self._tick)
        self.update_status()

    def stop_player(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None

    def _tick(self) -> None:
        if self.step_index >= self.step_count - 1:
            self.stop_player()
            self.update_status(Phrase("stepper.play.done"))
            return
        self.action_step(1)

    def action_speed(self, delta: int) -> None:
        self.speed = min(max(self.speed + delta, 0), len(SPEEDS) - 1)
        if self.player is not None:
            self.stop_player()
            self.player = self.set_interval(SPEEDS[self.speed], self._tick)
        self.update_status(Phrase("stepper.play.speed", {"rate": self.rate()}))

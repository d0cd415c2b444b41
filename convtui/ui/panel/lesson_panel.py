"""A stepping panel built on one immutable lesson (Stepper, Flip, Pooling, Backward,
Transposed): the settings pane mounted on first open, the view tabs, errors that keep the last
good lesson, the PyTorch check, and the redraw of all of it when the language changes.

Texts the shared code shows are looked up under the panel's own area
(``<PANEL>.tabs.<pane id>``, ``<PANEL>.status.step``, ``<PANEL>.check.<outcome>``), so every
panel words them for its lesson.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, Self, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, VerticalScroll
from textual.message import Message
from textual.widgets import Static, TabbedContent, TabPane

from convtui.i18n import t
from convtui.i18n.wording import Wording
from convtui.lessons.compare import same_numbers
from convtui.ui.panel.settings import LessonSettings
from convtui.ui.panel.stepping import SteppingPanel
from convtui.ui.panel.worded import Worded
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult


class Lesson(Protocol):
    @property
    def step(self) -> int: ...

    @property
    def step_count(self) -> int: ...

    def with_(self, **changes: object) -> Self: ...


L = TypeVar("L", bound=Lesson)
#: What the PyTorch check has to say: a state ("prompt", "running", "no_torch") or the
#: results, each with the catalogue key naming what was checked ("" for the only output).
CheckOutcome = str | list[tuple[str, "CheckResult"]]


class Checked(Message):
    """The check worker's answer: what PyTorch said of ``lesson``."""

    def __init__(self, lesson: object, outcome: CheckOutcome) -> None:
        super().__init__()
        self.lesson, self.outcome = lesson, outcome


class LessonPanel(SteppingPanel, Generic[L]):
    """Subclasses compose the lesson's grids and notes in ``compose_lesson`` and their view
    tabs (the first one ``arith``) in ``compose_views``; the PyTorch tab (``#code-view``,
    filled by the subclass, and the check's result), the settings pane and the status line
    are composed here. Subclasses draw the lesson in ``redraw``, name their settings pane in
    SETTINGS and run PyTorch in ``pytorch_checks``."""

    SETTINGS: ClassVar[type[LessonSettings]]
    #: Code lines too long to wrap: the PyTorch tab scrolls sideways instead.
    WIDE_CODE: ClassVar[bool] = False

    def __init__(self, lesson: L) -> None:
        super().__init__()
        self.lesson = lesson
        self.check_outcome: CheckOutcome = "prompt"
        self.checked: L | None = None  # the lesson the check outcome is about
        self._failed: Callable[[], L] | None = None  # asked again to word its error anew
        self._ready = False  # settings report changes once their first values are shown
        self._drawn = False  # lessons set before the screen is mounted are drawn by on_mount
        self._status_message: Wording | None = None  # the status line's last message
        self.tab = "arith"  # the view tab in front, remembered while the screen is not shown

    def tab_title(self, pane: str) -> str:
        return t(f"{self.PANEL}.tabs.{pane}")

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="settings")  # filled on first open: a faster start
        yield from self.compose_lesson()
        with TabbedContent(id="views", initial=self.tab):
            yield from self.compose_views()
            scroll = ScrollableContainer() if self.WIDE_CODE else VerticalScroll()
            with TabPane(self.tab_title("code"), id="code"), scroll:
                yield Static(id="code-view", classes="wide" if self.WIDE_CODE else "")
                yield Static(id="check-result")
        yield Worded(id="status")

    def compose_lesson(self) -> ComposeResult:
        yield from ()

    def compose_views(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#settings").display = False
        self._drawn = True
        self.redraw()
        self.show_check()

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw every view of the lesson, then the status line."""
        raise NotImplementedError

    def status_parts(self) -> list[str]:
        """What the status line says about the lesson, after the step."""
        raise NotImplementedError

    def update_status(self, message: Wording | None = None) -> None:
        """The step and what ``status_parts`` says, then ``message``; all worded again when
        the language changes (the message stays until the next update)."""
        self._status_message = message
        if not self._drawn:
            return

        def line() -> str:
            parts = [t(f"{self.PANEL}.status.step", step=self.lesson.step + 1,
                       count=self.lesson.step_count), *self.status_parts()]
            if playing := self.playing_note():
                parts.append(playing)
            if message is not None and (said := str(message())):
                parts.append(said)
            return " · ".join(parts)

        self.query_one("#status", Worded).say(line)

    def set_lesson(self, lesson: L) -> None:
        self.lesson = lesson
        if self._drawn:
            self.redraw()
            self.show_check()  # a check of other numbers says so

    def relabel(self) -> None:
        if not self._drawn:
            return
        views = self.query_one("#views", TabbedContent)
        for pane in views.query(TabPane):
            if pane.id:
                views.get_tab(pane.id).label = self.tab_title(pane.id)
        for settings in self.query(LessonSettings):
            settings.relabel()
        message = self._status_message
        self.redraw()
        self.update_status(message)  # what it said, in the new language
        self.show_check()
        if self._failed is not None:
            self.attempt(self._failed)

    # stepping (keys and player in SteppingPanel) -----------------------------------------
    @property
    def step_index(self) -> int:
        return self.lesson.step

    @property
    def step_count(self) -> int:
        return self.lesson.step_count

    def go_to(self, index: int) -> None:
        self.set_lesson(self.lesson.with_(step=index))

    def action_show_tab(self, tab: str) -> None:
        self.tab = tab
        if self._drawn:
            self.query_one("#views", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#views")
    def _remember_tab(self, event: TabbedContent.TabActivated) -> None:
        self.tab = event.pane.id or self.tab

    # settings --------------------------------------------------------------------------
    async def action_toggle_settings(self) -> None:
        pane = self.query_one("#settings")
        if not pane.children:  # mounted on first open: the panel starts faster
            await pane.mount(self.make_settings())
            self.sync_settings()
            self.call_after_refresh(self._set_ready)
        self.show_settings(not pane.display)

    def make_settings(self) -> LessonSettings:
        return self.SETTINGS()

    def _set_ready(self) -> None:
        self._ready = True

    def sync_settings(self) -> None:
        """Show the lesson in the settings fields, if they have been opened."""
        for settings in self.query(LessonSettings):
            settings.show(self.lesson)

    def attempt(self, build: Callable[[], L]) -> L | None:
        """The lesson ``build`` makes, or None after showing why it cannot be made (a field
        that does not parse, or a layer the engine refuses); the last good lesson stays."""
        try:
            lesson = build()
        except ValueError as err:  # FieldError is a ValueError
            self._failed = build
            self.show_error(str(err))
            return None
        self._failed = None
        self.show_error("")
        return lesson

    def apply(self, build: Callable[[], L], sync: bool = True) -> None:
        """Show the lesson ``build`` makes (and, with ``sync``, put it into the settings), or
        say why it cannot be made."""
        lesson = self.attempt(build)
        if lesson is not None:
            self.set_lesson(lesson)
            if sync:
                self.sync_settings()

    def open_preset(self, build: Callable[[], L], tab: str = "arith") -> None:
        """Show a preset's lesson as the tour wants it: the player stopped, the keys stepping
        the lesson (no widget focused), ``tab`` (the arithmetic) in front."""
        self.stop_player()
        self.set_focus(None)
        self.apply(build)
        self.action_show_tab(tab)

    def show_error(self, message: str) -> None:
        """In the settings (if open) and on the status line."""
        for settings in self.query(LessonSettings):
            settings.show_error(message)
        if message:
            self.update_status(lambda: f"✗ {message}")

    def select_value(self, select_id: str) -> str:
        return str(self.query_one(f"#{select_id}", Select).value)

    # PyTorch ---------------------------------------------------------------------------
    def pytorch_checks(self, lesson: L) -> list[tuple[str, CheckResult]]:
        """Run the lesson's layer in PyTorch (in a worker thread; ImportError without torch)."""
        raise NotImplementedError

    def action_check(self) -> None:
        self.check_outcome, self.checked = "running", self.lesson
        self.show_check()
        self.action_show_tab("code")
        self.run_check(self.lesson)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, lesson: L) -> None:
        outcome: CheckOutcome
        try:
            outcome = self.pytorch_checks(lesson)
        except ImportError:
            outcome = "no_torch"
        self.post_message(Checked(lesson, outcome))

    def on_checked(self, message: Checked) -> None:
        self._checked(message.lesson, message.outcome)

    def _checked(self, lesson: L, outcome: CheckOutcome) -> None:
        if lesson is not self.checked:
            return  # a check the user has asked again since
        self.check_outcome = outcome
        self.show_check()
        self.update_status(self.check_status)

    def check_status(self) -> str:
        """What the status line says once the check is back."""
        outcome = self.check_outcome
        if self.check_is_stale():
            return t("lesson.check.stale")
        if isinstance(outcome, list):
            outcome = "agrees" if all(result.ok for _, result in outcome) else "disagrees"
        return t(f"{self.PANEL}.check.{outcome}")

    def check_is_stale(self) -> bool:
        """Whether the check shown (or running) was asked for numbers no longer shown."""
        return self.checked is not None and not same_numbers(self.checked, self.lesson)

    def check_text(self) -> str:
        """What the PyTorch tab says of the check: each result, or its state."""
        outcome = self.check_outcome
        if self.check_is_stale():
            return t("lesson.check.stale")
        if isinstance(outcome, str):
            return t(f"{self.PANEL}.check.{outcome}")
        return "\n".join(("✓ " if result.ok else "✗ ") + (f"{t(name)}: " if name else "")
                         + result.summary() for name, result in outcome)

    def show_check(self) -> None:
        if self._drawn:
            self.query_one("#check-result", Static).update(Text(self.check_text()))

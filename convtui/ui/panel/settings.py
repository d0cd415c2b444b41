"""The settings pane of a lesson panel: captions and choices are named by catalogue keys, so the
pane redraws itself in another language without touching what the user has typed or chosen,
and one ``fill`` puts a lesson into every field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static

from convtui.i18n import t
from convtui.ui.widgets.option_lists import Select

LessonT = TypeVar("LessonT")


class LessonSettings(Vertical, Generic[LessonT]):
    """Subclasses yield their fields from ``fields`` (using ``caption``, ``choice`` and
    ``checkbox`` for translated text) and put a lesson into them in ``fill``; the error line
    comes last."""

    DEFAULT_CSS = "LessonSettings { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self._relabels: list[Callable[[], None]] = []
        self._refreshes: list[Callable[[], None]] = []  # choices that can change

    def compose(self) -> ComposeResult:
        yield from self.fields()
        yield Static("", id="settings-error")

    def fields(self) -> ComposeResult:
        yield from ()

    def fill(self, lesson: LessonT) -> None:
        """Set every field to what ``lesson`` holds."""

    def show(self, lesson: LessonT) -> None:
        """``fill``, without the fields reporting it as a change made by the user."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            for refresh in self._refreshes:
                refresh()
            self.fill(lesson)

    def show_error(self, message: str) -> None:
        error = self.query_one("#settings-error", Static)
        error.update(Text.assemble(("✗ ", "bold"), message) if message else "")
        error.set_class(bool(message), "error")

    def relabel(self) -> None:
        for relabel in self._relabels:
            relabel()

    # widgets with translated text ----------------------------------------------------------
    def caption(self, key: str, caption_id: str | None = None) -> Label:
        label = Label(t(key), id=caption_id)
        self._relabels.append(lambda: label.update(t(key)))
        return label

    def choice(self, select_id: str,
               options: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]],
               ) -> Select[str]:
        """A Select of ``(label key, value)`` options; ``fill`` sets its value. Options given
        as a function are asked again on every ``show``: the choices offered can change."""

        def current() -> Sequence[tuple[str, str]]:
            return options() if callable(options) else options

        def labelled() -> list[tuple[str, str]]:
            return [(t(key), value) for key, value in current()]

        select: Select[str] = Select(labelled(), allow_blank=False, id=select_id)

        def relabel() -> None:
            value = select.value
            with self.prevent(Select.Changed):
                select.set_options(labelled())  # resets the value: put it back, redraw it
                if any(value == v for _, v in current()):
                    select.value = value
                    select.mutate_reactive(Select.value)

        offered = list(current())

        def refresh() -> None:  # only when the choices changed: setting options costs a layout
            nonlocal offered
            if list(current()) != offered:
                offered = list(current())
                relabel()

        self._relabels.append(relabel)
        if callable(options):
            self._refreshes.append(refresh)
        return select

    def checkbox(self, checkbox_id: str, key: str) -> Checkbox:
        box = Checkbox(t(key), compact=True, id=checkbox_id)

        def relabel() -> None:
            box.label = t(key)

        self._relabels.append(relabel)
        return box

    def placeholder(self, field: Input, key: str) -> Input:
        """``field`` with a translated placeholder."""
        field.placeholder = t(key)

        def relabel() -> None:
            field.placeholder = t(key)

        self._relabels.append(relabel)
        return field

"""The settings pane of a lesson panel (Flip, Pooling): captions and choices are named by
catalogue keys, so the pane redraws itself in another language without touching what the user
has typed or chosen, and one ``fill`` puts a lesson into every field."""

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
            self.fill(lesson)

    def show_error(self, message: str) -> None:
        error = self.query_one("#settings-error", Static)
        error.update(Text.assemble(("✗ ", "bold"), message) if message else "")
        error.set_class(bool(message), "error")

    def relabel(self) -> None:
        for relabel in self._relabels:
            relabel()

    # widgets with translated text ----------------------------------------------------------
    def caption(self, key: str) -> Label:
        label = Label(t(key))
        self._relabels.append(lambda: label.update(t(key)))
        return label

    def choice(self, select_id: str, options: Sequence[tuple[str, str]]) -> Select[str]:
        """A Select of ``(label key, value)`` options; ``fill`` sets its value."""

        def labelled() -> list[tuple[str, str]]:
            return [(t(key), value) for key, value in options]

        select: Select[str] = Select(labelled(), allow_blank=False, id=select_id)

        def relabel() -> None:
            value = select.value
            with self.prevent(Select.Changed):
                select.set_options(labelled())  # resets the value: put it back, redraw it
                select.value = value
                select.mutate_reactive(Select.value)

        self._relabels.append(relabel)
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

"""The Shapes panel's dialogs: edit a layer (its spec text, prefilled), insert layers after
one (a layer kind picks a starting snippet), or change the input shape.

They parse what is typed with the spec grammar and refuse it, column and caret included, until
it parses; whether the network then traces is the table's business. Buttons make every edit
reachable with the mouse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from convtui.core.layers import Layer, Shape
from convtui.core.spec import SpecError, parse_spec
from convtui.i18n import t
from convtui.ui.panel.screen import Dialog
from convtui.ui.shapes.view import spec_error_text
from convtui.ui.widgets.option_lists import Select

REPLACE, INSERT, DELETE, UP, DOWN, INPUT_SHAPE = (
    "replace", "insert", "delete", "up", "down", "input")


@dataclass(frozen=True)
class LayerEdit:
    """What the user asked for: ``action`` with the typed ``layers`` (replace, insert) or the
    new input ``shape``."""

    action: str
    layers: tuple[Layer, ...] = ()
    shape: Shape | None = None


def templates(channels: int | None, features: int | None) -> list[tuple[str, str]]:
    """(kind, snippet) pairs to start an inserted layer from. ``channels`` is the channel count
    at the insertion point (None for a board-form [H, W] map or after flatten), ``features``
    the feature count after flatten; the snippets use them so the result fits."""
    c = channels or 16
    conv = f"conv({c},3,p=1)" if channels or features else "conv(k=3)"
    wide = 2 * c
    return [
        ("conv (Conv2d)", conv),
        ("maxpool (MaxPool2d)", "maxpool(2)"),
        ("avgpool (AvgPool2d)", "avgpool(2)"),
        ("relu (ReLU)", "relu"),
        ("bn (BatchNorm2d)", "bn"),
        ("convT (ConvTranspose2d)", f"convT({c},2,s=2)" if channels else "convT(k=2,s=2)"),
        ("adaptiveavgpool", "adaptiveavgpool(1)"),
        ("flatten (Flatten)", "flatten"),
        ("linear (Linear)", f"linear({features},10)" if features else "linear(10)"),
        ("dropout (Dropout)", "dropout"),
        (t("shapes.dialog.identity_block"),
         f"res(conv({c},3,p=1) bn relu conv({c},3,p=1) bn) relu"),
        (t("shapes.dialog.projection_block"),
         f"res(conv({wide},3,s=2,p=1) bn relu conv({wide},3,p=1) bn | conv({wide},1,s=2) bn) "
         "relu"),
    ]


def parse_shape(text: str) -> Shape:
    """``1x3x32x32`` (2 to 4 dimensions) as a shape; SpecError otherwise."""
    stripped = text.strip()
    if not re.fullmatch(r"[0-9]+(x[0-9]+){1,3}", stripped):
        raise SpecError(text, 0, t("shapes.dialog.shape_form"))
    shape = parse_spec(f"{stripped}:").input_shape
    assert shape is not None
    return shape


class LayerDialog(Dialog[LayerEdit | None]):
    """``mode`` is REPLACE (edit a layer: apply, insert a copy after, delete, move), INSERT
    (with ``snippets`` to pick from, made by ``make_snippets``) or INPUT_SHAPE. ``title`` is
    called to word the title, so both follow a change of language."""

    DEFAULT_CSS = """
    LayerDialog { align: center middle; }
    LayerDialog > Vertical {
        width: 90%; max-width: 96; height: auto; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    LayerDialog Label { width: 100%; }
    LayerDialog #dialog-help { color: $text-muted; }
    LayerDialog Input { margin: 1 0 0 0; }
    LayerDialog #dialog-error { height: auto; }
    LayerDialog #dialog-buttons { height: auto; margin-top: 1; }
    LayerDialog #dialog-buttons Button { min-width: 0; width: auto; margin-right: 1; padding: 0; }
    LayerDialog #kind { width: 32; margin-top: 1; }
    """
    BINDINGS: ClassVar = [Binding("escape", "cancel", "keys.shapes.cancel")]

    def __init__(self, mode: str, title: Callable[[], str], text: str,
                 make_snippets: Callable[[], list[tuple[str, str]]] | None = None) -> None:
        super().__init__()
        self.mode, self.heading, self.text = mode, title, text
        self.make_snippets = make_snippets or list

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="dialog-title")
            yield Label(id="dialog-help")
            if self.mode == INSERT:
                yield Select(self.make_snippets(), value=self.text, allow_blank=False,
                             compact=True, id="kind")
            yield Input(self.text, id="dialog-text", compact=True)
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                if self.mode == REPLACE:
                    yield Button("", id="apply", variant="primary", compact=True)
                    yield Button("", id="insert", compact=True)
                    yield Button("", id="delete", variant="error", compact=True)
                    yield Button("", id="up", compact=True)
                    yield Button("", id="down", compact=True)
                else:
                    yield Button("", id="apply", variant="primary", compact=True)
                yield Button("", id="cancel", compact=True)

    def relabel(self) -> None:
        """Title, help and buttons in the current language; the typed text stays."""
        self.query_one("#dialog-title", Label).update(self.heading())
        self.query_one("#dialog-help", Label).update({
            REPLACE: t("shapes.dialog.help_replace"), INSERT: t("shapes.dialog.help_insert"),
            INPUT_SHAPE: t("shapes.dialog.help_input"),
        }[self.mode])
        buttons = {"apply": t("shapes.dialog.insert") if self.mode == INSERT
                   else t("shapes.dialog.apply"),
                   "insert": t("shapes.dialog.insert_after"), "delete": t("shapes.dialog.delete"),
                   "up": t("shapes.dialog.move_up"), "down": t("shapes.dialog.move_down"),
                   "cancel": t("shapes.dialog.cancel")}
        for button in self.query(Button):
            button.label = buttons[button.id or ""]
        if self.mode == INSERT:
            kind = self.query_one("#kind", Select)
            with self.prevent(Select.Changed):
                value = kind.value
                kind.set_options(self.make_snippets())
                kind.value = value
        if self.query_one("#dialog-error").display:
            self.finish(self.mode, check_only=True)

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.relabel()
        self.query_one("#dialog-text", Input).focus()

    @on(Select.Changed, "#kind")
    def kind_chosen(self, event: Select.Changed) -> None:
        field = self.query_one("#dialog-text", Input)
        field.value = str(event.value)
        field.focus()

    @on(Input.Submitted, "#dialog-text")
    def submitted(self) -> None:
        self.finish(INSERT if self.mode == INSERT else self.mode)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "cancel":
            self.dismiss(None)
        elif button in (DELETE, UP, DOWN):
            self.dismiss(LayerEdit(button))
        else:
            self.finish(INSERT if button == "insert" or self.mode == INSERT else self.mode)

    def finish(self, action: str, check_only: bool = False) -> None:
        """Parse the text; dismiss with the edit (unless ``check_only``), or show why it does
        not parse."""
        if not self.is_current:  # a second Enter queued behind the one that closed the dialog:
            return  # its widgets are gone
        field = self.query_one("#dialog-text", Input)
        text = field.value
        try:
            if self.mode == INPUT_SHAPE:
                edit = LayerEdit(INPUT_SHAPE, shape=parse_shape(text))
            else:
                spec = parse_spec(text)
                if spec.input_shape is not None:
                    raise SpecError(text, 0, t("shapes.dialog.shape_in_layers"))
                if not spec.layers:
                    raise SpecError(text, len(text), t("shapes.dialog.no_layers"))
                edit = LayerEdit(action, layers=spec.layers)
        except SpecError as err:
            box = self.query_one("#dialog-error", Static)
            box.display = True
            box.update(spec_error_text(err, self.query_one("#dialog-text").size.width or 60))
            if not check_only:
                field.cursor_position = min(err.position, len(text))
            return
        if not check_only:
            self.dismiss(edit)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The New run form: a run's settings, read into a TrainConfig with a message per bad field.

The fields are `convtui train`'s options; the command line fills them in. Empty optional
fields mean the option's default (seed drawn, whole dataset, all CPU cores, no TensorBoard
files, no Visdom server, MNIST where convtui looks for it, a new run folder).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from convtui.fields import FieldError, parse_float, parse_int
from convtui.i18n import t
from convtui.training.cli import visdom_url
from convtui.training.config import (
    DEVICES,
    LR_SCHEDULES,
    MAX_AUGMENT_SHIFT,
    MODEL_SUMMARIES,
    TrainConfig,
)
from convtui.training.launch import RunRequest
from convtui.ui.train.progress import set_label
from convtui.ui.widgets.option_lists import Select

#: Text fields: id -> (TrainConfig field, parser). Labels are ``train.form.<id>``.
NUMBER_FIELDS = ("augment-shift", "epochs", "batch-size", "lr", "seed", "limit-train",
                 "limit-test", "log-every", "threads", "processes")
#: Text fields after the numbers: (id, TrainConfig field or None for the run folder, wide).
TEXT_FIELDS = (("tensorboard", "tensorboard", False), ("visdom", "visdom", True),
               ("data-dir", "data_dir", True), ("run-dir", None, True))
PATH_FIELDS = tuple(field for field, _, _ in TEXT_FIELDS)
#: Fields that may stay empty; their placeholder says what empty means.
OPTIONAL_FIELDS = ("seed", "limit-train", "limit-test", "threads", *PATH_FIELDS)
LR_MAX = 10.0


class FormError(ValueError):
    """A field that cannot be read: its id and a message for the person typing."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


#: Fields of issue 19 (processes, where the run reports): their words are in
#: ``train.form.report``.
REPORT_FIELDS = ("processes", "tensorboard", "visdom")


def _label(field: str) -> str:
    return t(f"train.form.report.{field}" if field in REPORT_FIELDS else f"train.form.{field}")


def _whole(field: str, text: str, minimum: int, optional: bool) -> int | None:
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned:
        if optional:
            return None
        raise FormError(field, t("train.form.error_required", field=_label(field)))
    try:
        value = parse_int(cleaned, _label(field))  # ASCII digits only: "٣" is refused
    except FieldError:
        raise FormError(field, t("train.form.error_whole", field=_label(field),
                                 minimum=minimum, text=text.strip())) from None
    if value < minimum:
        raise FormError(field, t("train.form.error_whole", field=_label(field),
                                 minimum=minimum, text=text.strip()))
    return value


def _shift(text: str) -> int:
    value = _whole("augment-shift", text, 0, optional=False)
    if value is None or value > MAX_AUGMENT_SHIFT:
        raise FormError("augment-shift", t("train.form.error_shift", field=_label("augment-shift"),
                                           maximum=MAX_AUGMENT_SHIFT, text=text.strip()))
    return value


def _learning_rate(text: str) -> float:
    try:
        value = parse_float(text, _label("lr"))
    except FieldError:
        value = float("nan")
    if not 0 < value < LR_MAX:  # NaN fails too
        raise FormError("lr", t("train.form.error_lr", field=_label("lr"), text=text.strip(),
                                maximum=f"{LR_MAX:g}"))
    return value


#: How each number field is read: (TrainConfig field, parser of the field's text).
PARSERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "augment-shift": ("augment_shift", _shift),
    "epochs": ("epochs", lambda s: _whole("epochs", s, 1, optional=False)),
    "batch-size": ("batch_size", lambda s: _whole("batch-size", s, 1, optional=False)),
    "lr": ("lr", _learning_rate),
    "seed": ("seed", lambda s: _whole("seed", s, 0, optional=True)),
    "limit-train": ("limit_train", lambda s: _whole("limit-train", s, 1, optional=True)),
    "limit-test": ("limit_test", lambda s: _whole("limit-test", s, 1, optional=True)),
    "log-every": ("log_every", lambda s: _whole("log-every", s, 1, optional=False)),
    "threads": ("threads", lambda s: _whole("threads", s, 1, optional=True)),
    "processes": ("processes", lambda s: _whole("processes", s, 1, optional=False)),
}


def _visdom(text: str) -> str | None:
    """Empty: no Visdom; else a server's URL, checked as ``--visdom`` checks it."""
    if not text.strip():
        return None
    try:
        return visdom_url(text.strip())
    except argparse.ArgumentTypeError as err:
        raise FormError("visdom", f"{_label('visdom')}: {err}") from None


def _show(value: object) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


class RunForm(Vertical):
    """The settings grid, the model's one-line description, the Start button and the
    message saying what is wrong with a field (or with the data folder)."""

    DEFAULT_CSS = """
    RunForm { height: auto; padding: 0 1; }
    RunForm #form-grid {
        height: auto; grid-size: 4; grid-columns: auto 1fr auto 1fr; grid-rows: 1;
        grid-gutter: 0 1;
    }
    RunForm #form-grid Label { color: $text-muted; }
    RunForm #form-grid .wide { column-span: 3; }
    RunForm Input.-textual-compact { background: $boost; }
    RunForm Input.invalid { background: $error 40%; }
    /* The field being typed in stands out: Textual's compact focus is a 5% tint. */
    RunForm Input.-textual-compact:focus { background: $accent 45%; text-style: bold; }
    RunForm Select.-textual-compact:focus > SelectCurrent {
        background: $accent 45%; text-style: bold;
    }
    RunForm #form-grid Label.focused { color: $accent; text-style: bold reverse; }
    RunForm Select > SelectOverlay { border: round $accent; }
    RunForm #model-note { color: $text-muted; height: auto; margin-top: 1; }
    RunForm #form-error { height: auto; color: $error; }
    RunForm #form-buttons { height: 1; margin-top: 1; }
    RunForm #form-buttons Static { color: $text-muted; margin-left: 2; }
    """

    def __init__(self, config: TrainConfig, run_dir: str | None = None) -> None:
        super().__init__(id="run-form")
        self._config = config
        self._run_dir = run_dir

    def compose(self) -> ComposeResult:
        config = self._config
        with Grid(id="form-grid"):
            yield Label(_label("model"), id="label-model")
            yield Select([(name, name) for name in MODEL_SUMMARIES], value=config.model,
                         allow_blank=False, compact=True, id="model")
            yield Label(_label("device"), id="label-device")
            yield Select([(name, name) for name in DEVICES], value=config.device,
                         allow_blank=False, compact=True, id="device")
            yield Label(_label("lr-schedule"), id="label-lr-schedule")
            yield Select([(name, name) for name in LR_SCHEDULES], value=config.lr_schedule,
                         allow_blank=False, compact=True, id="lr-schedule")
            for field in NUMBER_FIELDS:
                yield Label(_label(field), id=f"label-{field}")
                yield Input(_show(getattr(config, PARSERS[field][0])), compact=True, id=field,
                            placeholder=self._placeholder(field))
            for field, name, wide in TEXT_FIELDS:
                value = getattr(config, name) if name else self._run_dir
                yield Label(_label(field), id=f"label-{field}")
                yield Input(value or "", compact=True, id=field, classes="wide" if wide else "",
                            placeholder=self._placeholder(field))
        yield Static(self._model_note(config.model), id="model-note")
        yield Static("", id="form-error")
        with Horizontal(id="form-buttons"):
            yield Button(t("train.form.start"), variant="primary", compact=True, id="start")
            yield Static(t("train.form.hint"), id="form-hint")

    @staticmethod
    def _placeholder(field: str) -> str:
        if field not in OPTIONAL_FIELDS:
            return ""
        if field in REPORT_FIELDS:
            return t(f"train.form.report.placeholder_{field}")
        return t(f"train.form.placeholder.{field}")

    @staticmethod
    def _model_note(model: str) -> str:
        return t(f"train.model_summary.{model}")

    # reading ---------------------------------------------------------------------------------
    def read(self) -> RunRequest:
        """The settings typed in, or a FormError naming the first field that is wrong."""
        values: dict[str, Any] = {
            "model": str(self.query_one("#model", Select).value),
            "device": str(self.query_one("#device", Select).value),
            "lr_schedule": str(self.query_one("#lr-schedule", Select).value),
        }
        for field in NUMBER_FIELDS:
            name, parse = PARSERS[field]
            values[name] = parse(self.query_one(f"#{field}", Input).value)
        # tensorboard as config.json keeps it: relative means inside the run folder
        values["tensorboard"] = self.query_one("#tensorboard", Input).value.strip() or None
        values["visdom"] = _visdom(self.query_one("#visdom", Input).value)
        values["data_dir"] = self.query_one("#data-dir", Input).value.strip() or None
        run_dir = self.query_one("#run-dir", Input).value.strip() or None
        return RunRequest(TrainConfig(**values), run_dir)

    def show_error(self, message: str, field: str | None = None) -> None:
        """Say what is wrong (empty: nothing) and mark the field it is about."""
        # plain text: messages hold paths and "pip install 'convtui[tensorboard]'"
        self.query_one("#form-error", Static).update(Text(f"✗ {message}" if message else ""))
        for widget in self.query(Input):
            widget.set_class(widget.id == field, "invalid")
        if field:
            self.query_one(f"#{field}").focus()

    # writing ---------------------------------------------------------------------------------
    def fill(self, config: TrainConfig, run_dir: str | None = None) -> None:
        """Show ``config`` in the fields (the guided tour's preset, the command line)."""
        self.query_one("#model", Select).value = config.model
        self.query_one("#device", Select).value = config.device
        self.query_one("#lr-schedule", Select).value = config.lr_schedule
        for field in NUMBER_FIELDS:
            self.query_one(f"#{field}", Input).value = _show(getattr(config, PARSERS[field][0]))
        for field, name, _ in TEXT_FIELDS:
            value = getattr(config, name) if name else run_dir
            self.query_one(f"#{field}", Input).value = value or ""
        self.show_error("")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused field's label is marked too, so the eye finds the row."""
        self._mark_label(event.widget.id)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_label(None)

    def _mark_label(self, field: str | None) -> None:
        for label in self.query("#form-grid Label"):
            label.set_class(label.id == f"label-{field}", "focused")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "model":
            self.query_one("#model-note", Static).update(self._model_note(str(event.value)))

    def relabel(self) -> None:
        for field in (*NUMBER_FIELDS, *PATH_FIELDS, "model", "device", "lr-schedule"):
            self.query_one(f"#label-{field}", Label).update(_label(field))
        for field in (*NUMBER_FIELDS, *PATH_FIELDS):
            self.query_one(f"#{field}", Input).placeholder = self._placeholder(field)
        self.query_one("#model-note", Static).update(
            self._model_note(str(self.query_one("#model", Select).value)))
        set_label(self.query_one("#start", Button), t("train.form.start"))
        self.query_one("#form-hint", Static).update(t("train.form.hint"))

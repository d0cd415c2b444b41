"""Pooling: max and average pooling stepped window by window, the way nn.MaxPool2d and
nn.AvgPool2d compute them."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Static, TabPane

from convtui.core.examples import random_integers
from convtui.fields import FieldError, parse_pair, show_pair
from convtui.i18n import t
from convtui.i18n.wording import Phrase
from convtui.lessons.pool import (
    INPUT_PRESETS,
    MNIST,
    PRESET_LAYERS,
    RANDOM,
    PoolLesson,
    lecture_pool_lesson,
)
from convtui.ui.numbers import fmt
from convtui.ui.panel.lesson_panel import LessonPanel
from convtui.ui.panel.mnist_digits import MnistDigits
from convtui.ui.panel.settings import LessonSettings
from convtui.ui.pool.views import arithmetic, input_view, output_view, pytorch_code, window_note
from convtui.ui.widgets.grid import GridBox, GridRow, HeatGrid
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult
    from convtui.training.mnist_source import DataLocation

MAX_INPUT, MAX_KERNEL = 32, 8


class PoolSettings(LessonSettings[PoolLesson]):
    """The input, the kind of pooling and the layer's settings."""

    def fields(self) -> ComposeResult:
        yield self.caption("pool.settings.input")
        yield self.choice("input-preset", [(f"pool.inputs.{p}", p) for p in INPUT_PRESETS])
        yield self.caption("pool.settings.input_size")
        yield Input(id="in-size")
        yield self.caption("pool.settings.kind")
        yield self.choice("kind", [("pool.kinds.max", "max"), ("pool.kinds.avg", "avg")])
        yield self.caption("pool.settings.kernel_stride")
        with Horizontal(classes="pair"):
            yield Input(id="kernel-size")
            yield self.placeholder(Input(id="stride"), "pool.settings.stride_placeholder")
        yield self.caption("pool.settings.padding_dilation")
        with Horizontal(classes="pair"):
            yield Input(id="padding")
            yield Input(id="dilation")
        yield Checkbox("ceil_mode", compact=True, id="ceil-mode")
        yield self.checkbox("count-include-pad", "pool.settings.count_include_pad")

    def fill(self, lesson: PoolLesson) -> None:
        self.query_one("#input-preset", Select).value = lesson.input_name
        self.query_one("#kind", Select).value = lesson.kind
        for field, value in (
            ("in-size", f"{lesson.x.shape[0]}x{lesson.x.shape[1]}"),
            ("kernel-size", show_pair(lesson.kernel_size)),
            ("stride", "" if lesson.stride is None else show_pair(lesson.stride)),
            ("padding", show_pair(lesson.padding)),
            ("dilation", show_pair(lesson.dilation)),
        ):
            self.query_one(f"#{field}", Input).value = value
        self.query_one("#ceil-mode", Checkbox).value = lesson.ceil_mode
        self.query_one("#count-include-pad", Checkbox).value = lesson.count_include_pad


class PoolScreen(MnistDigits, LessonPanel[PoolLesson]):
    PANEL = "pool"
    PRESETS: ClassVar[tuple[str, ...]] = ("lecture",)
    SETTINGS = PoolSettings
    FIRST_SETTING = "input-preset"

    DEFAULT_CSS = """
    PoolScreen #pool-grids { max-height: 60%; }
    PoolScreen.large #pool-grids { height: 60%; }
    PoolScreen.large #pool-input-box, PoolScreen.large #pool-output-box { height: 100%; }
    PoolScreen #pool-arrow { width: 3; height: 100%; content-align: center middle; }
    PoolScreen #settings Checkbox { margin-bottom: 1; }
    PoolScreen #window-note.error { color: $error; }
    """

    BINDINGS: ClassVar = [
        Binding("s", "toggle_settings", "keys.pool.settings"),
        Binding("k", "toggle_kind", "keys.pool.kind"),
        Binding("c", "check", "keys.pool.check"),
        Binding("r", "randomize", "keys.pool.random", show=False),
        Binding("a", "show_tab('arith')", "keys.pool.arithmetic", show=False),
        Binding("p", "show_tab('code')", "keys.pool.pytorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(lecture_pool_lesson())
        self.seed = 0
        self.digit = 0  # the MNIST test digit shown (or last shown)
        self.mnist_missing: str | None = None  # why no MNIST digit came

    # layout ----------------------------------------------------------------------------
    def compose_lesson(self) -> ComposeResult:
        with GridRow(id="pool-grids"):
            with GridBox(id="pool-input-box"):
                yield HeatGrid(id="input-grid")
            yield Static("→", id="pool-arrow")
            with GridBox(id="pool-output-box"):
                yield HeatGrid(id="output-grid")
        yield Static(id="window-note")

    def compose_views(self) -> ComposeResult:
        with TabPane(self.tab_title("arith"), id="arith"), VerticalScroll():
            yield Static(id="arithmetic")

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        lesson = self.lesson
        inputs = input_view(lesson)
        self.set_class(inputs.compact, "large")
        self.query_one("#input-grid", HeatGrid).show(inputs)
        self.query_one("#output-grid", HeatGrid).show(output_view(lesson))
        self.query_one(GridRow).fit()
        self.query_one("#arithmetic", Static).update(arithmetic(lesson))
        self.query_one("#code-view", Static).update(pytorch_code(lesson))
        note = self.query_one("#window-note", Static)
        if self.mnist_missing is not None:
            from convtui.training.mnist_source import ENV_VAR

            note.update(Text(t("pool.mnist.missing", reason=self.mnist_missing, env=ENV_VAR)))
        else:
            note.update(Text(window_note(lesson)))
        note.set_class(self.mnist_missing is not None, "error")
        self.update_status(Phrase("pool.mnist.missing_status") if self.mnist_missing else None)
        self.call_after_refresh(self._follow_window)

    def _follow_window(self) -> None:
        """Scroll large grids so the current window and output cell stay in sight."""
        step, canvas = self.lesson.current, self.lesson.canvas
        self.query_one("#pool-input-box", GridBox).reveal(
            self.query_one("#input-grid", HeatGrid),
            canvas.to_canvas(step.rows[0], step.cols[0]),
            canvas.to_canvas(step.rows[-1], step.cols[-1]))
        cell = (step.out_row, step.out_col)
        self.query_one("#pool-output-box", GridBox).reveal(
            self.query_one("#output-grid", HeatGrid), cell, cell)

    def status_parts(self) -> list[str]:
        lesson = self.lesson
        step = lesson.current
        if lesson.input_name == MNIST and self._mnist is not None:
            source = t("pool.inputs.mnist_digit", index=self.digit,
                       label=int(self._mnist[1][self.digit]))
        else:
            source = t(f"pool.inputs.{lesson.input_name}")
        return [f"out[{step.out_row},{step.out_col}] = {fmt(step.value)}", source]

    def set_lesson(self, lesson: PoolLesson) -> None:
        self.mnist_missing = None
        super().set_lesson(lesson)

    def relabel(self) -> None:
        super().relabel()
        if self.mnist_missing is not None:  # read again: the reason in the new language
            self.load_digit(self.digit, show=False)

    # presets ---------------------------------------------------------------------------
    def show_preset(self, preset: str) -> None:
        """``lecture``: the lecture's 2×2 max pooling, stride 2, of its 4×4 input, at the
        first step."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        self.open_preset(lecture_pool_lesson)

    # keys ------------------------------------------------------------------------------
    @on(HeatGrid.CellClicked, "#output-grid")
    @on(HeatGrid.CursorMoved, "#output-grid")
    def jump_to_output(self, event: HeatGrid.CellClicked) -> None:
        self.go_to(event.row * self.lesson.trace.geometry.out_size[1] + event.col)

    def action_toggle_kind(self) -> None:
        self.apply(lambda: self.lesson.with_(kind="avg" if self.lesson.kind == "max" else "max"))

    def action_randomize(self) -> None:
        if self.lesson.input_name == MNIST:
            self.load_digit(self.digit + 1)
            return
        self.seed += 1
        self.apply(lambda: self.lesson.with_(
            x=random_integers(self.lesson.x.shape, self.seed, 0, 9), input_name=RANDOM, step=0))

    # settings --------------------------------------------------------------------------
    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    @on(Input.Changed, "#settings Input")
    @on(Select.Changed, "#settings Select")
    @on(Checkbox.Changed, "#settings Checkbox")
    def settings_changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        if not self._ready:
            return
        changed = event.control.id or ""
        preset = self.select_value("input-preset")
        if changed == "input-preset" and preset == MNIST:
            self.load_digit(self.digit)
        elif changed == "input-preset" and preset in PRESET_LAYERS:
            self.apply(lambda: lecture_pool_lesson(preset))
        else:
            self.apply(lambda: self._lesson_from_fields(changed), sync=False)

    def _lesson_from_fields(self, changed: str) -> PoolLesson:
        kernel = parse_pair(self._field("kernel-size"), "kernel_size", minimum=1)
        stride_text = self._field("stride").strip()
        stride = parse_pair(stride_text, "stride") if stride_text else None
        padding = parse_pair(self._field("padding"), "padding")
        dilation = parse_pair(self._field("dilation"), "dilation")
        if max(kernel) > MAX_KERNEL:
            raise FieldError(t("pool.kernel_limit", max=MAX_KERNEL))
        x, name = self._input_for(self.select_value("input-preset"), changed)
        lesson = self.lesson.with_(
            x=x, kind=self.select_value("kind"), kernel_size=kernel, stride=stride,
            padding=padding, dilation=dilation,
            ceil_mode=self.query_one("#ceil-mode", Checkbox).value,
            count_include_pad=self.query_one("#count-include-pad", Checkbox).value,
            input_name=name,
        )
        if name == RANDOM:  # a size typed over a lecture input or a digit made a random one
            with self.prevent(Select.Changed):
                self.query_one("#input-preset", Select).value = RANDOM
        return lesson

    def _input_for(self, preset: str, changed: str) -> tuple[np.ndarray, str]:
        """A new random input when asked for one or its size changes; else the input shown.
        A new size typed while a lecture input or a digit is shown (whose size is fixed) asks
        for a random input of that size, and the input choice switches to say so."""
        if preset == RANDOM or changed == "in-size":
            h, w = parse_pair(self._field("in-size"), t("pool.fields.input_size"), minimum=1)
            if max(h, w) > MAX_INPUT:
                raise FieldError(t("pool.input_limit", max=MAX_INPUT))
            if self.lesson.x.shape != (h, w):
                preset = RANDOM
            if preset == RANDOM and (changed in ("input-preset", "in-size")
                                     or self.lesson.input_name != RANDOM
                                     or self.lesson.x.shape != (h, w)):
                return random_integers((h, w), self.seed, 0, 9), RANDOM
        return self.lesson.x, self.lesson.input_name

    # MNIST -----------------------------------------------------------------------------
    def show_digit(self, index: int) -> None:
        assert self._mnist is not None
        self.digit = index
        self.apply(lambda: self.lesson.with_(x=self._mnist[0][index].astype(np.float64),
                                             input_name=MNIST, step=0, **PRESET_LAYERS[MNIST]))

    def mnist_failed(self, location: DataLocation, reason: str) -> None:
        """Keep the input shown before (and its preset), and say why the digit did not come."""
        self.sync_settings()
        self.mnist_missing = reason
        self.redraw()

    # PyTorch ---------------------------------------------------------------------------
    def pytorch_checks(self, lesson: PoolLesson) -> list[tuple[str, CheckResult]]:
        from convtui.pytorch.check import check_pool

        g = lesson.trace.geometry
        return [("", check_pool(lesson.x, lesson.kind, g.kernel, g.stride, g.padding,
                                g.dilation, g.ceil_mode, g.count_include_pad,
                                lesson.trace.output))]


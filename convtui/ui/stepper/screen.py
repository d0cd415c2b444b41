"""The Stepper: a kernel stepped across an input, one multiply-and-sum at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.widgets import Input, Static, TabPane

from convtui.core.examples import random_integers
from convtui.core.geometry import PADDING_MODES
from convtui.fields import (
    FieldError,
    parse_float,
    parse_int,
    parse_padding,
    parse_pair,
    show_padding,
    show_pair,
)
from convtui.i18n import t, tn
from convtui.i18n.wording import Phrase
from convtui.lessons.conv import ConvLesson, lecture_lesson
from convtui.lessons.conv_arrays import (
    EDITED,
    FIXED_INPUTS,
    LOADED,
    MAX_CHANNELS,
    MAX_INPUT,
    MAX_KERNEL,
    MNIST,
    RANDOM,
    Loaded,
    arrays_problem,
    input_for,
    input_presets,
    kernel_for,
    kernel_presets,
    next_kernel,
)
from convtui.ui.numbers import fmt, fmt_full
from convtui.ui.panel.conv_views import (
    arithmetic,
    arithmetic_notes,
    input_view,
    kernel_view,
    neuron,
    output_view,
    pytorch_code,
    window_note,
)
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.panel.lesson_panel import LessonPanel
from convtui.ui.panel.messages import OpenInStepper
from convtui.ui.panel.mnist_digits import MnistDigits
from convtui.ui.panel.settings import LessonSettings
from convtui.ui.panel.worded import Worded
from convtui.ui.widgets.grid import GridBox, HeatGrid
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult
    from convtui.training.mnist_source import DataLocation


def input_label(value: str) -> str:
    return t(f"stepper.inputs.{value}")


def kernel_label(value: str) -> str:
    return t(_kernel_key(value))


def _kernel_key(value: str) -> str:
    return f"stepper.kernels.{value.replace(' ', '_')}"


class StepperSettings(LessonSettings[ConvLesson]):
    """The input, the kernel and the layer's settings. The presets offered grow by one once
    another panel has handed arrays over; the digit field shows while the input is MNIST's."""

    DEFAULT_CSS = "StepperSettings #digit-row { height: auto; }"

    def __init__(self, loaded: Callable[[], Loaded | None], digit: Callable[[], int]) -> None:
        super().__init__()
        self.loaded, self.digit = loaded, digit

    def fields(self) -> ComposeResult:
        yield self.caption("stepper.settings.input", "cap-input")
        yield self.choice("input-preset", lambda: [
            (f"stepper.inputs.{v}", v) for v in input_presets(self.loaded())])
        yield self.caption("stepper.settings.input_size", "cap-input-size")
        with Horizontal(classes="pair"):
            yield Input(id="in-size")
            yield Input(id="channels")
        yield self.caption("stepper.settings.kernel", "cap-kernel")
        yield self.choice("kernel-preset", lambda: [
            (_kernel_key(v), v) for v in kernel_presets(self.loaded())])
        yield self.caption("stepper.settings.kernel_size", "cap-kernel-size")
        with Horizontal(classes="pair"):
            yield Input(id="kernel-size")
            yield Input(id="bias")
        yield self.caption("stepper.settings.stride_dilation", "cap-stride")
        with Horizontal(classes="pair"):
            yield Input(id="stride")
            yield Input(id="dilation")
        yield self.caption("stepper.settings.padding", "cap-padding")
        yield Input(id="padding")
        yield self.caption("stepper.settings.padding_mode", "cap-padding-mode")
        yield Select([(m, m) for m in PADDING_MODES], allow_blank=False, id="padding-mode")
        with Vertical(id="digit-row"):  # shown while the input is an MNIST digit
            yield self.caption("stepper.settings.digit", "cap-digit")
            yield Input(id="digit")

    def fill(self, lesson: ConvLesson) -> None:
        c, h, w = lesson.x.shape
        kh, kw = lesson.kernel.shape[1:]
        self.query_one("#input-preset", Select).value = lesson.input_name
        self.query_one("#kernel-preset", Select).value = lesson.kernel_name
        self.query_one("#padding-mode", Select).value = lesson.padding_mode
        for field, value in (
            ("in-size", f"{h}x{w}"),
            ("channels", str(c)),
            ("kernel-size", f"{kh}x{kw}"),
            ("bias", fmt_full(lesson.bias)),
            ("stride", show_pair(lesson.stride)),
            ("dilation", show_pair(lesson.dilation)),
            ("padding", show_padding(lesson.padding)),
            ("digit", str(self.digit())),
        ):
            self.query_one(f"#{field}", Input).value = value
        self.query_one("#digit-row").display = lesson.input_name == MNIST


class StepperScreen(MnistDigits, LessonPanel[ConvLesson]):
    PANEL = "stepper"
    FIRST_SETTING = "input-preset"
    PRESETS: ClassVar[tuple[str, ...]] = ("lecture", "stride-padding", "multichannel")
    WIDE_CODE = True

    DEFAULT_CSS = """
    StepperScreen #conv-grids { height: auto; max-height: 60%; }
    StepperScreen.large #conv-grids { height: 60%; }
    StepperScreen.large GridBox { height: 100%; }
    StepperScreen #input-box, StepperScreen #output-box { max-width: 50%; }
    StepperScreen #kernel-box { max-width: 45%; }
    StepperScreen.large #input-box { width: 3fr; max-width: 100%; }
    StepperScreen.large #output-box { width: 2fr; max-width: 100%; }
    StepperScreen #source { height: auto; padding: 0 1; color: $text-muted; }
    StepperScreen #source.error { color: $error; }
    StepperScreen #views ScrollableContainer > .wide { width: auto; }
    StepperScreen #arith-notes { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar = [
        Binding("s", "toggle_settings", "keys.stepper.settings"),
        Binding("c", "check", "keys.stepper.check"),
        Binding("r", "randomize", "keys.stepper.random", show=False),
        Binding("k", "next_kernel", "keys.stepper.kernel", show=False),
        Binding("m", "digit(1)", "keys.stepper.digit_next", show=False),
        Binding("M", "digit(-1)", "keys.stepper.digit_previous", show=False),
        Binding("left_square_bracket", "channel(-1)", "keys.stepper.channel_previous",
                show=False),
        Binding("right_square_bracket", "channel(1)", "keys.stepper.channel_next", show=False),
        Binding("a", "show_tab('arith')", "keys.stepper.arithmetic", show=False),
        Binding("n", "show_tab('neuron')", "keys.stepper.neuron", show=False),
        Binding("p", "show_tab('code')", "keys.stepper.pytorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(lecture_lesson())
        self.selected_input: tuple[int, int] | None = None
        self.seed = 0
        self.digit = 0  # the MNIST test digit shown, or shown next by `m`
        self.loaded: Loaded | None = None
        #: A problem to show above the views until the lesson changes, worded when drawn.
        self.notice: Callable[[], str] | None = None
        self._mnist_notice: Callable[[], str] | None = None  # the notice of MNIST's failure

    # layout ----------------------------------------------------------------------------
    def compose_lesson(self) -> ComposeResult:
        with Horizontal(id="conv-grids"):
            with GridBox(id="input-box"):
                yield HeatGrid(id="input-grid")
            yield Static("⋆", classes="op")
            with GridBox(id="kernel-box"):
                yield HeatGrid(id="kernel-grid")
            yield Static("=", classes="op")
            with GridBox(id="output-box"):
                yield HeatGrid(id="output-grid")
        yield Worded(hide_empty=True, id="source")
        yield Static(id="window-note")

    def compose_views(self) -> ComposeResult:
        with TabPane(self.tab_title("arith"), id="arith"), ScrollableContainer():
            yield Static(id="arithmetic", classes="wide")
            yield Static(id="arith-notes")
        with TabPane(self.tab_title("neuron"), id="neuron"), ScrollableContainer():
            yield Static(id="neuron-view", classes="wide")

    def make_settings(self) -> StepperSettings:
        return StepperSettings(lambda: self.loaded, lambda: self.digit)

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        lesson = self.lesson
        marks_in: frozenset[tuple[int, int]] = frozenset()
        marks_out: frozenset[tuple[int, int]] = frozenset()
        if self.selected_input is not None:
            marks_in = frozenset({self.selected_input})
            marks_out = frozenset(lesson.trace.outputs_using(*self.selected_input))
        inputs = input_view(lesson, marks_in)
        self.set_class(inputs.compact, "large")
        self.query_one("#input-grid", HeatGrid).show(inputs)
        self.query_one("#kernel-grid", HeatGrid).show(kernel_view(lesson))
        self.query_one("#output-grid", HeatGrid).show(output_view(lesson, marks_out))
        step = lesson.current
        self.query_one("#arithmetic", Static).update(arithmetic(step))
        self.query_one("#arith-notes", Static).update(arithmetic_notes(lesson))
        self.query_one("#neuron-view", Static).update(neuron(step, lesson.channel))
        self.query_one("#code-view", Static).update(Text(pytorch_code(lesson)))
        self.query_one("#window-note", Static).update(Text(window_note(lesson)))
        self._draw_source()
        self.update_status()
        self.call_after_refresh(self._follow_window)

    def _draw_source(self) -> None:
        """Where the input came from (an MNIST digit, arrays from the Train panel), or the
        problem that kept a new one from coming."""
        self.query_one("#source", Worded).say(self.notice or self._source_text,
                                              error=self.notice is not None)

    def _source_text(self) -> str:
        parts = []
        if self.lesson.input_name == MNIST and self._mnist is not None:
            labels = self._mnist[1]
            parts.append(t("stepper.mnist.source", index=self.digit, count=len(labels),
                           label=int(labels[self.digit])))
        if self.loaded is not None and LOADED in (self.lesson.input_name,
                                                  self.lesson.kernel_name):
            parts.append(t("stepper.loaded.source", label=self.loaded.label))
            if self.loaded.normalised and self.lesson.input_name == LOADED:
                from convtui.training.mnist_source import MEAN, STD

                parts.append(t("stepper_loaded.normalised", mean=MEAN, std=STD,
                               black=fmt((0 - MEAN) / STD), white=fmt((1 - MEAN) / STD)))
        return "\n".join(parts)

    def check_text(self) -> str:
        """The check's verdict in the Stepper's words: the torch version, the cells compared
        and the largest difference, or the first cell that differs."""
        outcome = self.check_outcome
        if self.check_is_stale() or isinstance(outcome, str):
            return super().check_text()
        (_, check), = outcome
        if check.ok:
            return t("stepper.check.agrees", version=check.torch_version,
                     cells=tn("lesson_counts.all_output_cells", check.cells),
                     diff=f"{check.max_abs_diff:.1e}")
        return t("stepper.check.disagrees", version=check.torch_version, cells=check.cells,
                 count=len(check.mismatches), first=check.mismatches[0])

    def check_status(self) -> str:
        return self.check_text()

    def _follow_window(self) -> None:
        """Scroll big grids so the current window and the output cell stay in sight (or the
        cursor, while the user moves it over the input)."""
        step = self.lesson.current
        top, _, left, _ = self.lesson.trace.geometry.pads
        first = (step.rows[0] + top, step.cols[0] + left)
        last = (step.rows[-1] + top, step.cols[-1] + left)
        inputs = self.query_one("#input-grid", HeatGrid)
        if inputs.has_focus and inputs.cursor is not None:
            first = last = inputs.cursor
        self.query_one("#input-box", GridBox).reveal(inputs, first, last)
        cell = (step.out_row, step.out_col)
        self.query_one("#output-box", GridBox).reveal(
            self.query_one("#output-grid", HeatGrid), cell, cell)

    def status_parts(self) -> list[str]:
        step = self.lesson.current
        parts = [f"out[{step.out_row},{step.out_col}] = {fmt(step.total)}"]
        if self.selected_input is not None:
            r, c = self.selected_input
            feeds = self.lesson.trace.outputs_using(r, c)
            parts.append(t("stepper.status.feeds", row=r, col=c,
                           count=tn("lesson_counts.output_cells", len(feeds))))
        return parts

    def relabel(self) -> None:
        """Every text in the current language; the lesson, the step, the settings typed and
        the player all stay as they are."""
        super().relabel()
        if self.notice is not None and self.notice is self._mnist_notice:
            self.load_digit(self.digit, show=False)  # worded again, off the UI thread

    def set_lesson(self, lesson: ConvLesson) -> None:
        self.notice = None
        h, w = lesson.x.shape[1:]
        if self.selected_input and not (0 <= self.selected_input[0] < h
                                        and 0 <= self.selected_input[1] < w):
            self.selected_input = None
        super().set_lesson(lesson)

    # presets for the guided tour --------------------------------------------------------
    def show_preset(self, preset: str) -> None:
        """lecture: the lecture's 5×5 input and 3×3 kernel at the first step, arithmetic
        shown; stride-padding: the same with stride 2 and padding 1; multichannel: a
        3-channel input and kernel, neuron view shown."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        lesson, tab = lecture_lesson(), "arith"
        if preset == "stride-padding":
            lesson = lesson.with_(stride=(2, 2), padding=1)
        elif preset == "multichannel":
            lesson = lesson.with_(x=random_integers((3, 5, 5), 0, 0, 9), input_name=RANDOM,
                                  kernel=random_integers((3, 3, 3), 1000, -1, 1),
                                  kernel_name=RANDOM)
            tab = "neuron"
        self.seed, self.selected_input = 0, None
        self.open_preset(lambda: lesson, tab)

    def action_channel(self, delta: int) -> None:
        self.set_lesson(self.lesson.with_(channel=self.lesson.channel + delta))

    # grids -----------------------------------------------------------------------------
    @on(HeatGrid.CellClicked, "#output-grid")
    @on(HeatGrid.CursorMoved, "#output-grid")
    def jump_to_output(self, event: HeatGrid.CellClicked) -> None:
        self.set_lesson(self.lesson.with_(step=self.lesson.trace.step_of(event.row, event.col)))

    @on(HeatGrid.CellClicked, "#input-grid")
    @on(HeatGrid.CursorMoved, "#input-grid")
    def select_input(self, event: HeatGrid.CellClicked) -> None:
        top, _, left, _ = self.lesson.trace.geometry.pads
        r, c = event.row - top, event.col - left
        h, w = self.lesson.x.shape[1:]
        self.selected_input = (r, c) if (0 <= r < h and 0 <= c < w) else None
        self.redraw()
        if self.selected_input is None:
            self.update_status(Phrase("stepper.status.padding_cell"))

    @on(HeatGrid.EditRequested, "#input-grid")
    def edit_input(self, event: HeatGrid.EditRequested) -> None:
        top, _, left, _ = self.lesson.trace.geometry.pads
        r, c = event.row - top, event.col - left
        h, w = self.lesson.x.shape[1:]
        if not (0 <= r < h and 0 <= c < w):
            self.update_status(Phrase("stepper.status.edit_padding"))
            return
        ch = self.lesson.channel

        def apply(value: float | None) -> None:
            if value is not None:
                x = self.lesson.x.copy()
                x[ch, r, c] = value
                self._show_lesson(self.lesson.with_(x=x, input_name=EDITED))

        self.app.push_screen(EditCellScreen(f"input[{r},{c}]", fmt(self.lesson.x[ch, r, c])),
                             apply)

    @on(HeatGrid.EditRequested, "#kernel-grid")
    def edit_kernel(self, event: HeatGrid.EditRequested) -> None:
        i, j, ch = event.row, event.col, self.lesson.channel

        def apply(value: float | None) -> None:
            if value is not None:
                kernel = self.lesson.kernel.copy()
                kernel[ch, i, j] = value
                self._show_lesson(self.lesson.with_(kernel=kernel, kernel_name=EDITED))

        self.app.push_screen(
            EditCellScreen(f"weight[{i},{j}]", fmt(self.lesson.kernel[ch, i, j])), apply)

    # settings --------------------------------------------------------------------------
    def _show_lesson(self, lesson: ConvLesson) -> None:
        """A lesson chosen by key, preset or another panel: drawn, and put into the open
        settings, whose error (if any) no longer applies."""
        self.apply(lambda: lesson)

    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    @on(Input.Changed, "#settings Input")
    @on(Select.Changed, "#settings Select")
    def settings_changed(self, event: Input.Changed | Select.Changed) -> None:
        if not self._ready:
            return
        changed = event.control.id or ""
        if changed == "input-preset" and self.select_value("input-preset") == MNIST:
            self.load_digit(self.digit)
        elif changed == "digit":
            self._digit_typed()
        else:
            # a preset brings its own size: show it
            self.apply(lambda: self._lesson_from_fields(changed),
                       sync=changed.endswith("-preset"))

    def _digit_typed(self) -> None:
        try:
            index = parse_int(self._field("digit"), t("stepper.settings.name_digit"),
                              minimum=0)
        except FieldError as err:
            self.show_error(str(err))
            return
        self.load_digit(index, wrap=False)

    def _lesson_from_fields(self, changed: str) -> ConvLesson:
        h, w = parse_pair(self._field("in-size"), t("stepper.settings.name_input_size"),
                          minimum=1)
        channels = parse_int(self._field("channels"), t("stepper.settings.name_channels"),
                             minimum=1)
        kh, kw = parse_pair(self._field("kernel-size"), t("stepper.settings.name_kernel_size"),
                            minimum=1)
        if max(h, w) > MAX_INPUT or channels > MAX_CHANNELS or max(kh, kw) > MAX_KERNEL:
            raise FieldError(t("stepper.settings.too_big"))
        bias = parse_float(self._field("bias"), t("stepper.settings.name_bias"))
        stride = parse_pair(self._field("stride"), "stride")
        dilation = parse_pair(self._field("dilation"), "dilation")
        padding = parse_padding(self._field("padding"))
        input_preset = self.select_value("input-preset")
        if input_preset == MNIST and self.lesson.input_name != MNIST:
            input_preset = self.lesson.input_name  # the digit is still on its way
        if changed in ("in-size", "channels") and input_preset in FIXED_INPUTS and \
                (channels, h, w) != self.lesson.x.shape:
            input_preset = RANDOM
        x = input_for(input_preset, (channels, h, w), changed, self.lesson, self.loaded,
                      self.seed)
        kernel_preset = self.select_value("kernel-preset")
        kernel = kernel_for(kernel_preset, (x.shape[0], kh, kw), changed, self.lesson,
                            self.loaded, self.seed)
        lesson = self.lesson.with_(
            x=x, kernel=kernel, bias=bias, stride=stride, dilation=dilation, padding=padding,
            padding_mode=self.select_value("padding-mode"), input_name=input_preset,
            kernel_name=kernel_preset,
        )
        if input_preset != self.select_value("input-preset"):
            self._fill_settings_preset(input_preset)
        return lesson

    def _fill_settings_preset(self, preset: str) -> None:
        for select in self.query("#input-preset").results(Select):
            with self.prevent(Select.Changed):
                select.value = preset

    def action_randomize(self) -> None:
        self.seed += 1
        x = input_for(RANDOM, self.lesson.x.shape, "input-preset", self.lesson, self.loaded,
                      self.seed)
        self._show_lesson(self.lesson.with_(x=x, input_name=RANDOM))

    def action_next_kernel(self) -> None:
        name = next_kernel(self.lesson.kernel_name)
        kernel = kernel_for(name, self.lesson.kernel.shape, "kernel-preset", self.lesson,
                            self.loaded, self.seed)
        self._show_lesson(self.lesson.with_(kernel=kernel, kernel_name=name))

    # arrays from elsewhere: an MNIST digit, or the Train panel's digit and kernel ---------
    def action_digit(self, delta: int) -> None:
        """The next (or previous) MNIST digit; the first press shows the current one."""
        self.load_digit(self.digit + delta if self.lesson.input_name == MNIST else self.digit)

    def show_digit(self, index: int) -> None:
        assert self._mnist is not None
        images, labels = self._mnist
        if not 0 <= index < len(labels):
            self.show_error(tn("stepper.mnist.out_of_range", len(labels),
                               last=len(labels) - 1, index=index))
            return
        digit = images[index].astype(np.float64)[None]
        _, kh, kw = self.lesson.kernel.shape
        try:
            kernel = kernel_for(self.lesson.kernel_name, (1, kh, kw), "", self.lesson,
                                self.loaded, self.seed)
            lesson = self.lesson.with_(x=digit, kernel=kernel, input_name=MNIST, step=0,
                                       channel=0)
        except ValueError as err:
            self.show_error(str(err))
            self._fill_settings_preset(self.lesson.input_name)
            return
        self.digit = index
        self.selected_input = None
        self._show_lesson(lesson)

    def mnist_failed(self, location: DataLocation, reason: str) -> None:
        """Keep the input shown before (and its preset), and say why the digit did not come
        and how to get MNIST."""
        from convtui.training.idx import missing_files
        from convtui.training.mnist_source import file_list

        missing = missing_files(location.folder)  # once: the notice is worded on every redraw

        def notice() -> str:
            if not missing:
                return t("stepper.mnist.unreadable", detail=reason)
            source = t("stepper.mnist.from_cache") if location.downloadable else location.source
            return t("stepper.mnist.missing", folder=location.folder, source=source,
                     missing=", ".join(missing), files=file_list())

        self._fill_settings_preset(self.lesson.input_name)
        self.notice = self._mnist_notice = notice
        self.redraw()
        self.update_status(Phrase("stepper.mnist.status"))

    def on_open_in_stepper(self, message: OpenInStepper) -> None:
        message.stop()  # arrived: the app sent it here
        self.load_arrays(message.image, message.kernel, message.label, message.normalised)

    def load_arrays(self, image: np.ndarray, kernel: np.ndarray, label: str,
                    normalised: bool = False) -> None:
        """Step ``kernel`` (kH, kW) across ``image`` (H, W): one channel, stride 1, no
        padding, bias 0, starting at the first step, with ``label`` saying where they came
        from (and, with ``normalised``, that the image is an MNIST digit standardised as
        training does, so its pixels are not 0-255). Arrays the Stepper cannot show are
        refused with a message on screen; the lesson shown before stays."""
        image = np.array(image, dtype=np.float64)
        kernel = np.array(kernel, dtype=np.float64)
        if arrays_problem(image, kernel):
            self.notice = lambda: t("stepper.loaded.refused", label=label,
                                    reason=arrays_problem(image, kernel))
            if self._drawn:
                self.redraw()
            return
        self.loaded = Loaded(image[None], kernel[None], label, normalised)
        self.stop_player()
        self.selected_input = None
        self._show_lesson(ConvLesson(self.loaded.image, self.loaded.kernel,
                                     input_name=LOADED, kernel_name=LOADED))
        self.action_show_tab("arith")

    # PyTorch ---------------------------------------------------------------------------
    def pytorch_checks(self, lesson: ConvLesson) -> list[tuple[str, CheckResult]]:
        from convtui.pytorch.check import check_conv

        return [("", check_conv(lesson.x, lesson.kernel, lesson.bias, lesson.stride,
                                lesson.padding, lesson.dilation, lesson.padding_mode,
                                lesson.flip, lesson.trace.output))]

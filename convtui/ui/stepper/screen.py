"""The Stepper: a kernel stepped across an input, one multiply-and-sum at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TabbedContent, TabPane

from convtui.core.examples import KERNELS, LECTURE_INPUT, kernel_of_size, random_integers
from convtui.core.geometry import PADDING_MODES
from convtui.fields import (
    FieldError,
    parse_float,
    parse_int,
    parse_padding,
    parse_pair,
    show_pair,
)
from convtui.i18n import t, tn
from convtui.lessons.compare import same_numbers
from convtui.lessons.conv import ConvLesson, lecture_lesson
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
from convtui.ui.panel.mnist_digits import MnistDigits
from convtui.ui.panel.stepping import SteppingPanel
from convtui.ui.widgets.grid import GridBox, HeatGrid
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult
    from convtui.training.mnist_source import DataLocation

#: Input presets, by value; their labels are ``stepper.inputs.<value>``. LOADED is offered
#: only once ``load_arrays`` has given the Stepper an input.
LECTURE, RANDOM, MNIST, EDITED, LOADED = "lecture", "random", "mnist", "edited", "loaded"
INPUT_PRESETS = (LECTURE, RANDOM, MNIST, EDITED)
#: Inputs that come as they are: changing their size or channels switches to random integers.
FIXED_INPUTS = (LECTURE, MNIST, LOADED)
#: Kernel presets: the named kernels, then these (labels under ``stepper.kernels``).
KERNEL_PRESETS = (*KERNELS, RANDOM, EDITED)
#: The largest lesson the grids can show.
MAX_INPUT, MAX_CHANNELS, MAX_KERNEL = 64, 8, 15


def input_label(value: str) -> str:
    return t(f"stepper.inputs.{value}")


def kernel_label(value: str) -> str:
    return t(f"stepper.kernels.{value.replace(' ', '_')}")


@dataclass(frozen=True)
class Loaded:
    """Arrays handed over by ``load_arrays`` (as (1, H, W) and (1, kH, kW)) and where they
    came from, kept so the user can go back to them after trying other settings."""

    image: np.ndarray
    kernel: np.ndarray
    label: str
    normalised: bool = False  # an MNIST digit standardised with training's mean and std


class StepperSettings(Vertical):
    """The settings fields. Mounted on first open rather than at start-up: these widgets are
    the slowest part of the screen to build. Captions are redrawn by ``relabel``; ``fill``
    puts a lesson into the fields."""

    DEFAULT_CSS = "StepperSettings, StepperSettings #digit-row { height: auto; }"
    #: Caption id -> catalogue key, in the order they appear.
    CAPTIONS: ClassVar[dict[str, str]] = {
        "cap-input": "stepper.settings.input",
        "cap-input-size": "stepper.settings.input_size",
        "cap-kernel": "stepper.settings.kernel",
        "cap-kernel-size": "stepper.settings.kernel_size",
        "cap-stride": "stepper.settings.stride_dilation",
        "cap-padding": "stepper.settings.padding",
        "cap-padding-mode": "stepper.settings.padding_mode",
        "cap-digit": "stepper.settings.digit",
    }

    def __init__(self, inputs: tuple[str, ...], kernels: tuple[str, ...]) -> None:
        super().__init__()
        self.inputs, self.kernels = inputs, kernels

    def compose(self) -> ComposeResult:
        caption = {cid: Label(t(key), id=cid) for cid, key in self.CAPTIONS.items()}
        yield caption["cap-input"]
        yield Select([(input_label(v), v) for v in self.inputs], allow_blank=False,
                     id="input-preset")
        yield caption["cap-input-size"]
        with Horizontal(classes="pair"):
            yield Input(id="in-size")
            yield Input(id="channels")
        yield caption["cap-kernel"]
        yield Select([(kernel_label(v), v) for v in self.kernels], allow_blank=False,
                     id="kernel-preset")
        yield caption["cap-kernel-size"]
        with Horizontal(classes="pair"):
            yield Input(id="kernel-size")
            yield Input(id="bias")
        yield caption["cap-stride"]
        with Horizontal(classes="pair"):
            yield Input(id="stride")
            yield Input(id="dilation")
        yield caption["cap-padding"]
        yield Input(id="padding")
        yield caption["cap-padding-mode"]
        yield Select([(m, m) for m in PADDING_MODES], allow_blank=False, id="padding-mode")
        with Vertical(id="digit-row"):  # shown while the input is an MNIST digit
            yield caption["cap-digit"]
            yield Input(id="digit")
        yield Static("", id="settings-error")

    def relabel(self, inputs: tuple[str, ...], kernels: tuple[str, ...]) -> None:
        """Captions and choices in the current language (and the presets offered now);
        values and typed text stay."""
        self.inputs, self.kernels = inputs, kernels
        for cid, key in self.CAPTIONS.items():
            self.query_one(f"#{cid}", Label).update(t(key))
        self._choices("#input-preset", [(input_label(v), v) for v in inputs])
        self._choices("#kernel-preset", [(kernel_label(v), v) for v in kernels])

    def _choices(self, selector: str, options: list[tuple[str, str]]) -> None:
        select = self.query_one(selector, Select)
        value = select.value
        with self.prevent(Select.Changed):
            select.set_options(options)  # resets the value: put it back, and redraw its label
            if value in {v for _, v in options}:
                select.value = value
                select.mutate_reactive(Select.value)

    def fill(self, lesson: ConvLesson, digit: int) -> None:
        """Show ``lesson`` in every field, without the fields reporting a change."""
        c, h, w = lesson.x.shape
        kh, kw = lesson.kernel.shape[1:]
        padding = lesson.padding
        with self.prevent(Input.Changed, Select.Changed):
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
                ("padding", padding if isinstance(padding, str) else show_pair(
                    padding if isinstance(padding, tuple) else (padding, padding))),
                ("digit", str(digit)),
            ):
                self.query_one(f"#{field}", Input).value = value
        self.query_one("#digit-row").display = lesson.input_name == MNIST

    def show_error(self, message: str) -> None:
        error = self.query_one("#settings-error", Static)
        error.update(Text.assemble(("✗ ", "bold"), message) if message else "")
        error.set_class(bool(message), "error")


class StepperScreen(MnistDigits, SteppingPanel):
    PANEL = "stepper"
    FIRST_SETTING = "input-preset"
    PRESETS: ClassVar[tuple[str, ...]] = ("lecture", "stride-padding", "multichannel")

    DEFAULT_CSS = """
    StepperScreen #conv-grids { height: auto; max-height: 60%; }
    StepperScreen.large #conv-grids { height: 60%; }
    StepperScreen.large GridBox { height: 100%; }
    StepperScreen #input-box, StepperScreen #output-box { max-width: 50%; }
    StepperScreen #kernel-box { max-width: 45%; }
    StepperScreen.large #input-box { width: 3fr; max-width: 100%; }
    StepperScreen.large #output-box { width: 2fr; max-width: 100%; }
    StepperScreen #source { height: auto; padding: 0 1; color: $text-muted; display: none; }
    StepperScreen #source.shown { display: block; }
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
        super().__init__()
        self.lesson: ConvLesson = lecture_lesson()
        self.selected_input: tuple[int, int] | None = None
        self.seed = 0
        self.digit = 0  # the MNIST test digit shown, or shown next by `m`
        self.loaded: Loaded | None = None
        #: A problem to show above the views until the lesson changes, worded when drawn.
        self.notice: Callable[[], str] | None = None
        #: What the PyTorch check says: "prompt", "running", "no_torch" or its result.
        self.check_outcome: str | CheckResult = "prompt"
        self.checked: ConvLesson | None = None  # the lesson the check outcome is about
        self.tab = "arith"
        self._mnist_notice: Callable[[], str] | None = None  # the notice of MNIST's failure
        self._settings_failed = False  # the settings show an error: word it again on relabel
        self._drawn = False
        self._ready = False

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="settings")  # filled on first open: a faster start
        with Horizontal(id="conv-grids"):
            with GridBox(id="input-box"):
                yield HeatGrid(id="input-grid")
            yield Static("⋆", classes="op")
            with GridBox(id="kernel-box"):
                yield HeatGrid(id="kernel-grid")
            yield Static("=", classes="op")
            with GridBox(id="output-box"):
                yield HeatGrid(id="output-grid")
        yield Static(id="source")
        yield Static(id="window-note")
        with TabbedContent(id="views", initial=self.tab):
            with TabPane(t("stepper.tabs.arith"), id="arith"), ScrollableContainer():
                yield Static(id="arithmetic", classes="wide")
                yield Static(id="arith-notes")
            with TabPane(t("stepper.tabs.neuron"), id="neuron"), ScrollableContainer():
                yield Static(id="neuron-view", classes="wide")
            with TabPane(t("stepper.tabs.code"), id="code"), ScrollableContainer():
                yield Static(id="code-view", classes="wide")
                yield Static(id="check-result")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.query_one("#settings").display = False
        self._drawn = True
        self.redraw()

    def _set_ready(self) -> None:
        self._ready = True

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw every view of the lesson in the current language."""
        if not self._drawn:
            return  # on_mount draws whatever the lesson is by then
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
        self._draw_check()
        self.update_status()
        self.call_after_refresh(self._follow_window)

    def _draw_source(self) -> None:
        """Where the input came from (an MNIST digit, arrays from the Train panel), or the
        problem that kept a new one from coming."""
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
        text = self.notice() if self.notice is not None else "\n".join(parts)
        source = self.query_one("#source", Static)
        source.update(Text(text))
        source.set_class(bool(text), "shown")
        source.set_class(self.notice is not None, "error")

    def _draw_check(self) -> None:
        self.query_one("#check-result", Static).update(Text(self._check_text()))

    def _check_text(self) -> str:
        check = self.check_outcome
        if self.checked is not None and not same_numbers(self.checked, self.lesson):
            return t("lesson.check.stale")  # asked for numbers no longer shown
        if isinstance(check, str):
            return t(f"stepper.check.{check}")
        if check.ok:
            return t("stepper.check.agrees", version=check.torch_version,
                     cells=tn("lesson_counts.all_output_cells", check.cells),
                     diff=f"{check.max_abs_diff:.1e}")
        return t("stepper.check.disagrees", version=check.torch_version, cells=check.cells,
                 count=len(check.mismatches), first=check.mismatches[0])

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

    def update_status(self, message: str = "") -> None:
        if not self._drawn:
            return
        lesson = self.lesson
        step = lesson.current
        parts = [t("stepper.status.step", step=lesson.step + 1, count=lesson.trace.step_count),
                 f"out[{step.out_row},{step.out_col}] = {fmt(step.total)}"]
        if self.player is not None:
            parts.append(self.playing_note())
        if self.selected_input is not None:
            r, c = self.selected_input
            feeds = lesson.trace.outputs_using(r, c)
            parts.append(t("stepper.status.feeds", row=r, col=c,
                           count=tn("lesson_counts.output_cells", len(feeds))))
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(Text(" · ".join(parts)))

    def relabel(self) -> None:
        """Every text in the current language; the lesson, the step, the settings typed and
        the player all stay as they are."""
        if not self._drawn:
            return
        views = self.query_one("#views", TabbedContent)
        for pane in ("arith", "neuron", "code"):
            views.get_tab(pane).label = t(f"stepper.tabs.{pane}")
        for settings in self.query(StepperSettings):
            settings.relabel(self.input_presets(), self.kernel_presets())
        self.redraw()
        if self._settings_failed:
            self.apply_settings()  # fails again, worded in the new language
        if self.notice is not None and self.notice is self._mnist_notice:
            self.load_digit(self.digit, show=False)  # likewise, off the UI thread

    def set_lesson(self, lesson: ConvLesson) -> None:
        self.lesson = lesson
        self.notice = None
        h, w = lesson.x.shape[1:]
        if self.selected_input and not (0 <= self.selected_input[0] < h
                                        and 0 <= self.selected_input[1] < w):
            self.selected_input = None
        self.redraw()

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
        self.stop_player()
        self.seed, self.selected_input = 0, None
        self._show_lesson(lesson)
        self.action_show_tab(tab)

    def _show_lesson(self, lesson: ConvLesson) -> None:
        """A lesson chosen by key, preset or another panel: drawn, and put into the open
        settings, whose error (if any) no longer applies."""
        self._settings_failed = False
        self.set_lesson(lesson)
        self._fill_settings()

    # stepping (keys and player in SteppingPanel) ---------------------------------------
    @property
    def step_index(self) -> int:
        return self.lesson.step

    @property
    def step_count(self) -> int:
        return self.lesson.trace.step_count

    def go_to(self, index: int) -> None:
        self.set_lesson(self.lesson.with_(step=index))

    def action_channel(self, delta: int) -> None:
        self.set_lesson(self.lesson.with_(channel=self.lesson.channel + delta))

    def action_show_tab(self, tab: str) -> None:
        self.tab = tab
        if self._drawn:
            self.query_one("#views", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#views")
    def _remember_tab(self, event: TabbedContent.TabActivated) -> None:
        self.tab = event.pane.id or self.tab

    async def action_toggle_settings(self) -> None:
        pane = self.query_one("#settings")
        if not pane.children:
            settings = StepperSettings(self.input_presets(), self.kernel_presets())
            await pane.mount(settings)
            settings.fill(self.lesson, self.digit)
            self.call_after_refresh(self._set_ready)
        self.show_settings(not pane.display)

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
            self.update_status(t("stepper.status.padding_cell"))

    @on(HeatGrid.EditRequested, "#input-grid")
    def edit_input(self, event: HeatGrid.EditRequested) -> None:
        top, _, left, _ = self.lesson.trace.geometry.pads
        r, c = event.row - top, event.col - left
        h, w = self.lesson.x.shape[1:]
        if not (0 <= r < h and 0 <= c < w):
            self.update_status(t("stepper.status.edit_padding"))
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
    def input_presets(self) -> tuple[str, ...]:
        return (*INPUT_PRESETS, LOADED) if self.loaded is not None else INPUT_PRESETS

    def kernel_presets(self) -> tuple[str, ...]:
        return (*KERNEL_PRESETS, LOADED) if self.loaded is not None else KERNEL_PRESETS

    def _fill_settings(self) -> None:
        """Show the lesson in the settings fields, if they have been opened."""
        for settings in self.query(StepperSettings):
            settings.relabel(self.input_presets(), self.kernel_presets())
            settings.fill(self.lesson, self.digit)
            settings.show_error("")

    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _select(self, name: str) -> str:
        return str(self.query_one(f"#{name}", Select).value)

    @on(Input.Changed, "#settings Input")
    @on(Select.Changed, "#settings Select")
    def settings_changed(self, event: Input.Changed | Select.Changed) -> None:
        if not self._ready:
            return
        changed = event.control.id or ""
        if changed == "input-preset" and self._select("input-preset") == MNIST:
            self.load_digit(self.digit)
        elif changed == "digit":
            self._digit_typed()
        else:
            self.apply_settings(changed=changed)

    def _digit_typed(self) -> None:
        try:
            index = parse_int(self._field("digit"), t("stepper.settings.name_digit"),
                              minimum=0)
        except FieldError as err:
            self.show_error(str(err))
            return
        self.load_digit(index, wrap=False)

    def show_error(self, message: str) -> None:
        """In the settings (if open) and on the status line."""
        self._settings_failed = bool(message)
        for settings in self.query(StepperSettings):
            settings.show_error(message)
        if message:
            self.update_status(f"✗ {message}")

    def apply_settings(self, changed: str = "") -> None:
        """Build a lesson from the settings fields; show the reason if it cannot be built."""
        try:
            lesson = self._lesson_from_fields(changed)
        except ValueError as err:  # FieldError is a ValueError, and so are the engine's
            self.show_error(str(err))
            return
        self.show_error("")
        self.set_lesson(lesson)
        if changed.endswith("-preset"):  # a preset brings its own size: show it
            self._fill_settings()

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
        input_preset = self._select("input-preset")
        if input_preset == MNIST and self.lesson.input_name != MNIST:
            input_preset = self.lesson.input_name  # the digit is still on its way
        if changed in ("in-size", "channels") and input_preset in FIXED_INPUTS and \
                (channels, h, w) != self.lesson.x.shape:
            input_preset = RANDOM
        x = self._input_for(input_preset, (channels, h, w), changed)
        kernel_preset = self._select("kernel-preset")
        kernel = self._kernel_for(kernel_preset, (x.shape[0], kh, kw), changed)
        lesson = self.lesson.with_(
            x=x, kernel=kernel, bias=bias, stride=stride, dilation=dilation, padding=padding,
            padding_mode=self._select("padding-mode"), input_name=input_preset,
            kernel_name=kernel_preset,
        )
        if input_preset != self._select("input-preset"):
            self._fill_settings_preset(input_preset)
        return lesson

    def _fill_settings_preset(self, preset: str) -> None:
        for select in self.query("#input-preset").results(Select):
            with self.prevent(Select.Changed):
                select.value = preset

    def _input_for(self, preset: str, shape: tuple[int, int, int], changed: str) -> np.ndarray:
        if preset == LECTURE:
            return LECTURE_INPUT[None]
        if preset == LOADED and self.loaded is not None:
            return self.loaded.image
        if preset == RANDOM:
            if changed == "input-preset" or self.lesson.x.shape != shape or \
                    self.lesson.input_name != preset:
                return random_integers(shape, self.seed, 0, 9)
            return self.lesson.x
        # an MNIST digit stays as loaded; "edited" keeps the cells the user typed, resized
        # if the size changed
        if self.lesson.x.shape == shape:
            return self.lesson.x
        return _resized(self.lesson.x, shape)

    def _kernel_for(self, preset: str, shape: tuple[int, int, int], changed: str) -> np.ndarray:
        c, kh, kw = shape
        if preset == RANDOM:
            if changed == "kernel-preset" or self.lesson.kernel.shape != shape or \
                    self.lesson.kernel_name != preset:
                return random_integers(shape, self.seed + 1000, -1, 1)
            return self.lesson.kernel
        if preset == LOADED and self.loaded is not None:
            if self.loaded.kernel.shape != shape:
                _, lh, lw = self.loaded.kernel.shape
                raise FieldError(t("stepper.settings.loaded_kernel_fixed", size=f"{lh}×{lw}"))
            return self.loaded.kernel
        if preset == EDITED:
            if self.lesson.kernel.shape == shape:
                return self.lesson.kernel
            return _resized(self.lesson.kernel, shape)
        return np.repeat(kernel_of_size(preset, kh, kw)[None], c, axis=0)

    def action_randomize(self) -> None:
        self.seed += 1
        x = self._input_for(RANDOM, self.lesson.x.shape, "input-preset")
        self._show_lesson(self.lesson.with_(x=x, input_name=RANDOM))

    def action_next_kernel(self) -> None:
        presets = [p for p in KERNEL_PRESETS if p != EDITED]
        current = self.lesson.kernel_name
        nxt = presets[(presets.index(current) + 1) % len(presets)] if current in presets \
            else presets[0]
        kernel = self._kernel_for(nxt, self.lesson.kernel.shape, "kernel-preset")
        self._show_lesson(self.lesson.with_(kernel=kernel, kernel_name=nxt))

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
            kernel = self._kernel_for(self.lesson.kernel_name, (1, kh, kw), "")
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
        self.update_status(t("stepper.mnist.status"))

    def load_arrays(self, image: np.ndarray, kernel: np.ndarray, label: str,
                    normalised: bool = False) -> None:
        """Step ``kernel`` (kH, kW) across ``image`` (H, W): one channel, stride 1, no
        padding, bias 0, starting at the first step, with ``label`` saying where they came
        from (and, with ``normalised``, that the image is an MNIST digit standardised as
        training does, so its pixels are not 0-255). Arrays the Stepper cannot show are
        refused with a message on screen; the lesson shown before stays."""
        image = np.array(image, dtype=np.float64)
        kernel = np.array(kernel, dtype=np.float64)
        if _arrays_problem(image, kernel):
            self.notice = lambda: t("stepper.loaded.refused", label=label,
                                    reason=_arrays_problem(image, kernel))
            self.redraw()
            return
        self.loaded = Loaded(image[None], kernel[None], label, normalised)
        self.stop_player()
        self.selected_input = None
        self._show_lesson(ConvLesson(self.loaded.image, self.loaded.kernel,
                                     input_name=LOADED, kernel_name=LOADED))
        self.action_show_tab("arith")

    # PyTorch ---------------------------------------------------------------------------
    def action_check(self) -> None:
        self.check_outcome, self.checked = "running", self.lesson
        self._draw_check()
        self.action_show_tab("code")
        self.run_check(self.lesson)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, lesson: ConvLesson) -> None:
        from convtui.pytorch.check import check_conv

        result: str | CheckResult
        try:
            result = check_conv(lesson.x, lesson.kernel, lesson.bias, lesson.stride,
                                lesson.padding, lesson.dilation, lesson.padding_mode,
                                lesson.flip, lesson.trace.output)
        except ImportError:
            result = "no_torch"
        self.app.call_from_thread(self._checked, lesson, result)

    def _checked(self, lesson: ConvLesson, result: str | CheckResult) -> None:
        if lesson is not self.checked:
            return  # a check the user has asked again since
        self.check_outcome = result
        self._draw_check()
        self.update_status(self._check_text())


def _resized(values: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """``values`` cut or zero-filled to ``shape``, keeping the top-left cells."""
    out = np.zeros(shape)
    c, h, w = (min(a, b) for a, b in zip(shape, values.shape, strict=True))
    out[:c, :h, :w] = values[:c, :h, :w]
    return out


def _arrays_problem(image: np.ndarray, kernel: np.ndarray) -> str:
    """Why the Stepper cannot show ``kernel`` stepped across ``image``, or ''."""
    for what, array in (("image", image), ("kernel", kernel)):
        name = t(f"stepper.loaded.{what}")
        if array.ndim != 2:
            return t("stepper.loaded.not_2d", what=name, shape=tuple(array.shape))
        if not np.isfinite(array).all():
            return t("stepper.loaded.not_finite", what=name)
    if max(image.shape) > MAX_INPUT or max(kernel.shape) > MAX_KERNEL:
        return t("stepper.loaded.too_big", image="×".join(map(str, image.shape)),
                 kernel="×".join(map(str, kernel.shape)))
    try:
        ConvLesson(image[None], kernel[None])
    except ValueError as err:  # e.g. a kernel bigger than the input: the engine says so
        return str(err)
    return ""

"""The Stepper: a kernel stepped across an input, one multiply-and-sum at a time."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TabbedContent, TabPane

from convtui.core.examples import KERNELS, LECTURE_INPUT, kernel_of_size, random_integers
from convtui.core.geometry import PADDING_MODES
from convtui.ui.conv_lesson import ConvLesson, lecture_lesson
from convtui.ui.conv_views import (
    arithmetic,
    input_view,
    kernel_view,
    neuron,
    output_view,
    pytorch_code,
    window_note,
)
from convtui.ui.fields import (
    FieldError,
    parse_float,
    parse_int,
    parse_padding,
    parse_pair,
    show_pair,
)
from convtui.ui.format import fmt
from convtui.ui.screens.edit_cell import EditCellScreen
from convtui.ui.screens.stepping import SteppingPanel
from convtui.ui.widgets.grid import HeatGrid

INPUT_PRESETS = ("lecture 5×5", "random integers", "edited")
KERNEL_PRESETS = (*KERNELS, "random", "edited")


class StepperSettings(Vertical):
    """The settings fields, showing the lesson they were opened on. Mounted on first open
    rather than at start-up: these widgets are the slowest part of the screen to build."""

    DEFAULT_CSS = "StepperSettings { height: auto; }"

    def __init__(self, lesson: ConvLesson) -> None:
        super().__init__()
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        c, h, w = lesson.x.shape
        kh, kw = lesson.kernel.shape[1:]
        padding = lesson.padding
        yield Label("Input")
        yield Select([(p, p) for p in INPUT_PRESETS], value=lesson.input_name,
                     allow_blank=False, id="input-preset")
        yield Label("Input size H×W, channels")
        with Horizontal(classes="pair"):
            yield Input(f"{h}x{w}", id="in-size")
            yield Input(str(c), id="channels")
        yield Label("Kernel")
        yield Select([(p, p) for p in KERNEL_PRESETS], value=lesson.kernel_name,
                     allow_blank=False, id="kernel-preset")
        yield Label("Kernel size, bias")
        with Horizontal(classes="pair"):
            yield Input(f"{kh}x{kw}", id="kernel-size")
            yield Input(fmt(lesson.bias), id="bias")
        yield Label("Stride, dilation")
        with Horizontal(classes="pair"):
            yield Input(show_pair(lesson.stride), id="stride")
            yield Input(show_pair(lesson.dilation), id="dilation")
        yield Label("Padding (n, h,w, same, valid)")
        yield Input(padding if isinstance(padding, str) else show_pair(
            padding if isinstance(padding, tuple) else (padding, padding)), id="padding")
        yield Label("Padding mode")
        yield Select([(m, m) for m in PADDING_MODES], value=lesson.padding_mode,
                     allow_blank=False, id="padding-mode")
        yield Static("", id="settings-error")


class StepperScreen(SteppingPanel):
    PANEL = "stepper"
    HELP = """# Stepper: a convolution, one step at a time

A convolutional layer slides its **kernel** over the **input**. At every position it multiplies
each kernel weight by the input value under it, adds the products and the **bias**, and writes
that sum into one cell of the **output**. PyTorch's `nn.Conv2d` does exactly this (it is a
*cross-correlation*: the kernel is not flipped).

The highlighted block on the input is the current window; the arithmetic below writes the step
out, one line per kernel row, `(input×weight)` per cell. Padding cells (grey, italic) are zeros,
or copies of the edge for the reflect / replicate / circular padding modes.

| key | does |
|---|---|
| → / ← (l / h) | next / previous step |
| Home / End (g / G) | first / last step |
| Space | play / pause; + / - change the speed |
| s | show or hide the settings (stride, padding, dilation, kernel, input, channels) |
| r | a new random input; k: the next kernel preset |
| [ / ] | show the previous / next input channel (multi-channel mode) |
| c | check every output cell with PyTorch |
| a / n / p | show the arithmetic, the neuron view, the PyTorch code |
| Tab, then arrows | move a cursor on a grid (input: mark what it feeds; output: go there) |
| Enter (on a grid) | edit the input or kernel cell under the cursor |

Click an output cell to jump to its step; click an input cell to see which outputs it feeds.

**Output size**: `(I - F + 2P) / S + 1`, rounded down, where F is the kernel size (with
dilation d, F = d×(k-1)+1).
"""

    BINDINGS: ClassVar = [
        Binding("s", "toggle_settings", "Settings"),
        Binding("c", "check", "Check"),
        Binding("r", "randomize", "Random", show=False),
        Binding("k", "next_kernel", "Kernel", show=False),
        Binding("left_square_bracket", "channel(-1)", "Channel", show=False),
        Binding("right_square_bracket", "channel(1)", "Channel", show=False),
        Binding("a", "show_tab('arith')", "Arithmetic", show=False),
        Binding("n", "show_tab('neuron')", "Neuron", show=False),
        Binding("p", "show_tab('code')", "PyTorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lesson: ConvLesson = lecture_lesson()
        self.selected_input: tuple[int, int] | None = None
        self.seed = 0
        self._ready = False

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="settings")  # filled on first open: a faster start
        with ScrollableContainer(id="grids"), Horizontal(id="grid-row"):
            yield HeatGrid(id="input-grid")
            yield Static("⋆", classes="op")
            yield HeatGrid(id="kernel-grid")
            yield Static("=", classes="op")
            yield HeatGrid(id="output-grid")
        yield Static(id="window-note")
        with TabbedContent(id="views", initial="arith"):
            with TabPane("Arithmetic", id="arith"), VerticalScroll():
                yield Static(id="arithmetic")
            with TabPane("Neuron", id="neuron"), VerticalScroll():
                yield Static(id="neuron-view")
            with TabPane("PyTorch", id="code"), VerticalScroll():
                yield Static(id="code-view")
                yield Static("press c to run it in PyTorch and compare", id="check-result")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.query_one("#settings").display = False
        self.redraw()

    def _set_ready(self) -> None:
        self._ready = True

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        lesson = self.lesson
        marks_in: frozenset[tuple[int, int]] = frozenset()
        marks_out: frozenset[tuple[int, int]] = frozenset()
        if self.selected_input is not None:
            marks_in = frozenset({self.selected_input})
            marks_out = frozenset(lesson.trace.outputs_using(*self.selected_input))
        self.query_one("#input-grid", HeatGrid).show(input_view(lesson, marks_in))
        self.query_one("#kernel-grid", HeatGrid).show(kernel_view(lesson))
        self.query_one("#output-grid", HeatGrid).show(output_view(lesson, marks_out))
        step = lesson.current
        self.query_one("#arithmetic", Static).update(arithmetic(step))
        self.query_one("#neuron-view", Static).update(neuron(step, lesson.channel))
        self.query_one("#code-view", Static).update(pytorch_code(lesson))
        self.query_one("#window-note", Static).update(window_note(lesson))
        self.update_status()

    def update_status(self, message: str = "") -> None:
        lesson = self.lesson
        step = lesson.current
        parts = [f"step {lesson.step + 1}/{lesson.trace.step_count}",
                 f"out[{step.out_row},{step.out_col}] = {fmt(step.total)}"]
        if self.player is not None:
            parts.append(self.playing_note())
        if self.selected_input is not None:
            r, c = self.selected_input
            feeds = lesson.trace.outputs_using(r, c)
            parts.append(f"input[{r},{c}] feeds {len(feeds)} output cell(s), marked")
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(" · ".join(parts))

    def set_lesson(self, lesson: ConvLesson) -> None:
        self.lesson = lesson
        h, w = lesson.x.shape[1:]
        if self.selected_input and not (0 <= self.selected_input[0] < h
                                        and 0 <= self.selected_input[1] < w):
            self.selected_input = None
        self.redraw()

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
        self.query_one("#views", TabbedContent).active = tab

    async def action_toggle_settings(self) -> None:
        settings = self.query_one("#settings")
        if not settings.children:
            await settings.mount(StepperSettings(self.lesson))
            self.call_after_refresh(self._set_ready)
        settings.display = not settings.display
        if settings.display:
            self.query_one("#input-preset", Select).focus()
        else:
            self.set_focus(None)

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
            self.update_status("that is a padding cell: it is not part of the input")

    @on(HeatGrid.EditRequested, "#input-grid")
    def edit_input(self, event: HeatGrid.EditRequested) -> None:
        top, _, left, _ = self.lesson.trace.geometry.pads
        r, c = event.row - top, event.col - left
        h, w = self.lesson.x.shape[1:]
        if not (0 <= r < h and 0 <= c < w):
            self.update_status("padding cells follow the padding mode; edit an input cell")
            return
        ch = self.lesson.channel

        def apply(value: float | None) -> None:
            if value is not None:
                x = self.lesson.x.copy()
                x[ch, r, c] = value
                self.set_lesson(self.lesson.with_(x=x, input_name="edited"))
                self._show_preset("#input-preset", "edited")

        self.app.push_screen(EditCellScreen(f"input[{r},{c}]", fmt(self.lesson.x[ch, r, c])),
                             apply)

    @on(HeatGrid.EditRequested, "#kernel-grid")
    def edit_kernel(self, event: HeatGrid.EditRequested) -> None:
        i, j, ch = event.row, event.col, self.lesson.channel
        if self.lesson.flip:
            self.update_status("the flipped kernel is derived; edit it on the Stepper")
            return

        def apply(value: float | None) -> None:
            if value is not None:
                kernel = self.lesson.kernel.copy()
                kernel[ch, i, j] = value
                self.set_lesson(self.lesson.with_(kernel=kernel, kernel_name="edited"))
                self._show_preset("#kernel-preset", "edited")

        self.app.push_screen(
            EditCellScreen(f"weight[{i},{j}]", fmt(self.lesson.kernel[ch, i, j])), apply)

    def _show_preset(self, selector: str, value: str) -> None:
        """Keep an open settings panel in step with a change made by key or by editing."""
        for select in self.query(selector).results(Select):
            with self.prevent(Select.Changed):
                select.value = value

    # settings --------------------------------------------------------------------------
    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _select(self, name: str) -> str:
        return str(self.query_one(f"#{name}", Select).value)

    @on(Input.Changed, "#settings Input")
    @on(Select.Changed, "#settings Select")
    def settings_changed(self, event: Input.Changed | Select.Changed) -> None:
        if not self._ready:
            return
        self.apply_settings(changed=event.control.id or "")

    def apply_settings(self, changed: str = "") -> None:
        """Build a lesson from the settings fields; show the reason if it cannot be built."""
        error = self.query_one("#settings-error", Static)
        try:
            lesson = self._lesson_from_fields(changed)
        except (FieldError, ValueError) as err:
            error.update(f"[b]✗[/b] {err}")
            error.add_class("error")
            self.update_status(f"✗ {err}")
            return
        error.update("")
        error.remove_class("error")
        self.set_lesson(lesson)

    def _lesson_from_fields(self, changed: str) -> ConvLesson:
        h, w = parse_pair(self._field("in-size"), "input size", minimum=1)
        channels = parse_int(self._field("channels"), "channels", minimum=1)
        kh, kw = parse_pair(self._field("kernel-size"), "kernel size", minimum=1)
        if max(h, w) > 64 or channels > 8 or max(kh, kw) > 15:
            raise FieldError("size: the Stepper shows at most 64×64 inputs, 8 channels and "
                             "15×15 kernels")
        bias = parse_float(self._field("bias"), "bias")
        stride = parse_pair(self._field("stride"), "stride")
        dilation = parse_pair(self._field("dilation"), "dilation")
        padding = parse_padding(self._field("padding"))
        input_preset = self._select("input-preset")
        if changed in ("in-size", "channels") and input_preset == "lecture 5×5" and (
                (h, w) != LECTURE_INPUT.shape or channels != 1):
            input_preset = "random integers"
            self._show_preset("#input-preset", input_preset)
        x = self._input_for(input_preset, (channels, h, w), changed)
        kernel = self._kernel_for(self._select("kernel-preset"), (x.shape[0], kh, kw), changed)
        return self.lesson.with_(
            x=x, kernel=kernel, bias=bias, stride=stride, dilation=dilation, padding=padding,
            padding_mode=self._select("padding-mode"), input_name=input_preset,
            kernel_name=self._select("kernel-preset"),
        )

    def _input_for(self, preset: str, shape: tuple[int, int, int], changed: str) -> np.ndarray:
        if preset == "lecture 5×5":
            return LECTURE_INPUT[None]
        if preset == "random integers":
            if changed == "input-preset" or self.lesson.x.shape != shape or \
                    self.lesson.input_name != preset:
                return random_integers(shape, self.seed, 0, 9)
            return self.lesson.x
        # "edited" keeps the cells the user typed, resized if the size changed
        if self.lesson.x.shape == shape:
            return self.lesson.x
        x = np.zeros(shape)
        c, h, w = (min(a, b) for a, b in zip(shape, self.lesson.x.shape, strict=True))
        x[:c, :h, :w] = self.lesson.x[:c, :h, :w]
        return x

    def _kernel_for(self, preset: str, shape: tuple[int, int, int], changed: str) -> np.ndarray:
        c, kh, kw = shape
        if preset == "random":
            if changed == "kernel-preset" or self.lesson.kernel.shape != shape or \
                    self.lesson.kernel_name != preset:
                return random_integers(shape, self.seed + 1000, -1, 1)
            return self.lesson.kernel
        if preset == "edited":
            if self.lesson.kernel.shape == shape:
                return self.lesson.kernel
            k = np.zeros(shape)
            cc, hh, ww = (min(a, b) for a, b in zip(shape, self.lesson.kernel.shape,
                                                      strict=True))
            k[:cc, :hh, :ww] = self.lesson.kernel[:cc, :hh, :ww]
            return k
        return np.repeat(kernel_of_size(preset, kh, kw)[None], c, axis=0)

    def action_randomize(self) -> None:
        self.seed += 1
        preset = "random integers"
        self.set_lesson(self.lesson.with_(x=self._input_for(preset, self.lesson.x.shape,
                                                            "input-preset"), input_name=preset))
        self._show_preset("#input-preset", preset)

    def action_next_kernel(self) -> None:
        presets = [p for p in KERNEL_PRESETS if p != "edited"]
        current = self.lesson.kernel_name
        nxt = presets[(presets.index(current) + 1) % len(presets)] if current in presets \
            else presets[0]
        kernel = self._kernel_for(nxt, self.lesson.kernel.shape, "kernel-preset")
        self.set_lesson(self.lesson.with_(kernel=kernel, kernel_name=nxt))
        self._show_preset("#kernel-preset", nxt)

    # PyTorch ---------------------------------------------------------------------------
    def action_check(self) -> None:
        self.query_one("#check-result", Static).update("importing PyTorch and running it…")
        self.action_show_tab("code")
        self.run_check(self.lesson)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, lesson: ConvLesson) -> None:
        from convtui.pytorch.check import check_conv

        try:
            result = check_conv(lesson.x, lesson.kernel, lesson.bias, lesson.stride,
                                lesson.padding, lesson.dilation, lesson.padding_mode,
                                lesson.flip, lesson.trace.output)
            text = ("✓ " if result.ok else "✗ ") + result.summary()
        except ImportError:
            text = "✗ PyTorch is not installed here: pip install torch"
        self.app.call_from_thread(self._show_check, text)

    def _show_check(self, text: str) -> None:
        self.query_one("#check-result", Static).update(text)
        self.update_status(text)

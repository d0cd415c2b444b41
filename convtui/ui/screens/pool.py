"""Pooling: max and average pooling stepped window by window, the way nn.MaxPool2d and
nn.AvgPool2d compute them."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.geometry import Region
from textual.widgets import Checkbox, Input, Label, Select, Static, TabbedContent, TabPane

from convtui.core.examples import LECTURE_AVG_POOL_INPUT, LECTURE_MAX_POOL_INPUT, random_integers
from convtui.ui.fields import FieldError, parse_pair, show_pair
from convtui.ui.format import fmt
from convtui.ui.pool_lesson import PoolLesson, lecture_pool_lesson
from convtui.ui.pool_views import arithmetic, input_view, output_view, pytorch_code, window_note
from convtui.ui.screens.stepping import SteppingPanel
from convtui.ui.widgets.grid import HeatGrid

LECTURE_MAX, LECTURE_AVG, RANDOM, MNIST = (
    "lecture 4×4 (max)", "lecture 4×4 (avg)", "random integers", "MNIST digit")
INPUT_PRESETS = (LECTURE_MAX, LECTURE_AVG, RANDOM, MNIST)
#: The layer each preset comes with (the random input keeps the layer being explored).
PRESET_LAYERS: dict[str, dict[str, object]] = {
    name: {"kind": kind, "kernel_size": (2, 2), "stride": None, "padding": (0, 0),
           "dilation": (1, 1), "ceil_mode": False}
    for name, kind in ((LECTURE_MAX, "max"), (LECTURE_AVG, "avg"), (MNIST, "max"))
}
MAX_INPUT, MAX_KERNEL = 32, 8


def preset_of(lesson: PoolLesson) -> str:
    """The preset a lesson's input came from (an MNIST digit is named by its index)."""
    if lesson.input_name in INPUT_PRESETS:
        return lesson.input_name
    return MNIST if lesson.input_name.startswith("MNIST") else RANDOM


class PoolSettings(Vertical):
    """The settings fields, showing the lesson they were opened on; mounted on first open,
    as the Stepper's are, so the panel starts fast."""

    DEFAULT_CSS = "PoolSettings { height: auto; }"

    def __init__(self, lesson: PoolLesson) -> None:
        super().__init__()
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        h, w = lesson.x.shape
        yield Label("Input")
        yield Select([(p, p) for p in INPUT_PRESETS], value=preset_of(lesson),
                     allow_blank=False, id="input-preset")
        yield Label("Input size H×W (random)")
        yield Input(f"{h}x{w}", id="in-size")
        yield Label("Pooling")
        yield Select([("max", "max"), ("average", "avg")], value=lesson.kind,
                     allow_blank=False, id="kind")
        yield Label("Kernel size, stride")
        with Horizontal(classes="pair"):
            yield Input(show_pair(lesson.kernel_size), id="kernel-size")
            yield Input("" if lesson.stride is None else show_pair(lesson.stride),
                        placeholder="= kernel", id="stride")
        yield Label("Padding, dilation (max)")
        with Horizontal(classes="pair"):
            yield Input(show_pair(lesson.padding), id="padding")
            yield Input(show_pair(lesson.dilation), id="dilation")
        yield Checkbox("ceil_mode", lesson.ceil_mode, compact=True, id="ceil-mode")
        yield Checkbox("count_include_pad (avg)", lesson.count_include_pad, compact=True,
                       id="count-include-pad")
        yield Static("", id="settings-error")


class PoolScreen(SteppingPanel):
    PANEL = "pool"
    HELP = """# Pooling: max and average, one window at a time

A pooling layer slides a window over each channel and keeps one number per position:
**max pooling** keeps the largest value (`nn.MaxPool2d`), **average pooling** the mean
(`nn.AvgPool2d`). It has no weights to learn; it shrinks the picture and keeps what stands out.

The blue block on the input is the current window. For max pooling the winning cell is marked
yellow, and the arithmetic gives its **flat index** (row × width + col), which is what
`return_indices=True` returns. For average pooling the sum is written out over its divisor.

- **stride** defaults to the kernel size, as in PyTorch (leave the field empty).
- **padding** is implicit: `-inf` for max pooling (padding never wins), zeros for average
  pooling, counted in the divisor only with **count_include_pad** (PyTorch's default: on).
  PyTorch allows at most half the kernel size.
- **dilation** spreads a max-pooling window out; average pooling has none.
- **ceil_mode** rounds the output size up, so a last, partial window may hang past the
  input (cells marked ×, never counted). PyTorch keeps it only if it starts inside the input
  or its left padding.

| key | does |
|---|---|
| → / ← (l / h) | next / previous step |
| Home / End (g / G) | first / last step |
| Space | play / pause; + / - change the speed |
| s | show or hide the settings |
| k | switch between max and average pooling |
| r | a new random input (on the MNIST preset: the next digit) |
| c | check every output cell with PyTorch |
| a / p | show the arithmetic / the PyTorch code |

Click an output cell to jump to its step.

The **MNIST digit** preset reads a test digit from `--data-dir`, `$CONVTUI_MNIST_DIR` or the
download cache (`convtui train` downloads it) and pools it 2×2: the 14×14 result still reads
as the digit.
"""

    DEFAULT_CSS = """
    PoolScreen #pool-grids { height: auto; max-height: 60%; }
    PoolScreen #pool-input-box, PoolScreen #pool-output-box {
        width: auto; height: auto; max-height: 100%; scrollbar-size: 1 1;
    }
    PoolScreen #pool-input-box { max-width: 56%; }
    PoolScreen #pool-output-box { max-width: 40%; }
    PoolScreen.large #pool-grids { height: 60%; }
    PoolScreen.large #pool-input-box, PoolScreen.large #pool-output-box { height: 100%; }
    PoolScreen #pool-arrow { width: 3; height: 100%; content-align: center middle; }
    PoolScreen #settings Checkbox { margin-bottom: 1; }
    PoolScreen #window-note.error { color: $error; }
    """

    BINDINGS: ClassVar = [
        Binding("s", "toggle_settings", "Settings"),
        Binding("k", "toggle_kind", "Max/avg"),
        Binding("c", "check", "Check"),
        Binding("r", "randomize", "Random", show=False),
        Binding("a", "show_tab('arith')", "Arithmetic", show=False),
        Binding("p", "show_tab('code')", "PyTorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lesson: PoolLesson = lecture_pool_lesson()
        self.seed = 0
        self.digit = 0
        self.notice = ""  # a problem to show above everything (e.g. MNIST missing)
        self._mnist: tuple[np.ndarray, np.ndarray] | None = None
        self._ready = False

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="settings")  # filled on first open: a faster start
        with Horizontal(id="pool-grids"):
            with ScrollableContainer(id="pool-input-box"):
                yield HeatGrid(id="input-grid")
            yield Static("→", id="pool-arrow")
            with ScrollableContainer(id="pool-output-box"):
                yield HeatGrid(id="output-grid")
        yield Static(id="window-note")
        with TabbedContent(id="views", initial="arith"):
            with TabPane("Arithmetic", id="arith"), VerticalScroll():
                yield Static(id="arithmetic")
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
        inputs = input_view(lesson)
        self.set_class(inputs.compact, "large")
        self.query_one("#input-grid", HeatGrid).show(inputs)
        self.query_one("#output-grid", HeatGrid).show(output_view(lesson))
        self.query_one("#arithmetic", Static).update(arithmetic(lesson))
        self.query_one("#code-view", Static).update(pytorch_code(lesson))
        note = self.query_one("#window-note", Static)
        note.update(self.notice or window_note(lesson))
        note.set_class(bool(self.notice), "error")
        self.update_status()
        self.call_after_refresh(self._follow_window)

    def _follow_window(self) -> None:
        """Scroll large grids so the current window and output cell stay in sight."""
        step, canvas = self.lesson.current, self.lesson.canvas
        first = canvas.to_canvas(step.rows[0], step.cols[0])
        last = canvas.to_canvas(step.rows[-1], step.cols[-1])
        self._reveal("#pool-input-box", "#input-grid", first, last)
        cell = (step.out_row, step.out_col)
        self._reveal("#pool-output-box", "#output-grid", cell, cell)

    def _reveal(self, box: str, grid_id: str, first: tuple[int, int],
                last: tuple[int, int]) -> None:
        grid = self.query_one(grid_id, HeatGrid)
        x0, y0 = grid.cell_offset(*first)
        x1, y1 = grid.cell_offset(*last)
        origin = grid.virtual_region.offset
        self.query_one(box).scroll_to_region(
            Region(origin.x + x0 - 1, origin.y + y0, x1 - x0 + 2, y1 - y0 + 1), animate=False)

    def update_status(self, message: str = "") -> None:
        lesson = self.lesson
        step = lesson.current
        parts = [f"step {lesson.step + 1}/{lesson.trace.step_count}",
                 f"out[{step.out_row},{step.out_col}] = {fmt(step.value)}",
                 lesson.input_name]
        if playing := self.playing_note():
            parts.append(playing)
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(" · ".join(parts))

    def set_lesson(self, lesson: PoolLesson) -> None:
        self.lesson = lesson
        self.notice = ""
        self.redraw()

    # stepping --------------------------------------------------------------------------
    @property
    def step_index(self) -> int:
        return self.lesson.step

    @property
    def step_count(self) -> int:
        return self.lesson.trace.step_count

    def go_to(self, index: int) -> None:
        self.set_lesson(self.lesson.with_(step=index))

    @on(HeatGrid.CellClicked, "#output-grid")
    @on(HeatGrid.CursorMoved, "#output-grid")
    def jump_to_output(self, event: HeatGrid.CellClicked) -> None:
        self.go_to(event.row * self.lesson.trace.geometry.out_size[1] + event.col)

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#views", TabbedContent).active = tab

    async def action_toggle_settings(self) -> None:
        settings = self.query_one("#settings")
        if not settings.children:
            await settings.mount(PoolSettings(self.lesson))
            self.call_after_refresh(self._set_ready)
        settings.display = not settings.display
        if settings.display:
            self.query_one("#input-preset", Select).focus()
        else:
            self.set_focus(None)

    def action_toggle_kind(self) -> None:
        self.try_lesson(kind="avg" if self.lesson.kind == "max" else "max")

    def action_randomize(self) -> None:
        if preset_of(self.lesson) == MNIST:
            self.load_digit(self.digit + 1)
            return
        self.seed += 1
        self.try_lesson(x=random_integers(self.lesson.x.shape, self.seed, 0, 9),
                        input_name=RANDOM, step=0)

    def try_lesson(self, **changes: object) -> None:
        """Change the lesson from a key press, and the open settings with it; or say why the
        engine refuses the change."""
        try:
            lesson = self.lesson.with_(**changes)
        except ValueError as err:
            self._show_error(str(err))
            return
        self._show_error("")
        self.set_lesson(lesson)
        self._sync_settings()

    def _sync_settings(self) -> None:
        """Show the lesson in the settings fields, if they have been opened."""
        if not self.query("PoolSettings"):
            return
        lesson = self.lesson
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#input-preset", Select).value = preset_of(lesson)
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

    # settings --------------------------------------------------------------------------
    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _select(self, name: str) -> str:
        return str(self.query_one(f"#{name}", Select).value)

    @on(Input.Changed, "#settings Input")
    @on(Select.Changed, "#settings Select")
    @on(Checkbox.Changed, "#settings Checkbox")
    def settings_changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        if not self._ready:
            return
        changed = event.control.id or ""
        preset = self._select("input-preset")
        if changed == "input-preset" and preset == MNIST:
            self.load_digit(self.digit)
        elif changed == "input-preset" and preset in PRESET_LAYERS:
            x = LECTURE_MAX_POOL_INPUT if preset == LECTURE_MAX else LECTURE_AVG_POOL_INPUT
            self.try_lesson(x=x, input_name=preset, step=0, **PRESET_LAYERS[preset])
        else:
            self.apply_settings(changed)

    def apply_settings(self, changed: str = "") -> None:
        """Build a lesson from the settings fields; show the reason if it cannot be built."""
        try:
            lesson = self._lesson_from_fields(changed)
        except (FieldError, ValueError) as err:
            self._show_error(str(err))
            return
        self._show_error("")
        self.set_lesson(lesson)

    def _show_error(self, message: str) -> None:
        """In the settings (if open) and on the status line."""
        for error in self.query("#settings-error").results(Static):
            error.update(f"[b]✗[/b] {message}" if message else "")
            error.set_class(bool(message), "error")
        if message:
            self.update_status(f"✗ {message}")

    def _lesson_from_fields(self, changed: str) -> PoolLesson:
        kernel = parse_pair(self._field("kernel-size"), "kernel size", minimum=1)
        stride_text = self._field("stride").strip()
        stride = parse_pair(stride_text, "stride") if stride_text else None
        padding = parse_pair(self._field("padding"), "padding")
        dilation = parse_pair(self._field("dilation"), "dilation")
        if max(kernel) > MAX_KERNEL:
            raise FieldError(f"kernel size: the Pooling panel shows kernels up to "
                             f"{MAX_KERNEL}×{MAX_KERNEL}")
        x, name = self._input_for(self._select("input-preset"), changed)
        return self.lesson.with_(
            x=x, kind=self._select("kind"), kernel_size=kernel, stride=stride,
            padding=padding, dilation=dilation,
            ceil_mode=self.query_one("#ceil-mode", Checkbox).value,
            count_include_pad=self.query_one("#count-include-pad", Checkbox).value,
            input_name=name,
        )

    def _input_for(self, preset: str, changed: str) -> tuple[np.ndarray, str]:
        """A new random input when asked for one or its size changes; else the input shown."""
        if preset == RANDOM:
            h, w = parse_pair(self._field("in-size"), "input size", minimum=1)
            if max(h, w) > MAX_INPUT:
                raise FieldError(f"input size: the Pooling panel shows inputs up to "
                                 f"{MAX_INPUT}×{MAX_INPUT}")
            if changed in ("input-preset", "in-size") or self.lesson.input_name != RANDOM \
                    or self.lesson.x.shape != (h, w):
                return random_integers((h, w), self.seed, 0, 9), RANDOM
        return self.lesson.x, self.lesson.input_name

    # MNIST -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="mnist")
    def load_digit(self, index: int) -> None:
        """Read MNIST's test digits once (numpy only, off the UI thread), then show one."""
        from convtui.training.errors import DataError
        from convtui.training.idx import load_split
        from convtui.training.mnist_source import ENV_VAR, locate

        if self._mnist is None:
            self.app.call_from_thread(self.update_status, "reading MNIST test digits…")
            location = locate(getattr(self.app.options, "data_dir", None))
            try:
                split = load_split(location.folder, "test")
            except DataError as err:
                self.app.call_from_thread(
                    self._mnist_missing,
                    f"✗ MNIST is not available: {err.message} Run `convtui train` once to "
                    f"download it, or point {ENV_VAR} (or --data-dir) at a folder that has "
                    "the four MNIST files.")
                return
            self._mnist = (split.images, split.labels)
        images, labels = self._mnist
        index %= len(labels)
        self.app.call_from_thread(self._show_digit, images[index].astype(np.float64), index,
                                  int(labels[index]))

    def _show_digit(self, digit: np.ndarray, index: int, label: int) -> None:
        self.digit = index
        self.try_lesson(x=digit, input_name=f"MNIST test #{index}: a {label}", step=0,
                        **PRESET_LAYERS[MNIST])

    def _mnist_missing(self, message: str) -> None:
        """Keep the input shown before (and its preset), and say why the digit did not come."""
        self._sync_settings()
        self.notice = message
        self.redraw()
        self.update_status("✗ MNIST is not available (see above)")

    # PyTorch ---------------------------------------------------------------------------
    def action_check(self) -> None:
        self.query_one("#check-result", Static).update("importing PyTorch and running it…")
        self.action_show_tab("code")
        self.run_check(self.lesson)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, lesson: PoolLesson) -> None:
        from convtui.pytorch.check import check_pool

        g = lesson.trace.geometry
        try:
            result = check_pool(lesson.x, lesson.kind, g.kernel, g.stride, g.padding,
                                g.dilation, g.ceil_mode, g.count_include_pad,
                                lesson.trace.output)
            text = ("✓ " if result.ok else "✗ ") + result.summary()
        except ImportError:
            text = "✗ PyTorch is not installed here: pip install torch"
        self.app.call_from_thread(self._show_check, text)

    def _show_check(self, text: str) -> None:
        self.query_one("#check-result", Static).update(text)
        self.update_status(text)

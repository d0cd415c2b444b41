"""Flip: the same input run through the kernel as written (cross-correlation, nn.Conv2d) and
through the kernel rotated 180° (convolution), side by side and in lockstep."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TabbedContent, TabPane

from convtui.core.flip import rotated_position
from convtui.ui.conv_views import arithmetic, input_view
from convtui.ui.fields import FieldError, parse_padding, parse_pair, show_pair
from convtui.ui.flip_lesson import EDITED, EXAMPLES, RANDOM, FlipLesson, example_lesson
from convtui.ui.flip_views import (
    EXPLANATION,
    convolution_view,
    correlation_view,
    difference_view,
    flip_code,
    kernel_view,
    rotated_view,
    selection_note,
    verdict,
    weights_text,
)
from convtui.ui.format import fmt
from convtui.ui.screens.edit_cell import EditCellScreen
from convtui.ui.screens.stepping import SteppingPanel
from convtui.ui.widgets.grid import HeatGrid

MAX_PADDING = 4


class FlipSettings(Vertical):
    """The example and the layer's stride and padding, showing the lesson they were opened
    on; mounted on first open, as the Stepper's are, so the panel starts fast."""

    DEFAULT_CSS = "FlipSettings { height: auto; }"

    def __init__(self, lesson: FlipLesson) -> None:
        super().__init__()
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        corr = self.lesson.correlation
        yield Label("Example")
        yield Select([(e, e) for e in (*EXAMPLES, EDITED)], value=corr.kernel_name,
                     allow_blank=False, id="example")
        yield Label("Stride, padding")
        with Horizontal(classes="pair"):
            yield Input(show_pair(corr.stride), id="stride")
            yield Input(padding_text(corr.padding), id="padding")
        yield Static("", id="settings-error")


def padding_text(padding: int | tuple[int, int] | str) -> str:
    if isinstance(padding, str):
        return padding
    return show_pair(padding if isinstance(padding, tuple) else (padding, padding))


class FlipScreen(SteppingPanel):
    PANEL = "flip"
    HELP = """# Flip: convolution or cross-correlation?

In mathematics, **convolution** rotates the kernel by 180° before sliding it over the input.
PyTorch's `nn.Conv2d` does not rotate it: it computes a **cross-correlation** and calls it a
convolution. This panel runs the same input through both, in lockstep:

- **W** and **rot180(W)**: the kernel as written and as the convolution applies it.
  Click a weight (or Tab to the grid and use the arrows) to mark where it lands.
- **corr**: the cross-correlation, what `nn.Conv2d` gives. **conv**: the true convolution.
- **corr − conv**: their difference; cells where they differ are marked.

The examples: a **symmetric** kernel (the lecture's, or a box blur) gives identical outputs,
because it equals its own rotation; **Sobel** only changes sign under the rotation, so the
convolution is the negative; a **random** kernel gives two different outputs; an **impulse**
input (a single 1) makes cross-correlation stamp the rotated kernel and convolution the kernel
itself. The *Why* tab explains why learned kernels make the difference unimportant in
practice, and which libraries compute which.

| key | does |
|---|---|
| → / ← (l / h) | next / previous step, both outputs at once |
| Home / End (g / G) | first / last step |
| Space | play / pause; + / - change the speed |
| e | the next example |
| r | a new random (asymmetric) kernel |
| s | show or hide the settings (example, stride, padding) |
| c | check both outputs with PyTorch |
| a / w / y / p | show the arithmetic, the weights, why it matters, the PyTorch code |
| Enter (on the kernel grid) | edit a weight |

Click an output cell to jump to its step.
"""

    DEFAULT_CSS = """
    FlipScreen #input-grid, FlipScreen #rotated-grid { margin-right: 1; }
    FlipScreen #flip-verdict { height: auto; padding: 0 1; color: $text; }
    FlipScreen #flip-arith-row { height: auto; width: auto; }
    FlipScreen #flip-arith-row Static { width: auto; margin-right: 4; }
    FlipScreen #flip-arith-box { height: auto; }
    """

    BINDINGS: ClassVar = [
        Binding("e", "next_example", "Example"),
        Binding("s", "toggle_settings", "Settings"),
        Binding("c", "check", "Check"),
        Binding("r", "randomize", "Random", show=False),
        Binding("a", "show_tab('arith')", "Arithmetic", show=False),
        Binding("w", "show_tab('weights')", "Weights", show=False),
        Binding("y", "show_tab('why')", "Why", show=False),
        Binding("p", "show_tab('code')", "PyTorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lesson: FlipLesson = example_lesson(EXAMPLES[0])
        self.selected: tuple[tuple[int, int], bool] | None = None  # weight, on rotated grid?
        self.seed = 0
        self._ready = False

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="settings")  # filled on first open: a faster start
        with ScrollableContainer(id="grids"), Horizontal(id="grid-row"):
            for grid_id in ("input-grid", "kernel-grid", "rotated-grid", "corr-grid",
                            "conv-grid", "diff-grid"):
                yield HeatGrid(id=grid_id)
        yield Static(id="flip-verdict")
        with TabbedContent(id="views", initial="arith"):
            with TabPane("Arithmetic", id="arith"), \
                    ScrollableContainer(id="flip-arith-box"), Horizontal(id="flip-arith-row"):
                yield Static(id="corr-arithmetic")
                yield Static(id="conv-arithmetic")
            with TabPane("Weights", id="weights"), VerticalScroll():
                yield Static(id="weights-view")
            with TabPane("Why", id="why"), VerticalScroll():
                yield Static(EXPLANATION, id="why-view")
            with TabPane("PyTorch", id="code"), VerticalScroll():
                yield Static(id="code-view")
                yield Static("press c to run both in PyTorch and compare", id="check-result")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.query_one("#settings").display = False
        self.redraw()

    def _set_ready(self) -> None:
        self._ready = True

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        lesson = self.lesson
        marks_w, marks_rot = self._weight_marks()
        self.query_one("#input-grid", HeatGrid).show(input_view(lesson.correlation))
        self.query_one("#kernel-grid", HeatGrid).show(kernel_view(lesson, marks_w))
        self.query_one("#rotated-grid", HeatGrid).show(rotated_view(lesson, marks_rot))
        self.query_one("#corr-grid", HeatGrid).show(correlation_view(lesson))
        self.query_one("#conv-grid", HeatGrid).show(convolution_view(lesson))
        self.query_one("#diff-grid", HeatGrid).show(difference_view(lesson))
        self.query_one("#flip-verdict", Static).update(verdict(lesson))
        self.query_one("#corr-arithmetic", Static).update(
            arithmetic(lesson.correlation.current, "corr"))
        self.query_one("#conv-arithmetic", Static).update(
            arithmetic(lesson.convolution.current, "conv"))
        self.query_one("#weights-view", Static).update(weights_text(lesson))
        self.query_one("#code-view", Static).update(flip_code(lesson))
        self.update_status()

    def _weight_marks(self) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]:
        if self.selected is None:
            return frozenset(), frozenset()
        cell, on_rotated = self.selected
        other = rotated_position(*cell, self.lesson.kernel.shape)
        source, dest = (other, cell) if on_rotated else (cell, other)
        return frozenset({source}), frozenset({dest})

    def update_status(self, message: str = "") -> None:
        lesson = self.lesson
        corr, conv = lesson.correlation.current, lesson.convolution.current
        parts = [f"step {lesson.step + 1}/{lesson.correlation.trace.step_count}",
                 f"corr[{corr.out_row},{corr.out_col}] = {fmt(corr.total)}",
                 f"conv = {fmt(conv.total)}"]
        if playing := self.playing_note():
            parts.append(playing)
        if self.selected is not None:
            parts.append(selection_note(lesson, *self.selected))
        if message:
            parts.append(message)
        parts.append(lesson.correlation.kernel_name)
        self.query_one("#status", Static).update(" · ".join(parts))

    def set_lesson(self, lesson: FlipLesson) -> None:
        self.lesson = lesson
        self.redraw()

    # stepping --------------------------------------------------------------------------
    @property
    def step_index(self) -> int:
        return self.lesson.step

    @property
    def step_count(self) -> int:
        return self.lesson.correlation.trace.step_count

    def go_to(self, index: int) -> None:
        self.set_lesson(self.lesson.with_(step=index))

    @on(HeatGrid.CellClicked, "#corr-grid, #conv-grid, #diff-grid")
    @on(HeatGrid.CursorMoved, "#corr-grid, #conv-grid, #diff-grid")
    def jump_to_output(self, event: HeatGrid.CellClicked) -> None:
        self.go_to(self.lesson.correlation.trace.step_of(event.row, event.col))

    @on(HeatGrid.CellClicked, "#kernel-grid, #rotated-grid")
    @on(HeatGrid.CursorMoved, "#kernel-grid, #rotated-grid")
    def select_weight(self, event: HeatGrid.CellClicked) -> None:
        self.selected = ((event.row, event.col), event.grid.id == "rotated-grid")
        self.redraw()

    @on(HeatGrid.EditRequested, "#kernel-grid")
    def edit_weight(self, event: HeatGrid.EditRequested) -> None:
        i, j = event.row, event.col

        def apply(value: float | None) -> None:
            if value is not None:
                kernel = self.lesson.correlation.kernel.copy()
                kernel[0, i, j] = value
                self.set_lesson(self.lesson.with_(kernel=kernel, kernel_name=EDITED))
                self._sync_settings()

        self.app.push_screen(EditCellScreen(f"W[{i},{j}]", fmt(self.lesson.kernel[i, j])),
                             apply)

    @on(HeatGrid.EditRequested, "#rotated-grid")
    def refuse_rotated_edit(self) -> None:
        self.update_status("the rotated kernel is derived from W; edit W instead")

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#views", TabbedContent).active = tab

    async def action_toggle_settings(self) -> None:
        settings = self.query_one("#settings")
        if not settings.children:
            await settings.mount(FlipSettings(self.lesson))
            self.call_after_refresh(self._set_ready)
        settings.display = not settings.display
        if settings.display:
            self.query_one("#example", Select).focus()
        else:
            self.set_focus(None)

    def action_next_example(self) -> None:
        current = self.lesson.correlation.kernel_name
        nxt = EXAMPLES[(EXAMPLES.index(current) + 1) % len(EXAMPLES)] if current in EXAMPLES \
            else EXAMPLES[0]
        self.load_example(nxt)

    def action_randomize(self) -> None:
        self.seed += 1
        self.load_example(RANDOM)

    def load_example(self, name: str) -> None:
        """An example comes with its own input, kernel and padding (stride 1)."""
        self._show_error("")
        self.set_lesson(example_lesson(name, self.seed))
        self._sync_settings()

    def _sync_settings(self) -> None:
        """Show the lesson in the settings fields, if they have been opened."""
        if not self.query("FlipSettings"):
            return
        corr = self.lesson.correlation
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#example", Select).value = corr.kernel_name
            self.query_one("#stride", Input).value = show_pair(corr.stride)
            self.query_one("#padding", Input).value = padding_text(corr.padding)

    # settings --------------------------------------------------------------------------
    @on(Select.Changed, "#example")
    def example_changed(self, event: Select.Changed) -> None:
        if self._ready and event.value in EXAMPLES:
            self.load_example(str(event.value))

    @on(Input.Changed, "#settings Input")
    def settings_changed(self) -> None:
        if not self._ready:
            return
        try:
            stride = parse_pair(self.query_one("#stride", Input).value, "stride")
            padding = parse_padding(self.query_one("#padding", Input).value)
            if not isinstance(padding, str) and max(
                    padding if isinstance(padding, tuple) else (padding,)) > MAX_PADDING:
                raise FieldError(f"padding: the Flip panel shows padding up to {MAX_PADDING}")
            lesson = self.lesson.with_(stride=stride, padding=padding)
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

    # PyTorch ---------------------------------------------------------------------------
    def action_check(self) -> None:
        self.query_one("#check-result", Static).update("importing PyTorch and running it…")
        self.action_show_tab("code")
        self.run_check(self.lesson)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, lesson: FlipLesson) -> None:
        from convtui.pytorch.check import check_conv

        lines = []
        try:
            for name, conv in (("cross-correlation", lesson.correlation),
                               ("convolution (W rotated)", lesson.convolution)):
                result = check_conv(conv.x, conv.kernel, conv.bias, conv.stride, conv.padding,
                                    conv.dilation, conv.padding_mode, conv.flip,
                                    conv.trace.output)
                lines.append(("✓ " if result.ok else "✗ ") + f"{name}: {result.summary()}")
        except ImportError:
            lines = ["✗ PyTorch is not installed here: pip install torch"]
        self.app.call_from_thread(self._show_check, "\n".join(lines))

    def _show_check(self, text: str) -> None:
        self.query_one("#check-result", Static).update(text)
        ok = all(line.startswith("✓") for line in text.splitlines())
        self.update_status("✓ PyTorch agrees on both outputs" if ok else
                           "✗ PyTorch disagrees: see the PyTorch tab")

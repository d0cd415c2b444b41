"""Backward: the gradients of a convolution stepped back from an output gradient the student
chooses, grad_input in the scatter and the gather reading (the kernel rotated 180°), then
grad_weight and grad_bias."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, VerticalScroll
from textual.widgets import Input, Static, TabPane

from convtui.fields import FieldError, parse_padding, parse_pair, show_padding, show_pair
from convtui.i18n import t
from convtui.i18n.wording import Phrase
from convtui.lessons.backward import (
    EDITED,
    GATHER,
    GRADIENTS,
    RANDOM,
    SCATTER,
    WEIGHT,
    BackwardLesson,
)
from convtui.ui.backward.views import (
    arithmetic,
    current_cell,
    grad_view,
    gradient_name,
    input_view,
    kernel_view,
    pytorch_code,
    reading_note,
    result_view,
    why_line,
    why_text,
)
from convtui.ui.numbers import fmt
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.panel.lesson_panel import LessonPanel
from convtui.ui.panel.settings import LessonSettings
from convtui.ui.widgets.grid import GridBox, HeatGrid
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult

#: Keep every grid readable on the lecture's 5×5 input.
MAX_STRIDE, MAX_PADDING, MAX_DILATION = 3, 2, 3
GRIDS = ("input-grid", "grad-grid", "kernel-grid", "result-grid")


class BackwardSettings(LessonSettings[BackwardLesson]):
    """The output gradient (and its one-hot cell) and the layer's stride, padding and
    dilation."""

    def fields(self) -> ComposeResult:
        yield self.caption("backward.settings.gradient")
        yield self.choice("gradient", [(f"backward.gradients.{g}", g)
                                       for g in (*GRADIENTS, EDITED)])
        yield self.caption("backward.settings.hot_cell")
        yield Input(id="hot-cell")
        yield self.caption("backward.settings.stride_padding")
        with Horizontal(classes="pair"):
            yield Input(id="stride")
            yield Input(id="padding")
        yield self.caption("backward.settings.dilation")
        yield Input(id="dilation")

    def fill(self, lesson: BackwardLesson) -> None:
        self.query_one("#gradient", Select).value = lesson.gradient
        geom = lesson.grad_weight.geometry
        for field, value in (("hot-cell", show_pair(lesson.hot_cell)),
                             ("stride", show_pair(geom.stride)),
                             ("padding", show_padding(lesson.padding)),
                             ("dilation", show_pair(geom.dilation))):
            self.query_one(f"#{field}", Input).value = value

    def show_gradient(self, gradient: str) -> None:
        with self.prevent(Select.Changed):
            self.query_one("#gradient", Select).value = gradient


class BackwardScreen(LessonPanel[BackwardLesson]):
    PANEL = "backward"
    PRESETS: ClassVar[tuple[str, ...]] = ("lecture",)
    SETTINGS = BackwardSettings
    FIRST_SETTING = "gradient"

    DEFAULT_CSS = """
    BackwardScreen #bw-grids { height: auto; max-height: 60%; }
    BackwardScreen #bw-grid-row { height: auto; width: auto; }
    BackwardScreen #bw-grid-row GridBox { margin-right: 1; }
    BackwardScreen #bw-note { height: auto; color: $text-muted; padding: 0 1; }
    BackwardScreen #bw-why { height: auto; padding: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("v", "toggle_reading", "keys.backward.reading"),
        Binding("w", "toggle_weight", "keys.backward.weight"),
        Binding("d", "next_gradient", "keys.backward.gradient", show=False),
        Binding("s", "toggle_settings", "keys.backward.settings"),
        Binding("c", "check", "keys.backward.check"),
        Binding("r", "randomize", "keys.backward.random", show=False),
        Binding("a", "show_tab('arith')", "keys.backward.arithmetic", show=False),
        Binding("y", "show_tab('why')", "keys.backward.why", show=False),
        Binding("p", "show_tab('code')", "keys.backward.pytorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(BackwardLesson())

    # layout ----------------------------------------------------------------------------
    def compose_lesson(self) -> ComposeResult:
        with ScrollableContainer(id="bw-grids"), Horizontal(id="bw-grid-row"):
            for grid_id in GRIDS:
                with GridBox(id=f"{grid_id}-box"):
                    yield HeatGrid(id=grid_id)
        yield Static(id="bw-note")
        yield Static(id="bw-why")

    def compose_views(self) -> ComposeResult:
        with TabPane(self.tab_title("arith"), id="arith"), VerticalScroll():
            yield Static(id="arithmetic")
        with TabPane(self.tab_title("why"), id="why"), VerticalScroll():
            yield Static(id="why-view")

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        lesson = self.lesson
        for grid_id, view in zip(GRIDS, (input_view, grad_view, kernel_view, result_view),
                                 strict=True):
            self.query_one(f"#{grid_id}", HeatGrid).show(view(lesson))
        self.query_one("#bw-note", Static).update(Text.assemble(
            (gradient_name(lesson), "bold"), " · ", reading_note(lesson)))
        self.query_one("#bw-why", Static).update(why_line(lesson))
        self.query_one("#arithmetic", Static).update(arithmetic(lesson))
        self.query_one("#why-view", Static).update(why_text(lesson))
        self.query_one("#code-view", Static).update(pytorch_code(lesson))
        self.update_status()
        self.call_after_refresh(self._follow_window)

    def _follow_window(self) -> None:
        """Scroll a grid too big for its room so the current window stays in sight."""
        for grid_id in GRIDS:
            grid = self.query_one(f"#{grid_id}", HeatGrid)
            cells = grid.view.window
            if cells:
                self.query_one(f"#{grid_id}-box", GridBox).reveal(grid, min(cells), max(cells))

    def show_settings(self, shown: bool) -> None:
        """The why line gives its rows to the settings while they are open (the Why tab
        still has it)."""
        self.query_one("#bw-why").display = not shown
        super().show_settings(shown)

    def status_parts(self) -> list[str]:
        lesson = self.lesson
        cell, value = current_cell(lesson)
        return [t(f"backward.readings.{lesson.reading}"), f"{cell} = {fmt(value)}",
                f"grad_bias = {fmt(lesson.grad_bias)}"]

    # presets ---------------------------------------------------------------------------
    def show_preset(self, preset: str) -> None:
        """``lecture``: the lecture's 5×5 input and 3×3 kernel, the gradient of out.sum()
        (all ones), at the first scatter step."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        self.open_preset(BackwardLesson)

    # readings and gradients ------------------------------------------------------------
    def action_toggle_reading(self) -> None:
        self.set_lesson(self.lesson.toggled())

    def action_toggle_weight(self) -> None:
        reading = SCATTER if self.lesson.reading == WEIGHT else WEIGHT
        self.set_lesson(self.lesson.with_(reading=reading, step=0))

    def action_next_gradient(self) -> None:
        current = self.lesson.gradient
        nxt = GRADIENTS[(GRADIENTS.index(current) + 1) % len(GRADIENTS)] \
            if current in GRADIENTS else GRADIENTS[0]
        self.apply(lambda: self.lesson.with_(gradient=nxt))

    def action_randomize(self) -> None:
        """A new random output gradient of small integers."""
        self.apply(lambda: self.lesson.with_(gradient=RANDOM, seed=self.lesson.seed + 1))

    # grids -----------------------------------------------------------------------------
    @on(HeatGrid.CellClicked, "#grad-grid")
    @on(HeatGrid.CursorMoved, "#grad-grid")
    def jump_to_gradient(self, event: HeatGrid.CellClicked) -> None:
        """Scattering, a step is an output-gradient cell."""
        if self.lesson.reading == SCATTER:
            self.go_to(event.row * self.lesson.grad_output.shape[1] + event.col)

    @on(HeatGrid.CellClicked, "#result-grid")
    @on(HeatGrid.CursorMoved, "#result-grid")
    def jump_to_result(self, event: HeatGrid.CellClicked) -> None:
        """Gathering (or stepping grad_weight) a step is a cell of the result; scattering, go
        to the first stamp that lands on the cell clicked."""
        lesson = self.lesson
        width = self.query_one("#result-grid", HeatGrid).view.values.shape[1]
        if lesson.reading == SCATTER:
            hits = lesson.grad_input.scatter_steps_into(0, event.row, event.col)
            if hits:
                self.go_to(hits[0])
        else:
            self.go_to(event.row * width + event.col)

    @on(HeatGrid.EditRequested, "#input-grid, #kernel-grid, #grad-grid")
    def edit_cell(self, event: HeatGrid.EditRequested) -> None:
        lesson = self.lesson
        grid = event.grid.id
        if grid != "input-grid" and lesson.reading == GATHER:
            self.update_status(Phrase("backward.derived_in_gather"))
            return
        i, j = event.row, event.col
        if grid == "input-grid":
            top, _, left, _ = lesson.grad_weight.geometry.pads
            i, j = i - top, j - left
            h, w = lesson.x.shape
            if not (0 <= i < h and 0 <= j < w):
                self.update_status(Phrase("backward.padding_is_zero"))
                return
        field, name, array = {
            "input-grid": ("x", f"x[{i},{j}]", lesson.x),
            "kernel-grid": ("kernel", f"W[{i},{j}]", lesson.kernel),
            "grad-grid": ("edited", f"g[{i},{j}]", lesson.grad_output),
        }[grid or ""]

        def set_value(value: float | None) -> None:
            if value is None:
                return
            changed = array.copy()
            changed[i, j] = value
            extra = {"gradient": EDITED} if field == "edited" else {}
            self.apply(lambda: self.lesson.with_(**{field: changed}, **extra))

        self.app.push_screen(EditCellScreen(name, fmt(array[i, j])), set_value)

    # settings --------------------------------------------------------------------------
    @on(Select.Changed, "#gradient")
    def gradient_changed(self, event: Select.Changed) -> None:
        if self._ready and event.value in GRADIENTS:
            self.apply(lambda: self.lesson.with_(gradient=str(event.value)), sync=False)

    @on(Input.Changed, "#settings Input")
    def settings_changed(self) -> None:
        if self._ready:
            self.apply(self._lesson_from_fields, sync=False)
            for settings in self.query(BackwardSettings):  # an edited g may have been dropped
                settings.show_gradient(self.lesson.gradient)

    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _lesson_from_fields(self) -> BackwardLesson:
        hot_cell = parse_pair(self._field("hot-cell"), t("backward.fields.hot_cell"),
                              minimum=0)
        stride = parse_pair(self._field("stride"), "stride")
        padding = parse_padding(self._field("padding"))
        dilation = parse_pair(self._field("dilation"), "dilation")
        pads = () if isinstance(padding, str) else \
            (padding if isinstance(padding, tuple) else (padding,))
        for values, most, key in ((stride, MAX_STRIDE, "stride_limit"),
                                  (pads, MAX_PADDING, "padding_limit"),
                                  (dilation, MAX_DILATION, "dilation_limit")):
            if values and max(values) > most:
                raise FieldError(t(f"backward.{key}", max=most))
        changed = {"hot_cell": hot_cell, "stride": stride, "padding": padding,
                   "dilation": dilation}
        lesson = self.lesson
        if lesson.gradient == EDITED:  # a hand-edited gradient of another shape: all ones
            resized = lesson.with_(gradient=GRADIENTS[0], **changed)
            if resized.grad_output.shape != lesson.grad_output.shape:
                return resized
        return lesson.with_(**changed)

    # PyTorch ---------------------------------------------------------------------------
    def pytorch_checks(self, lesson: BackwardLesson) -> list[tuple[str, CheckResult]]:
        from convtui.pytorch.check import check_conv_backward

        geom = lesson.grad_weight.geometry
        results = check_conv_backward(
            lesson.x, lesson.kernel, geom.stride, lesson.padding, geom.dilation,
            lesson.grad_output, lesson.grad_input.output[0], lesson.grad_weight.output[0],
            lesson.grad_bias, "backward.counts.all_cells")
        return list(zip(("backward.check.grad_input", "backward.check.grad_weight",
                         "backward.check.grad_bias"), results, strict=True))

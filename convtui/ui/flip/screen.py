"""Flip: the same input run through the kernel as written (cross-correlation, nn.Conv2d) and
through the kernel rotated 180° (convolution), side by side and in lockstep."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, VerticalScroll
from textual.widgets import Input, Static, TabPane

from convtui.core.flip import rotated_position
from convtui.fields import FieldError, parse_padding, parse_pair, show_padding, show_pair
from convtui.i18n import t
from convtui.i18n.wording import Phrase
from convtui.lessons.flip import EDITED, EXAMPLES, NUMBERED, RANDOM, FlipLesson, example_lesson
from convtui.ui.flip.views import (
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
from convtui.ui.numbers import fmt
from convtui.ui.panel.conv_views import arithmetic, input_view
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.panel.lesson_panel import LessonPanel
from convtui.ui.panel.settings import LessonSettings
from convtui.ui.widgets.grid import HeatGrid
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult

MAX_PADDING = 4


class FlipSettings(LessonSettings[FlipLesson]):
    """The example and the layer's stride and padding."""

    def fields(self) -> ComposeResult:
        yield self.caption("flip.settings.example")
        yield self.choice("example", [(f"flip.examples.{e}", e) for e in (*EXAMPLES, EDITED)])
        yield self.caption("flip.settings.stride_padding")
        with Horizontal(classes="pair"):
            yield Input(id="stride")
            yield Input(id="padding")

    def fill(self, lesson: FlipLesson) -> None:
        corr = lesson.correlation
        self.query_one("#example", Select).value = corr.kernel_name
        self.query_one("#stride", Input).value = show_pair(corr.stride)
        self.query_one("#padding", Input).value = show_padding(corr.padding)


class FlipScreen(LessonPanel[FlipLesson]):
    PANEL = "flip"
    PRESETS: ClassVar[tuple[str, ...]] = ("lecture",)
    SETTINGS = FlipSettings
    FIRST_SETTING = "example"

    DEFAULT_CSS = """
    FlipScreen #grid-row HeatGrid { margin-right: 2; }  /* wider than label-to-cells */
    FlipScreen #flip-verdict { height: auto; padding: 0 1; color: $text; }
    FlipScreen #flip-arith-row { height: auto; width: auto; }
    FlipScreen #flip-arith-row Static { width: auto; margin-right: 4; }
    FlipScreen #flip-arith-box { height: auto; }
    """

    BINDINGS: ClassVar = [
        Binding("e", "next_example", "keys.flip.example"),
        Binding("s", "toggle_settings", "keys.flip.settings"),
        Binding("c", "check", "keys.flip.check"),
        Binding("r", "randomize", "keys.flip.random", show=False),
        Binding("a", "show_tab('arith')", "keys.flip.arithmetic", show=False),
        Binding("w", "show_tab('weights')", "keys.flip.weights", show=False),
        Binding("y", "show_tab('why')", "keys.flip.why", show=False),
        Binding("p", "show_tab('code')", "keys.flip.pytorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(example_lesson(EXAMPLES[0]))
        self.selected: tuple[tuple[int, int], bool] | None = None  # weight, on rotated grid?
        self.seed = 0

    # layout ----------------------------------------------------------------------------
    def compose_lesson(self) -> ComposeResult:
        with ScrollableContainer(id="grids"), Horizontal(id="grid-row"):
            for grid_id in ("input-grid", "kernel-grid", "rotated-grid", "corr-grid",
                            "conv-grid", "diff-grid"):
                yield HeatGrid(id=grid_id)
        yield Static(id="flip-verdict")

    def compose_views(self) -> ComposeResult:
        with TabPane(self.tab_title("arith"), id="arith"), \
                ScrollableContainer(id="flip-arith-box"), Horizontal(id="flip-arith-row"):
            yield Static(id="corr-arithmetic")
            yield Static(id="conv-arithmetic")
        with TabPane(self.tab_title("weights"), id="weights"), VerticalScroll():
            yield Static(id="weights-view")
        with TabPane(self.tab_title("why"), id="why"), VerticalScroll():
            yield Static(t("flip.why"), id="why-view")

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

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#why-view", Static).update(t("flip.why"))

    def _weight_marks(self) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]:
        if self.selected is None:
            return frozenset(), frozenset()
        cell, on_rotated = self.selected
        other = rotated_position(*cell, self.lesson.kernel.shape)
        source, dest = (other, cell) if on_rotated else (cell, other)
        return frozenset({source}), frozenset({dest})

    def status_parts(self) -> list[str]:
        lesson = self.lesson
        corr, conv = lesson.correlation.current, lesson.convolution.current
        parts = [f"corr[{corr.out_row},{corr.out_col}] = {fmt(corr.total)}",
                 f"conv = {fmt(conv.total)}"]
        if self.selected is not None:
            parts.append(selection_note(lesson, *self.selected))
        parts.append(t(f"flip.examples.{lesson.correlation.kernel_name}"))
        return parts

    # presets ---------------------------------------------------------------------------
    def show_preset(self, preset: str) -> None:
        """``lecture``: the lecture's 5×5 input through a kernel whose weights all differ (so
        the flip matters), at the first step."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        self.selected = None
        self.open_preset(lambda: example_lesson(NUMBERED))

    # grids -----------------------------------------------------------------------------
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

        def set_weight(value: float | None) -> None:
            if value is not None:
                kernel = self.lesson.correlation.kernel.copy()
                kernel[0, i, j] = value
                self.apply(lambda: self.lesson.with_(kernel=kernel, kernel_name=EDITED))

        self.app.push_screen(EditCellScreen(f"W[{i},{j}]", fmt(self.lesson.kernel[i, j])),
                             set_weight)

    @on(HeatGrid.EditRequested, "#rotated-grid")
    def refuse_rotated_edit(self) -> None:
        self.update_status(Phrase("flip.rotated_is_derived"))

    # examples --------------------------------------------------------------------------
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
        self.apply(lambda: example_lesson(name, self.seed))

    @on(Select.Changed, "#example")
    def example_changed(self, event: Select.Changed) -> None:
        if self._ready and event.value in EXAMPLES:
            self.load_example(str(event.value))

    @on(Input.Changed, "#settings Input")
    def settings_changed(self) -> None:
        if self._ready:
            self.apply(self._lesson_from_fields, sync=False)

    def _lesson_from_fields(self) -> FlipLesson:
        stride = parse_pair(self.query_one("#stride", Input).value, "stride")
        padding = parse_padding(self.query_one("#padding", Input).value)
        if not isinstance(padding, str) and max(
                padding if isinstance(padding, tuple) else (padding,)) > MAX_PADDING:
            raise FieldError(t("flip.padding_limit", max=MAX_PADDING))
        return self.lesson.with_(stride=stride, padding=padding)

    # PyTorch ---------------------------------------------------------------------------
    def pytorch_checks(self, lesson: FlipLesson) -> list[tuple[str, CheckResult]]:
        from convtui.pytorch.check import check_conv

        return [(name, check_conv(conv.x, conv.kernel, conv.bias, conv.stride, conv.padding,
                                  conv.dilation, conv.padding_mode, conv.flip,
                                  conv.trace.output))
                for name, conv in (("flip.check.correlation", lesson.correlation),
                                   ("flip.check.convolution", lesson.convolution))]

"""Transposed: nn.ConvTranspose2d stepped in two readings of the same numbers, the scatter
(each input cell stamps the kernel into the output) and the gather (zeros spread between the
input cells, then a stride-1 cross-correlation with the kernel rotated 180°)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, VerticalScroll
from textual.widgets import Input, Static, TabPane

from convtui.core.examples import random_integers
from convtui.fields import FieldError, parse_pair, show_pair
from convtui.i18n import t
from convtui.i18n.wording import Phrase
from convtui.lessons.backward import SCATTER
from convtui.lessons.transposed import PRESETS, TransposedLesson, preset
from convtui.ui.numbers import fmt
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.panel.lesson_panel import LessonPanel
from convtui.ui.panel.settings import LessonSettings
from convtui.ui.transposed.views import (
    arithmetic,
    current_cell,
    gathered_view,
    input_view,
    kernel_view,
    output_size,
    output_view,
    pytorch_code,
    reading_note,
)
from convtui.ui.widgets.grid import GridBox, HeatGrid
from convtui.ui.widgets.option_lists import Select

if TYPE_CHECKING:
    from convtui.pytorch.check import CheckResult

#: An input or kernel changed by hand, by size or at random: no preset any more.
CUSTOM = "custom"
#: Keep every grid readable: the largest output is (8-1)×4 + 3×(5-1) + 3 + 1 = 44 cells.
MAX_INPUT, MAX_KERNEL, MAX_STRIDE, MAX_DILATION = 8, 5, 4, 3


class TransposedSettings(LessonSettings[TransposedLesson]):
    """The preset, the input and kernel sizes and the layer's four settings."""

    def fields(self) -> ComposeResult:
        yield self.caption("transposed.settings.preset")
        yield self.choice("preset", [(f"transposed.presets.{p}", p)
                                     for p in (*PRESETS, CUSTOM)])
        yield self.caption("transposed.settings.sizes")
        with Horizontal(classes="pair"):
            yield Input(id="in-size")
            yield Input(id="kernel-size")
        yield self.caption("transposed.settings.stride_padding")
        with Horizontal(classes="pair"):
            yield Input(id="stride")
            yield Input(id="padding")
        yield self.caption("transposed.settings.output_padding_dilation")
        with Horizontal(classes="pair"):
            yield Input(id="output-padding")
            yield Input(id="dilation")

    def fill(self, lesson: TransposedLesson) -> None:
        g = lesson.trace.geometry
        op = lesson.output_padding
        for field, value in (
            ("in-size", f"{lesson.x.shape[0]}x{lesson.x.shape[1]}"),
            ("kernel-size", f"{lesson.kernel.shape[0]}x{lesson.kernel.shape[1]}"),
            ("stride", show_pair(g.stride)),
            ("padding", show_pair(g.crop)),
            ("output-padding", show_pair(op if isinstance(op, tuple) else (op, op))),
            ("dilation", show_pair(g.dilation)),
        ):
            self.query_one(f"#{field}", Input).value = value

    def show_preset(self, name: str) -> None:
        with self.prevent(Select.Changed):
            self.query_one("#preset", Select).value = name


class TransposedScreen(LessonPanel[TransposedLesson]):
    PANEL = "transposed"
    PRESETS: ClassVar[tuple[str, ...]] = PRESETS
    SETTINGS = TransposedSettings
    FIRST_SETTING = "preset"

    DEFAULT_CSS = """
    TransposedScreen #tr-grids { height: auto; max-height: 60%; }
    TransposedScreen #tr-grid-row { height: auto; width: auto; }
    TransposedScreen #tr-grid-row GridBox { margin-right: 2; }
    TransposedScreen.large #tr-grids { height: 60%; }
    TransposedScreen.large #tr-grid-row { height: 100%; width: 100%; }
    TransposedScreen.large #tr-grid-row GridBox { height: 100%; }
    TransposedScreen.large #gathered-grid-box, TransposedScreen.large #output-grid-box {
        width: 1fr;
    }
    TransposedScreen #tr-note { height: auto; color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("v", "toggle_reading", "keys.transposed.reading"),
        Binding("e", "next_preset", "keys.transposed.preset"),
        Binding("s", "toggle_settings", "keys.transposed.settings"),
        Binding("c", "check", "keys.transposed.check"),
        Binding("r", "randomize", "keys.transposed.random", show=False),
        Binding("a", "show_tab('arith')", "keys.transposed.arithmetic", show=False),
        Binding("o", "show_tab('size')", "keys.transposed.size", show=False),
        Binding("p", "show_tab('code')", "keys.transposed.pytorch", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(preset(PRESETS[0]))
        self.preset_name = PRESETS[0]
        self.seed = 0

    # layout ----------------------------------------------------------------------------
    def compose_lesson(self) -> ComposeResult:
        with ScrollableContainer(id="tr-grids"), Horizontal(id="tr-grid-row"):
            for grid_id in ("input-grid", "gathered-grid", "kernel-grid", "output-grid"):
                with GridBox(id=f"{grid_id}-box"):
                    yield HeatGrid(id=grid_id)
        yield Static(id="tr-note")

    def compose_views(self) -> ComposeResult:
        with TabPane(self.tab_title("arith"), id="arith"), VerticalScroll():
            yield Static(id="arithmetic")
        with TabPane(self.tab_title("size"), id="size"), VerticalScroll():
            yield Static(id="size-view")

    # drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        lesson = self.lesson
        scatter = lesson.reading == SCATTER
        self.query_one("#input-grid", HeatGrid).show(input_view(lesson))
        self.query_one("#gathered-grid-box").display = not scatter
        large = False
        if not scatter:
            gathered = gathered_view(lesson)
            self.query_one("#gathered-grid", HeatGrid).show(gathered)
            large = gathered.compact
        self.query_one("#kernel-grid", HeatGrid).show(kernel_view(lesson))
        outputs = output_view(lesson)
        self.query_one("#output-grid", HeatGrid).show(outputs)
        self.set_class(large or outputs.compact, "large")
        self.query_one("#tr-note", Static).update(Text.assemble(
            (t(f"transposed.presets.{self.preset_name}"), "bold"), " · ", reading_note(lesson)))
        self.query_one("#arithmetic", Static).update(arithmetic(lesson))
        self.query_one("#size-view", Static).update(output_size(lesson))
        self.query_one("#code-view", Static).update(pytorch_code(lesson))
        self.update_status()
        self.call_after_refresh(self._follow_window)

    def _follow_window(self) -> None:
        """Scroll large grids so the current window and the cells it writes stay in sight."""
        for grid_id in ("input-grid", "gathered-grid", "output-grid"):
            grid = self.query_one(f"#{grid_id}", HeatGrid)
            cells = grid.view.window or grid.view.marks
            if cells and grid.display and grid.parent and grid.parent.display:
                self.query_one(f"#{grid_id}-box", GridBox).reveal(
                    grid, min(cells), max(cells))

    def status_parts(self) -> list[str]:
        lesson = self.lesson
        cell, value = current_cell(lesson)
        return [t(f"transposed.readings.{lesson.reading}"), f"{cell} = {fmt(value)}"]

    def set_lesson(self, lesson: TransposedLesson) -> None:
        super().set_lesson(lesson)
        self._show_preset_name()

    async def action_toggle_settings(self) -> None:
        await super().action_toggle_settings()
        self._show_preset_name()  # mounted on first open with only the lesson's numbers

    def _show_preset_name(self) -> None:
        for settings in self.query(TransposedSettings):
            settings.show_preset(self.preset_name)

    # presets ---------------------------------------------------------------------------
    def show_preset(self, name: str) -> None:
        """``unet``: a U-Net decoder's k2 s2 upsampling of 3×3 to 6×6; ``odd_size``: k3 s2 p1
        taking a stride-2 convolution's 3×3 output back to 5×5; ``lecture_backwards``: the
        lecture's 3×3 output back through its kernel to 5×5. At the first scatter step."""
        if name not in self.PRESETS:
            super().show_preset(name)
        self.preset_name = name
        self.open_preset(lambda: preset(name))

    def action_next_preset(self) -> None:
        current = PRESETS.index(self.preset_name) if self.preset_name in PRESETS else -1
        self.load_preset(PRESETS[(current + 1) % len(PRESETS)])

    def load_preset(self, name: str) -> None:
        self.preset_name = name
        self.apply(lambda: preset(name).with_(reading=self.lesson.reading))

    def action_toggle_reading(self) -> None:
        self.set_lesson(self.lesson.toggled())

    def action_randomize(self) -> None:
        """New small integers in the input and the kernel, the layer kept."""
        self.seed += 1
        self.preset_name = CUSTOM
        self.apply(lambda: self.lesson.with_(
            x=random_integers(self.lesson.x.shape, self.seed, 0, 9),
            kernel=random_integers(self.lesson.kernel.shape, self.seed + 1, -2, 3), step=0))

    # grids -----------------------------------------------------------------------------
    @on(HeatGrid.CellClicked, "#input-grid")
    @on(HeatGrid.CursorMoved, "#input-grid")
    def jump_to_input(self, event: HeatGrid.CellClicked) -> None:
        """In the scatter reading a step is an input cell."""
        if self.lesson.reading == SCATTER:
            self.go_to(event.row * self.lesson.x.shape[1] + event.col)

    @on(HeatGrid.CellClicked, "#output-grid")
    @on(HeatGrid.CursorMoved, "#output-grid")
    def jump_to_output(self, event: HeatGrid.CellClicked) -> None:
        """In the gather reading a step is an output cell; in the scatter reading, go to the
        first stamp that adds to the cell clicked."""
        trace = self.lesson.trace
        if self.lesson.reading == SCATTER:
            hits = trace.scatter_steps_into(0, event.row, event.col)
            if hits:
                self.go_to(hits[0])
        else:
            self.go_to(event.row * trace.output.shape[2] + event.col)

    @on(HeatGrid.EditRequested, "#input-grid, #kernel-grid")
    def edit_cell(self, event: HeatGrid.EditRequested) -> None:
        on_input = event.grid.id == "input-grid"
        if not on_input and self.lesson.reading != SCATTER:
            self.update_status(Phrase("transposed.rotated_is_derived"))
            return
        i, j = event.row, event.col
        array = self.lesson.x if on_input else self.lesson.kernel

        def set_value(value: float | None) -> None:
            if value is None:
                return
            changed = array.copy()
            changed[i, j] = value
            self.preset_name = CUSTOM
            self.apply(lambda: self.lesson.with_(**{"x" if on_input else "kernel": changed}))

        name = f"x[{i},{j}]" if on_input else f"W[{i},{j}]"
        self.app.push_screen(EditCellScreen(name, fmt(array[i, j])), set_value)

    # settings --------------------------------------------------------------------------
    @on(Select.Changed, "#preset")
    def preset_changed(self, event: Select.Changed) -> None:
        if self._ready and event.value in PRESETS:
            self.load_preset(str(event.value))

    @on(Input.Changed, "#settings Input")
    def settings_changed(self) -> None:
        if self._ready:
            self.apply(self._lesson_from_fields, sync=False)

    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _lesson_from_fields(self) -> TransposedLesson:
        in_size = parse_pair(self._field("in-size"), t("transposed.fields.input_size"),
                             minimum=1)
        k_size = parse_pair(self._field("kernel-size"), t("transposed.fields.kernel_size"),
                            minimum=1)
        stride = parse_pair(self._field("stride"), "stride")
        padding = parse_pair(self._field("padding"), "padding")
        output_padding = parse_pair(self._field("output-padding"), "output_padding")
        dilation = parse_pair(self._field("dilation"), "dilation")
        for value, most, key in ((in_size, MAX_INPUT, "input_limit"),
                                 (k_size, MAX_KERNEL, "kernel_limit"),
                                 (stride, MAX_STRIDE, "stride_limit"),
                                 (dilation, MAX_DILATION, "dilation_limit")):
            if max(value) > most:
                raise FieldError(t(f"transposed.{key}", max=most))
        lesson = self.lesson
        x = lesson.x if lesson.x.shape == in_size else np.arange(
            1.0, in_size[0] * in_size[1] + 1).reshape(in_size)
        kernel = lesson.kernel if lesson.kernel.shape == k_size else np.ones(k_size)
        built = lesson.with_(x=x, kernel=kernel, stride=stride, padding=padding,
                             output_padding=output_padding, dilation=dilation)
        self.preset_name = CUSTOM
        return built

    # PyTorch ---------------------------------------------------------------------------
    def pytorch_checks(self, lesson: TransposedLesson) -> list[tuple[str, CheckResult]]:
        from convtui.pytorch.check import check_conv_transpose

        g = lesson.trace.geometry
        op = lesson.output_padding
        return [("", check_conv_transpose(lesson.x, lesson.kernel, lesson.bias, g.stride,
                                          g.crop, op if isinstance(op, tuple) else (op, op),
                                          g.dilation, lesson.trace.output[0]))]

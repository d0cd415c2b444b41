"""Shapes: trace NCHW shapes through a network, layer by layer, and edit the network."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane

from convtui.core.layers import Flatten, Layer, Linear, Shape
from convtui.core.network import Path, path_text, trace
from convtui.core.presets import PRESETS
from convtui.core.spec import SpecError, format_layer, format_spec, parse_spec
from convtui.ui.screens.base import PanelScreen
from convtui.ui.shapes_dialog import (
    DELETE,
    DOWN,
    INPUT_SHAPE,
    INSERT,
    REPLACE,
    UP,
    LayerDialog,
    LayerEdit,
    templates,
)
from convtui.ui.shapes_export import Exports, export_dir, make_exports, save_exports
from convtui.ui.shapes_stack import (
    Layers,
    StackError,
    delete_at,
    insert_after,
    layer_at,
    move,
    replace_at,
)
from convtui.ui.shapes_view import (
    ADD,
    COLUMNS,
    INPUT,
    SKIP,
    ShapeRow,
    detail,
    shape_text,
    spec_error_text,
    table_rows,
    totals_text,
)

DEFAULT_PRESET = "lecture"


@functools.cache
def _preset_stacks() -> dict[str, tuple[Shape, Layers]]:
    return {name: (p.input_shape, p.layers) for name, p in PRESETS.items()}


def preset_of(shape: Shape, layers: Layers) -> str | None:
    """The preset this network is, if it is one (so the preset list can say so)."""
    for name, stack in _preset_stacks().items():
        if stack == (shape, layers):
            return name
    return None


class ShapesScreen(PanelScreen):
    PANEL = "shapes"
    HELP = """# Shapes: how a tensor's shape changes through a network

Every layer turns an **NCHW** tensor (batch N, channels C, height H, width W) into another.
The table shows, for every layer, the input and output shape, its **parameter** count, its
**MACs** (multiply-accumulates for this input, batch included), and the **receptive field**
(RF: how many input pixels one output cell sees) and **jump** (how far apart, in input pixels,
neighbouring output cells are) so far. The panel below the table explains the selected row:
the output-size arithmetic `(I - F + 2P) / S + 1`, floored, for H and W; the PyTorch module;
notes. A residual block shows its **main** path, its shortcut (**skip**: identity, or a
projection) and the **add**.

A layer PyTorch would refuse is a red ✗ row, with the reason and a fix.

Type a network in the spec line, e.g.
`1x1x28x28: conv(16,3,p=1) relu maxpool(2) flatten linear(3136,10)`:

| spec | PyTorch |
|---|---|
| `conv(out, k, s, p)`, `d=` `g=` `bias=` `mode=` | `nn.Conv2d` (p may be `same`) |
| `convT(out, k, s, p)`, `op=` | `nn.ConvTranspose2d` |
| `maxpool(k, s, p)`, `avgpool(k, s, p)`, `ceil=` | `nn.MaxPool2d`, `nn.AvgPool2d` |
| `adaptiveavgpool(size)` | `nn.AdaptiveAvgPool2d` |
| `bn`, `relu`, `flatten`, `dropout` | `nn.BatchNorm2d`, `nn.ReLU`, ... |
| `linear(in, out)` or `linear(out)` | `nn.Linear` |
| `res(main layers | shortcut layers)` | a residual block (no `|`: identity) |

| key | does |
|---|---|
| s | type in the spec line (Enter or Esc goes back to the table) |
| p | choose a preset network (lecture, LeNet-5, VGG-16, ResNet-18, ...) |
| ↑ / ↓ | select a row; its arithmetic shows below |
| ← / → | scroll a wide table sideways (# and layer stay put) |
| e / Enter (click a selected row) | edit the layer (its spec text, prefilled) |
| a | insert layers after the selected row |
| d / Delete | delete the selected layer |
| K / J (Shift+↑ / Shift+↓) | move the selected layer up / down |
| c | check every shape and parameter count with PyTorch |
| t / x | show the trace / the export (PyTorch code and a TOML quiz chain) |
| w | save both exports to files |

A saved quiz chain can be practised with `convtui quiz --pack FILE`.
"""

    DEFAULT_CSS = """
    ShapesScreen #shapes-bar { height: 1; }
    ShapesScreen #preset { width: 24; margin-right: 1; }
    ShapesScreen #spec { width: 1fr; }
    ShapesScreen #spec-error { height: auto; padding: 0 1; }
    ShapesScreen #shapes-views { height: 1fr; }
    ShapesScreen #shapes-views TabPane { padding: 0; }
    ShapesScreen #layers { height: 1fr; }
    ShapesScreen #layers > .datatable--fixed { background: $panel 50%; }
    ShapesScreen #totals { height: auto; padding: 0 1; background: $panel; }
    ShapesScreen #check-result { height: auto; padding: 0 1; }
    ShapesScreen #detail-box { height: 35%; min-height: 6; max-height: 12; padding: 0 1; }
    ShapesScreen #export-box { padding: 0 1; }
    ShapesScreen .export-title { text-style: bold; color: $accent; margin-top: 1; }
    ShapesScreen #export-note { color: $text-muted; }
    ShapesScreen #shapes-status { height: 1; background: $panel; padding: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("s", "focus_spec", "Spec"),
        Binding("p", "choose_preset", "Preset"),
        Binding("e", "edit", "Edit"),
        Binding("a,insert", "insert", "Insert"),
        Binding("d,delete", "delete", "Delete"),
        Binding("shift+up,K", "move(-1)", "Move up", show=False),
        Binding("shift+down,J", "move(1)", "Move down", show=False),
        Binding("c", "check", "Check"),
        Binding("t", "show_tab('trace')", "Trace", show=False),
        Binding("x", "show_tab('export')", "Export"),
        Binding("w", "save", "Save"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.input_shape: Shape = ()
        self.stack: Layers = ()
        self.traced = trace((1, 1), ())  # an empty network until on_mount loads one
        self.shape_rows: list[ShapeRow] = []
        self.exports: Exports | None = None

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Horizontal(id="shapes-bar"):
            yield Select([(name, name) for name in PRESETS], prompt="custom", compact=True,
                         id="preset")
            yield Input(id="spec", compact=True, placeholder="1x1x28x28: conv(5,5) maxpool(2)")
        yield Static("", id="spec-error")
        with TabbedContent(id="shapes-views", initial="trace"):
            with TabPane("Trace", id="trace"):
                yield DataTable(id="layers", cursor_type="row", zebra_stripes=True,
                                fixed_columns=2)
                yield Static(id="totals")
                yield Static("", id="check-result")
                with VerticalScroll(id="detail-box"):
                    yield Static(id="detail")
            with TabPane("Export", id="export"), VerticalScroll(id="export-box"):
                yield Static(id="export-note")
                yield Static("PyTorch", classes="export-title")
                yield Static(id="torch-code")
                yield Static("Quiz chain (TOML)", classes="export-title")
                yield Static(id="toml-code")
        yield Static(id="shapes-status")

    def on_mount(self) -> None:
        table = self.query_one("#layers", DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.query_one("#spec-error").display = False
        self.query_one("#check-result").display = False
        options = self.app.options  # type: ignore[attr-defined]
        self.load_preset(getattr(options, "preset", None) or DEFAULT_PRESET)
        spec = getattr(options, "spec", None)
        if spec:
            self._set_quietly(self.query_one("#spec", Input), spec)
            self.apply_spec(spec)
        table.focus()

    # the network -----------------------------------------------------------------------
    def load_preset(self, name: str) -> None:
        preset = PRESETS[name]
        self.set_network(preset.input_shape, preset.layers, select=(-1,))
        self.update_status(f"{preset.title}: {preset.about}")

    def set_network(self, shape: Shape, layers: Layers, select: Path | None = None,
                    typed: bool = False) -> None:
        """Show ``layers`` on ``shape``: trace, table, totals, detail, exports. ``select`` is
        the row to put the cursor on (else it stays where it was, or goes to the error when
        the network was typed); ``typed`` leaves the spec line alone while the user types."""
        self.input_shape, self.stack = shape, layers
        self.traced = trace(shape, layers)
        self.shape_rows = table_rows(self.traced, layers)
        name = preset_of(shape, layers)
        if not typed:
            self._set_quietly(self.query_one("#spec", Input), format_spec(layers, shape))
            self._show_spec_error(None)
        self._set_quietly(self.query_one("#preset", Select), name or Select.NULL)
        if typed and select is None and self.traced.error is not None:
            select = self.traced.error.path
        self._fill_table(select)
        self.query_one("#totals", Static).update(totals_text(self.traced))
        check = self.query_one("#check-result", Static)
        check.update("")
        check.display = False
        title = PRESETS[name].title if name else "Custom network"
        self.exports = make_exports(shape, layers, name or "network", title)
        self._show_exports()

    def _set_quietly(self, widget: Input | Select, value: object) -> None:
        """Change a field without its Changed message feeding back into the network."""
        message = Input.Changed if isinstance(widget, Input) else Select.Changed
        with self.prevent(message):
            widget.value = value  # type: ignore[assignment]

    def _fill_table(self, select: Path | None) -> None:
        table = self.query_one("#layers", DataTable)
        previous = table.cursor_row
        with self.prevent(DataTable.RowHighlighted):
            table.clear()
            for row in self.shape_rows:
                table.add_row(*row.cells, key=row.key)
        index = next((i for i, row in enumerate(self.shape_rows)
                      if select is not None and row.target == select
                      and row.kind not in (ADD, SKIP)), None)
        if index is None:
            index = min(max(previous, 0), len(self.shape_rows) - 1)
        table.move_cursor(row=index, animate=False)
        self._show_detail(index)

    @property
    def current_row(self) -> ShapeRow:
        table = self.query_one("#layers", DataTable)
        return self.shape_rows[min(max(table.cursor_row, 0), len(self.shape_rows) - 1)]

    def _show_detail(self, index: int) -> None:
        if 0 <= index < len(self.shape_rows):
            self.query_one("#detail", Static).update(detail(self.shape_rows[index], self.traced))

    @on(DataTable.RowHighlighted, "#layers")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    @on(DataTable.RowSelected, "#layers")
    def row_selected(self) -> None:
        self.action_edit()

    def update_status(self, message: str) -> None:
        self.query_one("#shapes-status", Static).update(message)

    # the spec line and presets ------------------------------------------------------------
    @on(Select.Changed, "#preset")
    def preset_chosen(self, event: Select.Changed) -> None:
        if event.value != Select.NULL:
            self.load_preset(str(event.value))
            self.action_focus_table()

    @on(Input.Changed, "#spec")
    def spec_typed(self, event: Input.Changed) -> None:
        self.apply_spec(event.value)

    @on(Input.Submitted, "#spec")
    def spec_submitted(self, event: Input.Submitted) -> None:
        """Enter: back to the table, or to the column the spec goes wrong at."""
        error = self.apply_spec(event.value)
        if error is None:
            self.action_focus_table()
        else:
            self.query_one("#spec", Input).cursor_position = error.position

    def apply_spec(self, text: str) -> SpecError | None:
        """Trace the typed spec; if it does not parse, show where and keep the last network
        that did."""
        try:
            spec = parse_spec(text)
        except SpecError as err:
            self._show_spec_error(err)
            return err
        self._show_spec_error(None)
        self.set_network(spec.input_shape or self.input_shape, spec.layers, typed=True)
        self.update_status(self._summary())
        return None

    def _summary(self) -> str:
        error = self.traced.error
        if error is not None:
            return f"✗ the network stops at {error.where}: see the red ✗ row and its fix"
        out = self.traced.output_shape or self.input_shape
        return f"{len(self.stack)} layers · {shape_text(self.input_shape)} → {shape_text(out)}"

    def _show_spec_error(self, err: SpecError | None) -> None:
        box = self.query_one("#spec-error", Static)
        box.display = err is not None
        if err is not None:
            box.update(spec_error_text(err, max(self.size.width - 2, 20)))
            self.update_status(f"✗ the spec does not parse ({err}); the table shows the last "
                               "network that did")

    def action_focus_spec(self) -> None:
        self.query_one("#spec", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#layers", DataTable).focus()

    def action_choose_preset(self) -> None:
        select = self.query_one("#preset", Select)
        select.focus()
        select.action_show_overlay()

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#shapes-views", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#shapes-views")
    def tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """Focus follows the tab (the table, or the export text to scroll): a focused widget
        left in the hidden pane would switch the tab straight back."""
        pane = event.pane.id
        self.query_one("#layers" if pane == "trace" else "#export-box").focus()

    # editing -----------------------------------------------------------------------------
    def _describe(self, row: ShapeRow) -> str:
        layer = self._layer(row)
        return f"{path_text(row.target)} ({layer.label})" if layer else path_text(row.target)

    def _layer(self, row: ShapeRow) -> Layer | None:
        if row.kind in (INPUT, SKIP):
            return None
        return layer_at(self.stack, row.target)

    def edit_stack(self, change: Callable[[], tuple[Layers, Path | None]], done: str) -> None:
        """Apply an edit; a StackError goes to the status line instead."""
        try:
            layers, select = change()
        except StackError as err:
            self.update_status(f"✗ {err}")
            return
        self.set_network(self.input_shape, layers, select=select)
        self.update_status(done)

    def action_edit(self) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        if row.kind == INPUT:
            self.app.push_screen(
                LayerDialog(INPUT_SHAPE, "Input shape", shape_text(self.input_shape)),
                self.apply_edit)
            return
        if row.kind == SKIP:
            self.update_status("the identity shortcut has no layer to edit; press a to insert "
                               "one after it (a projection: conv(C,1,s=2) bn)")
            return
        layer = self._layer(row)
        assert layer is not None
        title = f"Edit {self._describe(row)}"
        self.app.push_screen(LayerDialog(REPLACE, title, format_layer(layer)), self.apply_edit)

    def action_insert(self) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        channels, features = self._widths_after(row)
        snippets = templates(channels, features)
        where = "the input" if row.kind == INPUT else self._describe(row)
        self.app.push_screen(
            LayerDialog(INSERT, f"Insert after {where}", snippets[0][1], snippets),
            self.apply_edit)

    def _widths_after(self, row: ShapeRow) -> tuple[int | None, int | None]:
        """Channels (image-like) or features (flat) of the tensor after ``row``, for the
        insert templates; (None, None) when unknown."""
        traced = row.row or row.block
        shape = traced.out_shape if traced else (
            self.input_shape if row.kind == INPUT else None)
        if shape is None:
            return None, None
        flat = any(isinstance(r.layer, (Flatten, Linear)) for r in self.traced.rows
                   if r.index <= (traced.index if traced else -1))
        if flat:
            return None, shape[-1]
        return (shape[-3] if len(shape) >= 3 else None), None

    def apply_edit(self, edit: LayerEdit | None) -> None:
        if edit is None:
            return
        row = self.current_row
        target = row.target
        if edit.action == INPUT_SHAPE and edit.shape is not None:
            self.set_network(edit.shape, self.stack, select=(-1,))
            self.update_status(f"the input is now {shape_text(edit.shape)}")
        elif edit.action == REPLACE:
            self.edit_stack(lambda: (replace_at(self.stack, target, edit.layers), target),
                            f"{path_text(target)} is now {_labels(edit.layers)}")
        elif edit.action == INSERT:
            after = (*target[:-1], int(target[-1]) + 1)
            where = "at the start" if row.kind == INPUT else f"after {path_text(target)}"
            self.edit_stack(lambda: (insert_after(self.stack, target, edit.layers), after),
                            f"inserted {_labels(edit.layers)} {where}")
        elif edit.action == DELETE:
            self.action_delete()
        elif edit.action in (UP, DOWN):
            self.action_move(-1 if edit.action == UP else 1)

    def action_delete(self) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        if row.kind == INPUT:
            self.update_status("✗ the input cannot be deleted; edit its shape with e")
            return
        what = self._describe(row)
        self.edit_stack(lambda: (delete_at(self.stack, row.target), None), f"deleted {what}")

    def action_move(self, delta: int) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        if row.kind == INPUT:
            self.update_status("✗ the input stays first")
            return
        what = self._describe(row)
        direction = "up" if delta < 0 else "down"
        self.edit_stack(lambda: move(self.stack, row.target, delta), f"moved {what} {direction}")

    # export --------------------------------------------------------------------------------
    def _show_exports(self) -> None:
        exports = self.exports
        assert exports is not None
        self.query_one("#export-note", Static).update(
            f"w saves both to {export_dir()} (practise the quiz chain with "
            "convtui quiz --pack FILE)")
        for selector, text, error, lexer in (
            ("#torch-code", exports.torch, exports.torch_error, "python"),
            ("#toml-code", exports.toml, exports.toml_error, "toml"),
        ):
            if text is None:
                shown = Text(f"✗ {error}", style="red")
            else:
                shown = Syntax(text, lexer, theme="ansi_dark").highlight(text)
                shown.rstrip()
            self.query_one(selector, Static).update(shown)

    def action_save(self) -> None:
        exports = self.exports
        assert exports is not None
        if exports.torch is None:
            self.update_status(f"✗ nothing saved: {exports.torch_error}")
            return
        paths = save_exports(exports)
        lines = [f"saved the PyTorch code to {paths[0]}"]
        if exports.toml is not None:
            lines.append(f"saved the quiz chain to {paths[1]}; practise it with: "
                         f"convtui quiz --pack {paths[1]}")
        else:
            lines.append(f"no quiz chain: {exports.toml_error}")
        self.query_one("#export-note", Static).update("\n".join(lines))
        self.action_show_tab("export")
        self.update_status(lines[0] + (" and the quiz chain" if exports.toml else ""))

    # PyTorch -------------------------------------------------------------------------------
    def action_check(self) -> None:
        if self.traced.error is not None:
            self.update_status(f"✗ fix the red ✗ row first: {self.traced.error.where} does "
                               "not trace")
            return
        self._show_check("importing PyTorch and building the network…")
        self.run_check(self.input_shape, self.stack)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, shape: Shape, layers: Layers) -> None:
        try:
            from convtui.pytorch.network import verify

            report = verify(shape, layers)
            if report.ok:
                layers_text = f"{report.checked} layer{'s' if report.checked != 1 else ''}"
                text = (f"✓ PyTorch: every shape and parameter count agrees ({layers_text}, "
                        "module reprs too)")
            else:
                text = "✗ PyTorch disagrees:\n" + report.text
        except ImportError:
            text = "✗ PyTorch is not installed here: pip install torch"
        except Exception as err:  # PyTorch refusing what the engine allowed is a finding
            text = f"✗ PyTorch refused the network: {type(err).__name__}: {err}"
        self.app.call_from_thread(self._show_check, text, (shape, layers))

    def _show_check(self, text: str, network: tuple[Shape, Layers] | None = None) -> None:
        if network is not None and network != (self.input_shape, self.stack):
            return  # the network changed while PyTorch ran: this answer is about the old one
        check = self.query_one("#check-result", Static)
        check.update(Text(text, style="green" if text.startswith("✓") else ""))
        check.display = True
        self.update_status(text.splitlines()[0])


def _labels(layers: Layers) -> str:
    return " ".join(layer.label for layer in layers)

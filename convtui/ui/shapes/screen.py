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
from textual.message import Message
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from convtui.core.layers import Flatten, Layer, Linear, Shape
from convtui.core.network import Path, path_text, trace
from convtui.core.presets import PRESETS
from convtui.core.spec import SpecError, format_layer, format_spec, parse_spec
from convtui.i18n import t, tn
from convtui.i18n.wording import Wording
from convtui.lessons.layer_stack import (
    Layers,
    StackError,
    delete_at,
    insert_after,
    layer_at,
    move,
    replace_at,
)
from convtui.lessons.network_exports import Exports, export_dir, make_exports, save_exports
from convtui.ui.panel.screen import PanelScreen
from convtui.ui.panel.worded import Worded
from convtui.ui.shapes.dialog import (
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
from convtui.ui.shapes.view import (
    ADD,
    COLUMNS,
    INPUT,
    SKIP,
    ShapeRow,
    column_label,
    detail,
    shape_text,
    spec_error_text,
    table_rows,
    totals_text,
    unparsed_totals_text,
)
from convtui.ui.widgets.option_lists import Select

DEFAULT_PRESET = "lecture"
#: The guided tour's preset: the lecture's small MNIST CNN (two conv blocks, Linear(3136, 10)).
TOUR_NETWORK = "lab"

#: Text that is worded when shown, so it can be shown again in another language.


@functools.cache
def _preset_stacks() -> dict[str, tuple[Shape, Layers]]:
    return {name: (p.input_shape, p.layers) for name, p in PRESETS.items()}


def preset_of(shape: Shape, layers: Layers) -> str | None:
    """The preset this network is, if it is one (so the preset list can say so)."""
    for name, stack in _preset_stacks().items():
        if stack == (shape, layers):
            return name
    return None


class ShapesChecked(Message):
    """What PyTorch said of ``network`` (the check worker's answer)."""

    def __init__(self, check: tuple[Wording, bool], network: tuple[Shape, Layers]) -> None:
        super().__init__()
        self.check, self.network = check, network


class ShapesScreen(PanelScreen):
    PANEL = "shapes"
    PRESETS: ClassVar[tuple[str, ...]] = ("lecture",)

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
        Binding("s", "focus_spec", "keys.shapes.spec"),
        Binding("p", "choose_preset", "keys.shapes.preset"),
        Binding("e", "edit", "keys.shapes.edit"),
        Binding("a,insert", "insert", "keys.shapes.insert"),
        Binding("d,delete", "delete", "keys.shapes.delete"),
        Binding("shift+up,K", "move(-1)", "keys.shapes.move_up", show=False),
        Binding("shift+down,J", "move(1)", "keys.shapes.move_down", show=False),
        Binding("c", "check", "keys.shapes.check"),
        Binding("t", "show_tab('trace')", "keys.shapes.trace", show=False),
        Binding("x", "show_tab('export')", "keys.shapes.export"),
        Binding("w", "save", "keys.shapes.save"),
        Binding("escape", "focus_table", "keys.shapes.table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.input_shape: Shape = ()
        self.stack: Layers = ()
        self.traced = trace((1, 1), ())  # an empty network until on_mount loads one
        self.shape_rows: list[ShapeRow] = []
        self.exports: Exports | None = None
        # what the status line, the check result and the export note say, kept as wordings
        # so that switching the language redraws them
        self._check: tuple[Wording, bool] | None = None

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Horizontal(id="shapes-bar"):
            yield Select([(name, name) for name in PRESETS], compact=True, id="preset")
            yield Input(id="spec", compact=True, placeholder="1x1x28x28: conv(5,5) maxpool(2)")
        yield Static("", id="spec-error")
        with TabbedContent(id="shapes-views", initial="trace"):
            with TabPane("", id="trace"):
                yield DataTable(id="layers", cursor_type="row", zebra_stripes=True,
                                fixed_columns=2)
                yield Static(id="totals")
                yield Static("", id="check-result")
                with VerticalScroll(id="detail-box"):
                    yield Static(id="detail")
            with TabPane("", id="export"), VerticalScroll(id="export-box"):
                yield Worded(id="export-note")
                yield Static("PyTorch", classes="export-title")
                yield Static(id="torch-code")
                yield Static(id="toml-title", classes="export-title")
                yield Static(id="toml-code")
        yield Worded(id="shapes-status")

    def on_mount(self) -> None:
        self._label_widgets()
        self.query_one("#spec-error").display = False
        self.query_one("#check-result").display = False
        self.load_preset(self.launch.preset or DEFAULT_PRESET)
        if spec := self.launch.spec:
            self._set_quietly(self.query_one("#spec", Input), spec)
            self.apply_spec(spec)
        self.query_one("#layers", DataTable).focus()

    def _label_widgets(self) -> None:
        """The fixed labels: column headers, tab titles, the preset list's prompt."""
        table = self.query_one("#layers", DataTable)
        table.clear(columns=True)
        for name in COLUMNS:
            table.add_column(column_label(name), key=name)
        self.query_one("#preset", Select).prompt = t("shapes.custom")
        tabs = self.query_one("#shapes-views", TabbedContent)
        tabs.get_tab("trace").label = t("shapes.tabs.trace")
        tabs.get_tab("export").label = t("shapes.tabs.export")
        self.query_one("#toml-title", Static).update(t("shapes.export.quiz_chain"))

    def relabel(self) -> None:
        """Redraw every text in the current language: the network, the typed spec line, the
        selected row, the tab and what the status line, check and export note said stay."""
        table = self.query_one("#layers", DataTable)
        cursor = table.cursor_row
        status = self.query_one("#shapes-status", Worded).wording
        note = self.query_one("#export-note", Worded).wording
        self._label_widgets()
        self.set_network(self.input_shape, self.stack, typed=True, check=self._check)
        table.move_cursor(row=min(max(cursor, 0), len(self.shape_rows) - 1), animate=False)
        self._show_detail(table.cursor_row)
        try:
            parse_spec(self.query_one("#spec", Input).value)
        except SpecError as err:
            self._show_spec_error(err)
        self.query_one("#export-note", Worded).say(note)
        self.query_one("#shapes-status", Worded).say(status)

    def show_preset(self, preset: str) -> None:
        """``lecture``: the lecture's small MNIST CNN, its first conv selected so the detail
        shows the output-size arithmetic."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        self.action_show_tab("trace")
        self.load_preset(TOUR_NETWORK, select=(0,))
        self.action_focus_table()

    # the network -----------------------------------------------------------------------
    def load_preset(self, name: str, select: Path = (-1,)) -> None:
        preset = PRESETS[name]
        self.set_network(preset.input_shape, preset.layers, select=select)
        self.update_status(lambda: f"{preset.title}: {preset.about}")

    def set_network(self, shape: Shape, layers: Layers, select: Path | None = None,
                    typed: bool = False, check: tuple[Wording, bool] | None = None) -> None:
        """Show ``layers`` on ``shape``: trace, table, totals, detail, exports. ``select`` is
        the row to put the cursor on (else it stays where it was, or goes to the error when
        the network was typed); ``typed`` leaves the spec line alone while the user types;
        ``check`` is a PyTorch check result that still holds for this network."""
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
        self._check = check
        self._show_check_result()
        title = PRESETS[name].title if name else t("shapes.custom_network")
        self.exports = make_exports(shape, layers, name or "network", title)
        self.query_one("#export-note", Worded).say(self._default_export_note)
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

    def update_status(self, message: Wording) -> None:
        """Say ``message()`` on the status line (and again after a change of language)."""
        self.query_one("#shapes-status", Worded).say(message)

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
        self.update_status(self._summary)
        return None

    def _summary(self) -> str:
        error = self.traced.error
        if error is not None:
            return t("shapes.status.stops", where=error.where)
        out = self.traced.output_shape or self.input_shape
        return tn("shapes.status.summary", len(self.stack),
                 input=shape_text(self.input_shape), output=shape_text(out))

    def _show_spec_error(self, err: SpecError | None) -> None:
        box = self.query_one("#spec-error", Static)
        box.display = err is not None
        if err is not None:
            box.update(spec_error_text(err, max(self.size.width - 2, 20)))
            self.query_one("#totals", Static).update(unparsed_totals_text(err))
            self.update_status(lambda: t("shapes.status.spec_error", error=str(err)))

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
    def _describe(self, row: ShapeRow) -> Wording:
        """``layer 2 (relu)``: the row's layer as it is now, worded when shown."""
        layer = self._layer(row)
        label = layer.label if layer else ""
        return lambda: f"{path_text(row.target)} ({label})" if label else path_text(row.target)

    def _layer(self, row: ShapeRow) -> Layer | None:
        if row.kind in (INPUT, SKIP):
            return None
        return layer_at(self.stack, row.target)

    def edit_stack(self, change: Callable[[], tuple[Layers, Path | None]], done: Wording) -> None:
        """Apply an edit; a StackError goes to the status line instead."""
        try:
            layers, select = change()
        except StackError as err:
            problem = err  # worded when shown: it follows a change of language
            self.update_status(lambda: f"✗ {problem}")
            return
        self.set_network(self.input_shape, layers, select=select)
        self.update_status(done)

    def action_edit(self) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        if row.kind == INPUT:
            self.app.push_screen(
                LayerDialog(INPUT_SHAPE, lambda: t("shapes.dialog.input_title"),
                            shape_text(self.input_shape)),
                self.apply_edit)
            return
        if row.kind == SKIP:
            self.update_status(lambda: t("shapes.status.identity_edit"))
            return
        layer = self._layer(row)
        assert layer is not None
        what = self._describe(row)
        self.app.push_screen(
            LayerDialog(REPLACE, lambda: t("shapes.dialog.edit_title", what=what()),
                        format_layer(layer)),
            self.apply_edit)

    def action_insert(self) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        channels, features = self._widths_after(row)
        what = self._describe(row)

        def title() -> str:
            if row.kind == INPUT:
                return t("shapes.dialog.insert_first_title")
            return t("shapes.dialog.insert_title", what=what())

        self.app.push_screen(
            LayerDialog(INSERT, title, templates(channels, features)[0][1],
                        lambda: templates(channels, features)),
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
            shape = edit.shape
            self.set_network(shape, self.stack, select=(-1,))
            self.update_status(lambda: t("shapes.status.input_set", shape=shape_text(shape)))
        elif edit.action == REPLACE:
            self.edit_stack(lambda: (replace_at(self.stack, target, edit.layers), target),
                            lambda: t("shapes.status.replaced", where=path_text(target),
                                      layers=_labels(edit.layers)))
        elif edit.action == INSERT:
            after = (*target[:-1], int(target[-1]) + 1)

            def inserted() -> str:
                if row.kind == INPUT:
                    return t("shapes.status.inserted_first", layers=_labels(edit.layers))
                return t("shapes.status.inserted", layers=_labels(edit.layers),
                         where=path_text(target))

            self.edit_stack(lambda: (insert_after(self.stack, target, edit.layers), after),
                            inserted)
        elif edit.action == DELETE:
            self.action_delete()
        elif edit.action in (UP, DOWN):
            self.action_move(-1 if edit.action == UP else 1)

    def action_delete(self) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        if row.kind == INPUT:
            self.update_status(lambda: t("shapes.status.input_delete"))
            return
        what = self._describe(row)
        self.edit_stack(lambda: (delete_at(self.stack, row.target), None),
                        lambda: t("shapes.status.deleted", what=what()))

    def action_move(self, delta: int) -> None:
        self.action_show_tab("trace")
        row = self.current_row
        if row.kind == INPUT:
            self.update_status(lambda: t("shapes.status.input_first"))
            return
        what = self._describe(row)
        key = "shapes.status.moved_up" if delta < 0 else "shapes.status.moved_down"
        self.edit_stack(lambda: move(self.stack, row.target, delta),
                        lambda: t(key, what=what()))

    # export --------------------------------------------------------------------------------
    def _default_export_note(self) -> str:
        """What w will save for this network: both files, the code alone, or nothing."""
        exports = self.exports
        assert exports is not None
        if exports.torch is None:
            return t("shapes_export.note_nothing", error=exports.torch_error)
        if exports.toml is None:
            return t("shapes_export.note_code_only", folder=str(export_dir()),
                     error=exports.toml_error)
        return t("shapes.export.note", folder=str(export_dir()))

    def _show_exports(self) -> None:
        exports = self.exports
        assert exports is not None
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
            self.update_status(lambda: t("shapes.status.nothing_saved",
                                         error=exports.torch_error))
            return
        try:
            paths = save_exports(exports)
        except OSError as err:  # a full or read-only disk: files saved before are untouched
            reason = err.strerror or str(err)
            self.update_status(lambda: t("shapes.status.not_saved", folder=str(export_dir()),
                                         error=reason))
            return

        def note() -> str:
            lines = [t("shapes.export.saved_code", path=str(paths[0]))]
            if exports.toml is not None:
                lines.append(t("shapes.export.saved_chain", path=str(paths[1])))
            else:
                lines.append(t("shapes.export.no_chain", error=exports.toml_error))
            return "\n".join(lines)

        self.query_one("#export-note", Worded).say(note)
        self.action_show_tab("export")
        key = "shapes.status.saved_both" if exports.toml else "shapes.status.saved_code"
        self.update_status(lambda: t(key, path=str(paths[0])))

    # PyTorch -------------------------------------------------------------------------------
    def action_check(self) -> None:
        if not self.stack:
            self.update_status(lambda: t("shapes_export.no_layers"))
            return
        error = self.traced.error
        if error is not None:
            self.update_status(lambda: t("shapes.status.check_error", where=error.where))
            return
        self._show_check((lambda: t("shapes.check.running"), False))
        self.run_check(self.input_shape, self.stack)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, shape: Shape, layers: Layers) -> None:
        result: tuple[Wording, bool]
        try:
            from convtui.pytorch.network import verify

            report = verify(shape, layers)
            if report.ok:
                result = (lambda: tn("shapes.check.agrees", report.checked), True)
            else:
                result = (lambda: t("shapes.check.disagrees", differences=report.text), False)
        except ImportError:
            result = (lambda: t("shapes.check.no_torch"), False)
        except Exception as err:  # PyTorch refusing what the engine allowed is a finding
            refusal = f"{type(err).__name__}: {err}"
            result = (lambda: t("shapes.check.refused", error=refusal), False)
        self.post_message(ShapesChecked(result, (shape, layers)))

    def on_shapes_checked(self, message: ShapesChecked) -> None:
        self._show_check(message.check, message.network)

    def _show_check(self, check: tuple[Wording, bool],
                    network: tuple[Shape, Layers] | None = None) -> None:
        if network is not None and network != (self.input_shape, self.stack):
            return  # the network changed while PyTorch ran: this answer is about the old one
        self._check = check
        self._show_check_result()
        self.update_status(lambda: check[0]().splitlines()[0])

    def _show_check_result(self) -> None:
        box = self.query_one("#check-result", Static)
        box.display = self._check is not None
        if self._check is None:
            box.update("")
            return
        wording, ok = self._check
        box.update(Text(wording(), style="green" if ok else ""))


def _labels(layers: Layers) -> str:
    return " ".join(layer.label for layer in layers)

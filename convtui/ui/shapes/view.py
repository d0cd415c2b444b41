"""What the Shapes panel (and ``convtui shapes --print table``) shows for a traced network: the
table rows, the detail for one row, the totals line and spec errors. Rich text only, no
widgets, so the panel and the CLI print the same thing.

Rows: the input, then one row per layer; a residual block gets a ``residual`` row, its main
path's and shortcut's rows (tagged ``main`` / ``skip``, indented under ``│``) and an ``add``
row with the block's output. A trace that stops shows the failing layer as a red ✗ row and the
layers after it as not reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from convtui.core.layers import IntPair, Layer, Shape, channel_count, show_shape
from convtui.core.network import NetworkTrace, Path, Residual, TraceError, TraceRow, path_text
from convtui.core.spec import SpecError
from convtui.i18n import t

#: The table's column keys (the headers shown are ``column_label(key)``).
COLUMNS = ("#", "layer", "input", "output", "params", "MACs", "RF", "jump")
RIGHT_ALIGNED = ("params", "MACs", "RF", "jump")

INPUT, LAYER, BLOCK, SKIP, ADD, ERROR, PENDING = (
    "input", "layer", "block", "skip", "add", "error", "pending")
_ERROR_STYLE = "bold red"
_DIM = "dim"


@dataclass(frozen=True)
class ShapeRow:
    """One table row: its cells, what kind of row it is, the stack position the edit keys act
    on (``(-1,)`` for the input: insert puts a layer first) and the trace row or error the
    detail pane explains. ``block`` is the residual row an ``add`` or ``skip`` row belongs to."""

    key: str
    cells: tuple[Text, ...]
    kind: str
    target: Path
    row: TraceRow | None = None
    error: TraceError | None = None
    block: TraceRow | None = None


def column_label(column: str) -> str:
    """The header of a column, in the current language."""
    return {"#": "#", "layer": t("shapes.columns.layer"), "input": t("shapes.columns.input"),
            "output": t("shapes.columns.output"), "params": t("shapes.columns.params"),
            "MACs": t("shapes.columns.macs"), "RF": t("shapes.columns.rf"),
            "jump": t("shapes.columns.jump")}[column]


def shape_text(shape: Shape) -> str:
    """``1x5x24x24``: the spec's way of writing a shape."""
    return "x".join(str(d) for d in shape)


def count(value: int) -> str:
    return f"{value:,}"


def pair_text(pair: IntPair | None) -> str:
    if pair is None:
        return "–"
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"


def _label(layer: Layer) -> str:
    """A layer's tag for the table: the engine's label, a residual block's kept short."""
    return t("shapes.table.residual") if isinstance(layer, Residual) else layer.label


def _cells(*values: str | Text, style: str = "") -> tuple[Text, ...]:
    """One Text per column, numbers right-aligned."""
    cells = []
    for name, value in zip(COLUMNS, values, strict=True):
        cell = value if isinstance(value, Text) else Text(value, style=style)
        if name in RIGHT_ALIGNED:
            cell.justify = "right"
        cells.append(cell)
    return tuple(cells)


def _prefix(path: Path, tagged: bool = False) -> str:
    """``│ main `` for each residual level above the row; the tag is left blank after a path's
    first row unless ``tagged``."""
    text = ""
    for level in range(1, len(path) - 1, 2):
        index = int(path[level + 1])
        tag = (t("shapes.table.main") if path[level] == "main" else t("shapes.table.skip")) + " "
        first = (index == 0 or tagged) and level == len(path) - 2
        text += "│ " + (tag if first else " " * cell_len(tag))
    return text


def _layer_rows(rows: Sequence[TraceRow], out: list[ShapeRow]) -> None:
    for row in rows:
        number = str(row.index + 1) if len(row.path) == 1 else ""
        prefix = _prefix(row.path)
        if isinstance(row.layer, Residual):
            out.append(ShapeRow(
                f"block{row.path}", _cells(
                    number, Text(prefix) + Text(t("shapes.table.residual"), style="bold"),
                    shape_text(row.in_shape), "", Text(count(row.params), style=_DIM),
                    Text(count(row.macs), style=_DIM), "", ""),
                BLOCK, row.path, row=row))
            _layer_rows(row.paths["main"], out)
            if row.paths["shortcut"]:
                _layer_rows(row.paths["shortcut"], out)
            else:
                skip = (*row.path, "shortcut", 0)
                out.append(ShapeRow(
                    f"skip{row.path}", _cells(
                        "", Text(_prefix(skip)) + Text(t("shapes.table.identity"),
                                                       style="italic"),
                        shape_text(row.in_shape), shape_text(row.in_shape), "0", "0", "", ""),
                    SKIP, (*row.path, "shortcut", -1), block=row))
            out.append(ShapeRow(
                f"add{row.path}", _cells(
                    "", Text(prefix) + Text(f"└ {t('shapes.table.add')}", style="bold"),
                    shape_text(row.out_shape), shape_text(row.out_shape), "0", "0",
                    pair_text(row.receptive_field), pair_text(row.jump)),
                ADD, row.path, block=row))
            continue
        out.append(ShapeRow(
            f"layer{row.path}", _cells(
                number, prefix + row.label, shape_text(row.in_shape), shape_text(row.out_shape),
                count(row.params), count(row.macs), pair_text(row.receptive_field),
                pair_text(row.jump)),
            LAYER, row.path, row=row))


def table_rows(result: NetworkTrace, layers: Sequence[Layer]) -> list[ShapeRow]:
    """Every row of the table, in order, for ``result = trace(shape, layers)``."""
    shape = result.input_shape
    out = [ShapeRow("input", _cells("", Text(t("shapes.table.input"), style="bold"), "",
                                    shape_text(shape), "", "", "1", "1"), INPUT, (-1,))]
    _layer_rows(result.rows, out)
    error = result.error
    if error is None:
        return out
    if len(error.path) > 1:  # it failed inside a residual block: show the block it is in
        out.append(ShapeRow(
            f"block{error.path[:1]}", _cells(
                str(error.index + 1), t("shapes.table.residual"),
                shape_text(result.rows[-1].out_shape if result.rows else shape),
                "", "", "", "", "", style=_ERROR_STYLE),
            PENDING, error.path[:1]))
    out.append(ShapeRow(
        f"error{error.path}", _cells(
            str(error.index + 1) if len(error.path) == 1 else "",
            f"{_prefix(error.path, tagged=True)}✗ {_label(error.layer)}",
            shape_text(error.in_shape), "✗", "", "", "", "", style=_ERROR_STYLE),
        ERROR, error.path, error=error))
    for i in range(error.index + 1, len(layers)):
        out.append(ShapeRow(
            f"pending{i}", _cells(str(i + 1), _label(layers[i]), "·", "·", "", "", "", "",
                                  style=_DIM),
            PENDING, (i,)))
    return out


def _explanation_lines(row: TraceRow) -> list[str]:
    """The engine's output-size arithmetic, H and W merged when they are the same."""
    explanations = row.explanations
    if "H" in explanations and explanations["H"].lines == explanations["W"].lines:
        items = [("H, W", explanations["H"].lines)]
    else:
        items = [(name, e.lines) for name, e in explanations.items()]
    lines = []
    for name, body in items:
        lines.append(f"{name}: {body[0]}")
        lines += [" " * (len(name) + 2) + line for line in body[1:]]
    return lines


def _numbers(row: TraceRow) -> str:
    return t("shapes.detail.numbers", params=count(row.params), macs=count(row.macs),
             rf=pair_text(row.receptive_field), jump=pair_text(row.jump))


def _layer_detail(row: TraceRow) -> Text:
    text = Text().append(f"{path_text(row.path)} · {row.label} · {show_shape(row.in_shape)} → "
                f"{show_shape(row.out_shape)}\n", style="bold")
    text.append(row.description + "\n", style="cyan")
    lines = _explanation_lines(row)
    if not lines:
        lines = [t("shapes.detail.elementwise") if row.in_shape == row.out_shape else ""]
    text.append("\n".join(line for line in lines if line) + "\n")
    text.append(_numbers(row))
    for note in row.notes:
        text.append("\n" + t("shapes.detail.note", note=note), style="yellow")
    return text


def _path_summary(rows: Sequence[TraceRow]) -> str:
    if not rows:
        return t("shapes.detail.identity_path")
    return t("shapes.detail.path_gives", layers=" → ".join(r.label for r in rows),
             shape=show_shape(rows[-1].out_shape))


def _block_detail(row: TraceRow) -> Text:
    key = ("shapes.detail.block_projection" if row.paths["shortcut"]
           else "shapes.detail.block_identity")
    text = Text().append(t(key, where=path_text(row.path), input=show_shape(row.in_shape),
                           output=show_shape(row.out_shape)) + "\n", style="bold")
    text.append(row.description + "\n", style="cyan")
    text.append("output = main(x) + shortcut(x)\n"
                + t("shapes.detail.main", path=_path_summary(row.paths["main"])) + "\n"
                + t("shapes.detail.shortcut", path=_path_summary(row.paths["shortcut"]))
                + "\n")
    text.append(t("shapes.detail.block_numbers", numbers=_numbers(row)))
    return text


def _add_detail(block: TraceRow) -> Text:
    main, short = block.paths["main"], block.paths["shortcut"]
    short_shape = short[-1].out_shape if short else block.in_shape
    text = Text().append(f"{path_text(block.path)} · {t('shapes.table.add')}: "
                         f"main(x) + shortcut(x) → {show_shape(block.out_shape)}\n",
                         style="bold")
    key = "shapes.detail.add_projection" if short else "shapes.detail.add_identity"
    text.append(t(key, main=show_shape(main[-1].out_shape), shortcut=show_shape(short_shape))
                + "\n")
    text.append(t("shapes.detail.add_numbers", rf=pair_text(block.receptive_field),
                  jump=pair_text(block.jump)))
    return text


def _skip_detail(block: TraceRow) -> Text:
    text = Text().append(t("shapes.detail.skip_title", where=path_text(block.path)) + "\n",
                         style="bold")
    text.append(t("shapes.detail.skip", shape=show_shape(block.in_shape)))
    return text


def _input_detail(shape: Shape) -> Text:
    text = Text().append(t("shapes.detail.input_title", shape=show_shape(shape)) + "\n",
                         style="bold")
    if len(shape) == 4:
        n, c, h, w = shape
        text.append(t("shapes.detail.input_nchw", n=n, channels=channel_count(c), h=h, w=w))
    elif len(shape) == 3:
        c, h, w = shape
        text.append(t("shapes.detail.input_chw", channels=channel_count(c), h=h, w=w))
    else:
        text.append(t("shapes.detail.input_board", shape=show_shape((1, 1, *shape))))
    text.append("\n" + t("shapes.detail.input_change"))
    return text


def error_text(error: TraceError) -> Text:
    """Where and why the trace stopped, and the fix (``--print table`` ends with it)."""
    text = Text().append("✗ " + t("core.network.stopped", where=error.where,
                                  label=_label(error.layer), shape=show_shape(error.in_shape),
                                  message=error.message), style=_ERROR_STYLE)
    if error.fix:
        text.append("\n  " + t("core.network.fix", fix=error.fix), style="green")
    return text


def _error_detail(error: TraceError) -> Text:
    text = Text().append(t("shapes.detail.error_title", where=error.where,
                           label=_label(error.layer), shape=show_shape(error.in_shape)) + "\n",
                         style=_ERROR_STYLE)
    text.append(error.layer.describe() + "\n", style="cyan")
    text.append(error.message + "\n", style="red")
    if error.fix:
        text.append(t("core.network.fix", fix=error.fix) + "\n", style="green")
    text.append(t("shapes.detail.error_keys"), style=_DIM)
    return text


def detail(row: ShapeRow, result: NetworkTrace) -> Text:
    """What the detail pane shows for the selected row."""
    if row.kind == INPUT:
        return _input_detail(result.input_shape)
    if row.kind == ERROR and row.error is not None:
        return _error_detail(row.error)
    if row.kind == ADD and row.block is not None:
        return _add_detail(row.block)
    if row.kind == SKIP and row.block is not None:
        return _skip_detail(row.block)
    if row.row is not None:
        return _block_detail(row.row) if row.kind == BLOCK else _layer_detail(row.row)
    error = result.error
    where = error.where if error else ""
    if error is not None and error.path[:len(row.target)] == row.target:
        return Text(t("shapes.detail.stops_inside", block=path_text(row.target), where=where),
                    style=_DIM)
    return Text(t("shapes.detail.not_reached", layer=path_text(row.target), where=where),
                style=_DIM)


def totals_text(result: NetworkTrace) -> Text:
    """The line under the table: totals, or where the trace stopped and the fix (the ✗ row's
    detail has the whole story)."""
    error = result.error
    if error is None and not result.rows:
        return Text(t("shapes_export.no_layers"), style=_ERROR_STYLE)
    if error is not None:
        text = Text().append(t("shapes.totals.stops", where=error.where,
                               label=_label(error.layer)), style=_ERROR_STYLE)
        if error.fix:
            text.append(" · " + t("core.network.fix", fix=error.fix), style="green")
        return text
    text = Text().append(t("shapes.totals.total") + " ", style="bold")
    text.append(t("shapes.totals.counts", params=count(result.params),
                  macs=count(result.macs)))
    if result.output_shape is not None:
        text.append(" · " + t("shapes.totals.output", shape=shape_text(result.output_shape)))
    return text


def unparsed_totals_text(err: SpecError) -> Text:
    """The line under the table while the spec line does not parse: no totals, since the
    network typed is not one yet (the table still shows the last one that parsed)."""
    return Text(t("shapes_export.no_valid_network", column=err.position + 1),
                style=_ERROR_STYLE)


def spec_error_text(err: SpecError, width: int) -> Text:
    """``✗ column N: message`` and the part of the spec around the column with a caret, cut
    to ``width`` so a long spec still points at the right place."""
    start = max(0, min(err.position - width // 2, len(err.text) - width + 1))
    excerpt = err.text[start:start + width - 1]
    text = Text().append(f"✗ {err}\n", style=_ERROR_STYLE)
    text.append(excerpt + "\n")
    text.append(" " * (err.position - start) + "^", style=_ERROR_STYLE)
    return text


def rich_table(result: NetworkTrace, layers: Sequence[Layer]) -> Table:
    """The same rows as the panel, as a Rich table (``convtui shapes --print table``)."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in COLUMNS:
        table.add_column(column_label(name), justify="right" if name in RIGHT_ALIGNED else "left",
                         no_wrap=True)
    for row in table_rows(result, layers):
        table.add_row(*row.cells)
    return table

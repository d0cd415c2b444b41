"""Turn a PoolLesson into what the Pooling panel draws: the input with its padding and any
overhang, the output filling in, the step written out, notes and the equivalent PyTorch code.
Pure functions of the lesson and the current language; every number comes from the engine's
trace."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from convtui.core.export import layer_code, script_head
from convtui.core.geometry import explain_output_size
from convtui.core.layers import AvgPool2d, MaxPool2d
from convtui.core.pool import CELL_INPUT, CELL_OUTSIDE, CELL_PAD, PoolStep
from convtui.fields import show_pair
from convtui.i18n import t, tn
from convtui.lessons.pool import PoolLesson
from convtui.ui.numbers import cell_width, fmt
from convtui.ui.panel.conv_views import COMPACT_WIDTH, input_code
from convtui.ui.widgets.grid import EMPTY, NORMAL, OUTSIDE, PADDING, GridView

_KIND_OF_CELL = np.array([NORMAL, PADDING, OUTSIDE])  # indexed by CELL_INPUT / PAD / OUTSIDE
_DIM = "dim italic"


def _compact(values: np.ndarray) -> bool:
    return values.shape[1] * cell_width(values) > COMPACT_WIDTH


def _labels(count: int, start: int, size: int, pad: int) -> tuple[str, ...]:
    """Input indices (last digit), 'p' on padding, '×' past the padded input."""
    out = []
    for pos in range(start, start + count):
        out.append(str(pos % 10) if 0 <= pos < size else ("p" if -pad <= pos < size + pad
                                                          else "×"))
    return tuple(out)


def input_view(lesson: PoolLesson) -> GridView:
    """The input on its canvas: padding (-inf for max, 0 for avg) and, with ceil_mode, the
    cells past it (×) that the last window hangs over; the window highlighted and max
    pooling's winner marked."""
    canvas, step, g = lesson.canvas, lesson.current, lesson.trace.geometry
    kinds = _KIND_OF_CELL[canvas.cells]
    # cells past the padded input are drawn as ×; 0 keeps their width from widening the grid
    values = np.where(canvas.cells == CELL_OUTSIDE, 0.0, canvas.values)
    window = frozenset(canvas.to_canvas(r, c) for r in step.rows for c in step.cols)
    accents = frozenset()
    if step.winner is not None:
        accents = frozenset({canvas.to_canvas(step.rows[step.winner[0]],
                                              step.cols[step.winner[1]])})
    h, w = g.in_size
    title = t("pool.grid.input", h=h, w=w)
    if any(g.padding):
        title = t(f"pool.grid.padded_{g.kind}", title=title, pad=show_pair(g.padding))
    return GridView(
        values=values, kinds=kinds, window=window, accents=accents, title=title,
        row_labels=_labels(values.shape[0], -canvas.top, h, g.padding[0]),
        col_labels=_labels(values.shape[1], -canvas.left, w, g.padding[1]),
        compact=_compact(values), scale_values=lesson.x,
    )


def output_view(lesson: PoolLesson) -> GridView:
    """The pooled output, filled in up to the current step."""
    out = lesson.trace.output
    oh, ow = out.shape
    index = np.arange(out.size).reshape(out.shape)
    step = lesson.current
    return GridView(
        values=out, kinds=np.where(index <= lesson.step, NORMAL, EMPTY),
        window=frozenset({(step.out_row, step.out_col)}),
        title=t(f"pool.grid.output_{lesson.kind}", h=oh, w=ow, kh=lesson.kernel_size[0],
                kw=lesson.kernel_size[1]),
        row_labels=tuple(str(r) for r in range(oh)),
        col_labels=tuple(str(c % 10) for c in range(ow)), compact=_compact(out),
        scale_values=out,
    )


def _written_rows(step: PoolStep) -> list[list[tuple[str, str]]]:
    """The window's cells as (text, style) per row, cells past the padded input left out."""
    width = max(len(fmt(v)) for v, k in zip(step.values.ravel(), step.cells.ravel(),
                                             strict=True) if k != CELL_OUTSIDE)
    rows = []
    for i in range(step.cells.shape[0]):
        row = [(fmt(step.values[i, j]).rjust(width), _DIM if step.cells[i, j] == CELL_PAD
                else "") for j in range(step.cells.shape[1]) if step.cells[i, j] != CELL_OUTSIDE]
        if row:
            rows.append(row)
    return rows


def arithmetic(lesson: PoolLesson) -> Text:
    """The step written out: ``max(...)`` with the winner and its flat index, or the sum over
    the divisor with what the divisor counts."""
    step = lesson.current
    head = f"out[{step.out_row},{step.out_col}] = " + ("max(" if lesson.kind == "max" else "(")
    sep = ", " if lesson.kind == "max" else " + "
    text = Text()
    rows = _written_rows(step)
    for i, row in enumerate(rows):
        if i == 0:
            text.append(head)
        else:
            text.append(" " * (len(head) - (0 if lesson.kind == "max" else 2)))
            if lesson.kind == "avg":
                text.append("+ ")
        for j, (cell, style) in enumerate(row):
            if j:
                text.append(sep)
            text.append(cell, style=style)
        if i < len(rows) - 1:
            text.append("," if lesson.kind == "max" else "")
            text.append("\n")
    if lesson.kind == "max":
        text.append(") = ")
    else:
        text.append(f") / {step.divisor} = ")
    text.append(fmt(step.value), style="bold reverse")
    text.append("\n")
    text.append(_max_note(lesson, step) if lesson.kind == "max" else _divisor_note(step))
    if (step.cells == CELL_OUTSIDE).any():
        text.append("\n" + t("pool.arith.outside"), style="grey50")
    return text


def _max_note(lesson: PoolLesson, step: PoolStep) -> str:
    if step.winner is None or step.index is None:
        return t("pool.arith.all_padding")
    r, c = step.rows[step.winner[0]], step.cols[step.winner[1]]
    w = lesson.trace.geometry.in_size[1]
    note = t("pool.arith.winner", row=r, col=c, index=step.index, width=w)
    inside = step.values[step.cells == CELL_INPUT]
    if int((inside == step.value).sum()) > 1:
        note += t("pool.arith.tie")
    if (step.cells == CELL_PAD).any():
        note += t("pool.arith.pad_never_wins")
    return note


def _divisor_note(step: PoolStep) -> str:
    inside = int((step.cells == CELL_INPUT).sum())
    pads = int((step.cells == CELL_PAD).sum())
    if not pads:
        return t("pool.arith.divisor", divisor=step.divisor,
                 inside=tn("lesson_counts.input_cells", inside))
    if step.divisor == inside:
        return t("pool.arith.divisor_without_pad", divisor=step.divisor,
                 inside=tn("lesson_counts.input_cells", inside),
                 pads=tn("lesson_counts.padding_zeros", pads))
    return t("pool.arith.divisor_with_pad", divisor=step.divisor,
             inside=tn("lesson_counts.input_cells", inside),
             pads=tn("lesson_counts.padding_zeros", pads))


def window_note(lesson: PoolLesson) -> str:
    """Where the window is, and, with ceil_mode, why a window hangs past the input."""
    step, g = lesson.current, lesson.trace.geometry
    stride = show_pair(g.stride)
    if lesson.stride is None:
        stride = t("pool.window.stride_is_kernel", stride=stride)
    dilation = (t("pool.window.dilation", dilation=show_pair(g.dilation))
                if g.dilation != (1, 1) else "")
    note = t("pool.window.note", first_row=step.rows[0], last_row=step.rows[-1],
             first_col=step.cols[0], last_col=step.cols[-1], kernel=show_pair(g.kernel),
             stride=stride, dilation=dilation)
    if lesson.canvas.overhang:
        note += "\n" + ceil_note(lesson)
    return note


def ceil_note(lesson: PoolLesson) -> str:
    """Why ceil_mode adds a partial window, with the size arithmetic of each axis it grows."""
    g, cells = lesson.trace.geometry, lesson.canvas.cells
    grown: dict[str, list[str]] = {}  # the derivation -> the axes it grows
    for axis, name, edge in ((0, "height", cells[-1, :]), (1, "width", cells[:, -1])):
        if (edge == CELL_OUTSIDE).any():
            size = explain_output_size(g.in_size[axis], g.kernel[axis], g.stride[axis],
                                       g.padding[axis], g.dilation[axis], ceil_mode=True)
            # the engine's "ceil_mode=True: round up" line is what this note says in words
            steps = "; ".join(line for line in size.lines if not line.startswith("ceil_mode"))
            grown.setdefault(f"{steps} → {size.value}", []).append(name)
    sizes = "; ".join(t("pool.window.axes", axes=t(f"pool.window.{'_and_'.join(axes)}"),
                        steps=steps) for steps, axes in grown.items())
    return t("pool.window.ceil", sizes=sizes)


def pool_layer(lesson: PoolLesson) -> MaxPool2d | AvgPool2d:
    """The lesson's layer as the core's table of nn. calls holds it."""
    if lesson.kind == "max":
        return MaxPool2d(lesson.kernel_size, lesson.stride, lesson.padding, lesson.dilation,
                         lesson.ceil_mode)
    return AvgPool2d(lesson.kernel_size, lesson.stride, lesson.padding, lesson.ceil_mode,
                     lesson.count_include_pad)


def pytorch_code(lesson: PoolLesson) -> str:
    """A script that runs the lesson's nn.MaxPool2d / nn.AvgPool2d on its input and prints the
    output the panel shows (and, for max pooling, where each maximum sits)."""
    h, w = lesson.x.shape
    oh, ow = lesson.trace.geometry.out_size
    shape = t("lesson_code.out_shape", oh=oh, ow=ow)
    maximum = lesson.kind == "max"
    pool = f"pool = {layer_code(pool_layer(lesson), extra=('return_indices=True',) * maximum)}"
    if lesson.stride is None:
        pool += f"  # {t('pool.code.stride_default')}"
    lines = [*script_head(oh * ow), input_code(lesson.x), pool]
    if maximum:
        lines += [f"out, indices = pool(x)  # {shape}", "print(out[0, 0])",
                  f"print(indices[0, 0])  # {t('pool.code.indices', h=h, w=w)}"]
    else:
        lines += [f"out = pool(x)  # {shape}", "print(out[0, 0])"]
    return "\n".join(lines)

"""Turn a TransposedLesson into what the Transposed panel draws: the grids of either reading,
the step written out, the output-size arithmetic and the PyTorch script. Pure functions of the
lesson and the current language; every number comes from the engine's trace."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from convtui.core.export import call_code
from convtui.core.geometry import explain_output_size, explain_transposed_output_size
from convtui.core.layers import Conv2d, ConvTranspose2d
from convtui.core.torch_calls import module_call
from convtui.fields import show_pair
from convtui.i18n import t
from convtui.lessons.backward import SCATTER
from convtui.lessons.transposed import TransposedLesson
from convtui.ui.numbers import cell_width, fmt, fmt_full
from convtui.ui.panel.conv_views import COMPACT_WIDTH
from convtui.ui.panel.stamp_views import gathered_products, stamp_arithmetic
from convtui.ui.widgets.grid import EMPTY, NORMAL, PADDING, GridView


def _labels(count: int) -> tuple[str, ...]:
    return tuple(str(i % 10) for i in range(count))


def _grid(values: np.ndarray, title: str, **view: object) -> GridView:
    """A grid labelled 0.. on both axes, drawn as colour only when too wide for its numbers."""
    return GridView(values=values, title=title, row_labels=_labels(values.shape[0]),
                    col_labels=_labels(values.shape[1]),
                    compact=values.shape[1] * cell_width(values) > COMPACT_WIDTH, **view)


def input_view(lesson: TransposedLesson) -> GridView:
    """The input: in the scatter reading its current cell highlighted, in the gather reading
    the cells the current window reads marked."""
    h, w = lesson.x.shape
    title = t("transposed.grid.input", h=h, w=w)
    if lesson.reading == SCATTER:
        step = lesson.trace.scatter_step(lesson.step)
        return _grid(lesson.x, title, window=frozenset({(step.row, step.col)}))
    gather = lesson.trace.gather_step(lesson.step)
    read = frozenset((r, c) for r in gather.source_rows for c in gather.source_cols
                     if r >= 0 and c >= 0)
    return _grid(lesson.x, title, marks=read)


def kernel_view(lesson: TransposedLesson) -> GridView:
    """W as written (scatter), or rotated 180° (gather: what the gathered grid meets)."""
    trace = lesson.trace
    kh, kw = lesson.kernel.shape
    if lesson.reading == SCATTER:
        return _grid(trace.weights[0, 0], t("transposed.grid.kernel", kh=kh, kw=kw))
    return _grid(trace.rotated[0, 0], t("transposed.grid.rotated", kh=kh, kw=kw))


def gathered_view(lesson: TransposedLesson) -> GridView:
    """The gather reading's grid: the input spread stride apart, zeros between and around
    (drawn as padding), the current window highlighted."""
    trace, g = lesson.trace, lesson.trace.geometry
    step = trace.gather_step(lesson.step)
    rows, cols = g.gather_sources(0), g.gather_sources(1)
    kinds = np.where((rows[:, None] >= 0) & (cols[None, :] >= 0), NORMAL, PADDING)
    gh, gw = g.gather_size
    title = t("transposed.grid.gathered", h=gh, w=gw, pad=show_pair(g.gather_padding))
    return _grid(trace.gathered[0], title, kinds=kinds, scale_values=lesson.x,
                 window=frozenset((r, c) for r in step.rows for c in step.cols))


def output_view(lesson: TransposedLesson) -> GridView:
    """Scatter: the output as the stamps so far have summed it, the current stamp highlighted.
    Gather: the output filled in cell by cell."""
    trace = lesson.trace
    out = trace.output[0]
    oh, ow = out.shape
    title = t("transposed.grid.output", h=oh, w=ow)
    if lesson.reading == SCATTER:
        step = trace.scatter_step(lesson.step)
        stamped = frozenset((r, c) for i, r in enumerate(step.rows)
                            for j, c in enumerate(step.cols) if step.inside[i, j])
        return _grid(step.running[0] + trace.bias[0], title, window=stamped, scale_values=out)
    step = trace.gather_step(lesson.step)
    index = np.arange(out.size).reshape(out.shape)
    return _grid(out, title, kinds=np.where(index <= lesson.step, NORMAL, EMPTY),
                 window=frozenset({(step.row, step.col)}), scale_values=out)


def current_cell(lesson: TransposedLesson) -> tuple[str, float]:
    """What the step is about and its number, for the status line: the input cell and its
    value (scatter), or the output cell and its total (gather)."""
    if lesson.reading == SCATTER:
        step = lesson.trace.scatter_step(lesson.step)
        return f"x[{step.row},{step.col}]", step.value
    gather = lesson.trace.gather_step(lesson.step)
    return f"out[{gather.row},{gather.col}]", gather.total


def arithmetic(lesson: TransposedLesson) -> Text:
    """The step written out: the stamp of one input cell (its products and where they land,
    the cropped ones dimmed), or one output cell's multiply-and-sum over the gathered grid."""
    if lesson.reading == SCATTER:
        return _scatter_arithmetic(lesson)
    return _gather_arithmetic(lesson)


def _scatter_arithmetic(lesson: TransposedLesson) -> Text:
    return stamp_arithmetic(lesson.trace.scatter_step(lesson.step), "transposed", "out")


def _gather_arithmetic(lesson: TransposedLesson) -> Text:
    step = lesson.trace.gather_step(lesson.step)
    text = gathered_products(step, f"out[{step.row},{step.col}] = ")
    text.append("+ " + t("transposed.arith.bias", bias=fmt(step.bias)) + " = ")
    text.append(fmt(step.total), style="bold reverse")
    text.append("\n" + t("transposed.arith.zeros_dimmed"), style="grey50")
    text.append("\n" + _scatter_side(lesson, step.row, step.col))
    return text


def _scatter_side(lesson: TransposedLesson, row: int, col: int) -> str:
    """The same output cell in the scatter reading: the stamps that land on it, each an input
    value times the kernel weight that lands there; the total is the engine's output."""
    trace = lesson.trace
    terms, products = [], []
    for index in trace.scatter_steps_into(0, row, col):
        r, c = divmod(index, trace.source.shape[2])
        rows, cols = trace.geometry.stamp_positions(r, c)
        i, j = rows.index(row), cols.index(col)
        terms.append(f"x[{r},{c}]·W[{i},{j}]")
        products.append(f"{fmt(trace.source[0, r, c])}×{fmt(trace.weights[0, 0, i, j])}")
    total = fmt(float(trace.output[0, row, col]))
    if not terms:
        return t("transposed.agree.no_stamp", row=row, col=col, total=total)
    return t("transposed.agree.scatter_side", terms=" + ".join(terms),
             products=" + ".join(products), total=total)


def reading_note(lesson: TransposedLesson) -> str:
    """What the reading does, with this layer's numbers."""
    g = lesson.trace.geometry
    if lesson.reading == SCATTER:
        return t("transposed.note.scatter", stride=show_pair(g.stride),
                 padding=show_pair(g.crop), output_padding=show_pair(_pair(
                     lesson.output_padding)))
    return t("transposed.note.gather", gaps=show_pair(tuple(s - 1 for s in g.stride)),
             dilation=show_pair(g.dilation), k=show_pair(g.kernel), padding=show_pair(g.crop),
             pad=show_pair(g.gather_padding))


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, value)


def output_size(lesson: TransposedLesson) -> Text:
    """(I-1)*S - 2P + D*(K-1) + output_padding + 1 with this layer's numbers for each axis,
    what the other output_padding values would give, the convolution with the same settings
    taking the output back to the input's size, and the link to the Backward panel."""
    g = lesson.trace.geometry
    op = _pair(lesson.output_padding)
    text = Text(t("transposed.size.formula"), style="bold")
    text.append("\n")
    axes = (0, 1) if _axis_args(lesson, 0) != _axis_args(lesson, 1) else (0,)
    for a in axes:
        name = t("transposed.size.both" if len(axes) == 1 else
                 ("transposed.size.height", "transposed.size.width")[a])
        size, k, s, p, o, d = _axis_args(lesson, a)
        value = lesson.output_size[a].value
        text.append(f"  {name} ({size} - 1)×{s} - 2×{p} + {d}×({k} - 1) + {o} + 1 = ")
        text.append(str(value), style="bold reverse")
        text.append("\n")
        others = [f"{other} → {value}" for other, value in _other_sizes(size, k, s, p, o, d)]
        if others:
            text.append("    " + t("transposed.size.others", others=", ".join(others)) + "\n",
                        style="grey50")
    text.append("\n" + t("transposed.size.backward", conv=conv2d_call(lesson)) + "\n")
    out_h, out_w = g.target_size
    back = [explain_output_size(g.target_size[a], g.kernel[a], g.stride[a], g.crop[a],
                                g.dilation[a]).value for a in (0, 1)]
    text.append("\n" + t("transposed.size.round_trip", conv=conv2d_call(lesson), oh=out_h,
                         ow=out_w, h=back[0], w=back[1]))
    if tuple(back) != lesson.x.shape:
        text.append(" " + t("transposed.size.round_trip_differs", h=lesson.x.shape[0],
                            w=lesson.x.shape[1], output_padding=show_pair(op)))
    return text


def _other_sizes(size: int, k: int, s: int, p: int, o: int,
                 d: int) -> list[tuple[int, int]]:
    """The sizes every other allowed output_padding (below stride or dilation) gives."""
    sizes = []
    for other in range(max(s, d)):
        if other != o:
            try:
                sizes.append((other, explain_transposed_output_size(size, k, s, p, other,
                                                                    d).value))
            except ValueError:  # too small an output: that output_padding is not allowed
                continue
    return sizes


def _axis_args(lesson: TransposedLesson, a: int) -> tuple[int, ...]:
    g = lesson.trace.geometry
    return (lesson.x.shape[a], g.kernel[a], g.stride[a], g.crop[a],
            _pair(lesson.output_padding)[a], g.dilation[a])


def conv2d_call(lesson: TransposedLesson) -> str:
    """nn.Conv2d with this layer's kernel, stride, padding and dilation."""
    return _layer_code(lesson, transposed=False)


def _layer_code(lesson: TransposedLesson, transposed: bool, extra: tuple[str, ...] = ()) -> str:
    """This layer's nn. call (one channel in and out), or the convolution's with the same
    settings, the kernel size by position: ``nn.Conv2d(1, 1, 3, stride=2)``."""
    g = lesson.trace.geometry
    layer = (ConvTranspose2d(g.kernel, 1, g.stride, g.crop, _pair(lesson.output_padding),
                             g.dilation) if transposed
             else Conv2d(g.kernel, 1, g.stride, g.crop, g.dilation))
    return call_code(module_call(layer).kernel_by_position(), extra)


def _number(value: float) -> str:
    """A float64 as Python reads it back exactly: 3., 0.1, float('inf')."""
    if not np.isfinite(value):
        return f"float('{value}')"
    return f"{value:.1f}" if value.is_integer() else repr(value)


def _tensor(values: np.ndarray, indent: str) -> str:
    rows = ["[" + ", ".join(_number(float(v)) for v in row) + "]" for row in values]
    return "[" + f",\n{indent} ".join(rows) + "]"


def pytorch_code(lesson: TransposedLesson) -> str:
    """A complete script: this input and kernel through nn.ConvTranspose2d in float64,
    printing the output's shape and then its rows (the numbers the panel shows)."""
    h, w = lesson.x.shape
    kh, kw = lesson.kernel.shape
    oh, ow = lesson.trace.output.shape[1:]
    convt = _layer_code(lesson, transposed=True, extra=("dtype=torch.float64",))
    return "\n".join([
        "import torch",
        "import torch.nn as nn",
        "",
        f"x = torch.tensor({_tensor(lesson.x, ' ' * 16)},",
        f"                 dtype=torch.float64).reshape(1, 1, {h}, {w})",
        f"w = torch.tensor({_tensor(lesson.kernel, ' ' * 16)},",
        f"                 dtype=torch.float64).reshape(1, 1, {kh}, {kw})"
        f"  # {t('transposed.code.w_shape')}",
        f"convt = {convt}",
        "with torch.no_grad():",
        "    convt.weight.copy_(w)",
        f"    convt.bias.fill_({fmt_full(lesson.bias)})",
        f"out = convt(x)  # {t('transposed.code.out_shape', oh=oh, ow=ow)}",
        "print(tuple(out.shape))",
        "for row in out[0, 0].tolist():",
        "    print(' '.join(f'{v:g}' for v in row))",
    ])

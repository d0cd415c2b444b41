"""Turn a BackwardLesson into what the Backward panel draws: the four grids of each reading, the
step written out, the line (and tab) on why the rotated kernel appears, and the PyTorch script.
Pure functions of the lesson and the current language; every number comes from the engine's
traces."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from convtui.core.export import layer_code, script_head, tensor_code
from convtui.core.layers import Conv2d
from convtui.fields import show_pair
from convtui.i18n import t
from convtui.lessons.backward import (
    EDITED,
    GATHER,
    ONE_HOT,
    ONES,
    RANDOM,
    SCATTER,
    SUM_OF_SQUARES,
    WEIGHT,
    BackwardLesson,
)
from convtui.ui.numbers import cell_width, fmt
from convtui.ui.panel.conv_views import COMPACT_WIDTH, input_code, weight_code
from convtui.ui.panel.stamp_views import DIM, gathered_products, stamp_arithmetic
from convtui.ui.widgets.grid import EMPTY, NORMAL, PADDING, GridView

Cells = frozenset[tuple[int, int]]


def _labels(count: int) -> tuple[str, ...]:
    return tuple(str(i % 10) for i in range(count))


def _grid(values: np.ndarray, title: str, **view: object) -> GridView:
    """A grid labelled 0.. on both axes, drawn as colour only when too wide for its numbers."""
    return GridView(values=values, title=title, row_labels=_labels(values.shape[0]),
                    col_labels=_labels(values.shape[1]),
                    compact=values.shape[1] * cell_width(values) > COMPACT_WIDTH, **view)


def input_view(lesson: BackwardLesson) -> GridView:
    """The forward input with its padding ring (rows and columns "p"); stepping
    grad_weight, the cells the current weight touched (one per output cell) highlighted."""
    trace = lesson.grad_weight
    padded = trace.padded[0]
    top, _, left, _ = trace.geometry.pads
    h, w = trace.geometry.in_size
    rows = np.arange(padded.shape[0]) - top
    cols = np.arange(padded.shape[1]) - left
    kinds = np.where((rows[:, None] < 0) | (rows[:, None] >= h)
                     | (cols[None, :] < 0) | (cols[None, :] >= w), PADDING, NORMAL)
    window: Cells = frozenset()
    if lesson.reading == WEIGHT:
        step = trace.step(lesson.step)
        window = frozenset((r + top, c + left) for r in step.rows for c in step.cols)
    return GridView(values=padded, title=t("backward.grid.input", h=h, w=w), kinds=kinds,
                    window=window, scale_values=lesson.x,
                    row_labels=tuple(str(r) if 0 <= r < h else "p" for r in rows),
                    col_labels=tuple(str(c % 10) if 0 <= c < w else "p" for c in cols),
                    compact=padded.shape[1] * cell_width(padded) > COMPACT_WIDTH)


def grad_view(lesson: BackwardLesson) -> GridView:
    """The output gradient g: scattering, its current cell highlighted; gathering, spread
    stride apart and padded, the current window highlighted (inserted zeros as padding);
    stepping grad_weight, every cell marked (each one multiplies an input cell)."""
    trace = lesson.grad_input
    g = lesson.grad_output
    oh, ow = g.shape
    if lesson.reading == SCATTER:
        step = trace.scatter_step(lesson.step)
        return _grid(g, t("backward.grid.grad", h=oh, w=ow),
                     window=frozenset({(step.row, step.col)}))
    if lesson.reading == GATHER:
        geom = trace.geometry
        step = trace.gather_step(lesson.step)
        rows, cols = geom.gather_sources(0), geom.gather_sources(1)
        kinds = np.where((rows[:, None] >= 0) & (cols[None, :] >= 0), NORMAL, PADDING)
        gh, gw = geom.gather_size
        key = "backward.grid.padded" if geom.stride == (1, 1) else "backward.grid.spread"
        return _grid(trace.gathered[0], t(key, h=gh, w=gw, pad=show_pair(geom.gather_padding)),
                     kinds=kinds, scale_values=g,
                     window=frozenset((r, c) for r in step.rows for c in step.cols))
    return _grid(g, t("backward.grid.grad", h=oh, w=ow),
                 marks=frozenset(np.ndindex(g.shape)))


def kernel_view(lesson: BackwardLesson) -> GridView:
    """W as written (scatter; grad_weight with the current weight highlighted), or rotated
    180° (gather: what the spread gradient meets)."""
    kh, kw = lesson.kernel.shape
    if lesson.reading == GATHER:
        return _grid(lesson.grad_input.rotated[0, 0],
                     t("backward.grid.rotated", kh=kh, kw=kw))
    window: Cells = frozenset()
    if lesson.reading == WEIGHT:
        step = lesson.grad_weight.step(lesson.step)
        window = frozenset({(step.row, step.col)})
    return _grid(lesson.kernel, t("backward.grid.kernel", kh=kh, kw=kw), window=window)


def result_view(lesson: BackwardLesson) -> GridView:
    """What is being computed: grad_input as the stamps so far have summed it (scatter) or
    filled in cell by cell (gather), or grad_weight filled in weight by weight."""
    if lesson.reading == SCATTER:
        trace = lesson.grad_input
        out = trace.output[0]
        step = trace.scatter_step(lesson.step)
        stamped = frozenset((r, c) for i, r in enumerate(step.rows)
                            for j, c in enumerate(step.cols) if step.inside[i, j])
        return _grid(step.running[0], t("backward.grid.grad_input", h=out.shape[0],
                                         w=out.shape[1]), window=stamped, scale_values=out)
    if lesson.reading == GATHER:
        out = lesson.grad_input.output[0]
        key = "backward.grid.grad_input"
    else:
        out = lesson.grad_weight.output[0]
        key = "backward.grid.grad_weight"
    index = np.arange(out.size).reshape(out.shape)
    r, c = divmod(lesson.step, out.shape[1])
    return _grid(out, t(key, h=out.shape[0], w=out.shape[1]),
                 kinds=np.where(index <= lesson.step, NORMAL, EMPTY),
                 window=frozenset({(r, c)}), scale_values=out)


def gradient_name(lesson: BackwardLesson) -> str:
    """The output gradient chosen, in words (the one-hot one with its cell)."""
    if lesson.gradient == ONE_HOT:
        oh, ow = lesson.grad_output.shape
        return t("backward.one_hot_at", row=lesson.hot_cell[0] % oh,
                 col=lesson.hot_cell[1] % ow)
    return t(f"backward.gradients.{lesson.gradient}")


def current_cell(lesson: BackwardLesson) -> tuple[str, float]:
    """What the step is about and its number, for the status line: the output-gradient cell
    and its value (scatter), or the gradient cell and its total (gather, grad_weight)."""
    if lesson.reading == SCATTER:
        step = lesson.grad_input.scatter_step(lesson.step)
        return f"g[{step.row},{step.col}]", step.value
    if lesson.reading == GATHER:
        gather = lesson.grad_input.gather_step(lesson.step)
        return f"grad_input[{gather.row},{gather.col}]", gather.total
    weight = lesson.grad_weight.step(lesson.step)
    return f"grad_weight[{weight.row},{weight.col}]", weight.total


# the step written out ----------------------------------------------------------------------
def arithmetic(lesson: BackwardLesson) -> Text:
    """The step as sums: one stamp (scatter), one gathered cell with the same cell's stamps
    beside it (gather), or one weight's input-times-gradient sum."""
    if lesson.reading == SCATTER:
        return _scatter_arithmetic(lesson)
    if lesson.reading == GATHER:
        return _gather_arithmetic(lesson)
    return _weight_arithmetic(lesson)


def _scatter_arithmetic(lesson: BackwardLesson) -> Text:
    return stamp_arithmetic(lesson.grad_input.scatter_step(lesson.step), "backward", "")


def _gather_arithmetic(lesson: BackwardLesson) -> Text:
    step = lesson.grad_input.gather_step(lesson.step)
    text = gathered_products(step, f"grad_input[{step.row},{step.col}] = ")
    text.append("= ")
    text.append(fmt(step.total), style="bold reverse")
    text.append("\n" + t("backward.arith.zeros_dimmed"), style="grey50")
    text.append("\n" + _scatter_side(lesson, step.row, step.col))
    return text


def _factor(value: float) -> str:
    """A number inside a sum of products, negatives in brackets: 2·(-1)."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def _scatter_side(lesson: BackwardLesson, row: int, col: int) -> str:
    """The same input cell in the scatter reading: the stamps that land on it, each an output
    gradient times the weight as written; the total is the engine's grad_input."""
    terms = lesson.rotation_terms(row, col)
    total = fmt(float(lesson.grad_input.output[0, row, col]))
    if not terms:
        return t("backward.agree.no_stamp", row=row, col=col, total=total)
    names = " + ".join(f"g[{o[0]},{o[1]}]·W[{k[0]},{k[1]}]" for o, k, _, _ in terms)
    numbers = " + ".join(f"{_factor(g)}×{_factor(w)}" for _, _, g, w in terms)
    return t("backward.agree.scatter_side", terms=names, products=numbers, total=total)


def _weight_arithmetic(lesson: BackwardLesson) -> Text:
    step = lesson.grad_weight.step(lesson.step)
    head = f"grad_weight[{step.row},{step.col}] = "
    text = Text(t("backward.arith.weight", row=step.row, col=step.col) + "\n")
    for i, r in enumerate(step.rows):
        text.append((head if i == 0 else " " * len(head)) + ("  " if i == 0 else "+ "))
        for j, c in enumerate(step.cols):
            if j:
                text.append(" + ")
            text.append(f"(x[{r},{c}] {fmt(step.values[i, j])}×{fmt(step.grads[i, j])})",
                        style=DIM if step.is_pad[i, j] else "")
        text.append("\n")
    text.append(" " * len(head) + "= ")
    text.append(fmt(step.total), style="bold reverse")
    if step.is_pad.any():
        text.append("\n" + t("backward.arith.pad_dimmed"), style="grey50")
    text.append("\n" + t("backward.arith.bias", terms=" + ".join(
        fmt(v) for v in lesson.grad_output.ravel()), bias=fmt(lesson.grad_bias)))
    return text


# why the rotated kernel appears --------------------------------------------------------------
def example_cell(lesson: BackwardLesson) -> tuple[int, int]:
    """The input cell the explanation reads: the first cell two or more stamps land on (there
    the order of the kernel shows, in the fewest terms), else the first one any stamp
    reaches."""
    h, w = lesson.grad_input.output.shape[1:]
    counts = [(len(lesson.rotation_terms(r, c)), (r, c)) for r in range(h) for c in range(w)]
    for wanted in (2, 1):
        for count, cell in counts:
            if count >= wanted:
                return cell
    return 0, 0


def why_line(lesson: BackwardLesson) -> str:
    """One line with this example's numbers: which weight each stamp brings to one input
    cell, why that is the kernel rotated 180°, and why the layer's name does not matter."""
    row, col = example_cell(lesson)
    terms = lesson.rotation_terms(row, col)
    total = fmt(float(lesson.grad_input.output[0, row, col]))
    if len(terms) < 2:
        return t("backward.why.line_single", row=row, col=col, total=total)
    names = " + ".join(f"g[{o[0]},{o[1]}]·W[{k[0]},{k[1]}]" for o, k, _, _ in terms)
    numbers = " + ".join(f"{_factor(g)}·{_factor(w)}" for _, _, g, w in terms)
    return t("backward.why.line", row=row, col=col, terms=names, products=numbers,
             total=total)


def why_text(lesson: BackwardLesson) -> str:
    """The Why tab: the line above, then the argument in full."""
    kh, kw = lesson.kernel.shape
    return why_line(lesson) + "\n\n" + t("backward.why.full", last_row=kh - 1,
                                         last_col=kw - 1)


def reading_note(lesson: BackwardLesson) -> str:
    """What the reading does, with this layer's numbers."""
    if lesson.reading == SCATTER:
        return t("backward.note.scatter")
    if lesson.reading == GATHER:
        geom = lesson.grad_input.geometry
        if geom.stride == (1, 1):
            return t("backward.note.gather", pad=show_pair(geom.gather_padding))
        return t("backward.note.gather_spread", stride=show_pair(geom.stride),
                 pad=show_pair(geom.gather_padding))
    return t("backward.note.weight", bias=fmt(lesson.grad_bias))


# PyTorch ---------------------------------------------------------------------------------------
def _padding(lesson: BackwardLesson) -> tuple[int, int] | str:
    p = lesson.padding
    return p if isinstance(p, (str, tuple)) else (p, p)


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, value)


def conv_module(lesson: BackwardLesson) -> Conv2d:
    """The lesson's layer as the core's table of nn. calls holds it."""
    return Conv2d(kernel=lesson.kernel.shape, out_channels=1, stride=_pair(lesson.stride),
                  padding=_padding(lesson), dilation=_pair(lesson.dilation))


def _grad_code(lesson: BackwardLesson) -> list[str]:
    """``grad = ...``: the output gradient the way the loss it comes from writes it."""
    oh, ow = lesson.grad_output.shape
    if lesson.gradient == ONES:
        return [f"grad = torch.ones_like(out)  # {t('backward.code.ones')}"]
    if lesson.gradient == ONE_HOT:
        r, c = lesson.hot_cell[0] % oh, lesson.hot_cell[1] % ow
        return [f"grad = torch.zeros_like(out)  # {t('backward.code.one_hot', row=r, col=c)}",
                f"grad[0, 0, {r}, {c}] = 1"]
    if lesson.gradient == SUM_OF_SQUARES:
        return [f"grad = 2 * out.detach()  # {t('backward.code.sum_of_squares')}"]
    assert lesson.gradient in (RANDOM, EDITED)
    prefix = "grad = "
    return [f"# {t('backward.code.chosen')}",
            f"{prefix}{tensor_code(lesson.grad_output, len(prefix))}.reshape(1, 1, {oh}, {ow})"]


def pytorch_code(lesson: BackwardLesson) -> str:
    """A complete script: this input and kernel through nn.Conv2d in float64, the chosen
    output gradient sent back with ``out.backward(grad)``, and the three gradients printed
    (the numbers the panel shows)."""
    h, w = lesson.x.shape
    oh, ow = lesson.grad_output.shape
    return "\n".join([
        *script_head(h * w),
        input_code(lesson.x),
        weight_code(lesson.kernel[None], "w"),
        f"conv = {layer_code(conv_module(lesson))}",
        "with torch.no_grad():",
        "    conv.weight.copy_(w)",
        "    conv.bias.zero_()",
        f"x.requires_grad_()  # {t('backward.code.requires_grad')}",
        f"out = conv(x)  # {t('lesson_code.out_shape', oh=oh, ow=ow)}",
        *_grad_code(lesson),
        f"out.backward(grad)  # {t('backward.code.backward')}",
        f"print(x.grad[0, 0])  # grad_input: {t('backward.code.grad_input')}",
        f"print(conv.weight.grad[0, 0])  # grad_weight: {t('backward.code.grad_weight')}",
        f"print(conv.bias.grad)  # grad_bias: {t('backward.code.grad_bias')}",
    ])

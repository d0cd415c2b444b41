"""Turn a ConvLesson into what the widgets draw: grid views, the written-out arithmetic, the
neuron picture and the equivalent PyTorch code. Pure functions of the lesson; no math beyond
reading the engine's step. Every word comes from the catalogue when the view is drawn, so a
redraw after a language switch speaks the new language."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from convtui.core.conv import ConvStep
from convtui.core.export import layer_code, number_code, script_head, tensor_code
from convtui.core.geometry import explain_output_size
from convtui.core.layers import Conv2d
from convtui.fields import show_pair
from convtui.i18n import t, tn
from convtui.lessons.conv import ConvLesson
from convtui.ui.numbers import cell_width, fmt, fmt_full
from convtui.ui.widgets.grid import EMPTY, NORMAL, PADDING, GridView

#: Grids wider than this many columns of text are drawn as colour only.
COMPACT_WIDTH = 44


def _compact(values: np.ndarray) -> bool:
    return values.shape[1] * cell_width(values) > COMPACT_WIDTH


def input_view(lesson: ConvLesson, marks: frozenset[tuple[int, int]] = frozenset()) -> GridView:
    """The padded input of the shown channel, padding ring marked, the window highlighted.
    Grid coordinates are padded ones; ``marks`` are given in input coordinates."""
    trace, step = lesson.trace, lesson.current
    top, _, left, _ = trace.geometry.pads
    padded = trace.padded[lesson.channel]
    h, w = trace.geometry.in_size
    rows = np.arange(padded.shape[0]) - top
    cols = np.arange(padded.shape[1]) - left
    kinds = np.where(((rows[:, None] < 0) | (rows[:, None] >= h)) |
                     ((cols[None, :] < 0) | (cols[None, :] >= w)), PADDING, NORMAL)
    window = frozenset((r + top, c + left) for r in step.rows for c in step.cols)
    title = t("stepper.grid.input", h=h, w=w)
    if lesson.channels > 1:
        title += " " + t("stepper.grid.channel", channel=lesson.channel,
                         channels=lesson.channels)
    if any(trace.geometry.pads):
        title += " · " + t("stepper.grid.pad", pads=_pads(lesson))
    return GridView(
        values=padded, kinds=kinds, window=window,
        marks=frozenset((r + top, c + left) for r, c in marks),
        title=title,
        row_labels=tuple(str(r) if 0 <= r < h else "p" for r in rows),
        col_labels=tuple(str(c % 10) if 0 <= c < w else "p" for c in cols),
        compact=_compact(padded),
        scale_values=lesson.x[lesson.channel],
    )


def _pads(lesson: ConvLesson) -> str:
    top, bottom, left, right = lesson.trace.geometry.pads
    if top == bottom == left == right:
        return str(top)
    return t("stepper.grid.pads_sides", top=top, bottom=bottom, left=left, right=right)


def kernel_view(lesson: ConvLesson) -> GridView:
    """The kernel of the shown channel, as applied (rotated 180° when flipped)."""
    weights = lesson.trace.weights[lesson.channel]
    kh, kw = weights.shape
    title = t("stepper.grid.kernel_flipped" if lesson.flip else "stepper.grid.kernel",
              kh=kh, kw=kw)
    return GridView(values=weights, title=title,
                    row_labels=tuple(str(i) for i in range(kh)),
                    col_labels=tuple(str(j) for j in range(kw)))


def output_view(lesson: ConvLesson, marks: frozenset[tuple[int, int]] = frozenset()) -> GridView:
    """The output filled in up to the current step."""
    out = lesson.trace.output
    oh, ow = out.shape
    index = np.arange(out.size).reshape(out.shape)
    kinds = np.where(index <= lesson.step, NORMAL, EMPTY)
    step = lesson.current
    return GridView(
        values=out, kinds=kinds, window=frozenset({(step.out_row, step.out_col)}), marks=marks,
        title=t("stepper.grid.output", oh=oh, ow=ow), row_labels=tuple(str(r) for r in range(oh)),
        col_labels=tuple(str(c % 10) for c in range(ow)), compact=_compact(out),
        scale_values=out,
    )


def arithmetic(step: ConvStep, out_name: str = "out") -> Text:
    """The step written out the way the lecture does it: one line per kernel row, one
    ``(input×weight)`` per cell, padding products dimmed, then bias and the total."""
    text = Text()
    channels = step.products.shape[0]
    head = f"{out_name}[{step.out_row},{step.out_col}] = "
    for ch in range(channels):
        if channels > 1:
            text.append(t("stepper.arith.channel", channel=ch) + " ", style="bold")
        for i in range(step.values.shape[1]):
            text.append(head if (ch == 0 and i == 0) else " " * len(head))
            text.append("  " if i == 0 else "+ ")
            for j in range(step.values.shape[2]):
                if j:
                    text.append(" + ")
                pad = bool(step.is_pad[i, j])
                text.append(f"({fmt(step.values[ch, i, j])}×{fmt(step.weights[ch, i, j])})",
                            style="dim italic" if pad else "")
            text.append("\n")
        if channels > 1:
            text.append(" " * len(head) + f"= {fmt(step.channel_sums[ch])}\n")
    sums = " + ".join(fmt(s) for s in step.channel_sums) if channels > 1 else None
    tail = " " * len(head) + "+ " + (f"[{sums}] + " if sums else "")
    text.append(tail + t("stepper.arith.bias", bias=fmt(step.bias)) + " = ")
    text.append(fmt(step.total), style="bold reverse")
    return text


def window_note(lesson: ConvLesson) -> str:
    """Where the window is, in words, with padding called out."""
    step = lesson.current
    rows, cols = step.rows, step.cols
    note = t("stepper.note.window", r0=rows[0], r1=rows[-1], c0=cols[0], c1=cols[-1],
             stride=show_pair(lesson.stride), dilation=show_pair(lesson.dilation))
    pad_cells = int(step.is_pad.sum())
    if pad_cells:
        kind = t("stepper.note.zeros") if lesson.padding_mode == "zeros" else t(
            "stepper.note.copies", mode=lesson.padding_mode)
        note += t("stepper.note.padding", cells=tn("lesson_counts.cells", pad_cells), kind=kind)
    return note


def exact_note(lesson: ConvLesson) -> str:
    """When the step's numbers are not whole, ``fmt`` rounds them; this says so and gives the
    output cell exactly as the engine computed it (and PyTorch checks it), so the rounded
    products are never mistaken for the arithmetic itself. Empty for whole numbers."""
    step = lesson.current
    value = float(lesson.trace.output[step.out_row, step.out_col])
    numbers = np.concatenate([step.values.ravel(), step.weights.ravel(), [step.bias, value]])
    if all(float(v).is_integer() for v in numbers if np.isfinite(v)):
        return ""
    return t("stepper.arith.rounded", row=step.out_row, col=step.out_col, value=fmt_full(value))


def output_size_note(lesson: ConvLesson) -> EquationNote | None:
    """The output size worked out with (I - F + 2P) / S + 1, one line per dimension (one line
    when both agree), in the engine's own words. None when the padding is not the same on
    both sides (even kernels with padding='same'): the formula assumes it is."""
    g = lesson.trace.geometry
    top, bottom, left, right = g.pads
    if top != bottom or left != right:
        return None
    dims = [explain_output_size(size, k, s, p, d) for size, k, s, p, d in zip(
        g.in_size, g.kernel, g.stride, (top, left), g.dilation, strict=True)]
    named = [("stepper.arith.size_both", dims[0])] if dims[0].lines == dims[1].lines else [
        ("stepper.arith.size_height", dims[0]), ("stepper.arith.size_width", dims[1])]
    return EquationNote(t("stepper.arith.size_formula"), tuple(
        (f"  {t(key)} ", line) for key, explanation in named for line in explanation.lines))


def arithmetic_notes(lesson: ConvLesson) -> EquationNote | Text:
    """What the Arithmetic tab shows under the sum: the rounding note, then the output size."""
    size = output_size_note(lesson)
    return replace(size, preface=exact_note(lesson)) if size else Text(exact_note(lesson))


@dataclass(frozen=True)
class EquationNote:
    """A heading and labelled equations, laid out at the width the note is drawn at: an
    equation too long for it breaks only before an `` = `` and goes on under its first term.
    Left to the terminal, ``(5 - 3 + 2×0) / 1 + 1 = 2 / 1 + 1 = 3`` wrapped after ``= 2``, and
    the line read as a wrong answer."""

    heading: str
    rows: tuple[tuple[str, str], ...]  # (label, equation)
    preface: str = ""  # a paragraph before the heading, wrapped as prose

    def lines(self, width: int) -> list[str]:
        lines: list[str] = []
        for label, equation in self.rows:
            first, *rest = equation.split(" = ")
            lines.append(label + first)
            indent = " " * cell_len(label)
            for part in rest:
                if cell_len(lines[-1]) + cell_len(part) + 3 <= width:
                    lines[-1] += f" = {part}"
                else:
                    lines.append(f"{indent}= {part}")
        return lines

    def __str__(self) -> str:
        """The note as plain text, each equation on one line (what the tests read)."""
        text = "\n".join([self.heading, *(label + eq for label, eq in self.rows)])
        return f"{self.preface}\n\n{text}" if self.preface else text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.preface:
            yield Text(self.preface + "\n")
        yield Text(self.heading)
        for line in self.lines(options.max_width):
            yield Text(line)


def neuron(step: ConvStep, channel: int) -> Text:
    """One output cell as a perceptron: the window's values are its inputs, the kernel's weights
    its weights, plus a bias. With several channels the neuron takes the window of every
    channel (C × kH × kW inputs); the picture draws one channel's share of them."""
    values = step.values[channel].ravel()
    weights = step.weights[channel].ravel()
    vw = max(len(fmt(v)) for v in values)
    ww = max(len(fmt(w)) for w in weights)
    text = Text()
    channels, kh, kw = step.values.shape
    if channels == 1:
        intro = t("stepper.neuron.intro", inputs=tn("lesson_counts.inputs", len(values)),
                  weights=tn("lesson_counts.weights", len(weights)))
    else:
        intro = t("lesson.neuron.intro_channels", inputs=step.values.size,
                  weights=step.weights.size, channels=channels, kh=kh, kw=kw,
                  channel=channel, shown=tn("lesson_counts.inputs", len(values)))
    text.append(intro + "\n", style="grey50")
    text.append(f"{'x'.rjust(vw + 2)}   w\n", style="grey50")
    mid = len(values) // 2
    for k, (v, w) in enumerate(zip(values, weights, strict=True)):
        joint = "╮" if k == 0 else ("╯" if k == len(values) - 1 else "┤")
        if k == mid:
            joint = "┼"
        text.append(f"  {fmt(v).rjust(vw)} ─×{fmt(w).rjust(ww)}─{joint}")
        if k == mid:
            text.append(f"── Σ = {fmt(step.channel_sums[channel])}")
            if step.products.shape[0] == 1:
                text.append(" + " + t("stepper.arith.bias", bias=fmt(step.bias)) + " → ")
                text.append(fmt(step.total), style="bold reverse")
        text.append("\n")
    if step.products.shape[0] > 1:
        text.append(t("stepper.neuron.channels", channel=channel, total=fmt(step.total)))
    return text


def conv_layer(lesson: ConvLesson, bias: bool = True) -> Conv2d:
    """The lesson's layer as the core's table of nn. calls holds it (one output channel)."""
    padding = lesson.padding
    return Conv2d(kernel=lesson.kernel.shape[1:], out_channels=1, stride=lesson.stride,
                  padding=padding if isinstance(padding, (str, tuple)) else (padding, padding),
                  dilation=lesson.dilation, bias=bias, padding_mode=lesson.padding_mode)


def input_code(x: np.ndarray, name: str = "x") -> str:
    """``x = torch.tensor(...).reshape(1, C, H, W)``: a (C, H, W) or (H, W) input as a batch
    of one, the way PyTorch's layers take it."""
    c, h, w = x.shape if x.ndim == 3 else (1, *x.shape)
    prefix = f"{name} = "
    return (f"{prefix}{tensor_code(x, len(prefix))}.reshape(1, {c}, {h}, {w})"
            f"  # {t('lesson_code.input_shape', c=c, h=h, w=w)}")


def weight_code(kernel: np.ndarray, name: str) -> str:
    """``w = torch.tensor(...).reshape(1, C, kH, kW)``: one output channel's weights."""
    c, kh, kw = kernel.shape
    prefix = f"{name} = "
    return (f"{prefix}{tensor_code(kernel, len(prefix))}.reshape(1, {c}, {kh}, {kw})"
            f"  # {t('lesson_code.weight_shape', c=c, kh=kh, kw=kw)}")


def pytorch_code(lesson: ConvLesson) -> str:
    """A script that runs the lesson's nn.Conv2d on its input and kernel and prints the
    output the panel shows."""
    c = lesson.channels
    oh, ow = lesson.trace.output.shape
    lines = [
        *script_head(oh * ow),
        input_code(lesson.x),
        weight_code(lesson.kernel, "kernel"),
        f"conv = {layer_code(conv_layer(lesson), c)}",
        "with torch.no_grad():",
        f"    conv.weight.copy_(kernel{'.flip(-2, -1)' if lesson.flip else ''})",
        f"    conv.bias.fill_({number_code(lesson.bias)})",
        f"    out = conv(x)  # {t('lesson_code.out_shape', oh=oh, ow=ow)}",
        "print(out[0, 0])",
    ]
    if lesson.flip:
        lines.insert(lines.index("with torch.no_grad():"),
                     "# " + t("stepper.code.flip_comment"))
    return "\n".join(lines)

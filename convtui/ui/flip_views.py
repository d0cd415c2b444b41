"""Turn a FlipLesson into what the Flip panel draws: the kernel beside its 180° rotation, both
outputs and their difference, the lockstep arithmetic with each weight named by a letter, the
verdict in words, the PyTorch code and why the distinction rarely matters. Pure functions of
the lesson; every number comes from the engine."""

from __future__ import annotations

import dataclasses
import string

import numpy as np
from rich.text import Text

from convtui.core.conv import ConvStep
from convtui.core.flip import rotated_position
from convtui.ui.conv_lesson import ConvLesson
from convtui.ui.conv_views import output_view, padding_arg, torch_arg
from convtui.ui.flip_lesson import FlipLesson
from convtui.ui.format import fmt
from convtui.ui.widgets.grid import EMPTY, NORMAL, GridView

Cells = frozenset[tuple[int, int]]

#: Why the flip rarely matters, and which library computes which; in the Explain tab.
EXPLANATION = (
    "[b]Why deep learning can ignore the flip[/b]\n"
    "A convolutional layer learns its kernel from data. Had the layer rotated the kernel "
    "before using it, training would simply have found the rotated version of the same kernel: "
    "both forms can compute exactly the same functions, and every weight is learned either "
    "way. So libraries skip the rotation, compute the cross-correlation, and still call the "
    "layer a convolution.\n"
    "The flip matters when a kernel is given rather than learned: a textbook filter such as "
    "Sobel, a signal-processing formula, or weights carried over from a tool that uses the "
    "other convention. Only true convolution has the algebra of the textbooks: it is "
    "commutative (f * g = g * f) and becomes a product under the Fourier transform.\n\n"
    "[b]Who computes what[/b]\n"
    "  numpy.convolve (1-D)            convolution: flips the kernel\n"
    "  scipy.signal.convolve2d         convolution: flips the kernel\n"
    "  scipy.signal.correlate2d        cross-correlation: no flip\n"
    "  PyTorch nn.Conv2d / F.conv2d    cross-correlation, called convolution\n"
    "  TensorFlow / Keras Conv2D       cross-correlation, called convolution"
)


def weight_letters(shape: tuple[int, int]) -> np.ndarray:
    """A name per weight in reading order: a, b, c, ... (then A, B, ...), so a weight can be
    followed through the rotation."""
    height, width = shape
    alphabet = string.ascii_lowercase + string.ascii_uppercase
    if height * width > len(alphabet):
        raise ValueError(f"kernel: {height}x{width} has more weights than letters to name them")
    return np.array(list(alphabet[: height * width])).reshape(shape)


def kernel_view(lesson: FlipLesson, marks: Cells = frozenset()) -> GridView:
    """The kernel W as written."""
    return _kernel_grid(lesson.kernel, "W", marks)


def rotated_view(lesson: FlipLesson, marks: Cells = frozenset()) -> GridView:
    """W rotated 180°: the weights the convolution actually applies."""
    return _kernel_grid(lesson.convolution.trace.weights[0], "rot180(W)", marks)


def _kernel_grid(weights: np.ndarray, title: str, marks: Cells) -> GridView:
    kh, kw = weights.shape
    return GridView(values=weights, title=title, marks=marks,
                    row_labels=tuple(str(i) for i in range(kh)),
                    col_labels=tuple(str(j) for j in range(kw)))


def correlation_view(lesson: FlipLesson) -> GridView:
    return _output(lesson.correlation, lesson, "corr")


def convolution_view(lesson: FlipLesson) -> GridView:
    """Drawn right of the cross-correlation, whose row labels it shares."""
    return dataclasses.replace(_output(lesson.convolution, lesson, "conv"), row_labels=None)


def _filled(lesson: FlipLesson) -> np.ndarray:
    """Which output cells the steps so far have filled in (raster order)."""
    shape = lesson.difference.shape
    return np.arange(lesson.difference.size).reshape(shape) <= lesson.step


def _differing_so_far(lesson: FlipLesson) -> Cells:
    filled = _filled(lesson)
    return frozenset(cell for cell in lesson.differing if filled[cell])


def _output(conv: ConvLesson, lesson: FlipLesson, name: str) -> GridView:
    oh, ow = conv.trace.output.shape
    view = output_view(conv, _differing_so_far(lesson))
    return dataclasses.replace(view, title=f"{name} {oh}×{ow}")


def difference_view(lesson: FlipLesson) -> GridView:
    """corr − conv, filled in like the outputs, differing cells marked."""
    diff = lesson.difference
    step = lesson.correlation.current
    return GridView(
        values=diff, kinds=np.where(_filled(lesson), NORMAL, EMPTY),
        window=frozenset({(step.out_row, step.out_col)}), marks=_differing_so_far(lesson),
        title="corr − conv", col_labels=tuple(str(c % 10) for c in range(diff.shape[1])),
        scale_values=diff,
    )


def verdict(lesson: FlipLesson) -> str:
    """What the two outputs have in common, and why, then what the two names mean."""
    legend = "corr = cross-correlation (nn.Conv2d) · conv = convolution (W rotated 180°)"
    if lesson.impulse_at is not None:
        r, c = lesson.impulse_at
        text = f"Impulse (a lone 1 at [{r},{c}]): corr stamps rot180(W), conv stamps W itself."
        if lesson.relation == "same":
            text += " This W equals its own rotation, so the stamps match."
    elif lesson.relation == "same":
        text = "Identical outputs: W equals its own 180° rotation, so flipping changes nothing."
    elif lesson.relation == "negated":
        text = "conv = −corr in every cell: the 180° rotation only flips the signs of W."
    else:
        text = (f"The outputs differ in {len(lesson.differing)} of {lesson.difference.size} "
                "cells (marked): W changes under a 180° rotation.")
    return f"{text}\n{legend}"


def weights_text(lesson: FlipLesson) -> Text:
    """Where each weight goes, then this window's sums with every weight named by its letter:
    the same input cell meets weight a in one and its rotated partner in the other."""
    letters = weight_letters(lesson.kernel.shape)
    kh, kw = letters.shape
    rotated = np.empty_like(letters)
    for i in range(kh):
        for j in range(kw):
            rotated[rotated_position(i, j, (kh, kw))] = letters[i, j]
    text = Text()
    values = [f"{letters[i, j]}={fmt(lesson.kernel[i, j])}" for i in range(kh)
              for j in range(kw)]
    for i in range(kh):
        text.append("W: " if i == 0 else "   ", style="bold")
        text.append(" ".join(letters[i]) + "    ")
        text.append("rotated: " if i == 0 else "         ", style="bold")
        text.append(" ".join(rotated[i]) + "    ")
        text.append("  ".join(values[i * kw : (i + 1) * kw]) + "\n")
    text.append(f"weight (i, j) moves to ({kh - 1}−i, {kw - 1}−j): {_swaps(letters)}\n\n")
    text.append("this window, weight by weight:\n", style="bold")
    corr = _lettered(lesson.correlation.current, letters, "corr", rotate=False)
    conv = _lettered(lesson.convolution.current, letters, "conv", rotate=True)
    width = max(len(line) for line in corr)
    for left, right in zip(corr, conv, strict=True):
        text.append(left.ljust(width) + "    " + right + "\n")
    return text


def _swaps(letters: np.ndarray) -> str:
    shape = letters.shape
    pairs, stays = [], []
    for i in range(shape[0]):
        for j in range(shape[1]):
            ri, rj = rotated_position(i, j, shape)
            if (ri, rj) == (i, j):
                stays.append(str(letters[i, j]))
            elif (ri, rj) > (i, j):
                pairs.append(f"{letters[i, j]}↔{letters[ri, rj]}")
    return ", ".join(pairs) + (f"; {', '.join(stays)} stays" if stays else "")


def _lettered(step: ConvStep, letters: np.ndarray, name: str, rotate: bool) -> list[str]:
    """One line per kernel row: input value times the letter of the weight applied there."""
    kh, kw = letters.shape
    head = f"{name}[{step.out_row},{step.out_col}] = "
    lines = []
    for i in range(kh):
        terms = []
        for j in range(kw):
            letter = letters[rotated_position(i, j, (kh, kw))] if rotate else letters[i, j]
            terms.append(f"{fmt(step.values[0, i, j])}{letter}")
        lines.append((head if i == 0 else " " * (len(head) - 2) + "+ ") + " + ".join(terms))
    return lines


def selection_note(lesson: FlipLesson, cell: tuple[int, int], rotated: bool) -> str:
    """Where a selected weight goes (or, on the rotated kernel, where it came from)."""
    letters = weight_letters(lesson.kernel.shape)
    other = rotated_position(*cell, lesson.kernel.shape)
    source = other if rotated else cell
    dest = cell if rotated else other
    return (f"weight {letters[source]} = {fmt(lesson.kernel[source])}: W[{source[0]},"
            f"{source[1]}] → rotated[{dest[0]},{dest[1]}] (marked in both)")


def flip_code(lesson: FlipLesson) -> str:
    """Both outputs in PyTorch, and the scipy calls that give the same numbers."""
    corr = lesson.correlation
    kh, kw = lesson.kernel.shape
    h, w = corr.x.shape[1:]
    args = []
    if corr.stride != (1, 1):
        args.append(f"stride={torch_arg(corr.stride)}")
    padding = corr.padding
    if padding != 0:
        args.append(f"padding={padding_arg(padding)}")
    extra = "".join(f", {a}" for a in args)
    oh, ow = corr.trace.output.shape
    lines = [
        "import torch",
        "import torch.nn.functional as F",
        "",
        f"x = torch.tensor(...)  # shape (1, 1, {h}, {w}) = (N, C, H, W)",
        f"w = torch.tensor(...)  # shape (1, 1, {kh}, {kw}) = (out, in, kH, kW)",
        f"corr = F.conv2d(x, w{extra})  # cross-correlation, what nn.Conv2d computes",
        f"conv = F.conv2d(x, w.flip(-2, -1){extra})  # convolution: W rotated 180° first",
        f"# both have shape (1, 1, {oh}, {ow})",
        "",
    ]
    if corr.stride == (1, 1) and padding in (0, (0, 0), "valid"):
        lines += ["# scipy gives the same numbers on the 2-D arrays:",
                  "#   scipy.signal.correlate2d(x, w, mode='valid')  == corr",
                  "#   scipy.signal.convolve2d(x, w, mode='valid')   == conv"]
    else:
        lines += ["# scipy's correlate2d / convolve2d take no stride or padding: pad x with",
                  "# np.pad, use mode='valid', then keep every stride-th row and column"]
    return "\n".join(lines)

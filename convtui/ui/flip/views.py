"""Turn a FlipLesson into what the Flip panel draws: the kernel beside its 180° rotation, both
outputs and their difference, the lockstep arithmetic with each weight named by a letter, the
verdict in words and the PyTorch code (why the distinction rarely matters is the catalogue's
``flip.why``). Pure functions of the lesson and the current language; every number comes from
the engine."""

from __future__ import annotations

import dataclasses
import string

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from convtui.core.conv import ConvStep
from convtui.core.export import layer_code, script_head
from convtui.core.flip import rotated_position
from convtui.i18n import t
from convtui.lessons.conv import ConvLesson
from convtui.lessons.flip import FlipLesson
from convtui.ui.numbers import fmt
from convtui.ui.panel.conv_views import conv_layer, input_code, output_view, weight_code
from convtui.ui.widgets.grid import EMPTY, NORMAL, GridView

Cells = frozenset[tuple[int, int]]


def weight_letters(shape: tuple[int, int]) -> np.ndarray:
    """A name per weight in reading order: a, b, c, ... (then A, B, ...), so a weight can be
    followed through the rotation."""
    height, width = shape
    alphabet = string.ascii_lowercase + string.ascii_uppercase
    if height * width > len(alphabet):
        raise ValueError(t("flip.weights.too_many", height=height, width=width))
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
    if lesson.impulse_at is not None:
        r, c = lesson.impulse_at
        text = t("flip.verdict.impulse", row=r, col=c)
        if lesson.relation == "same":
            text += " " + t("flip.verdict.impulse_same")
    elif lesson.relation == "same":
        text = t("flip.verdict.same")
    elif lesson.relation == "negated":
        text = t("flip.verdict.negated")
    else:
        text = t("flip.verdict.different", count=len(lesson.differing),
                 total=lesson.difference.size)
    return f"{text}\n{t('flip.verdict.legend')}"


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
    rotated_label = f"{t('flip.weights.rotated')}: "
    for i in range(kh):
        text.append("W: " if i == 0 else "   ", style="bold")
        text.append(" ".join(letters[i]) + "    ")
        text.append(rotated_label if i == 0 else " " * cell_len(rotated_label), style="bold")
        text.append(" ".join(rotated[i]) + "    ")
        text.append("  ".join(values[i * kw : (i + 1) * kw]) + "\n")
    text.append(t("flip.weights.moves", last_row=kh - 1, last_col=kw - 1,
                  swaps=_swaps(letters)) + "\n\n")
    text.append(t("flip.weights.by_weight") + "\n", style="bold")
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
    if not stays:
        return ", ".join(pairs)
    return t("flip.weights.stays", pairs=", ".join(pairs), stays=", ".join(stays))


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
    return t("flip.weights.selected", letter=letters[source], value=fmt(lesson.kernel[source]),
             row=source[0], col=source[1], rotated_row=dest[0], rotated_col=dest[1])


def flip_code(lesson: FlipLesson) -> str:
    """A script that runs nn.Conv2d with W (cross-correlation) and with W rotated 180°
    (convolution) and prints both outputs and their difference as the panel shows them, then
    the scipy calls that give the same numbers."""
    corr = lesson.correlation
    oh, ow = corr.trace.output.shape
    lines = [
        *script_head(oh * ow),
        input_code(corr.x),
        weight_code(corr.kernel, "w"),
        f"layer = {layer_code(conv_layer(corr, bias=False))}",
        "with torch.no_grad():",
        "    layer.weight.copy_(w)",
        f"    corr = layer(x)  # {t('flip.code.corr')}",
        "    layer.weight.copy_(w.flip(-2, -1))",
        f"    conv = layer(x)  # {t('flip.code.conv')}",
        f"# {t('flip.code.out_shape', oh=oh, ow=ow)}",
        "print(corr[0, 0])",
        "print(conv[0, 0])",
        "print((corr - conv)[0, 0])",
        "",
    ]
    if corr.stride == (1, 1) and corr.padding in (0, (0, 0), "valid"):
        lines += [f"# {t('flip.code.scipy_same')}",
                  "#   scipy.signal.correlate2d(x, w, mode='valid')  == corr",
                  "#   scipy.signal.convolve2d(x, w, mode='valid')   == conv"]
    else:
        lines += [f"# {line}" for line in t("flip.code.scipy_strided").splitlines()]
    return "\n".join(lines)

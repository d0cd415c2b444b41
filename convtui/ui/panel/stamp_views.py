"""The two readings of a stamped convolution written out, as the Backward and Transposed panels
show them: one input cell's stamp (scatter) and one cell's multiply-and-sum over the gathered
grid. Cells outside the result (cropped) and zeros the gather inserts are dimmed."""

from __future__ import annotations

from rich.text import Text

from convtui.core.transpose import GatherStep, ScatterStep
from convtui.i18n import t, tn
from convtui.ui.numbers import fmt

#: How a cropped product or an inserted zero is drawn.
DIM = "dim italic"


def stamp_arithmetic(step: ScatterStep, area: str, target: str) -> Text:
    """``step``'s stamp: each weight times the input value and the cell it adds to (in
    ``target``, the array written; a cropped product names only its position), worded under
    ``<area>.arith``."""
    text = Text(t(f"{area}.arith.stamp", row=step.row, col=step.col, value=fmt(step.value)))
    text.append("\n")
    entries = [[(f"{target}[{r},{c}] += " if step.inside[i, j] else f"[{r},{c}] ")
                + f"{fmt(step.value)}×{fmt(step.weights[0, i, j])} = "
                + fmt(step.contributions[0, i, j]) + ("" if step.inside[i, j] else " ✂")
                for j, c in enumerate(step.cols)] for i, r in enumerate(step.rows)]
    width = max(len(entry) for row in entries for entry in row)
    for i, row in enumerate(entries):
        text.append("  ")
        for j, entry in enumerate(row):
            text.append(entry.ljust(width) + "  ", style="" if step.inside[i, j] else DIM)
        text.rstrip()
        text.append("\n")
    cropped = int((~step.inside).sum())
    if cropped:
        text.append(tn(f"{area}.arith.cropped", cropped), style=DIM)
        text.append("\n")
    text.append(t(f"{area}.arith.overlap"), style="grey50")
    return text


def gathered_products(step: GatherStep, head: str) -> Text:
    """``head`` and the gathered grid times the kernel, a row of products a line, the
    products of inserted zeros dimmed; it ends indented under the sum, for its total."""
    text = Text()
    kh, kw = step.values.shape[1:]
    for i in range(kh):
        text.append((head if i == 0 else " " * len(head)) + ("  " if i == 0 else "+ "))
        for j in range(kw):
            if j:
                text.append(" + ")
            inserted = step.source_rows[i] < 0 or step.source_cols[j] < 0
            text.append(f"({fmt(step.values[0, i, j])}×{fmt(step.weights[0, i, j])})",
                        style=DIM if inserted else "")
        text.append("\n")
    text.append(" " * len(head))
    return text

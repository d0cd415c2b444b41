"""Run a panel's PyTorch code tab as the student would, and read back what it prints.

The script is executed in-process (``exec``, stdout captured): starting python for every
Hypothesis example would be too slow, and the script is self-contained either way.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np

from convtui.ui.numbers import fmt

_NUMBER = re.compile(r"-?(?:inf|nan|\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def printed_tensors(script: str) -> list[list[list[float]]]:
    """Every tensor the script prints, as rows of numbers (a fresh namespace for each run)."""
    import torch

    out = io.StringIO()
    dtype = torch.get_default_dtype()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(script, "<code tab>", "exec"), {})
    finally:
        torch.set_default_dtype(dtype)  # the script sets float64 for itself, not for the rest
        torch.set_printoptions(profile="default")
    tensors = []
    for block in out.getvalue().split("tensor(")[1:]:
        rows = block.split("],")
        tensors.append([[float(v) for v in _NUMBER.findall(row)] for row in rows])
    return tensors


def shown(values: np.ndarray) -> list[list[float]]:
    """A grid's numbers as the panel writes them (``fmt``), read back as floats."""
    return [[float(fmt(float(v))) for v in row] for row in np.atleast_2d(values)]


def code_tab_prints_the_grids(app, *grids: str) -> bool:
    """Whether the script in the panel's code tab prints the numbers the ``grids`` (selectors)
    show on screen right now, in order."""
    from tests.ui.conftest import grid_rows, text_of

    wanted = [[[float(cell) for cell in row] for row in grid_rows(app, grid)] for grid in grids]
    return printed_tensors(text_of(app, "#code-view"))[:len(grids)] == wanted

"""Whether two lessons compute the same numbers, whatever step or channel each one shows.

A PyTorch check (or a code view) belongs to the numbers it was made for: stepping through the
output keeps it true, a new input, kernel or setting does not. Lessons are frozen dataclasses
holding numpy arrays, so ``==`` cannot answer this; ``same_numbers`` can.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

#: Fields that say what is shown or what the input is called, not what is computed.
VIEW_FIELDS = frozenset({"step", "channel", "input_name", "kernel_name", "reading"})


def same_numbers(a: Any, b: Any) -> bool:
    """True when lessons ``a`` and ``b`` (ConvLesson, FlipLesson, PoolLesson) hold the same
    arrays and settings, fields in VIEW_FIELDS aside; a lesson inside a lesson (the Flip
    panel's) is compared the same way."""
    if a is b:
        return True
    if type(a) is not type(b) or not dataclasses.is_dataclass(a):
        return False
    for field in dataclasses.fields(a):
        if field.name in VIEW_FIELDS:
            continue
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
                    and x.shape == y.shape and np.array_equal(x, y)):
                return False
        elif dataclasses.is_dataclass(x):
            if not same_numbers(x, y):
                return False
        elif x != y:
            return False
    return True

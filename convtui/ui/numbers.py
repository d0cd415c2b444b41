"""How numbers and heat look on screen: one place, so every panel agrees."""

from __future__ import annotations

import math

import numpy as np
from rich.color import Color
from rich.style import Style


def fmt(value: float) -> str:
    """Integers as integers, other numbers with at most 2 decimals: 8, -1.5, 0.11, -inf."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_full(value: float) -> str:
    """Every digit a float64 holds (the shortest text that reads back as the same number): for
    saying what the engine computed when the shown numbers are rounded by ``fmt``."""
    if math.isfinite(value) and not float(value).is_integer():
        return repr(float(value))
    return fmt(value)


def cell_width(values: np.ndarray) -> int:
    """The width every cell of a grid gets: its longest number plus one space."""
    finite = [fmt(float(v)) for v in np.ravel(values)]
    return max((len(t) for t in finite), default=1) + 1


class HeatScale:
    """Maps values to background colours: white-to-orange for non-negative data, blue-white-red
    when negatives are present, so the sign of a kernel weight is visible at a glance."""

    def __init__(self, values: np.ndarray) -> None:
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        self.low = float(finite.min()) if finite.size else 0.0
        self.high = float(finite.max()) if finite.size else 0.0
        self.diverging = self.low < 0 < self.high or self.high <= 0 < -self.low

    def style(self, value: float) -> Style:
        if not math.isfinite(value):
            return Style(color="grey50")
        if self.diverging:
            scale = max(abs(self.low), abs(self.high)) or 1.0
            t = value / scale
            rgb = _mix((255, 255, 255), (215, 60, 50) if t > 0 else (50, 100, 210), abs(t))
        else:
            span = (self.high - self.low) or 1.0
            t = (value - self.low) / span
            rgb = _mix((40, 40, 48), (250, 170, 60), t)
        luminance = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
        return Style(bgcolor=Color.from_rgb(*rgb), color="black" if luminance > 140 else "white")


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    t = min(max(t, 0.0), 1.0)
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )

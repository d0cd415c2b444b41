"""The Progress view's charts: loss, accuracy and training speed against epochs.

Plotext draws the axes and the lines; every word (titles, legends) is drawn by Textual above
each chart, so it follows the language and Korean's double-width letters line up.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from convtui.i18n import t
from convtui.training.run import Run
from convtui.training.series import Points, per_batch, per_epoch, smoothed_losses

#: While a run trains, its charts are redrawn at most this often (the bars above them every
#: second). Plotting is most of the panel's CPU, and on a small machine every cycle the panel
#: takes is one the job loses; a new epoch, a new status or another run is drawn at once.
CHART_REDRAW_S = 3.0

#: The loss chart turns to a log scale when its highest value is at least this many times its
#: lowest (a diverged run overlaid on a good one), as TensorBoard's log axis does: each
#: decade gets the same height, so the good run's curve keeps its shape.
LOG_SCALE_RATIO = 100.0
#: Cells a chart's y labels and frame take from its width (what is left is the plot area).
Y_AXIS_CELLS = 7

RGB = tuple[int, int, int]
RAW, SMOOTH, TEST, COMPARE, SPEED = (
    (92, 104, 150), (80, 170, 255), (255, 170, 50), (210, 110, 235), (110, 210, 120))


@dataclass(frozen=True)
class Line:
    """One series on a chart: ``name`` says which (tests and the legend look it up)."""

    name: str
    points: Points
    color: RGB
    marker: str = "braille"
    scatter: bool = False  # points only
    joined: bool = False  # points drawn with ``marker``, joined by a thin line


def _hex(color: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


class Chart(PlotextPlot):
    """A plotext chart of a few Lines over an epochs axis."""

    DEFAULT_CSS = "Chart { height: 1fr; min-height: 5; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: tuple[Line, ...] = ()
        self.epochs = 0
        self.log_scale = False

    def line(self, name: str) -> Line | None:
        return next((line for line in self.lines if line.name == name), None)

    def draw(self, lines: list[Line], epochs: int, log_scale: bool = False) -> None:
        """Replace the chart's lines; the x axis spans ``epochs`` epochs; ``log_scale`` plots
        log10 of the values, labelled with the values. Plotting the same lines again is
        skipped (the accuracy chart changes only once an epoch)."""
        shown = tuple(line for line in lines if len(line.points))
        if shown == self.lines and epochs == self.epochs and log_scale == self.log_scale:
            return
        self.lines, self.epochs, self.log_scale = shown, epochs, log_scale
        plotted = [log_line(line) for line in shown] if log_scale else list(shown)
        plt = self.plt
        plt.clear_data()
        for line in plotted:
            xs, ys = list(line.points.xs), list(line.points.ys)
            if not xs:
                continue
            if line.joined:
                plt.plot(xs, ys, color=line.color, marker="braille")
            draw = plt.scatter if line.scatter or line.joined else plt.plot
            draw(xs, ys, color=line.color, marker=line.marker)
        plt.xlim(0, max(1, epochs) * 1.08)  # a margin: the last epoch's marker clears the frame
        values = [y for line in plotted for y in line.points.ys]
        if values and log_scale:
            ticks = list(range(math.floor(min(values)), math.ceil(max(values)) + 1))
            plt.yticks(ticks, tick_labels([10.0 ** k for k in ticks]))
        elif values:
            ticks = y_ticks(min(values), max(values))
            plt.yticks(ticks, tick_labels(ticks))
        self.refresh()

    def render(self) -> RenderResult:
        """Epoch ticks spaced for the width the chart has now (it changes with the terminal)."""
        ticks = epoch_ticks(max(1, self.epochs), self.size.width - Y_AXIS_CELLS)
        self.plt.xticks(ticks, [str(tick) for tick in ticks])
        return super().render()


def log_line(line: Line) -> Line:
    """``line`` with log10 of its values; values a log axis cannot show (0, negative, not
    finite) are left out."""
    kept = [(x, math.log10(y)) for x, y in zip(line.points.xs, line.points.ys, strict=True)
            if y > 0 and math.isfinite(y)]
    return replace(line, points=Points(tuple(x for x, _ in kept), tuple(y for _, y in kept)))


def needs_log_scale(lines: list[Line]) -> bool:
    """Whether the values span so many decades that a linear axis would flatten the lower
    curves (see LOG_SCALE_RATIO)."""
    values = [y for line in lines for y in line.points.ys if y > 0 and math.isfinite(y)]
    return bool(values) and max(values) >= LOG_SCALE_RATIO * min(values)


def epoch_ticks(epochs: int, cells: int) -> list[int]:
    """Whole epochs at an even step of 1, 2 or 5 times a power of ten: the smallest step whose
    labels do not crowd each other in ``cells`` cells of plot (the axis runs to
    1.08 x ``epochs``)."""
    room = len(str(epochs)) + 2  # a label and the gap before the next
    step = 1
    while step < epochs and max(cells, 1) * step / (epochs * 1.08) < room:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return list(range(0, epochs + 1, step)) if step < epochs else [0, epochs]


def y_ticks(low: float, high: float, count: int = 3) -> list[float]:
    """``count`` evenly spaced values from ``low`` to ``high`` (one when they are equal)."""
    if high <= low:
        return [low]
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def tick_label(value: float, digits: int = 3) -> str:
    """Short axis numbers: 0.0312, 2.3, 98.7, 12.3k (``digits`` significant digits)."""
    if abs(value) >= 1000:
        return f"{value / 1000:.{digits}g}k"
    return f"{value:.{digits}g}"


def tick_labels(values: list[float]) -> list[str]:
    """A label per tick, with as many significant digits as it takes for no two ticks to read
    the same (10.6k and 11.9k, not 11k twice)."""
    for digits in range(3, 7):
        labels = [tick_label(v, digits) for v in values]
        if len(set(labels)) == len(set(values)):
            return labels
    return labels


def legend(title: str, entries: list[tuple[str, RGB, str]]) -> Text:
    """The chart's title and a key to its colours: (label, colour, symbol) per line."""
    text = Text(title, style="bold")
    for label, color, symbol in entries:
        text.append("  ")
        text.append(symbol, style=_hex(color))
        text.append(f" {label}")
    return text


class ChartsView(Vertical):
    """Loss (per batch, smoothed, and per epoch) above accuracy and images/s per epoch; a
    second run picked for comparison is drawn over the first in purple."""

    DEFAULT_CSS = """
    ChartsView { height: 1fr; }
    ChartsView .chart-title { height: 1; padding: 0 1; }
    ChartsView #loss-box { height: 1fr; }
    ChartsView #lower-charts { height: 1fr; }
    ChartsView #lower-charts > Vertical { width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="charts")
        self._run: Run | None = None
        self._compare: Run | None = None
        self._drawn_state: tuple[object, ...] | None = None
        self._drawn_at = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(id="loss-box"):
            yield Static(classes="chart-title", id="loss-title")
            yield Chart(id="loss-chart")
        with Horizontal(id="lower-charts"):
            with Vertical():
                yield Static(classes="chart-title", id="accuracy-title")
                yield Chart(id="accuracy-chart")
            with Vertical():
                yield Static(classes="chart-title", id="speed-title")
                yield Chart(id="speed-chart")

    def show(self, run: Run | None, compare: Run | None) -> None:
        """Draw ``run`` (and ``compare``); while nothing but new batches came since the last
        drawing, at most every CHART_REDRAW_S."""
        self._run, self._compare = run, compare
        state = tuple((r.path, r.status, r.epochs_completed) if r else None for r in (run, compare))
        now = time.monotonic()
        if state == self._drawn_state and now - self._drawn_at < CHART_REDRAW_S:
            return
        self._drawn_state, self._drawn_at = state, now
        runs = [r for r in (run, compare) if r is not None]
        epochs = max((r.target_epochs for r in runs), default=1)
        loss, accuracy, speed = [], [], []
        if run is not None:
            raw, smooth = smoothed_losses(run.batches, run.config, run.data)
            loss += [
                Line("batch_loss", raw, RAW, marker="dot", scatter=True),
                Line("smoothed_loss", smooth, SMOOTH),
                Line("train_loss", per_epoch(run.epochs, "train_loss"), SMOOTH, marker="●",
                     scatter=True),
                Line("test_loss", per_epoch(run.epochs, "test_loss"), TEST, marker="●",
                     scatter=True),
            ]
            accuracy += [
                Line("train_accuracy", per_epoch(run.epochs, "train_accuracy", 100), SMOOTH,
                     marker="●", joined=True),
                Line("test_accuracy", per_epoch(run.epochs, "test_accuracy", 100), TEST,
                     marker="●", joined=True),
            ]
            speed.append(Line("images_per_second", per_batch(run.batches, "images_per_second"),
                              SPEED))
        if compare is not None:
            loss.append(Line("compare_loss", smoothed_losses(
                compare.batches, compare.config, compare.data)[1], COMPARE))
            accuracy.append(Line("compare_accuracy",
                                 per_epoch(compare.epochs, "test_accuracy", 100), COMPARE,
                                 marker="●", joined=True))
            speed.append(Line("compare_speed", per_batch(compare.batches, "images_per_second"),
                              COMPARE))
        self.query_one("#loss-chart", Chart).draw(loss, epochs, needs_log_scale(loss))
        self.query_one("#accuracy-chart", Chart).draw(accuracy, epochs)
        self.query_one("#speed-chart", Chart).draw(speed, epochs)
        self.relabel()

    def relabel(self) -> None:
        compare = self._compare
        extra = [(t("train.charts.compare", name=compare.name), COMPARE, "━")] if compare else []
        log = self.query_one("#loss-chart", Chart).log_scale
        title = t("train.end.loss_log") if log else t("train.charts.loss")
        self.query_one("#loss-title", Static).update(legend(title, [
            (t("train.charts.per_batch"), RAW, "•"),
            (t("train.charts.smoothed"), SMOOTH, "━"),
            (t("train.charts.train"), SMOOTH, "●"),
            (t("train.charts.test"), TEST, "●"),
            *extra,
        ]))
        self.query_one("#accuracy-title", Static).update(legend(t("train.charts.accuracy"), [
            (t("train.charts.train"), SMOOTH, "●"),
            (t("train.charts.test"), TEST, "●"),
            *([("", COMPARE, "●")] if compare else []),
        ]))
        self.query_one("#speed-title", Static).update(legend(t("train.charts.speed"), [
            *([("", COMPARE, "━")] if compare else []),
        ]))

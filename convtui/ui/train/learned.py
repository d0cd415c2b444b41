"""What the network learned, from a run's latest checkpoint: the first layer's filters, every
convolution's feature maps for one test digit, example predictions, the confusion matrix.

The panel's thread workers compute them (``convtui.training.insight``, the only place torch
comes in); this view only draws the numpy arrays they hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static, TabbedContent, TabPane

from convtui.i18n import t, tn
from convtui.ui.numbers import fmt
from convtui.ui.train.progress import set_label
from convtui.ui.widgets.grid import GridView, HeatGrid
from convtui.ui.widgets.montage import (
    BLOCK,
    HALF,
    Montage,
    Tile,
    grey_colours,
    heat_colours,
)

if TYPE_CHECKING:  # insight imports torch: the view only draws what it computed
    from convtui.training.insight import DigitMaps, Learned, Prediction

LEARNED_TABS = ("filters", "maps", "predictions", "confusion")


def guess_caption(guess: Prediction) -> Text:
    """✓ 7 (true 7) in green, or ✗ 2 (true 7) in red, then the top 3 with probabilities."""
    mark, style = ("✓", "bold green") if guess.correct else ("✗", "bold red")
    text = Text(t("train.learned.guess", mark=mark, predicted=guess.predicted,
                  label=guess.label, index=guess.index), style=style)
    text.append("\n")
    text.append(" ".join(f"{c}:{p * 100:.1f}%" for c, p in guess.top3), style="grey70")
    return text


class LearnedView(Vertical):
    """Four sub-views in tabs; filled by ``show_learned`` and ``show_digit``, or showing why
    there is nothing yet (no checkpoint, still computing, an error)."""

    DEFAULT_CSS = """
    LearnedView { height: 1fr; }
    LearnedView #learned-note { height: auto; padding: 0 1; color: $text-muted; }
    LearnedView #learned-tabs { height: 1fr; }
    LearnedView TabPane { padding: 0 1; }
    LearnedView .learned-title { height: auto; margin-bottom: 1; }
    LearnedView #filter-detail { height: auto; margin-top: 1; }
    LearnedView #filter-detail > Vertical { width: auto; height: auto; margin-right: 2; }
    LearnedView #to-stepper { margin-top: 1; }
    LearnedView .layer-title { height: auto; margin-top: 1; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__(id="learned-view")
        self.learned: Learned | None = None
        self.digit: DigitMaps | None = None
        self.filter_index = 0
        self.guess_index = 0
        self._note_key: tuple[str, dict[str, Any]] = ("train.learned.no_run", {})

    def compose(self) -> ComposeResult:
        yield Static(id="learned-note")
        with TabbedContent(id="learned-tabs", initial="filters"):
            with TabPane("", id="filters"), VerticalScroll():
                yield Static(classes="learned-title", id="filters-title")
                yield Montage(id="filter-bank", mode=BLOCK)
                with Horizontal(id="filter-detail"):
                    with Vertical():
                        yield HeatGrid(id="filter-grid")
                        yield Button("", compact=True, id="to-stepper")
                    with Vertical():
                        yield Montage(id="filter-map", mode=HALF)
            with TabPane("", id="maps"), VerticalScroll(id="maps-scroll"):
                yield Static(classes="learned-title", id="maps-title")
                yield Montage(id="maps-digit", mode=HALF)
                yield Vertical(id="maps-layers")
            with TabPane("", id="predictions"), VerticalScroll():
                yield Static(classes="learned-title", id="predictions-title")
                yield Montage(id="guesses", mode=HALF, gap=2)
            with TabPane("", id="confusion"), VerticalScroll():
                yield Static(classes="learned-title", id="confusion-title")
                yield HeatGrid(id="confusion-grid")

    def on_mount(self) -> None:
        self.relabel()
        self._set_ready(False)

    # state -------------------------------------------------------------------------------------
    def say(self, key: str, **params: Any) -> None:
        """Show why there is nothing (new) to see; the last results stay below the note."""
        self._note_key = (key, params)
        self.query_one("#learned-note", Static).update(t(key, **params))

    def clear(self, key: str, **params: Any) -> None:
        self.learned, self.digit = None, None
        self.say(key, **params)
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        self.query_one("#learned-tabs").display = ready

    def show_learned(self, learned: Learned) -> None:
        keep = self.learned is not None and self.learned.run_dir == learned.run_dir
        self.learned = learned
        if not keep:
            self.filter_index, self.guess_index = 0, 0
        self.filter_index = min(self.filter_index, len(learned.filters) - 1)
        guesses = learned.report.predictions
        self.guess_index = min(self.guess_index, max(0, len(guesses) - 1))
        self.say("train.learned.ready", epoch=learned.epoch)
        self._set_ready(True)
        self.query_one("#filter-bank", Montage).show(
            [Tile(f[0], f"#{i}") for i, f in enumerate(learned.filters)],
            heat_colours(learned.filters), self.filter_index)
        self.query_one("#guesses", Montage).show(
            [Tile(g.image, guess_caption(g)) for g in guesses], grey_colours(), self.guess_index)
        confusion = learned.report.confusion
        labels = tuple(str(d) for d in range(confusion.shape[0]))
        diagonal = frozenset((d, d) for d in range(confusion.shape[0]))
        off = confusion[~np.eye(confusion.shape[0], dtype=bool)]
        self.query_one("#confusion-grid", HeatGrid).show(GridView(
            confusion.astype(float), row_labels=labels, col_labels=labels, marks=diagonal,
            scale_values=off.astype(float)))
        self.relabel()

    async def show_digit(self, digit: DigitMaps) -> None:
        self.digit = digit
        box = self.query_one("#maps-layers", Vertical)
        if len(box.children) != 2 * len(digit.layers):  # another model: other layers
            await box.remove_children()
            await box.mount_all(
                widget for i in range(len(digit.layers))
                for widget in (Static(classes="layer-title", id=f"layer-title-{i}"),
                               Montage(id=f"layer-maps-{i}", mode=HALF)))
        for i, layer in enumerate(digit.layers):
            self.query_one(f"#layer-maps-{i}", Montage).show(
                [Tile(m, f"#{c}") for c, m in enumerate(layer.maps)], heat_colours(layer.maps))
        self.relabel()

    def select_filter(self, index: int) -> None:
        if self.learned is None:
            return
        self.filter_index = index % len(self.learned.filters)
        self.query_one("#filter-bank", Montage).set_reactive(Montage.selected,
                                                             self.filter_index)
        self.query_one("#filter-bank", Montage).refresh()
        self._show_filter()

    def _show_filter(self) -> None:
        """The selected filter's weights (and bias), and its map of the selected digit."""
        learned = self.learned
        if learned is None:
            return
        bias = learned.bias[self.filter_index] if learned.bias is not None else 0.0
        self.query_one("#filter-grid", HeatGrid).show(GridView(
            learned.filters[self.filter_index, 0].astype(float),
            title=t("train.learned.filter_title", filter=self.filter_index,
                    bias=fmt(float(bias)))))
        digit = self.digit
        tiles = []
        if digit is not None and digit.layers:
            tiles = [Tile(digit.layers[0].maps[self.filter_index],
                          t("train.learned.filter_map_caption", filter=self.filter_index,
                            index=digit.guess.index))]
        self.query_one("#filter-map", Montage).show(
            tiles, heat_colours(tiles[0].values) if tiles else grey_colours())

    # words -------------------------------------------------------------------------------------
    def relabel(self) -> None:
        tabs = self.query_one("#learned-tabs", TabbedContent)
        for pane in LEARNED_TABS:
            tabs.get_tab(pane).label = t(f"train.learned.tab_{pane}")
        key, params = self._note_key
        self.query_one("#learned-note", Static).update(t(key, **params))
        set_label(self.query_one("#to-stepper", Button), t("train.learned.to_stepper"))
        learned, digit = self.learned, self.digit
        if learned is None:
            return
        out, _, kh, kw = learned.filters.shape
        self.query_one("#filters-title", Static).update(tn(
            "train.learned.filters_title", out, layer=learned.layer, kh=kh, kw=kw,
            epoch=learned.epoch))
        report = learned.report
        guesses = report.predictions
        self.query_one("#predictions-title", Static).update(t(
            "train.learned.predictions_title", accuracy=f"{report.accuracy * 100:.1f}",
            total=report.test_count, shown=len(guesses),
            wrong=sum(not g.correct for g in guesses)))
        right = int(np.trace(report.confusion))
        self.query_one("#confusion-title", Static).update(t(
            "train.learned.confusion_title", total=report.test_count, right=right,
            wrong=report.test_count - right))
        if digit is not None:
            guess = digit.guess
            self.query_one("#maps-title", Static).update(t(
                "train.learned.maps_title", index=guess.index, label=guess.label))
            for i, layer in enumerate(digit.layers):
                c, h, w = layer.maps.shape
                self.query_one(f"#layer-title-{i}", Static).update(tn(
                    "train.learned.layer_title", c, layer=layer.name, h=h, w=w))
            self.query_one("#maps-digit", Montage).show(
                [Tile(digit.network_input, t("train.learned.input_caption"))],
                heat_colours(digit.network_input))
        self._show_filter()

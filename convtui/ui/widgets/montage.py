"""Small images drawn with coloured terminal cells: one picture, or a wrapping row of them.

A "half" picture packs two pixels into each cell (the upper half block ▀ takes the top pixel as
its colour and the bottom one as its background), so a 28x28 digit fits in 28x14 cells; a
"block" picture gives each pixel two whole cells, for tiny filters whose pixels matter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from convtui.ui.numbers import HeatScale

Colour = Callable[[float], Color]
HALF, BLOCK = "half", "block"


def heat_colours(values: np.ndarray) -> Colour:
    """The panels' heat scale (blue-white-red around zero) as a pixel colour."""
    scale = HeatScale(values)
    return lambda v: scale.style(v).bgcolor or Color.from_rgb(0, 0, 0)


def grey_colours(low: float = 0.0, high: float = 255.0) -> Colour:
    """Black to white, for digits as they are."""
    span = (high - low) or 1.0

    def colour(v: float) -> Color:
        level = round(min(max((v - low) / span, 0.0), 1.0) * 255)
        return Color.from_rgb(level, level, level)

    return colour


def picture_size(shape: tuple[int, int], mode: str) -> tuple[int, int]:
    """(width, height) in cells of a picture of ``shape`` pixels."""
    rows, cols = shape
    return (cols, (rows + 1) // 2) if mode == HALF else (2 * cols, rows)


def picture_lines(values: np.ndarray, colour: Colour, mode: str = HALF) -> list[Text]:
    """The picture, one Text per line of cells."""
    rows, cols = values.shape
    lines = []
    if mode == HALF:
        for r in range(0, rows, 2):
            line = Text()
            for c in range(cols):
                top = colour(float(values[r, c]))
                bottom = colour(float(values[r + 1, c])) if r + 1 < rows else None
                line.append("▀", Style(color=top, bgcolor=bottom))
            lines.append(line)
    else:
        for r in range(rows):
            line = Text()
            for c in range(cols):
                line.append("  ", Style(bgcolor=colour(float(values[r, c]))))
            lines.append(line)
    return lines


@dataclass(frozen=True)
class Tile:
    """A picture and the lines of text under it (styled, for right/wrong colours)."""

    values: np.ndarray
    caption: str | Text

    @property
    def caption_lines(self) -> list[Text]:
        text = self.caption if isinstance(self.caption, Text) else Text(self.caption)
        return text.split("\n")


class Montage(Widget, can_focus=True):
    """Pictures side by side, wrapping to the width, each with a caption; one may be selected
    (its caption drawn reversed). Left/right or a click select; the screen decides what that
    means."""

    DEFAULT_CSS = """
    Montage { height: auto; width: 1fr; }
    Montage:focus { background: $boost; }
    """

    BINDINGS: ClassVar = [
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
    ]

    selected: reactive[int | None] = reactive(None)

    class Selected(Message):
        def __init__(self, montage: Montage, index: int) -> None:
            super().__init__()
            self.montage, self.index = montage, index

        @property
        def control(self) -> Montage:
            return self.montage

    def __init__(self, *, id: str | None = None, mode: str = HALF, gap: int = 1) -> None:
        super().__init__(id=id)
        self.mode = mode
        self.gap = gap
        self.tiles: tuple[Tile, ...] = ()
        self._colour: Colour = grey_colours()
        self._lines: list[list[Text]] = []

    def show(self, tiles: Sequence[Tile], colour: Colour, selected: int | None = None) -> None:
        self.tiles = tuple(tiles)
        self._colour = colour
        self._lines = [picture_lines(tile.values, colour, self.mode) for tile in self.tiles]
        self.set_reactive(Montage.selected, selected)
        self.refresh(layout=True)

    # geometry ----------------------------------------------------------------------------------
    @property
    def _tile_size(self) -> tuple[int, int]:
        """(width, height) of one tile with its caption; tiles of a montage share a shape."""
        if not self.tiles:
            return 0, 0
        width, height = picture_size(self.tiles[0].values.shape, self.mode)
        widest = max(line.cell_len for tile in self.tiles for line in tile.caption_lines)
        return max(width, widest), height + self._caption_h

    @property
    def _caption_h(self) -> int:
        return max((len(tile.caption_lines) for tile in self.tiles), default=0)

    def _per_row(self, width: int) -> int:
        tile_w = self._tile_size[0]
        return max(1, (width + self.gap) // (tile_w + self.gap)) if tile_w else 1

    def get_content_width(self, container, viewport) -> int:
        tile_w = self._tile_size[0]
        return len(self.tiles) * (tile_w + self.gap) if self.tiles else 0

    def get_content_height(self, container, viewport, width: int) -> int:
        if not self.tiles:
            return 0
        rows = -(-len(self.tiles) // self._per_row(width))
        return rows * (self._tile_size[1] + 1) - 1

    def tile_at(self, x: int, y: int) -> int | None:
        """The index of the tile under a content offset."""
        tile_w, tile_h = self._tile_size
        per_row = self._per_row(self.content_size.width)
        col, x_in = divmod(x, tile_w + self.gap)
        row, y_in = divmod(y, tile_h + 1)
        index = row * per_row + col
        if x_in >= tile_w or y_in >= tile_h or col >= per_row or index >= len(self.tiles):
            return None
        return index

    # drawing -----------------------------------------------------------------------------------
    def render(self) -> Text:
        if not self.tiles:
            return Text()
        tile_w, tile_h = self._tile_size
        per_row = self._per_row(self.content_size.width)
        out = Text(no_wrap=True, overflow="crop")
        for start in range(0, len(self.tiles), per_row):
            indices = range(start, min(start + per_row, len(self.tiles)))
            if start:
                out.append("\n\n")
            for line in range(tile_h):
                if line:
                    out.append("\n")
                for i in indices:
                    if i != start:
                        out.append(" " * self.gap)
                    out.append_text(self._tile_line(i, line, tile_w, tile_h))
        return out

    def _tile_line(self, index: int, line: int, tile_w: int, tile_h: int) -> Text:
        picture_h = tile_h - self._caption_h
        if line < picture_h:
            lines = self._lines[index]
            text = lines[line].copy() if line < len(lines) else Text()
        else:
            captions = self.tiles[index].caption_lines
            n = line - picture_h
            text = captions[n].copy() if n < len(captions) else Text()
            if not isinstance(self.tiles[index].caption, Text):
                text.stylize("grey62")
            if index == self.selected and n == 0:
                text.stylize("reverse bold")
        text.pad_right(tile_w - text.cell_len)
        return text

    # input -------------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        index = None if offset is None else self.tile_at(offset.x, offset.y)
        if index is not None:
            self.select(index)

    def action_move(self, delta: int) -> None:
        if self.tiles:
            self.select(((self.selected or 0) + delta) % len(self.tiles))

    def select(self, index: int) -> None:
        self.selected = index
        self.post_message(self.Selected(self, index))

    def watch_selected(self) -> None:
        self.refresh()

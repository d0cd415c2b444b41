"""A grid of numbers on a heat scale: the input, the kernel and the output of every panel.

It only draws what it is given (values, which cells are padding, which are highlighted) and
reports clicks, cursor moves and edit requests; the screens decide what those mean. A grid too
big for its share of the screen (a 28×28 digit at 80×24) sits in a GridBox, which scrolls to
whatever the screen says must stay in sight. There the title and column numbers stay on the
top row and the row numbers in the left column, as a spreadsheet pins its headers: the grid
draws them where the box has scrolled to, so a student never loses which cell is which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer
from textual.geometry import Region, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from convtui.ui.numbers import HeatScale, cell_width, fmt

#: What a cell is, for drawing.
NORMAL, PADDING, OUTSIDE, EMPTY = 0, 1, 2, 3

_PAD_STYLE = Style(color="grey62", bgcolor="grey23", italic=True)
_OUTSIDE_STYLE = Style(color="grey42", bgcolor="grey11")
_EMPTY_STYLE = Style(color="grey42")
_WINDOW = Style(bold=True, underline=True, color="white", bgcolor="#2f6fdf")
_MARK = Style(bold=True, underline=True, color="black", bgcolor="yellow")


@dataclass(frozen=True)
class GridView:
    """Everything a grid shows. ``kinds`` defaults to all NORMAL; ``window`` cells get the
    strong highlight (the kernel's current position), ``marks`` the second one. ``accents``
    get the second highlight drawn on top of the window, for the one cell inside it that
    decides the result (max pooling's winner)."""

    values: np.ndarray
    title: str = ""
    kinds: np.ndarray | None = None
    window: frozenset[tuple[int, int]] = frozenset()
    marks: frozenset[tuple[int, int]] = frozenset()
    row_labels: tuple[str, ...] | None = None
    col_labels: tuple[str, ...] | None = None
    compact: bool = False
    scale_values: np.ndarray | None = field(default=None, compare=False)
    accents: frozenset[tuple[int, int]] = frozenset()


class HeatGrid(Widget, can_focus=True):
    """Draws a GridView; arrow keys move a cursor, Enter asks to edit, clicks select."""

    DEFAULT_CSS = """
    HeatGrid { width: auto; height: auto; padding: 0 1 0 0; }
    HeatGrid:focus { background: $boost; }
    """

    BINDINGS: ClassVar = [
        Binding("up", "move(-1, 0)", "keys.stepper.up", show=False),
        Binding("down", "move(1, 0)", "keys.stepper.down", show=False),
        Binding("left", "move(0, -1)", "keys.stepper.left", show=False),
        Binding("right", "move(0, 1)", "keys.stepper.right", show=False),
        Binding("enter", "activate", "keys.stepper.edit_cell", show=False),
    ]

    cursor: reactive[tuple[int, int] | None] = reactive(None)

    class CellClicked(Message):
        def __init__(self, grid: HeatGrid, row: int, col: int) -> None:
            super().__init__()
            self.grid, self.row, self.col = grid, row, col

        @property
        def control(self) -> HeatGrid:
            return self.grid

    class CursorMoved(CellClicked):
        """The keyboard cursor moved onto a cell."""

    class EditRequested(CellClicked):
        """Enter was pressed on a cell."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._view = GridView(np.zeros((0, 0)))

    @property
    def view(self) -> GridView:
        return self._view

    def show(self, view: GridView) -> None:
        self._view = view
        if self.cursor is not None:
            rows, cols = view.values.shape
            r, c = self.cursor
            self.cursor = (min(r, rows - 1), min(c, cols - 1)) if rows and cols else None
        self.refresh(layout=True)

    # geometry --------------------------------------------------------------------------
    @property
    def _cell_w(self) -> int:
        return 2 if self._view.compact else cell_width(self._view.values)

    @property
    def _label_w(self) -> int:
        labels = self._view.row_labels
        return max((len(s) for s in labels), default=0) + 1 if labels else 0

    @property
    def _header_h(self) -> int:
        return (1 if self._view.title else 0) + (1 if self._view.col_labels else 0)

    @property
    def natural_width(self) -> int:
        """Columns the whole grid takes, title included."""
        title = cell_len(self._view.title)  # a Korean syllable takes two cells
        return max(self._label_w + self._cell_w * self._view.values.shape[1], title)

    def get_content_width(self, container, viewport) -> int:
        return self.natural_width

    def get_content_height(self, container, viewport, width) -> int:
        return self._header_h + self._view.values.shape[0]

    @property
    def pinned_at(self) -> tuple[int, int]:
        """Where the headers are drawn (x, y in content offsets): how far the GridBox around
        the grid has scrolled, or (0, 0) outside one."""
        box = self.parent
        if not isinstance(box, GridBox):
            return 0, 0
        return box.scroll_offset.x, min(box.scroll_offset.y, self._view.values.shape[0])

    @property
    def headers_spacing(self) -> Spacing:
        """The room the pinned headers take at the top and left of the grid's window."""
        return Spacing(top=self._header_h, left=self._label_w)

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The (row, col) under a content offset, or None off the cells (on a header)."""
        ox, oy = self.pinned_at
        r, c = y - self._header_h, (x - self._label_w) // self._cell_w
        rows, cols = self._view.values.shape
        if x < ox + self._label_w or y < oy + self._header_h or \
                not (0 <= r < rows and 0 <= c < cols):
            return None
        return r, c

    def cell_offset(self, row: int, col: int) -> tuple[int, int]:
        """Where a cell's number is drawn (x, y), the inverse of ``cell_at``."""
        return self._label_w + (col + 1) * self._cell_w - 1, self._header_h + row

    def cells_region(self, first: tuple[int, int], last: tuple[int, int]) -> Region:
        """The block of cells from ``first`` to ``last`` (row, col), in content offsets."""
        (r0, c0), (r1, c1) = first, last
        x0 = self._label_w + min(c0, c1) * self._cell_w
        x1 = self._label_w + (max(c0, c1) + 1) * self._cell_w
        y0 = self._header_h + min(r0, r1)
        return Region(x0, y0, x1 - x0, abs(r1 - r0) + 1)

    # drawing ---------------------------------------------------------------------------
    def render(self) -> Text:
        v = self._view
        rows, cols = v.values.shape
        cw, lw = self._cell_w, self._label_w
        kinds = v.kinds if v.kinds is not None else np.zeros((rows, cols), dtype=int)
        scale = HeatScale(v.scale_values if v.scale_values is not None else
                          v.values[kinds == NORMAL])
        ox, oy = self.pinned_at
        # Every line starts at the pinned column: what lies left of it is scrolled away.
        headers = []
        if v.title:
            headers.append(Text(" " * ox).append(v.title, style="bold"))
        if v.col_labels:
            labels = Text("".join(label.rjust(cw) for label in v.col_labels), style="grey50")
            headers.append(Text(" " * (ox + lw)).append_text(labels[ox:]))
        body = []
        for r in range(rows):
            cells = Text()
            for c in range(cols):
                cells.append(*self._cell(v, kinds[r, c], r, c, cw, scale))
            line = Text(" " * ox)
            if v.row_labels:
                line.append(v.row_labels[r].rjust(lw - 1) + " ", style="grey50")
            body.append(line.append_text(cells[ox:]))
        # The headers take the pinned row; the rows they cover are scrolled away above it.
        return Text("\n", no_wrap=True, overflow="crop").join(
            [*body[:oy], *headers, *body[oy:]])

    def _cell(self, v: GridView, kind: int, r: int, c: int, cw: int,
              scale: HeatScale) -> tuple[str, Style]:
        value = float(v.values[r, c])
        if kind == EMPTY:
            body, style = "·", _EMPTY_STYLE
        elif kind == OUTSIDE:
            body, style = "×", _OUTSIDE_STYLE
        else:
            body = fmt(value)
            style = _PAD_STYLE if kind == PADDING else scale.style(value)
        if v.compact:
            body = "[]" if (r, c) in v.window else "  "
        label = body.rjust(cw)
        if (r, c) in v.marks:
            style = style + _MARK
        if (r, c) in v.window:
            style = style + _WINDOW
        if (r, c) in v.accents:
            style = style + _MARK
        if self.has_focus and self.cursor == (r, c):
            style = style + Style(underline=True, bold=True, blink=False)
            label = ">" + label[1:] if label.startswith(" ") else label
        return label, style

    # input -----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        cell = self.cell_at(offset.x, offset.y)
        if cell is not None:
            self.cursor = cell
            self.post_message(self.CellClicked(self, *cell))

    def on_focus(self) -> None:
        if self.cursor is None and self._view.values.size:
            self.cursor = (0, 0)
            self.post_message(self.CursorMoved(self, 0, 0))

    def watch_cursor(self, cursor: tuple[int, int] | None) -> None:
        self.refresh()
        if cursor is not None and isinstance(self.parent, GridBox):
            self.parent.reveal(self, cursor, cursor)

    def action_move(self, dr: int, dc: int) -> None:
        rows, cols = self._view.values.shape
        if not rows or not cols:
            return
        r, c = self.cursor or (0, 0)
        self.cursor = (min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1))
        self.post_message(self.CursorMoved(self, *self.cursor))

    def action_activate(self) -> None:
        if self.cursor is not None:
            self.post_message(self.EditRequested(self, *self.cursor))


class GridBox(ScrollableContainer, can_focus=False):
    """Holds one HeatGrid and scrolls it when it is bigger than the room it gets; the grid
    inside keeps the keyboard focus, so the box is not a stop of its own. The grid draws its
    headers where the box has scrolled to, so each scroll redraws it."""

    DEFAULT_CSS = """
    GridBox { width: auto; height: auto; max-height: 100%; scrollbar-size: 1 1; }
    """

    def reveal(self, grid: HeatGrid, first: tuple[int, int], last: tuple[int, int]) -> None:
        """Scroll so the cells from ``first`` to ``last`` of ``grid`` are in sight (the
        current window, the output cell being written)."""
        cells = grid.cells_region(first, last)
        origin = grid.virtual_region.offset
        self.scroll_to_region(cells.translate(origin), spacing=grid.headers_spacing,
                              animate=False, immediate=True)

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self.query_children(HeatGrid).refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.query_children(HeatGrid).refresh()


class GridRow(Horizontal):
    """GridBoxes side by side, with whatever else sits between them (an arrow). While all
    grids fit, each box is as wide as its grid; when they do not (a 28×28 digit, or the
    settings pane open at 80 columns), the room is shared in proportion to what each grid
    needs and each box scrolls what it cannot show. Fixed percentages would clip a small
    grid's title while a big one left room to spare."""

    DEFAULT_CSS = """
    GridRow { height: auto; width: 1fr; }
    """

    def __init__(self, *children: Widget, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        self._widths: dict[GridBox, int | None] = {}  # what each box was last given

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Share the row's width again; call after a grid was shown anew."""
        boxes = list(self.query_children(GridBox))
        others = sum(child.outer_size.width for child in self.children
                     if child.display and not isinstance(child, GridBox))
        room = self.content_region.width - others
        needs = [sum(grid.natural_width for grid in box.query_children(HeatGrid))
                 + box.scrollbar_size_vertical for box in boxes]
        total = sum(needs)
        for box, need in zip(boxes, needs, strict=True):
            width = None if total <= room else max(1, room * need // total)
            if box not in self._widths or self._widths[box] != width:
                self._widths[box] = width
                box.styles.max_width = width

"""Helpers for driving the app with Pilot and reading what is on screen."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, Static

from convtui.ui.widgets.grid import HeatGrid

SIZE = (100, 32)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors stay lit instead of blinking: a snapshot taken while the machine is busy
    would otherwise catch the cursor on or off by chance."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def text_of(app: App, selector: str) -> str:
    """The plain text a Static or HeatGrid shows right now."""
    widget = app.screen.query_one(selector)
    if isinstance(widget, HeatGrid):
        return widget.render().plain
    assert isinstance(widget, Static)
    return str(widget.render())


def grid_rows(app: App, selector: str) -> list[list[str]]:
    """The cells of a grid as the user reads them, row by row (labels and titles dropped)."""
    grid = app.screen.query_one(selector, HeatGrid)
    view = grid.view
    lines = grid.render().plain.splitlines()
    body = lines[(1 if view.title else 0) + (1 if view.col_labels else 0):]
    return [line.split()[1 if view.row_labels else 0:] for line in body]


async def click_cell(pilot, selector: str, row: int, col: int) -> None:
    grid = pilot.app.screen.query_one(selector, HeatGrid)
    await pilot.click(selector, offset=grid.cell_offset(row, col))
    await pilot.pause()

"""Helpers for driving the app with Pilot and reading what is on screen."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Checkbox, Input, Select, Static

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


# steps the tests repeat --------------------------------------------------------------------
#: The lecture example's output, as the Stepper and the Flip panel write it.
LECTURE_OUT = [["8", "9", "8"], ["8", "5", "9"], ["6", "5", "5"]]


async def settle(pilot) -> None:
    """Let the app's workers finish (a PyTorch check, an MNIST read) and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def check_with_pytorch(pilot) -> str:
    """Press c, wait for PyTorch's verdict and return what #check-result says."""
    await pilot.press("c")
    await settle(pilot)
    return text_of(pilot.app, "#check-result")


async def press_f2(pilot) -> None:
    """Switch the language with F2, as a student does, and let the screen redraw."""
    await pilot.press("f2")
    await pilot.pause()


async def switch_language(pilot, lang: str) -> None:
    """Switch to ``lang`` from the app (F2 itself does not reach past a modal dialog)."""
    pilot.app.action_switch_language(lang)
    await pilot.pause()


async def help_in(pilot, lang: str) -> str:
    """Switch to ``lang`` and open the help with ?: the panel's help text."""
    pilot.app.action_switch_language(lang)
    await pilot.press("question_mark")
    return pilot.app.screen.panel_help()


async def open_preset(pilot, name: str) -> None:
    """Show one of the panel's lesson presets (as the guided tour does) and let it draw."""
    pilot.app.screen.show_preset(name)
    await pilot.pause()


async def open_settings(pilot, *, if_closed: bool = False) -> None:
    """Press s and let the settings pane draw; with ``if_closed``, only while it is hidden (s
    toggles the pane)."""
    if if_closed and pilot.app.screen.query_one("#settings").display:
        return
    await pilot.press("s")
    await pilot.pause()


async def set_field(pilot, field_id: str, value: str) -> None:
    """Open the settings if needed and type a new value into one field."""
    await open_settings(pilot, if_closed=True)
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*value)
    await pilot.pause()


async def set_fields(pilot, values: dict[str, str]) -> None:
    """Type into several settings fields, in order."""
    for field_id, value in values.items():
        await set_field(pilot, field_id, value)


async def choose(pilot, select_id: str, value: str) -> None:
    """Open the settings if needed and pick ``value`` in one of their Selects."""
    await open_settings(pilot, if_closed=True)
    pilot.app.screen.query_one(f"#{select_id}", Select).value = value
    await pilot.pause()


async def toggle(pilot, checkbox_id: str) -> None:
    """Open the settings if needed and flip one of their checkboxes."""
    await open_settings(pilot, if_closed=True)
    box = pilot.app.screen.query_one(f"#{checkbox_id}", Checkbox)
    box.value = not box.value
    await pilot.pause()


async def to_the_grids(pilot) -> None:
    """Leave the settings fields (or a grid's cursor) so the arrow keys step again."""
    pilot.app.screen.set_focus(None)
    await pilot.pause()

"""What the Shapes tests share: the app on the panel, the layer table as read, and the steps
that pick a row or type a spec."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from convtui.launch import Launch
from convtui.ui.app import ConvtuiApp

LAB_ERROR_SPEC = "1x1x28x28: conv(5,5) relu maxpool(2) flatten linear(100,10) relu linear(10,2)"


def shapes_app(**options: str) -> ConvtuiApp:
    return ConvtuiApp("shapes", Launch(**options))


def table(app: ConvtuiApp) -> list[list[str]]:
    """The table as the user reads it: one list of cell texts per row."""
    widget = app.screen.query_one("#layers", DataTable)
    return [[cell.plain.strip() for cell in widget.get_row_at(i)]
            for i in range(widget.row_count)]


async def select_row(pilot, index: int) -> None:
    widget = pilot.app.screen.query_one("#layers", DataTable)
    widget.focus()
    widget.move_cursor(row=index)
    await pilot.pause()


async def type_spec(pilot, text: str) -> None:
    """Focus the spec line with s, clear it and type ``text`` key by key."""
    await pilot.press("s")
    field = pilot.app.screen.query_one("#spec", Input)
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()

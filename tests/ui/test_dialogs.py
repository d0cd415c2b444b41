"""A dialog closes once (issue 13): a second close that races the first, as a 1000-key storm
found (Enter on the help's tour button while ? was checked against the help's own binding),
leaves the panel beneath in place instead of popping it and ending the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.train.confirm import DeleteRunScreen
from tests.ui.conftest import SIZE


@pytest.mark.parametrize("make", [lambda: HelpScreen(lambda: "Help."),
                                  lambda: EditCellScreen("x[0, 0]", "1"),
                                  lambda: DeleteRunScreen(Path("runs/a"))])
async def test_a_dialog_dismissed_twice_closes_once(make) -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = make()
        await app.push_screen(dialog)
        dialog.dismiss()
        dialog.dismiss()  # late: the dialog is no longer in front
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["FlipScreen"]
        assert app.is_running and app._exception is None
        await pilot.press("question_mark")  # the panel still answers
        assert isinstance(app.screen, HelpScreen)

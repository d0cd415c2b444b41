"""Found by the key storm (issue 13): two Enters queued on a dialog both reach it; the first
closes it, and a second dismiss popped the panel beneath (ScreenStackError, the app ended).
Here the two presses are posted together, as the storm's queued keys delivered them. Below them,
the mechanism every dialog shares (``Dialog``): a late dismiss, as a key's binding that waited
while a button press closed the dialog, leaves the panel beneath in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input

from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.shapes.dialog import LayerDialog
from convtui.ui.tour.offer import TourOffer
from convtui.ui.train.confirm import DeleteRunScreen
from tests.ui.conftest import SIZE


async def test_two_enters_on_the_layer_dialog_close_it_once() -> None:
    app = ConvtuiApp("shapes")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, LayerDialog)
        field = dialog.query_one("#dialog-text", Input)
        for _ in range(2):
            field.post_message(Input.Submitted(field, field.value))
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["ShapesScreen"]


async def test_two_presses_on_the_help_tour_button_close_the_help_once() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        offer = app.screen.query_one(TourOffer)
        button = offer.query_one("#offer-go", Button)
        for _ in range(2):
            offer.post_message(Button.Pressed(button))
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["StepperScreen"]
        assert app.tour is not None and app.tour.current == 0


async def test_two_presses_on_a_layer_dialog_button_close_it_once() -> None:
    app = ConvtuiApp("shapes")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, LayerDialog)
        cancel = dialog.query_one("#cancel", Button)
        for _ in range(2):
            cancel.post_message(Button.Pressed(cancel))
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["ShapesScreen"]


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

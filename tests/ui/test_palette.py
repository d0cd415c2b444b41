"""The command palette's page keys cannot crash the app (issue 13: KeyError 0 in Textual's
OptionList._move_page when PageUp / PageDown comes before the list's first layout)."""

from __future__ import annotations

import pytest
from textual import events
from textual.command import CommandList
from textual.widgets import Input, Select, TabbedContent
from textual.widgets._select import SelectOverlay

from convtui.ui.app import ConvtuiApp
from convtui.ui.palette import CommandPalette
from tests.ui.conftest import SIZE


def queue(app: ConvtuiApp, *keys: str) -> None:
    """Keys typed faster than the app handles them: queued, with no layout in between."""
    for key in keys:
        event = events.Key(key, None)
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize("keys", [("ctrl+p", "pageup"), ("ctrl+p", "pagedown"),
                                  ("ctrl+p", "z", "pageup")])
async def test_page_keys_right_after_opening_the_palette_do_not_crash(keys) -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        queue(app, *keys)
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        assert app.current_mode == "stepper" and not isinstance(app.screen, CommandPalette)


async def test_page_keys_still_page_through_the_commands() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        commands = app.screen.query_one(CommandList)
        await pilot.press("pagedown")
        below = commands.highlighted
        assert below is not None and below > 0
        await pilot.press("pageup")
        assert commands.highlighted is not None and commands.highlighted < below


async def test_one_enter_runs_the_picked_command_once_and_leaves_the_panel() -> None:
    """Found by the key storm: one Enter posts the list's OptionSelected and the input's
    Submitted; handled in that order, the second dismissed the closed palette again, which
    popped the panel (ScreenStackError) and ran the command twice."""
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"neuron")
        await pilot.pause(0.3)
        palette = app.screen
        commands = palette.query_one(CommandList)
        commands.highlighted = 0
        commands.action_select()  # as Enter on the highlighted command does ...
        field = palette.query_one(Input)
        palette.post_message(Input.Submitted(field, field.value))  # ... and its Submitted
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["StepperScreen"]
        assert app.screen.query_one("#views", TabbedContent).active == "neuron"



@pytest.mark.parametrize("page", ["pagedown", "pageup"])
async def test_a_page_key_before_a_drop_down_is_laid_out_does_nothing(page: str) -> None:
    """Found by the tmux key storm on the Pooling settings: the same Textual bug in a Select's
    drop-down (an OptionList) when a page key reaches it between opening and its first
    layout. The key is handled here at that moment, as the app's key dispatch does it."""
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        select = app.screen.query(Select).first()
        select.focus()
        await pilot.pause()
        select.expanded = True
        overlay = select.query_one(SelectOverlay)
        app.screen.set_focus(overlay)
        assert not overlay.scrollable_content_region  # opened, not laid out yet
        if not await app._check_bindings(page, priority=True):
            await app._check_bindings(page)
        await pilot.pause()
        assert app.focused is overlay
        await pilot.press("pagedown")  # laid out now: the key pages as it always did
        assert overlay.highlighted == overlay.option_count - 1


@pytest.mark.parametrize("page", ["pagedown", "pageup"])
async def test_a_page_key_right_after_a_drop_down_opens_does_nothing(page: str) -> None:
    """Found by 1000-key storms: Enter opens the preset drop-down, whose focus comes a moment
    later; a page key checked before that (the Select still focused) reached the drop-down
    after it, before its first layout. The key is handled as the app's dispatch
    does it: the priority check first, then the focused widget's bindings."""
    app = ConvtuiApp("shapes")
    async with app.run_test(size=SIZE) as pilot:
        select = app.screen.query_one("#preset", Select)
        select.focus()
        await pilot.pause()
        select.expanded = True  # as Enter does; the drop-down asks for the focus
        overlay = select.query_one(SelectOverlay)
        assert app.focused is select and not overlay.scrollable_content_region
        handled = await app._check_bindings(page, priority=True)
        app.screen.set_focus(overlay)  # the focus arrives before the key reaches a widget
        if not handled:
            await app._check_bindings(page)
        await pilot.pause()
        assert app.is_running and app._exception is None


async def test_a_search_left_running_when_the_palette_closes_ends_quietly() -> None:
    """Found by a key storm on Flip: a letter typed just before Escape starts a search whose
    worker looked up the list of a palette already closed (WorkerFailed: NoMatches). Here the
    search starts once the palette is gone, as the queued letter's did."""
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.dismiss()
        await pilot.pause(0.2)
        assert not palette.is_attached
        palette._gather_commands("neu")
        await pilot.pause(0.3)
        assert app.is_running and app._exception is None
        await pilot.press("ctrl+p", *"neuron")  # the palette still opens and finds commands
        await pilot.pause(0.3)
        assert app.screen.query_one(CommandList).option_count > 0

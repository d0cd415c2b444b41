"""The command palette, with paging that cannot crash the app and a selection that runs once.

Its page keys page the list only once it is on screen (the Textual bug is told in
ui/widgets/option_lists.py).

A second Textual bug: one Enter posts both the input's Submitted and the list's
OptionSelected. When the selection is handled first it closes the palette and runs the
command; the Submitted that comes next runs the command again and dismisses the palette a
second time, and since ``Screen.dismiss`` pops whatever screen is in front, it pops the panel
and ends the app with ``ScreenStackError`` (reproduced by queueing ``ctrl+p``, a word that
picks one command, then ``enter``, after an ``enter`` on the panel). Our palette ignores
selections that reach it after it closed.

A third: the search runs in a worker that looks up the palette's list; a search that starts, or
goes on, after the palette closed and lost its widgets (a letter typed just before Escape)
failed with ``NoMatches`` and ended the app (``WorkerFailed``, found by key storms on Flip).
Our palette ends such a search quietly: there is nothing left to show its results in.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.binding import Binding
from textual.command import CommandList
from textual.command import CommandPalette as TextualPalette
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, OptionList

from convtui.ui.widgets.option_lists import page


class CommandPalette(TextualPalette):
    """Textual's palette; PageUp / PageDown page the list once it is on screen, a selection
    runs one command once, and a search ends quietly when the palette closed under it."""

    BINDINGS: ClassVar = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    def action_page(self, direction: int) -> None:
        page(self.query_one(CommandList), direction)

    @work(exclusive=True, group=TextualPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        try:
            await TextualPalette._gather_commands.__wrapped__(self, search_value)
        except NoMatches:
            if self.is_active:  # open, yet a widget is missing: a real bug, not the race
                raise

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _ignore_once_closed(self, event: Message) -> None:
        if not self.is_current:  # queued behind the selection that closed the palette
            event.prevent_default()  # Textual's handlers (the base class's) do not run


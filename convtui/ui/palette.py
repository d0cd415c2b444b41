"""The command palette, with paging that cannot crash the app.

Textual 8.2's palette pages its list with ``OptionList._move_page``, which looks up the line of
the highlighted option in a table built only once the list has been laid out. A PageUp or
PageDown that arrives after the list got its options but before its first layout (keys typed
quickly, as a student mashing keys does) raises ``KeyError: 0`` and ends the app. Reported
upstream-style, the minimal reproduction is::

    from textual import events
    from textual.app import App

    async def main() -> None:
        app = App()
        async with app.run_test() as pilot:
            for key in ("ctrl+p", "pageup"):  # queued together: no layout in between
                event = events.Key(key, None)
                event.set_sender(app)
                app._driver.send_message(event)
            await pilot.pause()  # KeyError: 0 in OptionList._move_page

Until Textual guards it, our palette pages only a list that has been laid out; a key that
comes earlier does nothing, as a page key on an empty list does.

A second bug of the same kind: one Enter posts both the input's Submitted and the list's
OptionSelected. When the selection is handled first it closes the palette and runs the
command; the Submitted that comes next runs the command again and dismisses the palette a
second time, and since ``Screen.dismiss`` pops whatever screen is in front, it pops the panel
and ends the app with ``ScreenStackError`` (reproduced by queueing ``ctrl+p``, a word that
picks one command, then ``enter``, after an ``enter`` on the panel). Our palette ignores
selections that reach it after it closed.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding
from textual.command import CommandList
from textual.command import CommandPalette as TextualPalette
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Select


class CommandPalette(TextualPalette):
    """Textual's palette; PageUp / PageDown page the list once it is on screen, and a
    selection runs one command once."""

    BINDINGS: ClassVar = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    def action_page(self, direction: int) -> None:
        commands = self.query_one(CommandList)
        if not commands.scrollable_content_region:  # not laid out yet: nothing to page
            return
        if direction > 0:
            commands.action_page_down()
        else:
            commands.action_page_up()

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _ignore_once_closed(self, event: Message) -> None:
        if not self.is_current:  # queued behind the selection that closed the palette
            event.prevent_default()  # Textual's handlers (the base class's) do not run


def pages_too_early(screen: Screen) -> bool:
    """Whether a page key would hit the same Textual bug on ``screen``: an option list that has
    options but has not been laid out yet, either the focused one or the drop-down of a Select
    that has just opened: it takes the focus a moment later, after this priority check, and
    the key then reaches it. Not yet caught: an Enter still queued on the Select when the page
    key is checked (a 1000-key storm on Shapes, seed 2480645395, still reaches that)."""
    lists = [screen.focused, *(select.query_one(OptionList)
                               for select in screen.query(Select) if select.expanded)]
    return any(isinstance(widget, OptionList) and widget.option_count > 0
               and not widget.scrollable_content_region for widget in lists)

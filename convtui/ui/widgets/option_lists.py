"""Option lists, and the Select drop-down (an option list), whose page keys cannot crash the app.

Textual 8.2 pages an ``OptionList`` with ``_move_page``, which looks up the line of the
highlighted option in a table built only once the list has been laid out. A PageUp or PageDown
that reaches a list after it got its options but before its first layout (keys typed quickly,
as a student mashing keys does: a drop-down opened by Enter with a page key right behind it, the
command palette opened by Ctrl+P) raises ``KeyError: 0`` and ends the app. Reported
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

Until Textual guards it, every option list of ours pages only once it is on screen; a key that
comes earlier does nothing, as a page key on an empty list does. The guard sits on the list
itself, so it holds however late the key arrives (an app-level check cannot see a key that is
still queued on the widget that opens the list).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import OptionList as TextualOptionList
from textual.widgets import Select as TextualSelect
from textual.widgets._select import SelectCurrent, SelectType
from textual.widgets._select import SelectOverlay as TextualSelectOverlay


def page(options: TextualOptionList, direction: int) -> None:
    """Move the highlight of ``options`` one page down (``direction`` > 0) or up, or do
    nothing while the list has not been laid out."""
    if not options.scrollable_content_region:
        return
    if direction > 0:
        TextualOptionList.action_page_down(options)
    else:
        TextualOptionList.action_page_up(options)


class OptionList(TextualOptionList):
    """Textual's option list, paged safely."""

    def action_page_down(self) -> None:
        page(self, 1)

    def action_page_up(self) -> None:
        page(self, -1)


class SelectOverlay(OptionList, TextualSelectOverlay):
    """The drop-down of a Select, paged safely."""


class Select(TextualSelect[SelectType]):
    """Textual's Select, with the safely paged drop-down (its compose is Textual's, with our
    overlay in place of Textual's)."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield SelectOverlay(type_to_search=self._type_to_search).data_bind(
            compact=TextualSelect.compact)

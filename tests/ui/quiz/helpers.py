"""What the Quiz tests share: the app on the panel, the pack list as read, and the steps that
open an entry or type an answer."""

from __future__ import annotations

import textwrap
from pathlib import Path

from textual.widgets import Input, OptionList

from convtui.launch import Launch
from convtui.ui.app import ConvtuiApp


def write_pack(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def quiz_app(*packs: Path, practice: str | None = None) -> ConvtuiApp:
    return ConvtuiApp("quiz", Launch(packs=tuple(str(p) for p in packs),
                                     practice=practice))


def entry(app: ConvtuiApp, option_id: str) -> str:
    """The text of one entry of the pack list."""
    option = app.screen.query_one("#packs", OptionList).get_option(option_id)
    return option.prompt.plain


def entries(app: ConvtuiApp) -> list[str]:
    packs = app.screen.query_one("#packs", OptionList)
    return [option.prompt.plain for option in packs.options]


async def answer(pilot, *values: str) -> None:
    """Type one value per field, Tab between them, Enter to check."""
    for i, value in enumerate(values):
        if i:
            await pilot.press("tab")
        await pilot.press(*value)
    await pilot.press("enter")
    await pilot.pause()


async def open_entry(pilot, option_id: str) -> None:
    """Highlight an entry of the pack list with the arrow keys and press Enter."""
    packs = pilot.app.screen.query_one("#packs", OptionList)
    target = packs.get_option_index(option_id)
    await pilot.press("home")
    while packs.highlighted != target:
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


def focused_field(app: ConvtuiApp) -> str:
    focused = app.focused
    assert isinstance(focused, Input), focused
    return focused.id or ""


async def to_exercise_2(pilot) -> None:
    """Open the lecture pack (first in the list), answer exercise 1 right and go on to 2."""
    await pilot.press("enter")
    await answer(pilot, "55", "55")
    await pilot.press("n")
    await pilot.pause()

"""Regenerate the README's screenshots: `python docs/screenshots.py` (SVG, exported by Textual).

Each shot opens one panel at 120x40 in one language, puts it into one of its lesson presets
(the ones the guided tour uses), presses a few keys and saves what is on screen.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from convtui.ui.screens.base import PanelScreen

DOCS = Path(__file__).resolve().parent

#: file stem -> (panel, preset or "", keys pressed after it)
SHOTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "stepper": ("stepper", "lecture", ("right", "right", "right", "right", "n")),
    "flip": ("flip", "lecture", ("right", "right")),
    "pool": ("pool", "lecture", ("right",)),
    "shapes": ("shapes", "lecture", ()),
    "quiz": ("quiz", "tour", ()),
    "train": ("train", "", ()),
}


async def shoot(path: Path, lang: str, panel: str, preset: str, keys: tuple[str, ...]) -> None:
    i18n.set_language(lang)
    app = ConvtuiApp(panel)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if preset and isinstance(app.screen, PanelScreen):
            app.screen.show_preset(preset)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot(str(path))


async def main() -> None:
    for lang in i18n.LANGUAGES:
        for stem, (panel, preset, keys) in SHOTS.items():
            path = DOCS / f"{stem}.svg" if lang == "en" else DOCS / f"{stem}.{lang}.svg"
            await shoot(path, lang, panel, preset, keys)
            print(f"wrote docs/{path.name}")


if __name__ == "__main__":
    asyncio.run(main())

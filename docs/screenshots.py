"""Regenerate the README's screenshots: `python docs/screenshots.py` (SVG, exported by Textual).

Each entry opens one panel at 120x40, presses a few keys and saves what is on screen.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from convtui.ui.app import ConvtuiApp

DOCS = Path(__file__).resolve().parent

#: file name -> (panel, keys pressed before the shot)
SHOTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stepper.svg": ("stepper", ("right", "right", "right", "right", "n")),
}


async def shoot(name: str, panel: str, keys: tuple[str, ...]) -> None:
    app = ConvtuiApp(panel)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot(str(DOCS / name))


async def main() -> None:
    for name, (panel, keys) in SHOTS.items():
        await shoot(name, panel, keys)
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    asyncio.run(main())

"""Regenerate the README's screenshots: `python docs/screenshots.py --mnist DIR` (SVG, exported
by Textual).

Each shot opens one panel at 120x40 in one language, puts it into one of its lesson presets
(the ones the guided tour uses), presses a few keys and saves what is on screen. The Train
panel is shown on a real run of the tiny model, trained first on the MNIST files in DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from convtui.ui.panel.screen import PanelScreen

DOCS = Path(__file__).resolve().parent

#: file stem -> (panel, preset or "", keys pressed after it)
SHOTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "stepper": ("stepper", "lecture", ("right", "right", "right", "right", "n")),
    "flip": ("flip", "lecture", ("right", "right")),
    "pool": ("pool", "lecture", ("right",)),
    "shapes": ("shapes", "lecture", ()),
    "quiz": ("quiz", "tour", ()),
    "train": ("train", "", ("g",)),
    "train-learned": ("train", "", ("l",)),
    "backward": ("backward", "lecture", ("right", "right", "right", "right")),
    "transposed": ("transposed", "odd_size", ("right", "right", "right")),
}


async def shoot(path: Path, lang: str, panel: str, preset: str, keys: tuple[str, ...],
                options: argparse.Namespace) -> None:
    i18n.set_language(lang)
    app = ConvtuiApp(panel, options)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        if preset and isinstance(app.screen, PanelScreen):
            app.screen.show_preset(preset)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(3.0)  # the Train panel's charts and insight workers
        app.save_screenshot(str(path))


def train_tiny_run(mnist: Path, run_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "convtui", "--lang", "en", "train", "--headless",
                    "--model", "tiny", "--epochs", "2", "--limit-train", "12000",
                    "--limit-test", "2000", "--log-every", "5", "--seed", "0",
                    "--data-dir", str(mnist), "--run-dir", str(run_dir)], check=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, required=True, help="folder of the MNIST files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONVTUI_DATA_DIR"] = str(Path(tmp) / "data")  # no user's runs in the shots
        run_dir = Path(tmp) / "tiny-run"
        train_tiny_run(args.mnist, run_dir)
        for lang in i18n.LANGUAGES:
            for stem, (panel, preset, keys) in SHOTS.items():
                options = argparse.Namespace(resume=str(run_dir), data_dir=str(args.mnist))
                path = DOCS / (f"{stem}.svg" if lang == "en" else f"{stem}.{lang}.svg")
                await shoot(path, lang, panel, preset, keys, options)
                print(f"wrote docs/{path.name}")


if __name__ == "__main__":
    asyncio.run(main())

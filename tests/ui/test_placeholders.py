"""A field's hint is read whole: every placeholder fits its field at 80x24 and 120x40 in both
languages ("off · a folder, e.g. " was all the Train form showed of one at 80 columns)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input

from convtui import i18n
from convtui.ui.app import ConvtuiApp

#: Each panel with fields, and the key that shows them.
PANELS = {"stepper": "s", "flip": "s", "pool": "s", "train": "", "transposed": "s",
          "backward": "s"}


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("panel", sorted(PANELS))
async def test_every_placeholder_fits_its_field(panel: str, lang: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVTUI_DATA_DIR", str(tmp_path))
    i18n.set_language(lang)
    for size in ((80, 24), (120, 40)):
        app = ConvtuiApp(panel)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            if PANELS[panel]:
                await pilot.press(PANELS[panel])
                await pilot.pause()
            fields = [f for f in app.screen.query(Input) if f.display and f.placeholder
                      and f.is_on_screen]
            assert fields or panel != "train", (panel, size)
            cut = [(f.id, f.placeholder) for f in fields
                   if cell_len(f.placeholder) > f.content_region.width]
            assert cut == [], (panel, size, lang)

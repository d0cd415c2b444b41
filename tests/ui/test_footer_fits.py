"""The footer shows every key of the panel, Quit and Help last among them, at 80 columns in
both languages: the palette key took the last 12 columns and hid "^q Quit  ? Help" on Shapes,
Transposed and Backward, and on Stepper, Flip and Pooling with their settings open; and every
key is drawn whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from convtui import i18n
from convtui.training.runs import runs_root
from convtui.ui.app import ConvtuiApp
from tests.ui.train_fixtures import write_recorded_run

#: Each panel, and the keys that lead to each state of its footer ("" is the panel as opened).
STATES = {"stepper": ("", "s"), "flip": ("", "s"), "pool": ("", "s"), "shapes": ("",),
          "quiz": ("",), "train": ("n", "g", "r"), "transposed": ("", "s"),
          "backward": ("", "s")}


def footer_keys(app: ConvtuiApp) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("panel", sorted(STATES))
async def test_every_key_is_on_screen_at_80_columns(panel: str, lang: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVTUI_DATA_DIR", str(tmp_path))
    write_recorded_run(runs_root())  # Train's Progress and Runs tabs show a finished run's keys
    i18n.set_language(lang)
    app = ConvtuiApp(panel)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in STATES[panel]:
            if key:
                await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            keys = footer_keys(app)
            # the palette key, where shown, is docked over the right end of the row
            right = min([k.region.x for k in keys if k.has_class("-command-palette")],
                        default=app.screen.query_one(Footer).region.right)
            hidden = [k.description for k in keys
                      if not k.has_class("-command-palette") and k.region.right > right]
            assert hidden == [], (panel, key, lang)
            assert {"ctrl+q", "question_mark"} <= {k.key for k in keys if k.region.width}
            # drawn whole: a settings pane reaching under the footer row cut wide letters
            # at its edges ("? 도움말" showed as "?     말")
            row = app.screen._compositor.render_strips()[-1].text
            assert all(k.description in row for k in keys), (row, panel, key)
            if key == "s" and panel != "train":
                await pilot.press("escape")


async def test_wide_terminals_keep_the_palette_key() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any(k.has_class("-command-palette") for k in footer_keys(app))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert not any(k.has_class("-command-palette") for k in footer_keys(app))
        await pilot.press("ctrl+p")  # the palette still opens
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)

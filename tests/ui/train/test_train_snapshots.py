"""How the Train panel looks, in English and Korean, at the smallest supported terminal and a
roomy one: a finished run (a recorded log, so every number is fixed), the New run form with the
guided tour's settings, and the Runs list."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from convtui.ui.train.screen import TrainScreen
from tests.ui.train_fixtures import launch, wait_for, write_recorded_run

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times shown in UTC, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def panel(app: ConvtuiApp) -> TrainScreen:
    screen = app.screen
    assert isinstance(screen, TrainScreen)
    return screen


async def run_shown(pilot) -> None:
    await wait_for(pilot, lambda: panel(pilot.app).run is not None
                   and panel(pilot.app).run.status == "finished", "the recorded run")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", SIZES)
def test_train_progress_of_a_finished_run(snap_compare, size: tuple[int, int], lang: str,
                                          tmp_path: Path) -> None:
    i18n.set_language(lang)
    run_dir = write_recorded_run(tmp_path)
    assert snap_compare(ConvtuiApp("train", launch(resume=str(run_dir))), run_before=run_shown,
                        terminal_size=size)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", SIZES)
def test_train_new_run_form_with_the_tour_preset(snap_compare, size: tuple[int, int],
                                                 lang: str) -> None:
    i18n.set_language(lang)

    async def preset(pilot) -> None:
        panel(pilot.app).show_preset("tiny")
        await pilot.pause()

    assert snap_compare(ConvtuiApp("train", launch()), run_before=preset, terminal_size=size)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_train_runs_list(snap_compare, lang: str, tmp_path: Path, utc: None,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVTUI_DATA_DIR", "/nonexistent/convtui-data")  # a fixed folder name
    i18n.set_language(lang)
    run_dir = write_recorded_run(tmp_path)

    async def runs(pilot) -> None:
        await run_shown(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#runs-table").row_count == 1,
                       "the runs list")
        await pilot.pause()

    assert snap_compare(ConvtuiApp("train", launch(resume=str(run_dir))), run_before=runs,
                        terminal_size=(80, 24))

"""Faults a student's machine can have, met by the running app (issue 13): each is said in the
status line or a notice, the app goes on, and nothing already saved is lost."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from convtui import atomic
from convtui.ui.app import ConvtuiApp
from convtui.ui.panel.screen import PanelScreen
from convtui.ui.panels import PANELS
from tests.ui.conftest import SIZE
from tests.ui.train_fixtures import copy_run, finished_run, form_options, wait_for  # noqa: F401

GARBAGE = ["{\"score\": 3, \"stre", "\x00\xff not json at all", "[1, 2, 3]"]


def status_line(app: ConvtuiApp) -> str:
    return str(app.screen.query_one("#status").render())


def notices(app: ConvtuiApp) -> str:
    return "\n".join(n.message for n in app._notifications)


@pytest.mark.parametrize("name", [p.name for p in PANELS])
async def test_every_panel_survives_a_40x12_terminal_and_comes_back(name: str) -> None:
    app = ConvtuiApp(name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        await pilot.press("tab", "right", "down", "question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert app.current_mode == name and isinstance(app.screen, PanelScreen)
        assert app.screen.size == SIZE


@pytest.mark.parametrize("content", GARBAGE)
async def test_a_damaged_tour_file_is_said_and_the_tour_starts_over(
        content: str, user_dirs: dict[str, Path]) -> None:
    data = user_dirs["data"]
    data.mkdir(parents=True, exist_ok=True)
    (data / "tour.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    app = ConvtuiApp("stepper", tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.tour is not None and app.tour.current == 0
        assert "tour.json" in notices(app)
        await pilot.press("f4")
        assert app.tour.current == 1
    saved = json.loads((data / "tour.json").read_text())  # the next save replaced it
    assert saved


@pytest.mark.parametrize("content", GARBAGE)
async def test_a_damaged_quiz_progress_file_is_kept_aside_and_the_quiz_goes_on(
        content: str, user_dirs: dict[str, Path]) -> None:
    data = user_dirs["data"]
    data.mkdir(parents=True, exist_ok=True)
    (data / "progress.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    app = ConvtuiApp("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = app.screen.notice().plain  # above the pack list
        assert "damaged" in shown, shown
        backups = [p for p in data.iterdir() if p.name != "progress.json"]
        assert any(p.read_bytes() == content.encode("utf-8", "surrogateescape")
                   for p in backups if p.is_file())  # what was there is not lost
        assert app.current_mode == "quiz" and app.is_running


# --- the Train panel's run on disk ----------------------------------------------------------------
async def follow(pilot, run_dir: Path) -> None:
    pilot.app.screen.attach(run_dir)
    await wait_for(pilot, lambda: pilot.app.screen.run is not None, "the run to open")


@pytest.mark.parametrize("damage", ["cut", "garbage"])
async def test_a_damaged_event_log_does_not_stop_the_train_panel(
        damage: str, finished_run: Path) -> None:  # noqa: F811
    run_dir = copy_run(finished_run, "20250102-030405-damaged")
    log = run_dir / "events.jsonl"
    text = log.read_text()
    if damage == "cut":  # the last line cut in the middle, as a killed writer leaves it
        log.write_text(text[: len(text) - 25])
    else:
        log.write_bytes(text.encode()[:200] + b"\x00\xff{garbage\n" + text.encode()[200:])
    app = ConvtuiApp("train", form_options())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await follow(pilot, run_dir)
        await pilot.press("g", "r", "g")
        await pilot.pause()
        assert app.is_running and app.current_mode == "train"
        status = status_line(app)
        assert run_dir.name in status and "damaged" in status
        assert app.screen.run.epochs  # what could be read is shown


async def test_a_run_folder_deleted_while_followed_is_said(finished_run: Path) -> None:  # noqa: F811
    run_dir = copy_run(finished_run, "20250102-030405-deleted")
    app = ConvtuiApp("train", form_options())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await follow(pilot, run_dir)
        shutil.rmtree(run_dir)
        await pilot.pause(1.5)
        await pilot.press("r", "g", "l", "g")
        await pilot.pause(1.0)
        assert app.is_running and app.current_mode == "train"
        assert f"The folder of {run_dir.name} has been deleted" in status_line(app)
        assert not app.screen.run.can_continue
        await pilot.press("n")  # the form still answers
        assert app.screen.active_tab == "new"


@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EROFS])
async def test_a_full_or_read_only_data_folder_is_said_once_and_the_tour_goes_on(
        errno_: int, user_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Full or read-only, the disk refuses the rename that saves the file (simulated at the
    storage layer: a test cannot fill the disk or, as root, make a folder read-only)."""
    data = user_dirs["data"]
    app = ConvtuiApp("stepper", tour="restart")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        saved = (data / "tour.json").read_text()

        def refuse(src: object, dst: object) -> None:
            raise OSError(errno_, os.strerror(errno_))

        monkeypatch.setattr(atomic.os, "replace", refuse)
        await pilot.press("f4", "f4")
        await pilot.pause()
        assert app.tour is not None and app.tour.current == 3  # the tour itself goes on
        said = notices(app)
        assert os.strerror(errno_) in said and said.count(os.strerror(errno_)) == 1
    assert (data / "tour.json").read_text() == saved  # what was saved is still there
    assert not [p for p in data.iterdir() if p.name.startswith(".")]  # no temp file left


@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EROFS])
async def test_a_shapes_export_to_a_full_or_read_only_disk_is_said_and_keeps_the_old_files(
        errno_: int, user_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    app = ConvtuiApp("shapes")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")  # saved once, while the disk still takes it
        await pilot.pause()
        saved = {p: p.read_bytes() for p in user_dirs["data"].rglob("*.py")}
        assert saved

        def refuse(src: object, dst: object) -> None:
            raise OSError(errno_, os.strerror(errno_))

        monkeypatch.setattr(atomic.os, "replace", refuse)
        await pilot.press("w")  # saved again, over the files of the first save
        await pilot.pause()
        assert app.is_running and app.current_mode == "shapes"
        status = str(app.screen.query_one("#shapes-status").render())
        assert "could not save" in status and os.strerror(errno_) in status
    assert {p: p.read_bytes() for p in user_dirs["data"].rglob("*.py")} == saved
    assert not [p for p in user_dirs["data"].rglob(".*")]  # no temp file left

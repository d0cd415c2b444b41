"""The New run form's TensorBoard, Visdom and process fields: a job started from the panel
writes what `convtui train --headless --tensorboard` writes (read back with TensorBoard's own
reader), the fields are checked as the options are, and a missing package is said before a
run folder exists."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from convtui.launch import Launch
from convtui.training.cli import config_from_args
from convtui.training.run import list_runs
from convtui.training.runs import read_config
from convtui.ui.app import ConvtuiApp
from convtui.ui.train.confirm import StartRunScreen
from convtui.ui.train.form import RunForm
from convtui.ui.train.screen import TrainScreen
from tests.training.tensorboard_reading import assert_matches_log
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import SIZE, form_options, options, wait_for

#: A job of seconds: the tiny model, one epoch of 300 images in batches of 100.
QUICK = {"epochs": 1, "limit_train": 300, "limit_test": 100, "log_every": 1}


def panel(app: ConvtuiApp) -> TrainScreen:
    return next(s for s in app.screen_stack if isinstance(s, TrainScreen))


def fill(app: ConvtuiApp, **fields: str) -> None:
    for field, text in fields.items():
        app.screen.query_one(f"#{field}", Input).value = text


async def test_a_run_started_with_tensorboard_writes_what_its_log_says(tmp_path: Path) -> None:
    boards = tmp_path / "boards"
    app = ConvtuiApp("train", form_options(**QUICK))
    async with app.run_test(size=SIZE) as pilot:
        fill(app, tensorboard=str(boards), processes="1")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StartRunScreen), "the summary")
        summary = text_of(app, "#start-summary")
        assert f"TensorBoard: {boards} · Visdom: off" in summary
        assert "processes: 1" in summary
        await pilot.press("s")
        screen = panel(app)
        await wait_for(pilot, lambda: screen.run is not None, "the job to start")
        run_dir = screen.run.path
        await wait_for(pilot, lambda: screen.run.status == "finished", "the job to finish")
        process = screen.jobs[run_dir].process
        await wait_for(pilot, lambda: process.poll() is not None, "the job to exit")
    assert read_config(run_dir).tensorboard == str(boards)
    assert_matches_log(run_dir, boards)


async def test_the_fields_give_the_config_the_options_give(tmp_path: Path) -> None:
    """--tensorboard (the run folder's subfolder), --visdom URL and --nproc N fill the form,
    and the form reads back the very config the command line makes."""
    given = options(**QUICK, model="tiny", tensorboard="tensorboard",
                    visdom="http://127.0.0.1:8097", processes=2, batch_size=100)
    app = ConvtuiApp("train", Launch.from_args(given))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(RunForm).read().config == config_from_args(given)
        assert app.screen.query_one("#tensorboard", Input).value == "tensorboard"
        assert app.screen.query_one("#processes", Input).value == "2"
        fill(app, tensorboard="", visdom="")
        config = app.screen.query_one(RunForm).read().config
        assert (config.tensorboard, config.visdom, config.processes) == (None, None, 2)


@pytest.mark.parametrize(("field", "text", "message"), [
    ("visdom", "ftp://example.org", "Visdom URL: expected an http:// or https:// URL with a "
                                    "host, got 'ftp://example.org'"),
    ("processes", "0", "Processes: expected a whole number of at least 1, got '0'"),
    ("processes", "٢", "Processes: expected a whole number of at least 1, got '٢'"),
])
async def test_a_bad_report_field_is_named(field: str, text: str, message: str) -> None:
    app = ConvtuiApp("train", form_options(**QUICK))
    async with app.run_test(size=SIZE) as pilot:
        fill(app, **{field: text})
        await pilot.press("s")
        await pilot.pause()
        assert text_of(app, "#form-error") == f"✗ {message}"
        assert app.screen.query_one(f"#{field}", Input).has_focus
        assert list_runs() == []


async def test_processes_that_cannot_split_the_batch_start_nothing() -> None:
    app = ConvtuiApp("train", form_options(**QUICK))
    async with app.run_test(size=SIZE) as pilot:
        fill(app, processes="3")
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cannot be split evenly between 3 processes" in text_of(
            app, "#form-error").replace("\n", " ")
        assert not isinstance(app.screen, StartRunScreen) and list_runs() == []


async def test_tensorboard_missing_is_said_before_a_run_folder_exists(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # as if it were not installed
    app = ConvtuiApp("train", form_options(**QUICK))
    async with app.run_test(size=SIZE) as pilot:
        fill(app, tensorboard=str(tmp_path / "boards"))
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        error = text_of(app, "#form-error").replace("\n", " ")
        assert "--tensorboard needs the Python package tensorboard" in error
        assert "pip install 'convtui[tensorboard]'" in error
        assert not isinstance(app.screen, StartRunScreen)
    assert list_runs() == [] and not (tmp_path / "boards").exists()


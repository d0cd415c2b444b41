"""Real background jobs driven from the Train panel: pause, resume and stop; continuing a run
from the command line; and the question asked on quitting while a job runs (stop really stops
the process, leave really leaves it running)."""

from __future__ import annotations

import asyncio
import gzip
import shutil
from pathlib import Path

import pytest

from convtui.training.job import start_job
from convtui.training.run import list_runs, read_run
from convtui.training.runs import create_run, pid_alive, read_config
from convtui.training.trainer import run_training
from convtui.ui.app import ConvtuiApp
from convtui.ui.train.confirm import StartRunScreen
from convtui.ui.train.quit import QuitTrainingScreen
from convtui.ui.train.screen import TrainScreen
from tests.ui import train_fixtures
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import (
    MNIST,
    SIZE,
    WAIT_S,
    form_options,
    launch,
    read_log,
    start_from_form,
    tiny_config,
    wait_for,
)

job_cleanup = train_fixtures.job_cleanup

#: A job that trains for minutes unless stopped: the tiny model on all 60,000 images.
LONG = {"epochs": 20, "limit_train": None, "limit_test": 100, "log_every": 5}


def shown_button_ids(app: ConvtuiApp) -> list[str]:
    return [b.id for b in app.screen.query("#state-row Button") if b.display]


def panel(app: ConvtuiApp) -> TrainScreen:
    return next(s for s in app.screen_stack if isinstance(s, TrainScreen))


async def start_long_job(pilot, cleanup: list[Path]) -> Path:
    """Start a long job from the form; return its run once it is training batches."""
    await start_from_form(pilot)
    screen = panel(pilot.app)
    await wait_for(pilot, lambda: screen.run is not None, "the job to start")
    cleanup.append(screen.run.path)
    await wait_for(pilot, lambda: screen.run.latest_batch is not None, "the first batches")
    return screen.run.path


async def wait_until_exited(process, timeout: float = WAIT_S) -> int:
    """The process's exit code (the app may be gone, so no Pilot here)."""
    for _ in range(int(timeout / 0.1)):
        if process.poll() is not None:
            return process.returncode
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not exit")


async def test_pause_resume_and_stop_a_running_job(job_cleanup: list[Path]) -> None:
    app = ConvtuiApp("train", form_options(**LONG))
    async with app.run_test(size=SIZE) as pilot:
        run_dir = await start_long_job(pilot, job_cleanup)
        screen = panel(app)
        await pilot.press("p")
        assert f"Pause asked: {run_dir.name}" in text_of(app, "#status")
        await wait_for(pilot, lambda: screen.run.status == "paused", "the pause")
        await pilot.pause()
        batch = screen.run.latest_batch
        assert text_of(app, "#run-headline").endswith("· paused")
        assert text_of(app, "#state-line").startswith("Paused in epoch 1 after batch")
        assert shown_button_ids(app) == ["resume", "stop"]
        await pilot.press("p")
        await wait_for(pilot, lambda: screen.run.status == "running"
                       and screen.run.latest_batch != batch, "training to go on")
        await pilot.pause()  # the buttons change with the status: click where Stop is now
        await pilot.click("#stop")  # the mouse works too
        assert "Stop asked" in text_of(app, "#status")
        await wait_for(pilot, lambda: screen.run.status == "stopped", "the stop")
        await pilot.pause()
        assert await wait_until_exited(screen.jobs[run_dir].process) == 0
        assert text_of(app, "#state-line").startswith("Stopped after 0 whole epochs.")
        assert shown_button_ids(app) == ["continue", "new-run"]
        kinds = [e["type"] for e in read_log(run_dir)]
        assert kinds.count("paused") == 1 and kinds.count("resumed") == 1
        assert kinds[-1] == "stopped"


async def test_resume_option_continues_a_stopped_run_to_more_epochs(tmp_path: Path) -> None:
    run_dir = create_run(tiny_config(epochs=1), tmp_path / "run")
    run_training(run_dir)  # one epoch, in this process
    app = ConvtuiApp("train", launch(resume=str(run_dir), epochs=2))
    async with app.run_test(size=SIZE) as pilot:
        screen = panel(app)
        await wait_for(pilot, lambda: run_dir in screen.jobs, "the job to start")
        await wait_for(pilot, lambda: screen.run is not None
                       and screen.run.status == "finished" and screen.run.epochs_completed == 2,
                       "the second epoch")
        assert read_config(run_dir).epochs == 2
        log = read_log(run_dir)
        assert [e["epoch"] for e in log if e["type"] == "epoch"] == [1, 2]
        assert [e["resumed_from_epoch"] for e in log if e["type"] == "start"] == [0, 1]
        assert await wait_until_exited(screen.jobs[run_dir].process) == 0


async def test_resume_option_refuses_a_changed_setting(tmp_path: Path) -> None:
    run_dir = create_run(tiny_config(epochs=1), tmp_path / "run")
    app = ConvtuiApp("train", launch(resume=str(run_dir), batch_size=50))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#status").replace("\n", " ") == (
            f"✗ --batch-size cannot change when resuming: {run_dir} was trained with 100. "
            "Start a new run to try --batch-size 50.")
        assert panel(app).jobs == {} and read_run(run_dir).status == "interrupted"


async def test_quit_asks_then_stop_really_stops_the_job(job_cleanup: list[Path]) -> None:
    app = ConvtuiApp("train", form_options(**LONG))
    async with app.run_test(size=SIZE) as pilot:
        run_dir = await start_long_job(pilot, job_cleanup)
        process = panel(app).jobs[run_dir].process
        await pilot.press("1")  # quitting from another panel asks too
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, QuitTrainingScreen)
        text = text_of(app, "#quit-text")
        assert str(run_dir) in text and f"convtui train --resume {run_dir}" in text
        await pilot.press("escape")  # cancel: nothing happens
        await pilot.pause()
        assert not isinstance(app.screen, QuitTrainingScreen) and process.poll() is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")  # Stop, in the quit dialog
        assert await wait_until_exited(process) == 0
    assert read_run(run_dir).status == "stopped"
    assert read_log(run_dir)[-1]["type"] == "stopped"
    assert app.return_code == 0


async def test_quit_and_leave_it_running(job_cleanup: list[Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    app = ConvtuiApp("train", form_options(**LONG))
    async with app.run_test(size=SIZE) as pilot:
        run_dir = await start_long_job(pilot, job_cleanup)
        pid = panel(app).jobs[run_dir].pid
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
    assert pid_alive(pid)
    assert read_run(run_dir).status == "running"
    said = capsys.readouterr().err
    assert "Training goes on in the background" in said
    command = f"convtui train --resume {run_dir}"  # the terminal may wrap it: spaces aside
    assert "".join(command.split()) in "".join(said.split())


async def test_attaching_to_a_running_job_follows_it_and_quit_asks(
    tmp_path: Path, job_cleanup: list[Path],
) -> None:
    run_dir = create_run(tiny_config(**LONG), tmp_path / "elsewhere")
    job = start_job(run_dir)
    job_cleanup.append(run_dir)
    app = ConvtuiApp("train", launch(resume=str(run_dir)))
    async with app.run_test(size=SIZE) as pilot:
        screen = panel(app)
        await wait_for(pilot, lambda: screen.run is not None
                       and screen.run.latest_batch is not None, "the job's batches")
        assert f"Following {run_dir.name} (process {job.pid})" in text_of(app, "#status")
        assert screen.jobs == {}  # not ours: only followed
        assert text_of(app, "#state-line").endswith(" left")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitTrainingScreen)
        await pilot.press("l")
    assert job.process.poll() is None


async def test_quit_without_a_running_job_does_not_ask() -> None:
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, QuitTrainingScreen)
    assert app.return_code == 0


async def test_damaged_data_is_named_before_any_run_folder_is_made(tmp_path: Path) -> None:
    """Damaged MNIST files are read before the summary is offered: nothing starts, no run
    folder is left to list as failed."""
    data = tmp_path / "damaged-mnist"
    shutil.copytree(MNIST, data)
    labels = data / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(gzip.decompress(labels.read_bytes())[:108]))
    app = ConvtuiApp("train", form_options(data_dir=str(data)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        error = text_of(app, "#form-error").replace("\n", " ")
        assert "t10k-labels-idx1-ubyte" in error and "truncated" in error
        assert not isinstance(app.screen, StartRunScreen)
        assert "was not started" in text_of(app, "#status")
        assert list_runs() == [] and panel(app).jobs == {}


async def test_resume_option_naming_no_run_says_so(tmp_path: Path) -> None:
    app = ConvtuiApp("train", launch(resume=str(tmp_path / "nothing-here")))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(app, "#status").replace("\n", " ")
        assert status.startswith("✗ ") and "nothing-here" in status
        assert "config.json" in status
        assert panel(app).run is None and panel(app).jobs == {}

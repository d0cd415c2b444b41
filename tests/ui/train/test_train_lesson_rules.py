"""What issue 14 found in the Train panel, one test per item: an ended run offers only what
it can do (whole labels), even epoch ticks, a log loss axis for a diverged comparison, nothing
expensive by accident (Enter in a field, a resumed run's options), the start summary's
estimate, deleting runs (panel and `convtui runs`, English and Korean), quitting without
waiting on a job, and dialogs that follow F2."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.widgets import Button, Input

from convtui import i18n
from convtui.cli import main
from convtui.training.config import TrainConfig
from convtui.training.preflight import DataSizes, Throughput, estimate_seconds
from convtui.training.run import list_runs, read_run
from convtui.training.runs import CONTROL_STATES, pid_alive, read_control, runs_root
from convtui.ui.app import ConvtuiApp
from convtui.ui.train import charts as train_charts
from convtui.ui.train import screen as train_screen_module
from convtui.ui.train.charts import Chart, ChartsView, epoch_ticks
from convtui.ui.train.confirm import DeleteRunScreen, StartRunScreen
from convtui.ui.train.form import RunForm
from convtui.ui.train.progress import ProgressView, duration
from convtui.ui.train.quit import QuitTrainingScreen
from convtui.ui.train.screen import TrainScreen
from tests.ui import train_fixtures
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import (
    SIZE,
    WAIT_S,
    copy_run,
    form_options,
    launch,
    start_from_form,
    wait_for,
)

finished_run = train_fixtures.finished_run
job_cleanup = train_fixtures.job_cleanup


def panel(app: ConvtuiApp) -> TrainScreen:
    return next(s for s in app.screen_stack if isinstance(s, TrainScreen))


def shown_buttons(app: ConvtuiApp) -> list[Button]:
    return [b for b in panel(app).query("#state-row Button") if b.display]


# --- an ended run ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_an_ended_run_offers_whole_continue_and_new_run_buttons(
        finished_run: Path, lang: str, size: tuple[int, int]) -> None:
    """Running: Pause and Stop; once it has stopped early they are gone, and Continue and New
    run show their whole labels (it read "Contin" at 120 columns)."""
    done = read_run(finished_run)
    config = {**done.config, "epochs": 5}
    running = replace(done, status="running", config=config)
    stopped = replace(done, status="stopped", config=config)
    i18n.set_language("ko" if lang == "en" else "en")  # F2 then changes every label
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=size) as pilot:
        await pilot.press("g")
        view = app.screen.query_one(ProgressView)
        view.show(running, None)
        await pilot.pause()
        assert [b.id for b in shown_buttons(app)] == ["pause", "stop"]
        view.show(stopped, None)
        await pilot.pause()
        app.action_switch_language(lang)
        await pilot.pause()
        buttons = shown_buttons(app)
        assert [b.id for b in buttons] == ["continue", "new-run"]
        for button in buttons:
            label = str(button.label)
            assert button.content_region.width >= cell_len(label), label
            assert str(button.render()).strip() == label


# --- charts ---------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(epochs=st.integers(1, 2000), cells=st.integers(8, 300))
def test_epoch_ticks_are_evenly_spaced_and_do_not_crowd(epochs: int, cells: int) -> None:
    ticks = epoch_ticks(epochs, cells)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert ticks[0] == 0 and ticks[-1] <= epochs and len(steps) == 1
    step = steps.pop()
    if ticks != [0, epochs]:
        assert str(step).lstrip("0")[0] in "125" and set(str(step)[1:]) <= {"0"}
        assert cells * step / (epochs * 1.08) >= len(str(epochs)) + 2  # room for a label


async def test_a_diverged_comparison_turns_the_loss_axis_to_log(finished_run: Path) -> None:
    good = read_run(finished_run)
    diverged = replace(good, path=good.path.parent / "diverged", batches=[
        {**b, "loss": b["loss"] * 10_000} for b in good.batches])
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        charts = app.screen.query_one(ChartsView)
        loss = app.screen.query_one("#loss-chart", Chart)
        charts.show(good, None)
        assert not loss.log_scale and text_of(app, "#loss-title").startswith("Loss  ")
        charts.show(good, diverged)
        await pilot.pause()
        assert loss.log_scale and "log scale" in text_of(app, "#loss-title")
        # on the log axis the good run's curve spans the decades it spans, not a flat line
        smooth = [y for y in loss.line("smoothed_loss").points.ys]
        ratio = max(smooth) / min(smooth)
        assert train_charts.needs_log_scale(list(loss.lines))
        assert 1 < ratio < train_charts.LOG_SCALE_RATIO


# --- nothing expensive by accident -------------------------------------------------------------
async def test_enter_in_a_field_moves_on_and_never_starts_a_run() -> None:
    app = ConvtuiApp("train", form_options())
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#lr", Input)
        field.focus()
        field.value = "5"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, StartRunScreen)
        assert not field.has_focus and app.screen.focused is not None
        await pilot.press("enter", "enter", "enter")
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, StartRunScreen)
        assert list_runs() == [] and panel(app).jobs == {}


async def test_the_form_starts_from_defaults_after_a_resume_with_more_epochs(
        tmp_path: Path) -> None:
    app = ConvtuiApp("train", launch(resume=str(tmp_path / "no-run"), epochs=250,
                                      model="deep", run_dir=str(tmp_path / "elsewhere")))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        request = app.screen.query_one(RunForm).read()
        assert request.config == TrainConfig() and request.run_dir is None


async def test_the_start_summary_estimates_the_time_from_a_measured_run(
        finished_run: Path) -> None:
    earlier = copy_run(finished_run, "20250101-000000-tiny")
    speed = read_run(earlier).images_per_second
    app = ConvtuiApp("train", form_options(epochs=4, limit_train=3000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StartRunScreen), "the summary")
        config = app.screen.config
        seconds = estimate_seconds(config, DataSizes(3000, 500), Throughput(earlier.name, speed))
        assert seconds == 4 * 3000 / speed
        assert text_of(app, "#start-time") == (
            f"Time: about {duration(seconds)} of training, at the {speed:,.0f} images/s that "
            f"{earlier.name} measured (testing after each epoch comes on top).")
        assert "Images: 3,000 training, 500 test" in text_of(app, "#start-summary")
        app.action_switch_language("ko")  # F2 while the dialog is open re-words it
        await pilot.pause()
        assert text_of(app, "#start-time").startswith(f"시간: 학습에 약 {duration(seconds)}")
        assert str(app.screen.query_one("#start-run", Button).label) == "시작 (s)"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StartRunScreen)
    assert [info.path for info in list_runs()] == [earlier]  # nothing started


async def test_without_a_measured_run_the_summary_says_the_time_is_unknown() -> None:
    app = ConvtuiApp("train", form_options())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StartRunScreen), "the summary")
        assert text_of(app, "#start-time").startswith("Time: unknown. No earlier run of tiny")


# --- deleting runs ------------------------------------------------------------------------------
async def test_runs_delete_asks_first_and_follows_f2(finished_run: Path) -> None:
    run = copy_run(finished_run, "20250101-000000-tiny")
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query_one("#runs-table").row_count == 1,
                       "the runs list")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, DeleteRunScreen)
        assert text_of(app, "#delete-text").startswith(str(run))
        assert app.screen.query_one("#keep-run", Button).has_focus  # Enter keeps it
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, DeleteRunScreen) and run.is_dir()
        await pilot.press("delete")
        await pilot.pause()
        app.action_switch_language("ko")
        await pilot.pause()
        assert text_of(app, "#delete-title") == "이 실행을 삭제할까요?"
        assert str(app.screen.query_one("#delete-run", Button).label) == "삭제 (d)"
        await pilot.press("d")
        await wait_for(pilot, lambda: not run.exists(), "the folder to go")
        await pilot.pause()
        assert text_of(app, "#status") == f"{run.name}을(를) 삭제했습니다."
        await wait_for(pilot, lambda: app.screen.query_one("#runs-table").row_count == 0,
                       "the list to lose it")


@pytest.mark.parametrize(("lang", "column", "deleted", "need_yes"), [
    ("en", "Run", "Deleted {run}", "not a terminal, so nothing was deleted"),
    ("ko", "실행", "{run} 삭제함", "터미널이 아니라서 아무것도 삭제하지 않았습니다"),
])
def test_runs_command_lists_and_deletes_in_both_languages(
        finished_run: Path, capsys: pytest.CaptureFixture[str], lang: str, column: str,
        deleted: str, need_yes: str) -> None:
    run = copy_run(finished_run, "20250101-000000-tiny")
    assert main(["--lang", lang, "runs", "list"]) == 0
    listed = capsys.readouterr().out
    assert column in listed.splitlines()[0] and run.name in listed
    assert str(runs_root()) in "".join(listed.split())
    assert main(["--lang", lang, "runs", "delete", run.name]) == 1  # stdin is no terminal
    assert need_yes in capsys.readouterr().err and run.is_dir()
    assert main(["--lang", lang, "runs", "delete", run.name, "--yes"]) == 0
    assert deleted.format(run=run) in capsys.readouterr().out and not run.exists()


# --- quitting ------------------------------------------------------------------------------------
#: A job that trains for minutes unless stopped.
LONG = {"epochs": 20, "limit_train": None, "limit_test": 100, "log_every": 5}


@pytest.mark.parametrize("choice", ["l", "s"])
async def test_quitting_never_waits_on_the_job(
        job_cleanup: list[Path], monkeypatch: pytest.MonkeyPatch, choice: str) -> None:
    """Leave or stop: the app exits without waiting on the job (it once sat in the job's
    wait for 30 s); left, the job is still training after the app has gone."""
    monkeypatch.setattr(train_screen_module, "REAP_WAIT_S", 0.01)  # a wait would not hang
    waited: list[float | None] = []
    app = ConvtuiApp("train", form_options(**LONG))
    async with app.run_test(size=SIZE) as pilot:
        await start_from_form(pilot)
        screen = panel(app)
        await wait_for(pilot, lambda: screen.run is not None
                       and screen.run.latest_batch is not None, "the first batches")
        run_dir = screen.run.path
        job_cleanup.append(run_dir)
        process = screen.jobs[run_dir].process
        real_wait = process.wait

        def recorded_wait(timeout: float | None = None) -> int:
            waited.append(timeout)
            return real_wait(timeout)

        process.wait = recorded_wait  # the real wait, noted
        followed = threading.Event()  # set when the follower, cancelled, looks up its job

        class Jobs(dict):
            def get(self, key: Path, default: object = None) -> object:
                followed.set()
                return super().get(key, default)

        screen.jobs = Jobs(screen.jobs)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitTrainingScreen), "the dialog")
        await pilot.press(choice)
    assert await asyncio.to_thread(followed.wait, WAIT_S), "the follower never ended"
    await asyncio.sleep(0.2)  # the old code called wait() right after the lookup
    assert waited == []
    if choice == "l":
        assert process.poll() is None and pid_alive(process.pid)
        assert read_run(run_dir).status == "running"
    else:
        assert read_control(run_dir) == CONTROL_STATES["stop"]  # asked, not awaited
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

"""The Train panel fed by real training runs: the charts plot the log's numbers, the progress
says where the run stands, the Runs list and comparison, the form's messages, and the panel
following a job while the user is elsewhere."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, ProgressBar

from convtui.training.run import Run, list_runs, read_run
from convtui.training.runs import runs_root
from convtui.training.series import SMOOTHING
from convtui.ui.app import ConvtuiApp
from convtui.ui.train import charts as train_charts
from convtui.ui.train.charts import Chart, ChartsView
from convtui.ui.train.form import RunForm
from convtui.ui.train.messages import RunUpdated
from convtui.ui.train.screen import TrainScreen
from tests.ui import train_fixtures
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import (
    MNIST,
    SIZE,
    copy_run,
    form_options,
    launch,
    read_log,
    start_from_form,
    wait_for,
)

finished_run = train_fixtures.finished_run


def train_screen(app: ConvtuiApp) -> TrainScreen:
    screen = app.screen
    assert isinstance(screen, TrainScreen)
    return screen


def chart(app: ConvtuiApp, name: str) -> Chart:
    return app.screen.query_one(f"#{name}-chart", Chart)


def ys(app: ConvtuiApp, chart_name: str, line: str) -> list[float]:
    found = chart(app, chart_name).line(line)
    assert found is not None, f"{chart_name} chart has no {line} line"
    return list(found.points.ys)


def xs(app: ConvtuiApp, chart_name: str, line: str) -> list[float]:
    found = chart(app, chart_name).line(line)
    assert found is not None
    return list(found.points.xs)


async def open_run(pilot, run_dir: Path) -> None:
    """Wait until the panel (opened with --resume RUN_DIR) shows the finished run."""
    await wait_for(pilot, lambda: train_screen(pilot.app).run is not None
                   and train_screen(pilot.app).run.status == "finished", "the run to open")
    await pilot.pause()


def expected_batch_losses(log: list[dict], batch_size: int, train_size: int) -> list[float]:
    """Mean loss of the batches between two log lines, worked out from the running means."""
    means, previous = [], {}
    for event in (e for e in log if e["type"] == "batch"):
        seen = min(event["batch"] * batch_size, train_size)
        done, total = previous.get(event["epoch"], (0, 0.0))
        means.append((event["loss"] * seen - total) / (seen - done))
        previous[event["epoch"]] = (seen, event["loss"] * seen)
    return means


async def test_a_finished_runs_charts_plot_its_logged_numbers(finished_run: Path) -> None:
    log = read_log(finished_run)
    batches = [e for e in log if e["type"] == "batch"]
    epochs = [e for e in log if e["type"] == "epoch"]
    app = ConvtuiApp("train", launch(resume=str(finished_run)))
    async with app.run_test(size=SIZE) as pilot:
        await open_run(pilot, finished_run)
        assert ys(app, "accuracy", "test_accuracy") == [e["test_accuracy"] * 100 for e in epochs]
        assert ys(app, "accuracy", "train_accuracy") == [
            e["train_accuracy"] * 100 for e in epochs]
        assert xs(app, "accuracy", "test_accuracy") == [1.0, 2.0]
        assert ys(app, "loss", "test_loss") == [e["test_loss"] for e in epochs]
        assert ys(app, "loss", "train_loss") == [e["train_loss"] for e in epochs]
        assert ys(app, "speed", "images_per_second") == [
            e["images_per_second"] for e in batches]
        assert xs(app, "loss", "batch_loss") == [
            e["epoch"] - 1 + e["batch"] / e["batches"] for e in batches]
        raw = expected_batch_losses(log, 100, 2000)
        assert ys(app, "loss", "batch_loss") == pytest.approx(raw, rel=1e-12)
        smooth = [raw[0]]
        for value in raw[1:]:
            smooth.append(SMOOTHING * smooth[-1] + (1 - SMOOTHING) * value)
        assert ys(app, "loss", "smoothed_loss") == pytest.approx(smooth, rel=1e-12)
        # the first stretch of an epoch is the running mean itself
        assert ys(app, "loss", "batch_loss")[0] == pytest.approx(batches[0]["loss"])
        assert chart(app, "loss").line("compare_loss") is None


async def test_a_running_jobs_charts_wait_for_news_or_the_redraw_interval(
        finished_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New batches alone are plotted at most every CHART_REDRAW_S (the job needs the CPU); a
    finished epoch or a new status is plotted at once."""
    run = read_run(finished_run)
    per_epoch = sum(1 for b in run.batches if b["epoch"] == 1)

    def running(batches: int, epochs: int, status: str = "running") -> Run:
        return replace(run, status=status, batches=run.batches[:batches],
                       epochs=run.epochs[:epochs])

    def plotted() -> tuple[int, int]:
        return (len(xs(app, "speed", "images_per_second")),
                len(chart(app, "accuracy").line("test_accuracy").points)
                if chart(app, "accuracy").line("test_accuracy") else 0)

    monkeypatch.setattr(train_charts, "CHART_REDRAW_S", 3600.0)
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE):
        charts = app.screen.query_one(ChartsView)
        charts.show(running(2, 0), None)
        assert plotted() == (2, 0)  # the first drawing of a run: at once
        charts.show(running(4, 0), None)
        assert plotted() == (2, 0)  # only new batches: they wait
        charts.show(running(per_epoch, 1), None)
        assert plotted() == (per_epoch, 1)  # an epoch ended: at once
        charts.show(running(per_epoch + 1, 1), None)
        assert plotted() == (per_epoch, 1)
        charts.show(running(per_epoch + 1, 1, "paused"), None)
        assert plotted() == (per_epoch + 1, 1)  # a new status: at once
        monkeypatch.setattr(train_charts, "CHART_REDRAW_S", 0.0)
        charts.show(running(per_epoch + 2, 1, "paused"), None)
        assert plotted() == (per_epoch + 2, 1)  # the interval has passed


async def test_the_progress_says_how_the_run_ended(finished_run: Path) -> None:
    accuracy = read_log(finished_run)[-1]["test_accuracy"]
    app = ConvtuiApp("train", launch(resume=str(finished_run)))
    async with app.run_test(size=SIZE) as pilot:
        await open_run(pilot, finished_run)
        assert text_of(app, "#run-headline") == f"{finished_run.name} · tiny · finished"
        assert text_of(app, "#state-line") == (
            f"Finished: test accuracy {accuracy * 100:.1f}% after 2 epochs.")
        assert str(app.screen.query_one("#epoch-label").render()) == "Epoch 2/2"
        assert str(app.screen.query_one("#batch-label").render()) == "Batch 20/20"
        bar = app.screen.query_one("#epoch-bar", ProgressBar)
        assert (bar.progress, bar.total) == (2, 2)
        assert f"{finished_run.name} has already finished" in text_of(app, "#status")
        shown = [b.id for b in app.screen.query("#state-row Button") if b.display]
        assert shown == ["new-run"]  # a finished run offers no Pause, Stop or Continue
        assert not train_screen(app).live_runs()  # nothing was started


async def test_runs_list_shows_each_run_and_opens_and_compares(finished_run: Path) -> None:
    older = copy_run(finished_run, "20250101-000000-tiny")
    newer = copy_run(finished_run, "20250103-000000-tiny")
    accuracy = read_log(finished_run)[-1]["test_accuracy"]
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        table = app.screen.query_one("#runs-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "the runs list")
        info = read_run(newer)
        from datetime import datetime

        started = datetime.fromtimestamp(info.started).strftime("%Y-%m-%d %H:%M")
        assert [str(c) for c in table.get_row_at(0)] == [
            "", newer.name, "tiny", started, "2/2", f"{accuracy * 100:.1f}%", "finished"]
        assert table.get_row_at(1)[1] == older.name
        await pilot.press("enter")  # open the newest
        await wait_for(pilot, lambda: train_screen(app).run is not None, "the run to open")
        assert app.screen.query_one("#train-tabs").active == "progress"
        assert text_of(app, "#run-headline").startswith(newer.name)
        await pilot.press("r")
        await wait_for(pilot, lambda: table.get_row_at(0)[0] == "▶", "the open mark")
        await pilot.press("down", "c")
        await wait_for(pilot, lambda: train_screen(app).compare is not None, "the comparison")
        assert table.get_row_at(1)[0] == "≈"
        epochs = [e for e in read_log(older) if e["type"] == "epoch"]
        assert ys(app, "accuracy", "compare_accuracy") == [
            e["test_accuracy"] * 100 for e in epochs]
        assert ys(app, "loss", "compare_loss") == ys(app, "loss", "smoothed_loss")  # a copy
        assert f"vs {older.name}" in text_of(app, "#loss-title")
        await pilot.press("c")  # the same run again: comparison off
        assert train_screen(app).compare is None
        assert chart(app, "accuracy").line("compare_accuracy") is None
        await pilot.press("up", "c")
        assert "That is the open run" in text_of(app, "#status")


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("epochs", "abc", "Epochs: expected a whole number of at least 1, got 'abc'"),
        ("batch-size", "0", "Batch size: expected a whole number of at least 1, got '0'"),
        ("lr", "fast", "Learning rate: expected a number between 0 and 10 such as 0.001, "
                       "got 'fast'"),
        ("lr", "-1", "Learning rate: expected a number between 0 and 10 such as 0.001, "
                     "got '-1'"),
        ("seed", "1.5", "Seed: expected a whole number of at least 0, got '1.5'"),
        ("limit-test", "-3", "Test images: expected a whole number of at least 1, got '-3'"),
        ("epochs", "", "Epochs: enter a value"),
        ("augment-shift", "9", "Shift (px): expected a whole number from 0 to 4, got '9'"),
        ("augment-shift", "x", "Shift (px): expected a whole number of at least 0, got 'x'"),
        # Arabic-Indic digits, which int() and float() read, get the letters' message
        ("epochs", "٣", "Epochs: expected a whole number of at least 1, got '٣'"),
        ("limit-train", "١٠٠", "Train images: expected a whole number of at least 1, got '١٠٠'"),
        ("lr", "٠.١", "Learning rate: expected a number between 0 and 10 such as 0.001, "
                     "got '٠.١'"),
    ],
)
async def test_the_form_names_the_field_that_is_wrong(field: str, text: str,
                                                      message: str) -> None:
    app = ConvtuiApp("train", form_options())
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(f"#{field}", Input).value = text
        await pilot.press("s")
        await pilot.pause()
        assert text_of(app, "#form-error") == f"✗ {message}"
        field_input = app.screen.query_one(f"#{field}", Input)
        assert field_input.has_class("invalid") and field_input.has_focus
        assert "The form has a problem" in text_of(app, "#status")
        assert list_runs() == [] and train_screen(app).run is None


async def test_a_data_folder_without_mnist_is_named_and_nothing_starts(tmp_path: Path) -> None:
    empty = tmp_path / "no-mnist"
    empty.mkdir()
    app = ConvtuiApp("train", form_options(data_dir=str(empty)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        error = text_of(app, "#form-error").replace("\n", " ")
        assert f"MNIST folder {empty} (from --data-dir)" in error
        assert "train-images-idx3-ubyte" in error and "t10k-labels-idx1-ubyte.gz" in error
        assert "was not started" in text_of(app, "#status")
        assert app.screen.query_one("#train-tabs").active == "new"
        assert list_runs() == []


async def test_asking_for_cuda_without_a_gpu_is_refused_before_a_run_is_made() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    app = ConvtuiApp("train", form_options(device="cuda"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "--device cuda" in text_of(app, "#form-error")
        assert list_runs() == []


async def test_command_line_options_fill_the_form() -> None:
    app = ConvtuiApp("train", launch(model="deep", epochs=5, lr=0.01, limit_train=300,
                                      data_dir="/data/mnist", run_dir="/tmp/my-run"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        request = app.screen.query_one(RunForm).read()
        assert (request.config.model, request.config.epochs, request.config.lr) == (
            "deep", 5, 0.01)
        assert request.config.limit_train == 300 and request.config.limit_test is None
        assert request.config.data_dir == "/data/mnist" and request.run_dir == "/tmp/my-run"
        assert request.config.batch_size == 100 and request.config.seed is None
        assert "deep: three conv blocks" in text_of(app, "#model-note")
        assert (request.config.lr_schedule, request.config.augment_shift) == ("anneal", 1)


async def test_schedule_and_augmentation_come_from_the_command_line() -> None:
    app = ConvtuiApp("train", launch(lr_schedule="constant", augment_shift=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        request = app.screen.query_one(RunForm).read()
        assert (request.config.lr_schedule, request.config.augment_shift) == ("constant", 0)


async def test_a_job_started_from_the_form_is_followed_from_another_panel() -> None:
    updates: list[RunUpdated] = []

    def keep(message) -> None:
        if isinstance(message, RunUpdated):
            updates.append(message)

    app = ConvtuiApp("train", form_options())
    async with app.run_test(size=SIZE, message_hook=keep) as pilot:
        await start_from_form(pilot)
        screen = train_screen(app)
        await wait_for(pilot, lambda: screen.run is not None, "the job to start")
        assert app.screen.query_one("#train-tabs").active == "progress"
        run_dir = screen.run.path
        assert run_dir.parent == runs_root()
        assert f"Started {run_dir.name}" in text_of(app, "#status")
        await pilot.press("1")  # the Stepper, while the job trains
        assert app.screen is not screen
        await wait_for(pilot, lambda: read_run(run_dir).status == "finished", "the job")
        await wait_for(pilot, lambda: screen.run.status == "finished", "the last update")
        await pilot.press("6")
        await pilot.pause()
        assert app.screen is screen
        log = read_log(run_dir)
        accuracy = log[-1]["test_accuracy"]
        assert text_of(app, "#state-line") == (
            f"Finished: test accuracy {accuracy * 100:.1f}% after 2 epochs.")
        assert ys(app, "accuracy", "test_accuracy") == [
            e["test_accuracy"] * 100 for e in log if e["type"] == "epoch"]
        process = screen.jobs[run_dir].process
        await wait_for(pilot, lambda: process.returncode is not None, "the job to exit")
        assert process.returncode == 0
        assert "running" in {u.run.status for u in updates}
        assert updates[-1].run.status == "finished"


async def test_korean_relabels_the_panel_and_keeps_the_run(finished_run: Path) -> None:
    app = ConvtuiApp("train", launch(resume=str(finished_run)))
    async with app.run_test(size=SIZE) as pilot:
        await open_run(pilot, finished_run)
        app.screen.query_one("#epochs", Input).value = "x"
        await pilot.press("n", "s")
        assert "Epochs: expected a whole number" in text_of(app, "#form-error")
        app.action_switch_language("ko")
        await pilot.pause()
        accuracy = read_log(finished_run)[-1]["test_accuracy"]
        assert text_of(app, "#form-error") == "✗ 에폭: 1 이상의 정수여야 합니다. 입력: 'x'"
        tabs = app.screen.query_one("#train-tabs")
        assert tabs.get_tab("progress").label.plain == "g 진행"
        assert text_of(app, "#state-line") == (
            f"완료: 2 에폭 후 테스트 정확도 {accuracy * 100:.1f}%.")
        assert text_of(app, "#run-headline") == f"{finished_run.name} · tiny · 완료"
        assert str(app.screen.query_one("#label-lr").render()) == "학습률"
        assert "손실" in text_of(app, "#loss-title")
        assert train_screen(app).run.path == finished_run
        app.action_switch_language("en")
        await pilot.pause()
        assert text_of(app, "#state-line").startswith("Finished")


async def test_the_tour_preset_sets_a_quick_tiny_run_without_starting_it() -> None:
    app = ConvtuiApp("train", launch(data_dir=str(MNIST)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        train_screen(app).show_preset("tiny")
        await pilot.pause()
        config = app.screen.query_one(RunForm).read().config
        assert (config.model, config.epochs, config.limit_train) == ("tiny", 1, 6000)
        assert config.data_dir == str(MNIST)
        assert app.screen.query_one("#train-tabs").active == "new"
        assert app.screen.query_one("#start").has_focus
        assert train_screen(app).run is None and list_runs() == []
        with pytest.raises(KeyError):
            train_screen(app).show_preset("huge")


async def test_help_explains_the_panel() -> None:
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        shown = app.screen.panel_help()
        assert "convtui train --resume RUN_DIR" in shown and "Open in Stepper" in shown

"""The background job process: killed at a bad moment, it resumes with its history intact."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from training_helpers import headless

from convtui.training.config import TrainConfig
from convtui.training.events import EVENTS_FILE, EventTail, load_history, read_events
from convtui.training.job import start_job
from convtui.training.run import read_run
from convtui.training.runs import LOG_FILE, create_run, read_json, request

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def wait_for(job, tail: EventTail, condition, what: str, timeout: float = 120.0) -> None:
    """Poll the log (as the UI does) until ``condition(tail.history)`` holds."""
    deadline = time.monotonic() + timeout
    while not condition(tail.history):
        if job.process.poll() is not None:
            pytest.fail(f"job exited before {what}:\n{(job.run_dir / LOG_FILE).read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)
        tail.poll()


def test_sigkilled_job_resumes_without_losing_or_repeating_an_epoch(
    mnist_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = TrainConfig(model="lab", epochs=2, seed=1, data_dir=str(mnist_dir),
                         limit_train=3000, limit_test=500, log_every=1, threads=1)
    run_dir = create_run(config)
    job = start_job(run_dir)
    assert read_run(run_dir).status == "running"
    tail = EventTail(run_dir / EVENTS_FILE)
    wait_for(job, tail, lambda h: any(e["epoch"] == 2 for e in h.batches),
             "a batch of epoch 2 (after epoch 1's checkpoint)")
    # Hold it mid-epoch (batch events of epoch 2 logged, epoch 2 unfinished), then kill it.
    request(run_dir, "pause")
    wait_for(job, tail, lambda h: h.last_lifecycle["type"] == "paused", "the pause")
    assert read_run(run_dir).status == "paused"
    os.kill(job.pid, signal.SIGKILL)
    job.process.wait()

    info = read_run(run_dir)
    assert info.status == "interrupted"
    assert [e["epoch"] for e in info.epochs] == [1]
    unfinished = [e for e in info.batches if e["epoch"] == 2]
    assert unfinished

    assert headless("--resume", str(run_dir)) == 0
    out = capsys.readouterr().out
    assert "continuing after epoch 1" in out
    assert "epoch 2/2: train loss" in out and "epoch 1/2" not in out

    summary = read_json(run_dir / "summary.json")
    assert summary["status"] == "finished" and summary["epochs_completed"] == 2
    assert [e["epoch"] for e in summary["history"]] == [1, 2]
    history = load_history(run_dir / EVENTS_FILE)
    assert [e["epoch"] for e in history.epochs] == [1, 2]
    assert history.superseded >= len(unfinished)
    steps = [e["step"] for e in history.batches]
    assert steps == list(range(1, 61))
    raw = [e for e in read_events(run_dir / EVENTS_FILE)[0] if e["type"] == "epoch"]
    assert [e["epoch"] for e in raw] == [1, 2]
    assert read_run(run_dir).status == "finished"


def test_job_process_reports_failure_in_the_log(tmp_path: Path) -> None:
    run_dir = create_run(TrainConfig(model="tiny", data_dir=str(tmp_path / "nowhere")))
    job = start_job(run_dir)
    assert job.process.wait(timeout=120) == 1
    info = read_run(run_dir)
    assert info.status == "failed"
    assert info.error is not None and f"MNIST folder {tmp_path / 'nowhere'}" in info.error
    assert "does not exist" in (run_dir / LOG_FILE).read_text()

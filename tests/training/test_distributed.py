"""Training in 2 processes (PyTorch's launcher, gloo, DistributedDataParallel) on a few hundred
real MNIST digits: rank 0 alone writes the run's files, the result is what the log says, and a
job killed after its first epoch resumes with each epoch counted once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from training_helpers import headless

from convtui.training.checkpoint import load_checkpoint
from convtui.training.config import TrainConfig
from convtui.training.events import EVENTS_FILE, load_history, read_events
from convtui.training.job import start_job
from convtui.training.run import read_run
from convtui.training.runs import (
    CHECKPOINT_FILE,
    SUMMARY_FILE,
    create_run,
    pid_alive,
    read_json,
    read_pid,
)

#: The launcher's ranks are heavy on two cores: these tests run one after another, on one worker.
pytestmark = pytest.mark.xdist_group("ddp")

SMALL = ("--model", "tiny", "--epochs", "2", "--limit-train", "400", "--limit-test", "200",
         "--batch-size", "50", "--log-every", "2", "--threads", "1", "--seed", "4",
         "--nproc", "2")


def descendants(pid: int) -> list[int]:
    """Every process started under ``pid`` (the launcher puts its ranks in sessions of their
    own, so a kill of its process group would miss them)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def test_two_process_run_is_written_by_rank_zero_alone(
    mnist_dir: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"
    assert headless(*SMALL, "--data-dir", str(mnist_dir), "--run-dir", str(run_dir)) == 0
    config = read_json(run_dir / "config.json")
    assert (config["processes"], config["batch_size"], config["lr"]) == (2, 50, 1e-3)
    events = read_events(run_dir / EVENTS_FILE)[0]
    # One writer: one start, each step once, no file left behind by another rank.
    assert [e["type"] for e in events].count("start") == 1
    steps = [e["step"] for e in events if e["type"] == "batch"]
    assert steps == sorted(set(steps)) and steps[-1] == 2 * 8
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "checkpoint.pt", "config.json", "events.jsonl", "summary.json"]
    history = load_history(run_dir / EVENTS_FILE)
    summary = read_json(run_dir / SUMMARY_FILE)
    assert summary["status"] == "finished"
    assert summary["history"] == [{k: v for k, v in e.items() if k not in ("type", "time")}
                                  for e in history.epochs]
    assert summary["test_accuracy"] == history.epochs[-1]["test_accuracy"]
    assert all(e["train_images"] == 400 for e in history.epochs)
    assert load_checkpoint(run_dir / CHECKPOINT_FILE)["epochs_completed"] == 2
    out = capfd.readouterr()
    assert f"test accuracy {summary['test_accuracy']:.2%} after 2 epochs" in out.out


def test_killed_two_process_job_resumes_with_each_epoch_once(
    mnist_dir: Path, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    job = subprocess.Popen(
        [sys.executable, "-m", "convtui", "train", "--headless", *SMALL, "--limit-train", "3000",
         "--data-dir", str(mnist_dir), "--run-dir", str(run_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "CONVTUI_LANG": "en"},
    )
    try:
        deadline = time.monotonic() + 120
        while not any(e["type"] == "checkpoint" for e in read_events(run_dir / EVENTS_FILE)[0]):
            assert job.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        for pid in [job.pid, *descendants(job.pid)]:  # the launcher and both ranks
            os.kill(pid, signal.SIGKILL)
        job.wait()
    rank_zero = read_pid(run_dir)
    while rank_zero is not None and pid_alive(rank_zero[0]):  # the kill takes a moment
        time.sleep(0.05)
    assert headless("--resume", str(run_dir), "--nproc", "2") == 0
    history = load_history(run_dir / EVENTS_FILE)
    assert history.attempts == 2
    assert [e["epoch"] for e in history.epochs] == [1, 2]
    assert read_json(run_dir / SUMMARY_FILE)["epochs_completed"] == 2
    assert load_checkpoint(run_dir / CHECKPOINT_FILE)["epochs_completed"] == 2


def test_job_started_as_the_panel_does_runs_under_the_launcher(
    mnist_dir: Path, tmp_path: Path
) -> None:
    config = TrainConfig(model="tiny", epochs=1, seed=2, data_dir=str(mnist_dir),
                         limit_train=400, limit_test=200, batch_size=50, threads=1,
                         processes=2)
    run_dir = create_run(config, tmp_path / "run")
    job = start_job(run_dir)
    code = job.process.wait(timeout=180)
    assert code == 0, (run_dir / "job.log").read_text(errors="replace")[-4000:]
    info = read_run(run_dir)
    assert info.status == "finished" and info.pid is None
    assert not (run_dir / "job.pid").exists()
    events = read_events(run_dir / EVENTS_FILE)[0]
    assert [e["type"] for e in events].count("start") == 1
    assert read_json(run_dir / SUMMARY_FILE)["test_accuracy"] == info.test_accuracy

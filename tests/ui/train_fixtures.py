"""Runs for the Train panel's tests: a real short training run (made once per session), a
recorded event log for layout snapshots, and helpers to drive the panel until it shows what a
test waits for."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from convtui.launch import Launch
from convtui.training.cli import add_train_arguments
from convtui.training.config import TrainConfig
from convtui.training.runs import create_run, pid_alive, read_pid, request, runs_root

REPO = Path(__file__).resolve().parents[2]
#: Same rule as the suite's mnist_dir fixture (a session fixture cannot use that one).
MNIST = Path(os.environ.get("CONVTUI_TEST_MNIST_DIR")
             or REPO.parent / "shared" / "datasets" / "mnist")
SIZE = (100, 32)
#: Upper bound for waiting on a real job (never reached when things work).
WAIT_S = 120.0
RUN_NAME = "20250102-030405-tiny"


def tiny_config(**changes: object) -> TrainConfig:
    """The tiny model on 2000 training and 500 test images, two epochs, one thread."""
    settings: dict[str, object] = {
        "model": "tiny", "epochs": 2, "seed": 0, "data_dir": str(MNIST), "limit_train": 2000,
        "limit_test": 500, "log_every": 2, "threads": 1, **changes}
    return TrainConfig(**settings)  # type: ignore[arg-type]


def options(**given: object) -> argparse.Namespace:
    """`convtui train`'s options namespace, as its own parser makes it, with ``given`` set."""
    parser = argparse.ArgumentParser()
    add_train_arguments(parser)
    namespace = parser.parse_args([])
    for name, value in given.items():
        assert hasattr(namespace, name), f"convtui train has no option {name}"
        setattr(namespace, name, value)
    namespace.command = "train"
    return namespace


def launch(**given: object) -> Launch:
    """What the app is asked to do by `convtui train` with ``given`` options."""
    return Launch.from_args(options(**given))


def form_options(**changes: object) -> Launch:
    """A launch whose options fill the form with ``tiny_config`` (and ``changes``)."""
    config = tiny_config(**changes)
    return launch(**{k: v for k, v in config.to_dict().items() if v is not None})


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run of the tiny model, trained in this process once per session: its log,
    checkpoint and summary are what the panel reads."""
    import torch

    from convtui.training.trainer import run_training

    torch.set_num_threads(1)
    run_dir = create_run(tiny_config(), tmp_path_factory.mktemp("train-panel") / RUN_NAME)
    run_training(run_dir)
    return run_dir


def copy_run(run_dir: Path, name: str) -> Path:
    """A copy of a run in the (per-test) user runs folder, so the Runs list finds it."""
    target = runs_root() / name
    shutil.copytree(run_dir, target)
    return target


def read_log(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]


# --- a recorded run, for snapshots ----------------------------------------------------------------
#: tiny, 2 epochs of 2000 images (20 batches), tested on 500, logged every 4 batches:
#: (epoch, batch, running loss, running accuracy, images/s).
RECORDED_BATCHES = (
    (1, 4, 2.3173, 0.1425, 6339), (1, 8, 2.2233, 0.22, 6834), (1, 12, 2.1292, 0.32583, 6812),
    (1, 16, 2.0432, 0.40125, 6627), (1, 20, 1.9441, 0.467, 6411),
    (2, 4, 1.3571, 0.78, 7906), (2, 8, 1.2909, 0.76, 7729), (2, 12, 1.2109, 0.7725, 8160),
    (2, 16, 1.1295, 0.78375, 7484), (2, 20, 1.0721, 0.786, 6824),
)
#: (epoch, train loss, train accuracy, test loss, test accuracy, images/s, seconds)
RECORDED_EPOCHS = (
    (1, 1.9441, 0.467, 1.5182, 0.688, 6404.5, 0.3123),
    (2, 1.0721, 0.786, 0.8697, 0.752, 6815.3, 0.2935),
)
RECORDED_START = 1735787045.0  # 2025-01-02 03:04:05 UTC


def write_recorded_run(root: Path) -> Path:
    """A finished run directory whose log is the recording above (no checkpoint)."""
    config = TrainConfig(model="tiny", epochs=2, seed=0, limit_train=2000, limit_test=500,
                         log_every=4, threads=1)
    run_dir = create_run(config, root / RUN_NAME)
    clock = iter(RECORDED_START + i for i in range(100))
    events = [{"type": "start", "time": next(clock), "config": config.to_dict(),
               "resumed_from_epoch": 0, "pid": 1, "device": "cpu", "threads": 1},
              {"type": "data", "time": next(clock), "folder": "mnist", "train_size": 2000,
               "test_size": 500, "batches": 20}]
    for epoch, train_loss, train_acc, test_loss, test_acc, speed, seconds in RECORDED_EPOCHS:
        events += [{"type": "batch", "time": next(clock), "epoch": e, "epochs": 2, "batch": b,
                    "batches": 20, "step": (e - 1) * 20 + b, "loss": loss, "accuracy": acc,
                    "images_per_second": ips}
                   for e, b, loss, acc, ips in RECORDED_BATCHES if e == epoch]
        events += [{"type": "epoch", "time": next(clock), "epoch": epoch, "epochs": 2,
                    "train_loss": train_loss, "train_accuracy": train_acc,
                    "test_loss": test_loss, "test_accuracy": test_acc, "train_images": 2000,
                    "train_seconds": seconds, "train_images_per_second": speed,
                    "wall_seconds": seconds},
                   {"type": "checkpoint", "time": next(clock), "epoch": epoch,
                    "file": "checkpoint.pt"}]
    events.append({"type": "done", "time": next(clock), "epochs_completed": 2,
                   "test_accuracy": 0.752})
    (run_dir / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    return run_dir


# --- waiting and cleaning up ------------------------------------------------------------------
async def wait_for(pilot, condition: Callable[[], bool], what: str,
                   timeout: float = WAIT_S) -> None:
    """Let the app run until ``condition`` holds (a real job takes seconds)."""
    steps = int(timeout / 0.1)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def job_cleanup() -> Iterator[list[Path]]:
    """Runs a test leaves training: their jobs are stopped (then killed) afterwards."""
    runs: list[Path] = []
    yield runs
    for run_dir in runs:
        found = read_pid(run_dir)
        if found is not None and pid_alive(found[0]):
            request(run_dir, "stop")
            os.kill(found[0], signal.SIGKILL)


async def start_from_form(pilot) -> None:
    """Start the form's run as a user does: s, then s again in the summary that asks."""
    from convtui.ui.train.confirm import StartRunScreen

    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, StartRunScreen), "the summary")
    await pilot.press("s")

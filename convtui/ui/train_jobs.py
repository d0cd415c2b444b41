"""Starting, continuing and stopping training jobs for the Train panel (torch-free).

The job is its own process (convtui.training.job); the panel only starts it, writes requests
into its run directory, and waits for it to end when asked to stop it before quitting.
"""

from __future__ import annotations

import argparse
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from convtui.i18n import t
from convtui.training.cli import CHANGEABLE_ON_RESUME, FIXED_ON_RESUME
from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.job import Job, start_job
from convtui.training.mnist_source import check_present, locate
from convtui.training.runs import (
    create_run,
    pid_alive,
    read_config,
    read_pid,
    request,
    run_info,
    write_config,
)
from convtui.ui.train_form import RunRequest

#: How long "stop the job" waits for it to finish its batch and save before killing it.
STOP_WAIT_S = 20.0


def check_environment(config: TrainConfig) -> None:
    """Fail before a run directory is made when the data folder or the device cannot work
    (a CUDA check imports torch: only when CUDA is asked for)."""
    check_present(locate(config.data_dir))
    if config.device == "cuda":
        from convtui.training.trainer import resolve_device

        resolve_device("cuda")


def start_new(run: RunRequest) -> Job:
    """Make the run directory and start its job."""
    run.config.validate()
    check_environment(run.config)
    run_dir = Path(run.run_dir).expanduser() if run.run_dir else None
    return start_job(create_run(run.config, run_dir))


def resume_config(run_dir: Path, options: argparse.Namespace) -> TrainConfig:
    """The run's saved settings with the changes the command line asks for; an option that
    decides what the run computes cannot change (the same rules as --headless --resume)."""
    config = read_config(run_dir)
    for name in FIXED_ON_RESUME:
        asked = getattr(options, name, None)
        if asked is not None and asked != getattr(config, name):
            raise TrainingError(t("train.resume.fixed", option="--" + name.replace("_", "-"),
                                  run=str(run_dir), saved=repr(getattr(config, name)),
                                  asked=str(asked)))
    changes = {name: getattr(options, name) for name in CHANGEABLE_ON_RESUME
               if getattr(options, name, None) is not None}
    updated = TrainConfig(**{**config.to_dict(), **changes})
    updated.validate()
    return updated


def continue_run(run_dir: Path, config: TrainConfig | None = None) -> Job | None:
    """Start a job that trains ``run_dir`` on from its checkpoint (with ``config`` saved first
    when given); None when the run has all its epochs already."""
    info = run_info(run_dir)
    if info.status in ("running", "paused"):
        raise TrainingError(t("train.resume.busy", run=str(run_dir), pid=str(info.pid)))
    config = config or read_config(run_dir)
    if config.epochs < info.epochs_completed:
        raise TrainingError(t("train.resume.fewer", epochs=config.epochs,
                              done=info.epochs_completed, run=str(run_dir)))
    if info.status == "finished" and info.epochs_completed >= config.epochs:
        return None
    check_environment(config)
    write_config(run_dir, config)
    return start_job(run_dir)


def live_pid(run_dir: Path) -> int | None:
    """The pid of the job working on ``run_dir`` now, if any."""
    found = read_pid(run_dir)
    return found[0] if found is not None and pid_alive(found[0]) else None


def stop_and_wait(runs: list[Path], reap: Callable[[], None] = lambda: None,
                  wait_s: float = STOP_WAIT_S) -> list[Path]:
    """Ask every run's job to stop, wait for them to exit (they finish their batch and write
    their summary), and kill any still there after ``wait_s`` (its last checkpoint stays
    good). Returns the runs whose job had to be killed."""
    for run_dir in runs:
        request(run_dir, "stop")
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        reap()
        if all(live_pid(run_dir) is None for run_dir in runs):
            return []
        time.sleep(0.1)
    killed = []
    for run_dir in runs:
        pid = live_pid(run_dir)
        if pid is not None:
            os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            killed.append(run_dir)
    reap()
    return killed

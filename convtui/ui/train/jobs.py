"""Starting, continuing and stopping training jobs for the Train panel (torch-free).

The job is its own process (convtui.training.job); the panel only starts it, writes requests
into its run directory, and waits for it to end when asked to stop it before quitting.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from convtui.i18n import t
from convtui.training.cli import CHANGEABLE_ON_RESUME, FIXED_ON_RESUME
from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.job import Job, start_job
from convtui.training.preflight import check_environment
from convtui.training.runs import (
    create_run,
    pid_alive,
    read_config,
    read_pid,
    run_info,
    write_config,
)
from convtui.ui.train.form import RunRequest


def start_new(run: RunRequest) -> Job:
    """Make the run directory and start its job (once ``check_environment`` has passed and
    the user has confirmed)."""
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

"""Jobs as the Train panel starts them: a new run from what its form asks for, or a run that
ended early trained further (by the resume rules `convtui train --resume` follows too).

Torch-free: the job is a process of its own (``convtui.training.job``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from convtui.training.config import TrainConfig
from convtui.training.job import Job, start_job
from convtui.training.resume import PANEL_WORDS, prepare_resume
from convtui.training.runs import create_run


@dataclass(frozen=True)
class RunRequest:
    """What the New run form asks for: the settings and, optionally, where to keep the run."""

    config: TrainConfig
    run_dir: str | None


def start_new(run: RunRequest) -> Job:
    """Make the run directory and start its job (once ``check_environment`` has passed and
    the user has confirmed)."""
    run_dir = Path(run.run_dir).expanduser() if run.run_dir else None
    return start_job(create_run(run.config, run_dir))


def continue_run(run_dir: Path, config: TrainConfig | None = None) -> Job | None:
    """Start a job that trains ``run_dir`` on from its checkpoint, with ``config`` (default:
    its saved settings); None when the run has all its epochs already."""
    resume = prepare_resume(run_dir, PANEL_WORDS, config)
    return start_job(run_dir) if resume.left else None

"""The rules for taking a run further, the same for `convtui train --resume` and the Train panel.

A resumed run keeps every setting that decides what it computes (FIXED_ON_RESUME) and may
change the others; it cannot be asked for fewer epochs than it has done, and a run a job is
working on is not resumed. The command line and the panel word a refusal each their own way
(``ResumeWords``): the CLI also names the setting, the panel says what the run was trained with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convtui.i18n import t
from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.mnist_source import DownloadProgress
from convtui.training.preflight import check_environment
from convtui.training.run import Run, read_run
from convtui.training.runs import read_config, write_config

#: Settings that decide what a run computes, so a resumed run must keep them.
FIXED_ON_RESUME = ("model", "batch_size", "lr", "seed", "limit_train", "limit_test",
                   "lr_schedule", "augment_shift")
#: Settings a resumed run may change (more epochs, another device or data folder, where it
#: reports, how many processes share each batch).
CHANGEABLE_ON_RESUME = ("epochs", "device", "data_dir", "log_every", "threads",
                        "tensorboard", "visdom", "processes")


@dataclass(frozen=True)
class ResumeWords:
    """The catalogue keys a refusal is said with. ``fixed``: a FIXED_ON_RESUME setting asked
    to change ({option}, {name}, {run}, {saved}, {asked}); ``busy``: a job is working on the
    run ({run}, {status}, {pid}); ``fewer``: fewer epochs than it has done ({epochs}, {done},
    {run})."""

    fixed: str
    busy: str
    fewer: str


CLI_WORDS = ResumeWords("training.cli.resume_fixed", "training.cli.resume_busy",
                        "training.cli.resume_fewer")
PANEL_WORDS = ResumeWords("train.resume.fixed", "train.resume.busy", "train.resume.fewer")


@dataclass(frozen=True)
class Resume:
    """A resume the rules allow: the settings it goes on with, and the run as it stood."""

    config: TrainConfig
    run: Run

    @property
    def left(self) -> bool:
        """Whether there are epochs left to train (if not, nothing was checked or saved)."""
        return not (self.run.status == "finished"
                    and self.run.epochs_completed >= self.config.epochs)


def resumed_config(run_dir: Path, asked: Mapping[str, Any], words: ResumeWords) -> TrainConfig:
    """The run's saved settings with the changes ``asked`` for (settings by TrainConfig field
    name, as `convtui train`'s options give them; None or absent: not asked); a
    FIXED_ON_RESUME setting asked to change is refused."""
    config = read_config(run_dir)
    for name in FIXED_ON_RESUME:
        wanted, saved = asked.get(name), getattr(config, name)
        if wanted is not None and wanted != saved:
            raise TrainingError(t(words.fixed, option="--" + name.replace("_", "-"),
                                  run=str(run_dir), name=name, saved=repr(saved), asked=wanted))
    changes = {name: asked[name] for name in CHANGEABLE_ON_RESUME
               if asked.get(name) is not None}
    updated = TrainConfig(**{**config.to_dict(), **changes})
    updated.validate()
    return updated


def prepare_resume(run_dir: Path, words: ResumeWords, config: TrainConfig | None = None,
                   progress: DownloadProgress | None = None) -> Resume:
    """Check that a job may take ``run_dir`` further with ``config`` (default: its saved
    settings); unless nothing is left to train, check the data and device too and save
    ``config`` as the run's, ready for the job. A refusal raises ``TrainingError``."""
    run = read_run(run_dir)
    if run.active:
        status = (t("training.cli.status_running") if run.status == "running"
                  else t("training.cli.status_paused"))
        raise TrainingError(t(words.busy, run=str(run_dir), status=status, pid=run.pid))
    config = config or read_config(run_dir)
    if config.epochs < run.epochs_completed:
        raise TrainingError(t(words.fewer, epochs=config.epochs, done=run.epochs_completed,
                              run=str(run_dir)))
    resume = Resume(config, run)
    if resume.left:
        check_environment(config, progress)
        write_config(run_dir, config)
    return resume

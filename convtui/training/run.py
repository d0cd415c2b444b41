"""A run as its folder tells it at one moment: its log's history, how its life stands, whether
a job is working on it.

``Run`` is the one model of a run. The Runs list, ``convtui runs``, the exports and the resume
rules read it; the Train panel only draws it: its tailing worker makes a new one after each
read of the log, so the UI thread draws a run that no other thread changes. Torch-free.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from convtui.i18n import t
from convtui.training.errors import TrainingError
from convtui.training.events import EVENTS_FILE, RunHistory, load_history
from convtui.training.runs import CONFIG_FILE, live_job, read_config, runs_root

#: Statuses in which a job process is working on the run.
ACTIVE = ("running", "paused")
#: The status a run's last lifecycle event leaves it in, once no job works on it.
TERMINAL = {"done": "finished", "error": "failed", "stopped": "stopped"}


@dataclass(frozen=True, kw_only=True)
class Run(RunHistory):
    """What the log says (``RunHistory``), with where the run is and its status: running,
    paused, finished, failed, stopped, or interrupted (see ``run_status``). ``config`` is the
    settings its last job started with, else (no job has started yet) those it was made with."""

    path: Path
    status: str
    pid: int | None = None  # of the job working on it
    gone: bool = False  # its folder was deleted (while the panel followed it)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def target_epochs(self) -> int:
        return int(self.config["epochs"]) if self.config else 0

    @property
    def lost_lines(self) -> int:
        """Lines of its log that are lost: the unreadable ones, and a torn last line once no
        job is left to finish writing it."""
        return self.unreadable + (self.torn and not self.active)

    @property
    def can_continue(self) -> bool:
        """A job could take the run further: it ended early, or never said how it ended."""
        return not self.active and self.status != "finished" and self.config is not None \
            and self.epochs_completed < self.target_epochs and not self.gone

    def folder_checked(self) -> Run:
        """This run, told whether its folder is still there (a run that has ended is no
        longer tailed, so nothing else would notice it deleted)."""
        gone = not self.path.is_dir()
        return self if gone == self.gone else replace(self, gone=gone)

    def eta_seconds(self) -> float | None:
        """Training time left at the current rate (evaluation after each epoch not counted)."""
        batch = self.latest_batch
        if not self.active or batch is None or self.config is None or self.data is None:
            return None
        rate = float(batch["images_per_second"])
        if rate <= 0:
            return None
        train_size, batch_size = int(self.data["train_size"]), int(self.config["batch_size"])
        left_in_epoch = max(0, train_size - min(batch["batch"] * batch_size, train_size))
        later_epochs = max(0, self.target_epochs - int(batch["epoch"]))
        return (left_in_epoch + later_epochs * train_size) / rate


def run_status(run_dir: Path, history: RunHistory) -> tuple[str, int | None]:
    """(status, pid of its live job or None) of a run whose log reads as ``history``: running,
    paused, finished, failed, stopped, or interrupted (its job died without saying why: killed,
    crashed, or the computer went down)."""
    job = live_job(run_dir)
    last = history.last_lifecycle
    ended = last["type"] if last is not None and last["type"] in TERMINAL else None
    # A live job that started after the last ending is working on the run again.
    if job is not None and (ended is None or last is None or last["time"] < job[1]):
        status = "paused" if last is not None and last["type"] == "paused" else "running"
    elif ended is not None:
        status = TERMINAL[ended]
    else:
        status = "interrupted"
    return status, job[0] if job is not None else None


def read_run(run_dir: Path, history: RunHistory | None = None) -> Run:
    """The run as ``history`` (its log as read so far; default: all of it) and its pid file
    tell it now. Cheap enough for a UI following a run to call after every read of the log."""
    if history is None:
        history = load_history(run_dir / EVENTS_FILE)
    status, pid = run_status(run_dir, history)
    logged: dict[str, Any] = {f.name: getattr(history, f.name) for f in fields(RunHistory)}
    if history.config is None:
        logged["config"] = _made_with(run_dir)
    return Run(**logged, path=run_dir, status=status, pid=pid, gone=not run_dir.is_dir())


def _made_with(run_dir: Path) -> dict[str, Any] | None:
    """The settings the run was made with (None when its config.json cannot be read)."""
    with contextlib.suppress(TrainingError):
        return read_config(run_dir).to_dict()
    return None


def list_runs(root: Path | None = None) -> list[Run]:
    """Every run under ``root`` (default: the user's runs folder), newest first (run folder
    names start with their creation time)."""
    root = root or runs_root()
    if not root.is_dir():
        return []
    dirs = sorted((p for p in root.iterdir() if (p / CONFIG_FILE).is_file()), reverse=True)
    return [read_run(p) for p in dirs]


def delete_run(run_dir: Path) -> None:
    """Remove a run folder with everything in it. Only a folder that really is a convtui run
    (a readable config.json) is removed, and never while a job is working on it."""
    if not (run_dir / CONFIG_FILE).is_file():
        raise TrainingError(t("training.runs.not_a_run", run=str(run_dir), file=CONFIG_FILE))
    read_config(run_dir)
    run = read_run(run_dir)
    if run.active:
        raise TrainingError(t("runs_cli.busy", run=str(run_dir), pid=str(run.pid)))
    try:
        shutil.rmtree(run_dir)
    except OSError as exc:
        raise TrainingError(t("runs_cli.cannot_delete", run=str(run_dir),
                              reason=str(exc.strerror or exc))) from None

"""Run directories: their layout, the settings they hold, and the job's pid and control files.

A run directory (``<data dir>/runs/<YYYYmmdd-HHMMSS>-<model>`` unless the user names one) holds::

    config.json     what was asked (TrainConfig), seed included
    events.jsonl    the append-only event log (see convtui.training.events)
    checkpoint.pt   model + optimiser + epochs done + RNG state, replaced after each epoch
    summary.json    the result, written when the run finishes or is stopped
    job.pid         {"pid", "started"} of the process working on it, removed when it exits
    control         "run", "pause" or "stop" and when it was asked: the job polls it between
                    batches, ignoring requests older than itself
    job.log         stdout/stderr of a background job process

Torch-free, like ``convtui.training.run``, the model of a run these files make up.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from convtui import atomic
from convtui.i18n import t
from convtui.paths import data_dir
from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError

CONFIG_FILE = "config.json"
CHECKPOINT_FILE = "checkpoint.pt"
SUMMARY_FILE = "summary.json"
PID_FILE = "job.pid"
CONTROL_FILE = "control"
LOG_FILE = "job.log"

#: What the control file may hold, keyed by the request that writes it.
CONTROL_STATES = {"pause": "pause", "resume": "run", "stop": "stop"}


def runs_root() -> Path:
    return data_dir() / "runs"


def write_json(path: Path, data: Any) -> None:
    atomic.write_text(path, json.dumps(data, indent=2) + "\n")


def read_json(path: Path) -> Any:
    """The file's JSON, or None when it is absent or not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- creating runs ------------------------------------------------------------------------------


def new_run_path(model: str, root: Path | None = None) -> Path:
    root = root or runs_root()
    base = f"{datetime.now():%Y%m%d-%H%M%S}-{model}"
    path, n = root / base, 1
    while path.exists():
        n += 1
        path = root / f"{base}-{n}"
    return path


def create_run(config: TrainConfig, run_dir: Path | None = None) -> Path:
    """Make a run directory holding ``config`` (with its seed fixed); refuse to reuse a run's."""
    config.validate()
    config = config.with_seed()
    run_dir = run_dir or new_run_path(config.model)
    if (run_dir / CONFIG_FILE).exists():
        raise TrainingError(t("training.runs.exists", run=str(run_dir)))
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrainingError(t("training.runs.cannot_create", run=str(run_dir),
                              reason=str(exc.strerror or exc))) from None
    write_config(run_dir, config)
    return run_dir


def write_config(run_dir: Path, config: TrainConfig) -> None:
    write_json(run_dir / CONFIG_FILE, config.to_dict())


def read_config(run_dir: Path) -> TrainConfig:
    data = read_json(run_dir / CONFIG_FILE)
    if not isinstance(data, dict):
        raise TrainingError(t("training.runs.not_a_run", run=str(run_dir), file=CONFIG_FILE))
    try:
        return TrainConfig.from_dict(data)
    except TypeError as exc:
        raise TrainingError(t("training.runs.bad_config", path=str(run_dir / CONFIG_FILE),
                              reason=str(exc))) from None


# --- control and pid files ----------------------------------------------------------------------


def request(run_dir: Path, action: str) -> None:
    """Ask the run's job to ``pause``, ``resume`` or ``stop`` (it acts between batches)."""
    if action not in CONTROL_STATES:
        raise ValueError(f"unknown request {action!r}; expected one of {list(CONTROL_STATES)}")
    write_json(run_dir / CONTROL_FILE, {"state": CONTROL_STATES[action], "time": time.time()})


def read_control(run_dir: Path, since: float = 0.0) -> str:
    """The state last asked for, or ``run`` if that request is older than ``since`` (a pause or
    stop meant for an earlier job of the run must not hold up the next one)."""
    data = read_json(run_dir / CONTROL_FILE)
    if not isinstance(data, dict) or data.get("state") not in CONTROL_STATES.values():
        return "run"
    asked_at = data.get("time")
    if not isinstance(asked_at, (int, float)) or asked_at < since:
        return "run"
    return str(data["state"])


def write_pid(run_dir: Path, pid: int) -> float:
    """Record ``pid`` as the run's job, started now; return that time."""
    started = time.time()
    write_json(run_dir / PID_FILE, {"pid": pid, "started": started})
    return started


def read_pid(run_dir: Path) -> tuple[int, float] | None:
    """(pid, when it started) of the run's job, if the pid file is there."""
    data = read_json(run_dir / PID_FILE)
    if isinstance(data, dict) and isinstance(data.get("pid"), int):
        return data["pid"], float(data.get("started", 0.0))
    return None


def live_job(run_dir: Path) -> tuple[int, float] | None:
    """(pid, when it started) of the job working on the run now: its pid file's, while that
    process is alive."""
    found = read_pid(run_dir)
    return found if found is not None and pid_alive(found[0]) else None


def clear_pid(run_dir: Path, pid: int) -> None:
    """Remove the pid file if it is still ours (a newer job may have replaced it)."""
    found = read_pid(run_dir)
    if found is not None and found[0] == pid:
        (run_dir / PID_FILE).unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie counts as exited)."""
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _windows_pid_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    try:
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    finally:
        kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE

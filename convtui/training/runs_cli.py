"""`convtui runs`: the Runs tab on the command line (list the runs, delete some).

One subparser per action (``add_runs_parser`` registers each), so more actions can join
without touching the others. Torch-free: it reads run folders only.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from convtui.i18n import t, tn
from convtui.training.errors import TrainingError
from convtui.training.export import add_export_commands
from convtui.training.run import Run, delete_run, list_runs, read_run
from convtui.training.runs import read_config, runs_root


def started_text(run: Run) -> str:
    """When the run's first job began, in local time ("-" before it ever ran)."""
    started = run.started
    return datetime.fromtimestamp(started).strftime("%Y-%m-%d %H:%M") if started else "-"


def epochs_text(run: Run) -> str:
    """Epochs done, out of how many it is set for: "1/3"."""
    target = (run.config or {}).get("epochs")
    return f"{run.epochs_completed}/{target}" if target else str(run.epochs_completed)


def model_text(run: Run) -> str:
    return str((run.config or {}).get("model", "?"))


def run_row(run: Run) -> tuple[str, str, str, str, str, str]:
    """(name, model, status, epochs done/total, best test accuracy, started) as shown."""
    accuracies = [e["test_accuracy"] for e in run.epochs]
    return (run.name, model_text(run), t(f"train.status.{run.status}"), epochs_text(run),
            f"{max(accuracies) * 100:.1f}%" if accuracies else "-", started_text(run))


def list_command(args: argparse.Namespace) -> int:
    console = Console(highlight=False)
    runs = list_runs()
    if not runs:
        console.print(t("runs_cli.none", folder=str(runs_root())), markup=False)
        return 0
    table = Table(box=None, pad_edge=False)
    for column in ("name", "model", "status", "epochs", "best", "started"):
        table.add_column(t(f"runs_cli.column_{column}"))
    for run in runs:
        table.add_row(*run_row(run))
    console.print(table)
    console.print(t("runs_cli.folder", folder=str(runs_root())), markup=False)
    return 0


def _resolve(name: str) -> Path:
    """A run named by its folder, or by its name in the user's runs folder."""
    path = Path(name).expanduser()
    return path if path.exists() or path.is_absolute() else runs_root() / name


def delete_command(args: argparse.Namespace) -> int:
    """Delete each run named (asking first on a terminal, unless --yes). 1 when any could
    not be deleted."""
    errors = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
    console = Console(highlight=False, markup=False, soft_wrap=True)
    runs, failed = [], False
    for name in args.runs:
        path = _resolve(name)
        try:
            if not path.is_dir():
                raise TrainingError(t("runs_cli.missing", run=str(path)))
            run = read_run(path)
            if run.active:
                raise TrainingError(t("runs_cli.busy", run=str(path), pid=str(run.pid)))
            read_config(path)  # a folder that is not a run says so
            runs.append(path)
        except TrainingError as exc:
            errors.print(t("runs_cli.error", message=exc.message))
            failed = True
    if runs and not args.yes:
        if not sys.stdin.isatty():
            errors.print(t("runs_cli.need_yes"))
            return 1
        answer = input(tn("runs_cli.confirm", len(runs),
                          runs=", ".join(p.name for p in runs)) + " ")
        if answer.strip().lower() not in (t("runs_cli.yes_word"), "y", "yes"):
            console.print(t("runs_cli.kept"))
            return 1
    for path in runs:
        try:
            delete_run(path)
            console.print(t("runs_cli.deleted", run=str(path)))
        except TrainingError as exc:
            errors.print(t("runs_cli.error", message=exc.message))
            failed = True
    return 1 if failed else 0


def add_runs_parser(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``convtui runs list`` and ``convtui runs delete RUN... [--yes]``."""
    runs = sub.add_parser("runs", help=t("runs_cli.help"), description=t("runs_cli.help"),
                          parents=parents)
    actions = runs.add_subparsers(dest="runs_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=t("runs_cli.list_help"), parents=parents)
    listing.set_defaults(run=list_command)
    delete = actions.add_parser("delete", help=t("runs_cli.delete_help"), parents=parents)
    delete.add_argument("runs", nargs="+", metavar="RUN", help=t("runs_cli.run_help"))
    delete.add_argument("--yes", "-y", action="store_true", help=t("runs_cli.yes_help"))
    delete.set_defaults(run=delete_command)
    add_export_commands(actions, parents)  # export (CSV / JSON) and export-tb

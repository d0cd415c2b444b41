"""Runs taken out of convtui: a table for a spreadsheet or a script, and TensorBoard files.

``convtui runs export --csv FILE`` / ``--json FILE`` writes one row per run (its settings,
every epoch's metrics, the final accuracy, throughput and wall time), read from each run's
event log, so an interrupted run is there with the epochs it finished. ``convtui runs
export-tb RUN_DIR...`` replays runs' logs into TensorBoard files, for runs trained without
``--tensorboard``. The table needs no torch; the TensorBoard export imports it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from convtui import atomic
from convtui.i18n import t, tn
from convtui.training.config import NOT_HPARAMS, TENSORBOARD_SUBFOLDER, TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.events import Event
from convtui.training.run import Run, list_runs, read_run
from convtui.training.runs import CHECKPOINT_FILE, SUMMARY_FILE, read_config, read_json

#: (column, field of the ``epoch`` event): what each epoch contributes to a run's row.
EPOCH_COLUMNS = (("train_loss", "train_loss"), ("train_accuracy", "train_accuracy"),
                 ("test_loss", "test_loss"), ("test_accuracy", "test_accuracy"),
                 ("images_per_second", "train_images_per_second"),
                 ("wall_seconds", "wall_seconds"), ("lr_end", "lr_end"))
TOTALS = ("test_accuracy", "test_loss", "train_accuracy", "train_loss",
          "train_images_per_second", "wall_seconds")


def run_totals(epochs: Sequence[Event]) -> dict[str, Any]:
    """A run's result from its epochs: the last epoch's metrics, the throughput over all of
    them (images / training seconds) and their wall time (None where there is no epoch)."""
    last = epochs[-1] if epochs else {}
    train_seconds = sum(e["train_seconds"] for e in epochs)
    return {
        "test_accuracy": last.get("test_accuracy"),
        "test_loss": last.get("test_loss"),
        "train_accuracy": last.get("train_accuracy"),
        "train_loss": last.get("train_loss"),
        "train_images_per_second": (
            sum(e["train_images"] for e in epochs) / train_seconds if train_seconds else None
        ),
        "wall_seconds": sum(e["wall_seconds"] for e in epochs),
    }


def run_record(run: Run) -> dict[str, Any]:
    """One run as the JSON export holds it."""
    started = run.started
    return {
        "run": run.name,
        "path": str(run.path),
        "status": run.status,
        "started": (datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds")
                    if started is not None else None),
        "epochs_completed": run.epochs_completed,
        **run_totals(run.epochs),
        "config": run.config if run.config is not None else read_config(run.path).to_dict(),
        # .get: a log written before a metric was logged (lr_end) still exports
        "epochs": [{"epoch": e["epoch"], **{column: e.get(key) for column, key in EPOCH_COLUMNS}}
                   for e in run.epochs],
    }


def csv_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, rows): each record flattened, ``config.<setting>`` and ``epoch<N>.<metric>``
    columns, as many epochs as the longest run has."""
    settings = list(TrainConfig.__dataclass_fields__)
    longest = max((len(r["epochs"]) for r in records), default=0)
    columns = ["run", "path", "status", "started", "epochs_completed", *TOTALS,
               *(f"config.{name}" for name in settings),
               *(f"epoch{n}.{column}" for n in range(1, longest + 1)
                 for column, _ in EPOCH_COLUMNS)]
    rows = []
    for record in records:
        row = {name: record[name] for name in columns[:5 + len(TOTALS)]}
        row.update({f"config.{name}": record["config"].get(name) for name in settings})
        for epoch in record["epochs"]:
            row.update({f"epoch{epoch['epoch']}.{column}": epoch[column]
                        for column, _ in EPOCH_COLUMNS})
        rows.append(row)
    return columns, rows


def write_csv(records: list[dict[str, Any]], path: Path) -> None:
    """The table as CSV: floats in full (repr) precision, an empty cell for None."""
    columns, rows = csv_rows(records)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    _write(path, text.getvalue())


def write_json_table(records: list[dict[str, Any]], path: Path) -> None:
    _write(path, json.dumps(records, indent=2) + "\n")


#: How ``export_table`` writes a file, chosen by its suffix.
WRITERS: dict[str, Callable[[list[dict[str, Any]], Path], None]] = {
    ".csv": write_csv, ".json": write_json_table}


def all_records(root: Path | None = None) -> list[dict[str, Any]]:
    """Every run under ``root`` (default: the user's runs folder), oldest first."""
    return [run_record(run) for run in reversed(list_runs(root))]


def export_table(path: Path, root: Path | None = None) -> int:
    """Write every run to ``path``, CSV or JSON by its suffix (the Runs tab's export);
    return how many runs were written."""
    write = WRITERS.get(path.suffix.lower())
    if write is None:
        raise TrainingError(t("training.export_file.bad_suffix", path=str(path)))
    records = all_records(root)
    write(records, path)
    return len(records)


# --- the hyperparameter table ---------------------------------------------------------------------
#: The settings that decide what a run computes, and its final metrics: the columns of the
#: Runs tab's hyperparameter table (after the run's name and state).
HPARAM_SETTINGS = tuple(name for name in TrainConfig.__dataclass_fields__
                        if name not in NOT_HPARAMS)
HPARAM_COLUMNS = ("run", "status", *HPARAM_SETTINGS, "epochs_completed", *TOTALS)


def hparam_row(record: dict[str, Any]) -> dict[str, Any]:
    """One run's row of the hyperparameter table: its settings and final metrics (raw)."""
    return {"run": record["run"], "status": record["status"],
            **{name: record["config"].get(name) for name in HPARAM_SETTINGS},
            **{name: record[name] for name in ("epochs_completed", *TOTALS)}}


def sort_rows(rows: list[dict[str, Any]], column: str, descending: bool = False
              ) -> list[dict[str, Any]]:
    """``rows`` ordered by ``column``: numbers as numbers, text as text, and rows without a
    value last whichever the direction (a run with no epoch has no accuracy)."""
    present = [row for row in rows if row.get(column) is not None]
    missing = [row for row in rows if row.get(column) is None]
    numeric = all(isinstance(row[column], (int, float)) for row in present)
    return sorted(present, key=lambda row: row[column] if numeric else str(row[column]),
                  reverse=descending) + missing


def _write(path: Path, text: str) -> None:
    try:
        atomic.write_text(path, text)
    except OSError as exc:
        raise TrainingError(t("training.export.cannot_write", path=str(path),
                              reason=str(exc.strerror or exc))) from None


# --- TensorBoard ----------------------------------------------------------------------------------


def export_tensorboard(run_dir: Path, out: Path | None = None) -> Path:
    """Write ``run_dir``'s log as TensorBoard files in ``out/<run name>`` (default: the run's
    own ``tensorboard/`` folder); return that folder. Filters come from the checkpoint (the
    last epoch it holds), HParams once the run has finished."""
    read_config(run_dir)
    run = read_run(run_dir)
    folder = out / run_dir.name if out is not None else run_dir / TENSORBOARD_SUBFOLDER
    if any(folder.glob("events.out.tfevents.*")):
        raise TrainingError(t("training.export.tb_exists", folder=str(folder)))
    data = run.data
    if data is None or (not run.epochs and not run.batches):
        raise TrainingError(t("training.export.tb_nothing", run=str(run_dir)))
    from convtui.training.checkpoint import load_checkpoint
    from convtui.training.models import build_model, first_conv
    from convtui.training.tensorboard_log import TensorBoardLog

    board = TensorBoardLog(folder, data["batches"], option="export-tb")
    try:
        for event in sorted(run.batches + run.epochs, key=lambda e: e["time"]):
            board.on_event(event)
        checkpoint = load_checkpoint(run_dir / CHECKPOINT_FILE)
        if checkpoint is not None:
            model = build_model(checkpoint["model"])
            model.load_state_dict(checkpoint["model_state"])
            board.filters(first_conv(model).weight, int(checkpoint["epochs_completed"]))
        summary = read_json(run_dir / SUMMARY_FILE)
        if run.status == "finished" and isinstance(summary, dict):
            board.finish(summary)
    finally:
        board.close()
    return folder


# --- command line ---------------------------------------------------------------------------------


def add_export_commands(sub: argparse._SubParsersAction, parents: list) -> None:
    """``export`` and ``export-tb`` under ``convtui runs``; each sets ``args.run``."""
    export = sub.add_parser("export", help=t("training.export.help"), parents=parents,
                            description=t("training.export.help"))
    export.add_argument("--csv", metavar="FILE", type=Path, help=t("training.export.csv"))
    export.add_argument("--json", metavar="FILE", type=Path, help=t("training.export.json"))
    export.add_argument("--root", metavar="DIR", type=Path, help=t("training.export.root"))
    export.set_defaults(run=run_export)
    board = sub.add_parser("export-tb", help=t("training.export.tb_help"), parents=parents,
                           description=t("training.export.tb_help"))
    board.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", type=Path)
    board.add_argument("--out", metavar="DIR", type=Path, help=t("training.export.out"))
    board.set_defaults(run=run_export_tb)


def _reporting(work: Callable[[Console], int]) -> int:
    """Run ``work``; a ``TrainingError`` is a message on stderr and exit status 1."""
    console = Console(highlight=False, markup=False, soft_wrap=True)
    try:
        return work(console)
    except TrainingError as exc:
        Console(stderr=True, highlight=False, markup=False, soft_wrap=True).print(
            t("training.export.error", message=exc.message))
        return 1


def run_export(args: argparse.Namespace) -> int:
    def work(console: Console) -> int:
        if args.csv is None and args.json is None:
            raise TrainingError(t("training.export.no_file"))
        records = all_records(args.root)
        for path, write in ((args.csv, write_csv), (args.json, write_json_table)):
            if path is not None:
                write(records, path)
                console.print(tn("training.export.written", len(records), path=str(path)))
        return 0

    return _reporting(work)


def run_export_tb(args: argparse.Namespace) -> int:
    def work(console: Console) -> int:
        folders = []
        for run_dir in args.run_dirs:
            folders.append(export_tensorboard(run_dir, args.out))
            console.print(t("training.export.tb_written", run=str(run_dir),
                            folder=str(folders[-1])))
        # One folder that holds them all, for `tensorboard --logdir`.
        logdir = args.out or (folders[0] if len(folders) == 1
                              else Path(os.path.commonpath([f.parent.parent for f in folders])))
        console.print(t("training.export.tb_view", folder=str(logdir)))
        return 0

    return _reporting(work)

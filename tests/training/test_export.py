"""`convtui runs export` / `export-tb`: the CSV (read with the csv module), the JSON and the
TensorBoard files (read with TensorBoard's reader) say what the runs' event logs say."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
import torch
from tensorboard_reading import assert_matches_log

from convtui.cli import main
from convtui.training.config import TrainConfig
from convtui.training.events import EVENTS_FILE, load_history
from convtui.training.runs import create_run, read_json, request
from convtui.training.trainer import run_training

# The suite's mnist_dir rule, for the module-scoped runs below.
MNIST_FOR_MODULES = Path(
    os.environ.get("CONVTUI_TEST_MNIST_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "datasets" / "mnist"
)


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two runs: one finished after 2 epochs, one stopped in its second epoch (1 kept)."""
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("runs")
    for name, seed, stop in (("a-finished", 1, False), ("b-stopped", 2, True)):
        config = TrainConfig(model="tiny", epochs=2, seed=seed, data_dir=str(MNIST_FOR_MODULES),
                             limit_train=600, limit_test=200, log_every=3, threads=1,
                             batch_size=50 * seed)
        run_dir = create_run(config, root / name)

        def stop_in_epoch_two(event: dict, run_dir: Path = run_dir, stop: bool = stop) -> None:
            if stop and event["type"] == "batch" and event["epoch"] == 2:
                request(run_dir, "stop")

        run_training(run_dir, listener=stop_in_epoch_two)
    return root


def runs_command(*argv: str) -> int:
    """`convtui runs ARGV...`, through convtui's own command line."""
    return main(["runs", *argv])


def expected_totals(run_dir: Path) -> dict:
    epochs = load_history(run_dir / EVENTS_FILE).epochs
    return {
        "epochs": epochs,
        "images_per_second": sum(e["train_images"] for e in epochs)
        / sum(e["train_seconds"] for e in epochs),
        "wall_seconds": sum(e["wall_seconds"] for e in epochs),
    }


def test_csv_and_json_hold_one_row_per_run_as_the_logs_say(
    runs_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, data = tmp_path / "runs.csv", tmp_path / "runs.json"
    assert runs_command("export", "--root", str(runs_root), "--csv", str(table),
                        "--json", str(data)) == 0
    assert f"Wrote 2 runs to {table}." in capsys.readouterr().out
    with table.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = json.loads(data.read_text())
    assert [r["run"] for r in rows] == [r["run"] for r in records] == ["a-finished", "b-stopped"]
    for row, record in zip(rows, records, strict=True):
        run_dir = runs_root / row["run"]
        config = read_json(run_dir / "config.json")
        expected = expected_totals(run_dir)
        epochs = expected["epochs"]
        assert record["config"] == config
        for name, value in config.items():
            assert row[f"config.{name}"] == ("" if value is None else str(value))
        assert row["status"] == record["status"] == ("finished" if row["run"][0] == "a"
                                                     else "stopped")
        assert int(row["epochs_completed"]) == record["epochs_completed"] == len(epochs)
        assert float(row["test_accuracy"]) == record["test_accuracy"] == epochs[-1][
            "test_accuracy"]
        assert float(row["train_images_per_second"]) == pytest.approx(
            expected["images_per_second"], rel=1e-12)
        assert float(row["wall_seconds"]) == pytest.approx(expected["wall_seconds"], rel=1e-12)
        for event, nested in zip(epochs, record["epochs"], strict=True):
            n = event["epoch"]
            assert nested["epoch"] == n
            for column, key in (("train_loss", "train_loss"), ("test_loss", "test_loss"),
                                ("test_accuracy", "test_accuracy"),
                                ("images_per_second", "train_images_per_second")):
                assert float(row[f"epoch{n}.{column}"]) == nested[column] == event[key]
    # The stopped run has one epoch: its second epoch's cells are empty.
    assert rows[1]["epoch2.test_loss"] == "" and rows[0]["epoch2.test_loss"] != ""


def test_export_tb_converts_a_run_and_refuses_to_write_twice(
    runs_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "boards"
    run_dir = runs_root / "a-finished"
    assert runs_command("export-tb", str(run_dir), "--out", str(out)) == 0
    assert f"View with: tensorboard --logdir {out}" in capsys.readouterr().out
    assert_matches_log(run_dir, out / "a-finished")
    assert runs_command("export-tb", str(run_dir), "--out", str(out), "--lang", "ko") == 1
    assert capsys.readouterr().err.startswith(
        f"convtui runs: 오류: {out / 'a-finished'}에 이미 TensorBoard 파일이 있습니다.")


def test_export_needs_a_file_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert runs_command("export") == 1
    assert "Name a file to write: --csv FILE, --json FILE, or both." in capsys.readouterr().err

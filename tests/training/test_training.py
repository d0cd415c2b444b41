"""Real (short) training runs on real MNIST: it learns, it can pause, stop and resume exactly,
and a trained run can be looked into."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convtui.training.checkpoint import load_checkpoint
from convtui.training.config import TrainConfig
from convtui.training.dataset import normalise
from convtui.training.errors import TrainingError
from convtui.training.events import EVENTS_FILE, load_history, read_events
from convtui.training.idx import load_split
from convtui.training.insight import (
    confusion_report,
    feature_maps,
    first_layer_filters,
    load_trained,
)
from convtui.training.run import read_run
from convtui.training.runs import CHECKPOINT_FILE, SUMMARY_FILE, create_run, read_json, request
from convtui.training.trainer import run_training

# Same rule as the suite's mnist_dir fixture, for the module-scoped run below.
MNIST = Path(
    os.environ.get("CONVTUI_TEST_MNIST_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "datasets" / "mnist"
)


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lab model after one epoch on 5000 images, tested on 1000."""
    torch.set_num_threads(1)
    config = TrainConfig(model="lab", epochs=1, seed=0, data_dir=str(MNIST), limit_train=5000,
                         limit_test=1000, threads=1)
    run_dir = create_run(config, tmp_path_factory.mktemp("trained") / "run")
    run_training(run_dir)
    return run_dir


def test_short_run_learns_and_leaves_its_files(trained_run: Path) -> None:
    summary = read_json(trained_run / SUMMARY_FILE)
    assert summary["status"] == "finished"
    assert summary["epochs_completed"] == 1
    assert summary["test_accuracy"] > 0.8
    assert summary["train_images_per_second"] > 0
    assert summary["wall_seconds"] > 0
    assert summary["model"] == "lab" and summary["config"]["limit_train"] == 5000
    events, _ = read_events(trained_run / EVENTS_FILE)
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["start", "data"] and kinds[-3:] == ["epoch", "checkpoint", "done"]
    batches = [e for e in events if e["type"] == "batch"]
    assert [e["batch"] for e in batches] == [10, 20, 30, 40, 50]
    assert all(e["batches"] == 50 and 0 <= e["accuracy"] <= 1 for e in batches)
    assert events[-3]["test_accuracy"] == summary["test_accuracy"]
    checkpoint = load_checkpoint(trained_run / CHECKPOINT_FILE)
    assert checkpoint is not None and checkpoint["epochs_completed"] == 1
    assert read_run(trained_run).status == "finished"


def test_confusion_matrix_and_examples(trained_run: Path) -> None:
    report = confusion_report(trained_run, examples=5)
    labels = load_split(MNIST, "test").labels[:1000]
    assert report.confusion.shape == (10, 10)
    assert report.confusion.sum(axis=1).tolist() == np.bincount(labels, minlength=10).tolist()
    assert report.accuracy == read_json(trained_run / SUMMARY_FILE)["test_accuracy"]
    assert [p.index for p in report.examples] == [0, 1, 2, 3, 4]
    assert [p.label for p in report.examples] == labels[:5].tolist()
    for prediction in report.examples + report.mistakes:
        probabilities = [p for _, p in prediction.top3]
        assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1
        assert len({c for c, _ in prediction.top3}) == 3
        assert prediction.image.shape == (28, 28)
    assert report.mistakes and not any(p.correct for p in report.mistakes)
    wrong = report.confusion.sum() - np.trace(report.confusion)
    assert len(report.mistakes) == min(5, wrong)


def test_filters_and_feature_maps_are_what_the_layer_computes(trained_run: Path) -> None:
    model = load_trained(trained_run)
    filters = first_layer_filters(model)
    weight = load_checkpoint(trained_run / CHECKPOINT_FILE)["model_state"]["layer1.0.weight"]
    assert filters.shape == (32, 1, 3, 3)
    np.testing.assert_array_equal(filters, weight.numpy())
    digit = load_split(MNIST, "test").images[0]
    maps = feature_maps(model, digit)
    bias = load_checkpoint(trained_run / CHECKPOINT_FILE)["model_state"]["layer1.0.bias"]
    expected = F.conv2d(normalise(digit[None]), weight, bias, padding=1)[0]
    assert maps.shape == (32, 28, 28)
    np.testing.assert_allclose(maps, expected.numpy(), rtol=1e-5, atol=1e-6)


def tiny_config(**changes) -> TrainConfig:
    return TrainConfig(**{
        "model": "tiny", "epochs": 2, "seed": 7, "data_dir": str(MNIST), "limit_train": 2000,
        "limit_test": 500, "log_every": 2, "threads": 1, **changes,
    })


def test_stopped_then_resumed_run_equals_an_uninterrupted_one(tmp_path: Path) -> None:
    straight = run_training(create_run(tiny_config(), tmp_path / "straight"))

    run_dir = create_run(tiny_config(), tmp_path / "stopped")

    def stop_mid_epoch_2(event: dict) -> None:
        if event["type"] == "batch" and (event["epoch"], event["batch"]) == (2, 6):
            request(run_dir, "stop")

    stopped = run_training(run_dir, listener=stop_mid_epoch_2)
    assert stopped["status"] == "stopped" and stopped["epochs_completed"] == 1
    assert read_run(run_dir).status == "stopped"
    last = read_events(run_dir / EVENTS_FILE)[0][-1]
    assert (last["type"], last["epochs_completed"], last["discarded_batches"]) == (
        "stopped", 1, 6,
    )

    resumed = run_training(run_dir)
    assert resumed["status"] == "finished" and resumed["epochs_completed"] == 2
    for key in ("test_loss", "test_accuracy", "train_loss", "train_accuracy"):
        assert resumed[key] == straight[key]
    history = load_history(run_dir / EVENTS_FILE)
    assert [e["epoch"] for e in history.epochs] == [1, 2]
    assert history.superseded == 3  # batch events 2, 4, 6 of the stopped epoch 2
    assert [e["step"] for e in history.batches] == list(range(2, 41, 2))
    # The annealed last epoch continued from the checkpoint's scheduler state, batch for batch.
    straight_history = load_history(tmp_path / "straight" / EVENTS_FILE)
    assert [e["lr"] for e in history.batches] == [e["lr"] for e in straight_history.batches]
    assert history.batches[-1]["lr"] < 1e-4 < history.batches[0]["lr"]
    saved = load_checkpoint(run_dir / CHECKPOINT_FILE)
    assert saved is not None and saved["scheduler_state"]["last_epoch"] == 40


def test_pause_and_resume_through_the_control_file(tmp_path: Path) -> None:
    run_dir = create_run(tiny_config(epochs=1, log_every=1), tmp_path / "run")
    status_while_paused: list[str] = []

    def pause_at_batch_3(event: dict) -> None:
        if event["type"] == "batch" and event["batch"] == 3:
            request(run_dir, "pause")
            threading.Timer(0.5, request, (run_dir, "resume")).start()
        if event["type"] == "paused":
            status_while_paused.append(read_run(run_dir).status)

    summary = run_training(run_dir, listener=pause_at_batch_3)
    assert summary["status"] == "finished"
    events = read_events(run_dir / EVENTS_FILE)[0]
    paused = [(e["type"], e["batch"]) for e in events if e["type"] in ("paused", "resumed")]
    assert paused == [("paused", 3), ("resumed", 3)]
    assert status_while_paused == ["paused"]
    assert [e["batch"] for e in events if e["type"] == "batch"] == list(range(1, 21))
    assert read_run(run_dir).status == "finished"


def test_checkpoint_of_an_older_format_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / CHECKPOINT_FILE
    torch.save({"format": 1, "epochs_completed": 1}, path)
    with pytest.raises(TrainingError) as err:
        load_checkpoint(path)
    assert err.value.message == (f"{path} is not a convtui checkpoint (or one from another "
                                 "version). Delete it to train the run again from the start.")

"""The learning-rate schedule: the rate every batch was trained with, as the event log shows it,
through a resume that extends a finished run."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from convtui.training.checkpoint import load_checkpoint
from convtui.training.config import TrainConfig
from convtui.training.events import EVENTS_FILE, load_history
from convtui.training.runs import CHECKPOINT_FILE, create_run, write_config
from convtui.training.trainer import lr_factor, run_training


def test_anneal_keeps_the_rate_then_follows_a_half_cosine_in_the_last_epoch() -> None:
    factor = lr_factor(TrainConfig(epochs=3), batches=10)
    assert [factor(step) for step in range(21)] == [1.0] * 21
    last_epoch = [factor(step) for step in range(20, 30)]
    assert last_epoch == pytest.approx([0.5 * (1 + math.cos(math.pi * j / 10)) for j in range(10)])
    assert last_epoch[5] == pytest.approx(0.5)
    assert all(a > b > 0 for a, b in itertools.pairwise(last_epoch))


def test_constant_keeps_the_rate() -> None:
    factor = lr_factor(TrainConfig(epochs=2, lr_schedule="constant"), batches=10)
    assert {factor(step) for step in range(20)} == {1.0}


def batch_rates(run_dir: Path) -> dict[int, list[float]]:
    """Each epoch's learning rates, batch by batch, from the event log."""
    rates: dict[int, list[float]] = {}
    for event in load_history(run_dir / EVENTS_FILE).batches:
        rates.setdefault(event["epoch"], []).append(event["lr"])
    return rates


def test_every_batch_is_logged_with_its_rate_and_an_extended_run_anneals_again(
    mnist_dir: Path, tmp_path: Path
) -> None:
    config = TrainConfig(model="tiny", epochs=2, seed=4, data_dir=str(mnist_dir),
                         limit_train=2000, limit_test=200, log_every=1, threads=1)
    run_dir = create_run(config, tmp_path / "run")
    summary = run_training(run_dir)
    cosine = [0.5 * (1 + math.cos(math.pi * j / 20)) for j in range(20)]
    rates = batch_rates(run_dir)
    assert rates[1] == [1e-3] * 20
    assert rates[2] == pytest.approx([1e-3 * c for c in cosine])
    assert [(e["lr_start"], e["lr_end"]) for e in summary["history"]] == [
        (1e-3, 1e-3), (1e-3, rates[2][-1]),
    ]
    assert load_checkpoint(run_dir / CHECKPOINT_FILE)["scheduler_state"]["last_epoch"] == 40

    # Trained further, the run's last epoch is now epoch 3: epoch 2 ended near 0, yet epoch 3
    # starts again at the full rate and anneals, rather than carrying on at the saved rate.
    write_config(run_dir, TrainConfig(**{**config.to_dict(), "seed": 4, "epochs": 3}))
    run_training(run_dir)
    rates = batch_rates(run_dir)
    assert sorted(rates) == [1, 2, 3]
    assert rates[3] == pytest.approx([1e-3 * c for c in cosine])
    assert load_checkpoint(run_dir / CHECKPOINT_FILE)["scheduler_state"]["last_epoch"] == 60

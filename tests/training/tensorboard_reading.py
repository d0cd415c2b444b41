"""Reading TensorBoard files back with TensorBoard's own reader, to compare with a run's log."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from convtui.training.checkpoint import load_checkpoint
from convtui.training.events import EVENTS_FILE, load_history
from convtui.training.models import build_model, first_conv
from convtui.training.runs import CHECKPOINT_FILE, SUMMARY_FILE, read_json
from convtui.training.tensorboard_log import (
    BATCH_SCALARS,
    EPOCH_SCALARS,
    FILTER_PIXELS,
    FILTERS_TAG,
    FINAL_METRICS,
)


def read_tensorboard(folder: Path) -> EventAccumulator:
    """Everything in the folder's event files (no sampling), as TensorBoard loads it."""
    reader = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0,
                                                          "tensors": 0})
    reader.Reload()
    return reader


def assert_matches_log(run_dir: Path, folder: Path) -> None:
    """Scalars, filters and HParams in ``folder`` are those of the run's log and files."""
    history = load_history(run_dir / EVENTS_FILE)
    batches = history.data["batches"]
    board = read_tensorboard(folder)
    for tag, key in BATCH_SCALARS:
        got = [(s.step, s.value) for s in board.Scalars(tag)]
        assert got == [(e["step"], pytest.approx(e[key], rel=1e-6)) for e in history.batches]
    for tag, key in EPOCH_SCALARS:
        got = [(s.step, s.value) for s in board.Scalars(tag)]
        assert got == [(e["epoch"] * batches, pytest.approx(e[key], rel=1e-6))
                       for e in history.epochs]

    # The first layer's filters after the last epoch: each min-max scaled, 6x6 blocks.
    checkpoint = load_checkpoint(run_dir / CHECKPOINT_FILE)
    model = build_model(checkpoint["model"])
    model.load_state_dict(checkpoint["model_state"])
    weight = first_conv(model).weight.detach()
    last = board.Images(FILTERS_TAG)[-1]
    assert last.step == len(history.epochs) * batches
    pixels = np.asarray(Image.open(io.BytesIO(last.encoded_image_string)).convert("L"))
    out, _, k, _ = weight.shape
    block = FILTER_PIXELS // k
    assert pixels.shape == (k * block, out * k * block)
    for f in range(out):
        w = weight[f, 0].numpy().astype(np.float64)
        expected = (w - w.min()) / (w.max() - w.min()) * 255
        centres = pixels[block // 2::block, f * k * block + block // 2:(f + 1) * k * block:block]
        assert np.abs(centres - expected).max() <= 1.0

    summary = read_json(run_dir / SUMMARY_FILE)
    content = board.PluginTagToContent("hparams")["_hparams_/session_start_info"]
    hparams = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info.hparams
    config = summary["config"]
    assert hparams["model"].string_value == config["model"]
    assert hparams["lr"].number_value == config["lr"]
    assert hparams["batch_size"].number_value == config["batch_size"]
    assert hparams["seed"].number_value == config["seed"]
    assert "tensorboard" not in hparams and "data_dir" not in hparams
    for tag, key in FINAL_METRICS:
        [final] = board.Scalars(tag)
        assert final.value == pytest.approx(summary[key], rel=1e-6)
        assert final.step == summary["epochs_completed"] * batches

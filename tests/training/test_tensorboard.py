"""`--tensorboard`: the job's TensorBoard files, read back with TensorBoard's own reader, say
what convtui's event log says (a stopped and resumed run included: each step once)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch
from tensorboard_reading import assert_matches_log, read_tensorboard
from training_helpers import FAST, headless

from convtui import i18n
from convtui.training.config import TrainConfig
from convtui.training.run import list_runs
from convtui.training.runs import create_run, read_json, request
from convtui.training.trainer import run_training


def test_stopped_and_resumed_run_writes_what_its_log_says(
    mnist_dir: Path, tmp_path: Path
) -> None:
    config = TrainConfig(model="tiny", epochs=2, seed=5, data_dir=str(mnist_dir),
                         limit_train=1000, limit_test=200, log_every=2, threads=1,
                         tensorboard="tensorboard")
    run_dir = create_run(config, tmp_path / "run")

    def stop_in_epoch_two(event: dict) -> None:
        if event["type"] == "batch" and event["epoch"] == 2 and event["batch"] == 6:
            request(run_dir, "stop")

    assert run_training(run_dir, listener=stop_in_epoch_two)["status"] == "stopped"
    # The stopped job wrote epoch 2's first batches to TensorBoard; the checkpoint has 1 epoch.
    early = read_tensorboard(run_dir / "tensorboard")
    assert [s.step for s in early.Scalars("batch/loss")][-1] == 16
    assert run_training(run_dir)["status"] == "finished"
    assert len(list((run_dir / "tensorboard").glob("events.out.tfevents.*"))) == 2
    assert_matches_log(run_dir, run_dir / "tensorboard")


def test_headless_option_writes_into_the_folder_given(
    mnist_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run_dir = tmp_path / "run"
    assert headless(*FAST, "--data-dir", str(mnist_dir), "--run-dir", str(run_dir),
                    "--tensorboard", "boards") == 0
    assert read_json(run_dir / "config.json")["tensorboard"] == str(tmp_path / "boards")
    assert_matches_log(run_dir, tmp_path / "boards")
    assert not (run_dir / "tensorboard").exists()


@pytest.mark.parametrize(("language", "words"), [
    ("en", "--tensorboard needs the Python package tensorboard, which is not installed. "
           "Install it with: pip install 'convtui[tensorboard]'"),
    ("ko", "--tensorboard에는 Python 패키지 tensorboard이(가) 필요한데 설치되어 있지 않습니다. "
           "설치: pip install 'convtui[tensorboard]'"),
])
def test_without_tensorboard_the_option_says_how_to_get_it_before_starting(
    mnist_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    language: str, words: str,
) -> None:
    # None in sys.modules is how Python marks a module that cannot be imported.
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    i18n.set_language(language)
    assert headless(*FAST, "--data-dir", str(mnist_dir), "--tensorboard") == 1
    assert words in capsys.readouterr().err
    assert list_runs() == []


def test_filter_images_scale_each_filter_on_its_own() -> None:
    from convtui.training.tensorboard_log import filter_images

    weight = torch.tensor([[[[-2.0, 0.0], [2.0, 1.0]]], [[[5.0, 5.0], [5.0, 7.0]]]])
    images = filter_images(weight)
    assert images.shape == (2, 1, 32, 32)
    assert images[0, 0, ::16, ::16].tolist() == [[0.0, 0.5], [1.0, 0.75]]
    assert images[1, 0, ::16, ::16].tolist() == [[0.0, 0.0], [0.0, 1.0]]

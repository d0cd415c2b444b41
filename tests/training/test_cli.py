"""`convtui train --headless`: exit codes and what a person reads."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
import torch
from training_helpers import (
    FAST,
    headless,
    serve_fake_mnist,
    train_parser,
    unreachable_url,
    write_file,
)

from convtui.training import mnist_source
from convtui.training.cli import config_from_args
from convtui.training.config import TrainConfig
from convtui.training.events import EVENTS_FILE, EventTail
from convtui.training.run import list_runs
from convtui.training.runs import read_config, read_json


def test_finished_run_prints_epochs_and_result(
    mnist_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "my-run"
    assert headless(*FAST, "--data-dir", str(mnist_dir), "--run-dir", str(run_dir)) == 0
    out = capsys.readouterr().out
    assert f"Training tiny for 1 epoch on cpu (1 thread, seed 3). Run: {run_dir}" in out
    assert f"MNIST from {mnist_dir}: 1,000 training and 300 test images, 10 batches" in out
    assert "epoch 1/1: train loss " in out
    accuracy = read_json(run_dir / "summary.json")["test_accuracy"]
    assert f"Finished: test accuracy {accuracy:.2%} after 1 epoch," in out
    assert out.rstrip().endswith(f"Run saved in {run_dir}")


def test_missing_data_dir_fails_before_making_a_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert headless(*FAST, "--data-dir", str(tmp_path / "nope")) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"convtui train: error: MNIST folder {tmp_path / 'nope'} (from --data-dir) does not "
        "exist. It must hold the four MNIST files, gzipped or not: train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz.\n"
    )
    assert "Traceback" not in captured.out + captured.err
    assert list_runs() == []


def test_damaged_data_is_named_and_no_run_folder_is_made(
    fake_mnist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fake_mnist / "t10k-images-idx3-ubyte.gz"
    header = b"".join(n.to_bytes(4, "big") for n in (0x803, 20, 28, 28))
    write_file(path, header + bytes(100))
    assert headless(*FAST, "--data-dir", str(fake_mnist)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"convtui train: error: {path} is truncated: its header promises 20 ")
    assert list_runs() == []  # checked before the run folder is made


def test_offline_with_nothing_cached(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], user_dirs
) -> None:
    monkeypatch.setattr(mnist_source, "MIRRORS", (unreachable_url(),))
    assert headless(*FAST) == 1
    err = capsys.readouterr().err
    assert "could not be downloaded" in err
    assert f"in {user_dirs['cache'] / 'mnist'}: train-images-idx3-ubyte.gz" in err
    assert list_runs() == []  # offline: no run folder left to list as failed


def test_first_run_downloads_into_the_cache(
    server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], user_dirs,
) -> None:
    url, root = server
    serve_fake_mnist(root, monkeypatch)
    monkeypatch.setattr(mnist_source, "MIRRORS", (url,))
    assert headless(*FAST) == 0
    cache = user_dirs["cache"] / "mnist"
    assert f"MNIST from {cache}: 40 training and 10 test images" in capsys.readouterr().out
    assert len(list_runs()) == 1
    # The data is fetched and checked before the run folder exists (no failed run is left
    # behind when it cannot be), so the files are in the cache rather than in the run's log.
    assert {f.name.removesuffix(".gz") for f in cache.iterdir()} >= set(mnist_source.SHA256)


def test_bad_option_values_are_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, message in [
        (["--epochs", "0"], "argument --epochs: expected a whole number of at least 1, got '0'"),
        (["--lr", "fast"], "argument --lr: expected a number between 0 and 10, got 'fast'"),
        (["--model", "huge"], "argument --model: invalid choice: 'huge'"),
        (["--augment-shift", "5"],
         "argument --augment-shift: expected a whole number from 0 to 4, got '5'"),
        (["--lr-schedule", "cyclic"], "argument --lr-schedule: invalid choice: 'cyclic'"),
        # Arabic-Indic digits, which int() and float() read, get the letters' message
        (["--epochs", "٣"], "argument --epochs: expected a whole number of at least 1, got '٣'"),
        (["--seed", "٣"], "argument --seed: expected a whole number of 0 or more, got '٣'"),
        (["--lr", "٠.١"], "argument --lr: expected a number between 0 and 10, got '٠.١'"),
        (["--augment-shift", "٢"],
         "argument --augment-shift: expected a whole number from 0 to 4, got '٢'"),
        (["--nproc", "١"], "argument --nproc: expected a whole number of at least 1, got '١'"),
    ]:
        with pytest.raises(SystemExit) as exit_info:
            train_parser().parse_args(argv)
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err


def test_help_lists_every_option_with_its_default() -> None:
    text = " ".join(train_parser().format_help().split())
    assert ("lab: the lab's CNN: two conv blocks (32, 64 channels) and one linear layer "
            "(~99%)") in text
    for option, default in [("--epochs N", "3"), ("--batch-size N", "100"), ("--lr F", "0.001"),
                            ("--lr-schedule {anneal,constant}", "anneal"),
                            ("--augment-shift N", "1")]:
        options = text.split("training options (the panel uses them too):", 1)[1]
        described = options.split(f"{option} ", 1)[1].split(" --")[0]
        assert described.endswith(f"(default: {default})")


def test_headless_and_panel_runs_share_the_defaults() -> None:
    """No options means TrainConfig's defaults, the ones the job and the panel use."""
    assert config_from_args(train_parser().parse_args([])) == TrainConfig()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_asked_for_but_absent(fake_mnist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert headless(*FAST, "--data-dir", str(fake_mnist), "--device", "cuda") == 1
    assert "--device cuda was asked for, but PyTorch sees no CUDA GPU" in capsys.readouterr().err
    assert list_runs() == []


def test_resume_rules(
    mnist_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"
    assert headless(*FAST, "--data-dir", str(mnist_dir), "--run-dir", str(run_dir)) == 0
    capsys.readouterr()

    assert headless("--resume", str(run_dir), "--model", "lab") == 1
    assert "--model cannot change when resuming" in capsys.readouterr().err
    assert headless("--resume", str(run_dir), "--lr-schedule", "constant") == 1
    assert ("--lr-schedule cannot change when resuming: " f"{run_dir} was trained with "
            "lr_schedule='anneal'.") in capsys.readouterr().err
    assert headless("--resume", str(run_dir)) == 0
    assert "already finished its 1 epoch" in capsys.readouterr().out
    assert headless("--resume", str(tmp_path)) == 1
    assert f"{tmp_path} is not a convtui run directory" in capsys.readouterr().err

    assert headless("--resume", str(run_dir), "--epochs", "2") == 0
    out = capsys.readouterr().out
    assert "continuing after epoch 1" in out and "epoch 2/2: train loss" in out
    assert read_config(run_dir).epochs == 2
    assert read_json(run_dir / "summary.json")["epochs_completed"] == 2


def test_ctrl_c_stops_cleanly_and_says_how_to_continue(
    mnist_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"

    def interrupt_after_first_batch() -> None:
        tail = EventTail(run_dir / EVENTS_FILE)
        deadline = time.monotonic() + 60
        while not tail.history.batches and time.monotonic() < deadline:
            time.sleep(0.01)
            tail.poll()
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_after_first_batch, daemon=True).start()
    code = headless(*FAST, "--epochs", "2", "--log-every", "1", "--data-dir", str(mnist_dir),
                    "--run-dir", str(run_dir))
    assert code == 130
    out = capsys.readouterr().out
    assert f"Continue with: convtui train --headless --resume {run_dir}" in out
    assert read_json(run_dir / "summary.json")["status"] == "stopped"

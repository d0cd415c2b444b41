"""`convtui train` and the training messages in Korean: the same facts (files, folders, numbers)
in the other language, chosen when the message is made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from training_helpers import FAST, headless, train_parser, unreachable_url, write_file

from convtui import i18n
from convtui.cli import main
from convtui.training import mnist_source
from convtui.training.config import TrainConfig
from convtui.training.errors import DataError, TrainingError
from convtui.training.idx import ALL_FILES, read_idx
from convtui.training.job import start_job
from convtui.training.mnist_source import ensure_mnist
from convtui.training.run import read_run
from convtui.training.runs import LOG_FILE, create_run

HANGUL = re.compile("[가-힣]")


def offline_message(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(mnist_source, "MIRRORS", (unreachable_url(),))
    with pytest.raises(DataError) as err:
        ensure_mnist()
    return err.value.message


def test_offline_message_in_korean_names_the_same_files_and_folder(
    monkeypatch: pytest.MonkeyPatch, user_dirs
) -> None:
    english = offline_message(monkeypatch)
    i18n.set_language("ko")
    korean = offline_message(monkeypatch)
    cache = user_dirs["cache"] / "mnist"
    assert korean.startswith("이 컴퓨터에 MNIST가 없고 내려받을 수도 없습니다")
    assert f"{cache}에 넣으세요: " + ", ".join(f"{name}.gz" for name in ALL_FILES) in korean
    assert "--data-dir DIR이나 환경 변수 CONVTUI_MNIST_DIR=DIR" in korean
    for fact in [str(cache), "Connection refused", *ALL_FILES]:
        assert fact in english and fact in korean


def test_language_is_read_when_the_message_is_made(tmp_path: Path) -> None:
    path = write_file(tmp_path / "t10k-labels-idx1-ubyte", b"\0\0\x08\x01\0\0\0\x05\1\2")
    messages = []
    for lang in ("ko", "en"):
        i18n.set_language(lang)
        with pytest.raises(DataError) as err:
            read_idx(path, 1)
        messages.append(err.value.message)
    assert messages == [
        f"{path}이(가) 잘렸습니다: 헤더에는 레이블 5개(5바이트)라고 되어 있지만 뒤따르는 "
        "데이터는 2바이트뿐입니다. 지우고 다시 받으세요.",
        f"{path} is truncated: its header promises 5 labels (5 bytes) but only 2 bytes "
        "follow. Delete it and fetch it again.",
    ]


def test_convtui_lang_ko_train_help_is_korean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", "ko", "train", "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # as read, whatever the wrapping
    assert "앱 없이 포그라운드에서 진행 막대를 보며 학습" in out
    assert "학습 옵션 (학습 패널도 같은 옵션을 씁니다)" in out
    assert "실습의 CNN: 합성곱 블록 2개" in out
    for option in ("--lr-schedule", "--augment-shift", "--resume RUN_DIR", "--data-dir DIR"):
        assert option in out
    assert "train in the foreground" not in out


def test_bad_option_value_is_refused_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("ko")
    with pytest.raises(SystemExit):
        train_parser().parse_args(["--augment-shift", "9"])
    assert "0부터 4까지의 정수가 필요합니다. 입력값: '9'" in capsys.readouterr().err


def test_headless_run_reports_in_korean(
    mnist_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    i18n.set_language("ko")
    run_dir = tmp_path / "run"
    assert headless(*FAST, "--data-dir", str(mnist_dir), "--run-dir", str(run_dir)) == 0
    out = capsys.readouterr().out
    assert f"tiny 모델을 cpu에서 에폭 1개 학습합니다 (스레드 1개, 시드 3). 실행: {run_dir}" in out
    assert "학습 이미지 1,000장, 테스트 이미지 300장, 에폭당 배치 10개." in out
    assert "에폭 1/1: 학습 손실 " in out and "| 학습률 0.001 → " in out
    assert "완료: 에폭 1개 후 테스트 정확도 " in out
    assert out.rstrip().endswith(f"실행 저장 위치: {run_dir}")


def test_missing_folder_in_korean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("ko")
    assert headless(*FAST, "--data-dir", str(tmp_path / "nope")) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"convtui train: 오류: MNIST 폴더 {tmp_path / 'nope'}(--data-dir에서 "
                          "지정)가 없습니다.")
    assert all(f"{name}.gz" in err for name in ALL_FILES)


def test_background_job_speaks_the_language_it_was_started_in(tmp_path: Path) -> None:
    run_dir = create_run(TrainConfig(model="tiny", data_dir=str(tmp_path / "nowhere")))
    i18n.set_language("ko")
    job = start_job(run_dir)
    assert job.process.wait(timeout=120) == 1
    error = read_run(run_dir).error
    assert error is not None and error.startswith(f"MNIST 폴더 {tmp_path / 'nowhere'}")
    assert HANGUL.search((run_dir / LOG_FILE).read_text(encoding="utf-8"))


def test_run_directory_errors_in_korean(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("ko")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert headless("--resume", str(empty)) == 1
    assert (f"{empty}은(는) convtui 실행 폴더가 아닙니다: 읽을 수 있는 config.json이(가) "
            "없습니다.") in capsys.readouterr().err
    run_dir = create_run(TrainConfig(model="tiny", epochs=1), tmp_path / "run")
    with pytest.raises(TrainingError) as err:
        create_run(TrainConfig(model="tiny", epochs=1), run_dir)
    assert err.value.message == (f"{run_dir}에는 이미 학습 실행이 있습니다. "
                                 f"--resume {run_dir}(으)로 이어 가거나 다른 --run-dir을 고르세요.")

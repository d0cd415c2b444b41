"""Where ``--data-dir`` may go on the command line, and what is said when it is misplaced."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.cli import parse_arguments
from convtui.launch import Launch


@pytest.mark.parametrize(("argv", "command", "folder"), [
    (["--data-dir", "/data"], None, "/data"),  # no subcommand: the Stepper
    (["--data-dir", "/data", "stepper"], "stepper", "/data"),
    (["--data-dir", "/data", "pool"], "pool", "/data"),
    (["--data-dir", "/data", "train"], "train", "/data"),
    (["--data-dir", "/data", "tour"], "tour", "/data"),
    (["--data-dir", "/first", "stepper", "--data-dir", "/after"], "stepper", "/after"),
    (["pool", "--data-dir", "/data"], "pool", "/data"),
])
def test_data_dir_is_taken_before_or_after_the_subcommand(argv, command, folder) -> None:
    args = parse_arguments(argv)
    assert (args.command, args.data_dir) == (command, folder)
    assert not hasattr(args, "data_dir_first")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "convtui: error: --data-dir belongs to a panel that reads MNIST, not to quiz (it is "
           "taken by: stepper, pool, train, tour); e.g. convtui stepper --data-dir DIR"),
    ("ko", "convtui: 오류: --data-dir은 MNIST를 읽는 패널의 옵션이며 quiz에는 쓸 수 없습니다 "
           "(쓸 수 있는 명령: stepper, pool, train, tour). 예: convtui stepper --data-dir DIR"),
])
def test_data_dir_before_a_panel_without_one_says_where_it_belongs(
        lang: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language(lang)
    with pytest.raises(SystemExit) as exit_info:
        parse_arguments(["--data-dir", "/tmp", "quiz"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "invalid choice" not in err and "잘못된 선택" not in err


@pytest.mark.parametrize(("argv", "expected"), [
    ([], Launch()),
    (["--data-dir", "/data"], Launch(data_dir="/data")),
    (["quiz", "--pack", "a.toml", "--pack", "b.toml", "--practice", "easy"],
     Launch(packs=("a.toml", "b.toml"), practice="easy")),
    (["shapes", "--spec", "1x1x28x28: conv(8,3)"], Launch(spec="1x1x28x28: conv(8,3)")),
    (["shapes", "--preset", "vgg16"], Launch(preset="vgg16")),
    (["tour", "--data-dir", "/d"], Launch(data_dir="/d")),
    (["train", "--resume", "/runs/r", "--epochs", "3"],
     Launch(resume="/runs/r", train_options={"epochs": 3})),
    (["train", "--run-dir", "/runs/new", "--lr", "0.5", "--data-dir", "/d"],
     Launch(data_dir="/d", run_dir="/runs/new", train_options={"lr": 0.5, "data_dir": "/d"})),
])
def test_the_launch_holds_what_the_command_line_asked(argv, expected: Launch) -> None:
    """Each panel's options reach it typed, and only the ones given: a train option left
    out is not in ``train_options``, so a resumed run keeps its saved value."""
    launch = Launch.from_args(parse_arguments(argv))
    assert launch == expected
    assert dict(launch.train_options) == dict(expected.train_options)

"""Which language convtui starts in: --lang, then CONVTUI_LANG, then the locale."""

from __future__ import annotations

from pathlib import Path

import pytest

from convtui import i18n
from convtui.cli import main


@pytest.fixture
def no_language_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in ("CONVTUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_flag_beats_environment_beats_locale(no_language_env: pytest.MonkeyPatch) -> None:
    assert i18n.resolve_language() == "en"
    no_language_env.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.resolve_language() == "ko"
    no_language_env.setenv("LC_ALL", "C.UTF-8")
    assert i18n.resolve_language() == "en"
    no_language_env.setenv("CONVTUI_LANG", "ko")
    assert i18n.resolve_language() == "ko"
    assert i18n.resolve_language("en") == "en"


def test_unknown_environment_language_is_reported(
        no_language_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    no_language_env.setenv("CONVTUI_LANG", "fr")
    no_language_env.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.resolve_language() == "ko"
    assert "CONVTUI_LANG='fr' is not one of en, ko" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--lang", "ko", "--help"], ["quiz", "--lang=ko", "--help"]])
def test_cli_help_speaks_the_chosen_language(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "앱과 메시지의 언어" in out


def test_cli_rejects_a_language_it_does_not_speak(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "fr"])
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_cli_errors_speak_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", "ko", "stepper", "--bogus"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("사용법: convtui ")
    assert "convtui: 오류: 알 수 없는 인자: --bogus" in err


def test_english_cli_is_plain_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--bogus"])
    assert "convtui: error: unrecognized arguments: --bogus" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--lang", "ko", "puzzles", "check"],
                                  ["puzzles", "--lang", "ko", "check"],
                                  ["puzzles", "check", "--lang", "ko"]])
def test_lang_is_accepted_at_every_level(argv: list[str], capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    pack = tmp_path / "mine.toml"
    pack.write_text('[pack]\nid = "mine"\ntitle = "Mine"\n\n[[puzzles]]\nid = "one"\n'
                    'input = [5, 5]\nlayers = [{ type = "conv2d", kernel = 3 }]\n')
    assert main([*argv, str(pack)]) == 0
    assert "OK: 팩 1개, 문제 1개" in capsys.readouterr().out


def test_korean_help_is_wrapped_by_terminal_cells(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["--lang", "ko", "train", "--help"])
    lines = capsys.readouterr().out.splitlines()
    assert any("에폭" in line for line in lines)
    assert max(cell_len(line) for line in lines) <= 80

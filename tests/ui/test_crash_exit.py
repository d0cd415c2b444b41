"""An unhandled error ends convtui non-zero, with its traceback in a crash log (issue 13)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar

import pytest
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from convtui import cli, i18n
from convtui.crash import CRASH_STATUS, write_crash_log
from convtui.ui.app import ConvtuiApp
from tests.ui.conftest import SIZE


class FaultyScreen(Screen):
    """A screen whose only key raises: the kind of bug a handler can have."""

    BINDINGS: ClassVar = [Binding("x", "fail", "fail")]

    def compose(self):
        yield Static("faulty")

    def action_fail(self) -> None:
        raise RuntimeError("a handler failed")


async def test_an_error_in_a_handler_ends_the_app_with_status_1_and_a_crash_log(
        user_dirs: dict[str, Path]) -> None:
    app = ConvtuiApp("stepper")
    with pytest.raises(RuntimeError, match="a handler failed"):
        async with app.run_test(size=SIZE) as pilot:
            await app.push_screen(FaultyScreen())
            await pilot.press("x")
            await pilot.pause()
    assert app.return_code == CRASH_STATUS
    assert app.crash is not None and app.crash.path is not None
    assert app.crash.path.parent == user_dirs["data"] / "crashes"
    log = app.crash.path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: a handler failed" in log and "action_fail" in log
    assert "where: panel stepper" in log


def test_the_message_names_the_log_in_the_current_language(
        user_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("ko")
    crash = write_crash_log(ValueError("bad"))
    assert crash.tell() == CRASH_STATUS
    err = capsys.readouterr().err
    assert str(crash.path) in err and "ValueError: bad" in err
    assert "보고서" in err and "Traceback" not in err


def test_an_unwritable_data_folder_still_keeps_the_report(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    monkeypatch.setenv("CONVTUI_DATA_DIR", str(blocked))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    crash = write_crash_log(ValueError("bad"))
    assert crash.path is not None and crash.path.is_relative_to(tmp_path / "tmp")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked / "tmp"))  # nowhere to write now
    crash = write_crash_log(ValueError("bad"))
    assert crash.path is None and crash.reason
    assert crash.tell() == CRASH_STATUS
    err = capsys.readouterr().err
    assert "could not be saved" in err and "textual 8" in err  # the report itself


def test_the_command_line_exits_non_zero_on_an_error_outside_the_app(
        user_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import convtui.shapes_cli

    def broken(args: object) -> int:
        raise ZeroDivisionError("a bug in a subcommand")

    monkeypatch.setattr(convtui.shapes_cli, "run_shapes", broken)
    assert cli.main(["shapes", "--print", "table"]) == CRASH_STATUS
    err = capsys.readouterr().err
    logs = list((user_dirs["data"] / "crashes").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "ZeroDivisionError: a bug in a subcommand" in logs[0].read_text(encoding="utf-8")

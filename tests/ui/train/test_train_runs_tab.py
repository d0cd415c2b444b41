"""The Runs tab's export (the same files `convtui runs export` writes, to a file the user
names) and its hyperparameter table (runs x settings x final metrics, sorted by any column with
a header click or Enter), in English and Korean."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from convtui import i18n
from convtui.cli import main
from convtui.training.export import HPARAM_COLUMNS
from convtui.training.runs import read_json
from convtui.ui.app import ConvtuiApp
from convtui.ui.train.confirm import ExportRunsScreen
from convtui.ui.train.hparams import HParamsTable
from tests.ui import train_fixtures
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import SIZE, copy_run, launch, wait_for, write_recorded_run

finished_run = train_fixtures.finished_run


def two_runs(finished_run: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The real tiny run (about 75% on 500 test digits) and the recorded one (75.2%), in the
    user's runs folder."""
    real = copy_run(finished_run, "20250101-000000-tiny")
    recorded = copy_run(write_recorded_run(tmp_path), "20250102-000000-tiny")
    return real, recorded


async def export_to(pilot, text: str) -> None:
    """e, type the file's name over the one offered, Enter."""
    await pilot.press("r")
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportRunsScreen), "the dialog")
    pilot.app.screen.query_one("#export-file", Input).value = text
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("suffix", [".csv", ".json"])
async def test_export_writes_what_the_command_line_writes(
        finished_run: Path, tmp_path: Path, suffix: str) -> None:
    two_runs(finished_run, tmp_path)
    target = tmp_path / "out" / f"my runs{suffix}"
    target.parent.mkdir()
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, str(target))
        assert text_of(app, "#status") == f"Wrote 2 runs to {target}."
    flag = "--csv" if suffix == ".csv" else "--json"
    by_cli = tmp_path / f"cli{suffix}"
    assert main(["runs", "export", flag, str(by_cli)]) == 0
    assert target.read_text() == by_cli.read_text()
    if suffix == ".csv":
        rows = list(csv.DictReader(target.open()))
        assert [r["run"] for r in rows] == ["20250101-000000-tiny", "20250102-000000-tiny"]
        assert rows[1]["test_accuracy"] == "0.752"
    else:
        assert [r["run"] for r in read_json(target)] == [
            "20250101-000000-tiny", "20250102-000000-tiny"]


@pytest.mark.parametrize(("lang", "name", "said"), [
    ("en", "no-such-folder/runs.csv", "✗ Not exported: Cannot write {path}: "),
    ("en", "runs.txt", "✗ Not exported: {path}: name a .csv file"),
    ("en", "  ", "✗ Not exported: name a file (.csv or .json)."),
    ("ko", "no-such-folder/runs.csv", "✗ 내보내지 않음: {path}에 쓸 수 없습니다: "),
    ("ko", "runs.txt", "✗ 내보내지 않음: {path}: .csv 파일"),
])
async def test_a_bad_export_file_is_a_clear_status_line(
        finished_run: Path, tmp_path: Path, lang: str, name: str, said: str) -> None:
    copy_run(finished_run, "20250101-000000-tiny")
    i18n.set_language(lang)
    path = tmp_path / name
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, str(path) if name.strip() else name)
        status = text_of(app, "#status").replace("\n", "")
        assert status.startswith(said.format(path=path))
        assert app.screen.query_one("#status").has_class("error")
    assert not path.exists()


async def test_escape_in_the_export_dialog_writes_nothing(
        finished_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the file offered is in the current folder
    copy_run(finished_run, "20250101-000000-tiny")
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportRunsScreen), "the dialog")
        offered = Path(app.screen.query_one("#export-file", Input).value)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportRunsScreen)
    assert not offered.exists()


def column_values(table: HParamsTable, column: str) -> list[str]:
    return [str(v) for v in table.get_column(column)]


async def test_hyperparameter_table_sorts_by_any_column(finished_run: Path,
                                                         tmp_path: Path) -> None:
    real, recorded = two_runs(finished_run, tmp_path)
    real_accuracy = read_json(real / "summary.json")["test_accuracy"]
    assert real_accuracy != 0.752  # the two runs differ in the column sorted below
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        table = app.screen.query_one(HParamsTable)
        runs = app.screen.query_one("#runs-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "the table")
        assert not table.display and runs.display
        await pilot.press("h")
        await pilot.pause()
        assert table.display and not runs.display and table.has_focus
        assert "h: runs list" in text_of(app, "#status")
        header = [str(c.label) for c in table.columns.values()]
        assert header[:3] == ["Run", "State", "model"] and len(header) == len(HPARAM_COLUMNS)
        assert column_values(table, "run") == [recorded.name, real.name]  # newest first
        expected = sorted([(real_accuracy, real.name), (0.752, recorded.name)])
        # Enter on a column sorts by it, ascending; again: descending
        index = HPARAM_COLUMNS.index("test_accuracy")
        table.move_cursor(column=index)
        await pilot.press("enter")
        assert column_values(table, "run") == [name for _, name in expected]
        assert column_values(table, "test_accuracy")[0] == f"{expected[0][0] * 100:.2f}%"
        assert str(table.columns[table.ordered_columns[index].key].label).endswith("▲")
        await pilot.press("enter")
        assert column_values(table, "run") == [name for _, name in reversed(expected)]
        # a click on a header sorts by that column (names: text order)
        table.move_cursor(column=0, animate=False)  # scrolled back to the first columns
        await pilot.pause()
        await pilot.click(HParamsTable, offset=(2, 0))
        await pilot.pause()
        assert table.sort_column == "run"
        assert column_values(table, "run") == sorted([real.name, recorded.name])
        app.action_switch_language("ko")
        await pilot.pause()
        assert str(table.ordered_columns[0].label) == "실행▲"
        assert column_values(table, "run") == sorted([real.name, recorded.name])
        await pilot.press("h")
        assert runs.display and not table.display

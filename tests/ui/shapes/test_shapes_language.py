"""The Shapes panel in Korean: F2 redraws every text and keeps the network, the typed spec
line, the selected row, what the status line, the PyTorch check and the export note said, and
any open dialog; the guided tour's preset; `convtui --lang ko shapes --print`."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable, Input, Label, Select, TabbedContent

from convtui import i18n
from convtui.cli import main
from convtui.launch import Launch
from convtui.ui.app import ConvtuiApp
from convtui.ui.shapes.dialog import LayerDialog
from convtui.ui.shapes.screen import ShapesScreen
from tests.ui.conftest import SIZE, check_with_pytorch, press_f2, switch_language, text_of
from tests.ui.shapes.helpers import LAB_ERROR_SPEC, select_row, shapes_app, table, type_spec


def headers(app: ConvtuiApp) -> list[str]:
    widget = app.screen.query_one("#layers", DataTable)
    return [str(column.label) for column in widget.ordered_columns]


def tab_label(app: ConvtuiApp, pane: str) -> str:
    return str(app.screen.query_one("#shapes-views", TabbedContent).get_tab(pane).label)


def footer_word(app: ConvtuiApp, key: str) -> str:
    return app.screen.active_bindings[key].binding.description


def cursor(app: ConvtuiApp) -> int:
    return app.screen.query_one("#layers", DataTable).cursor_row


async def test_f2_speaks_korean_and_keeps_the_network_the_row_and_the_status() -> None:
    app = shapes_app(preset="lab")
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, 1)
        await pilot.press("d")  # an edit: the network is no longer the preset
        await select_row(pilot, 3)  # the second conv
        stack, english = app.screen.stack, table(app)
        spec = app.screen.query_one("#spec", Input).value
        detail_en, status_en = text_of(app, "#detail"), text_of(app, "#shapes-status")
        assert status_en == "deleted layer 1 (conv 3x3 s1 p1)"
        await press_f2(pilot)
        assert i18n.current() == "ko"
        assert app.screen.stack == stack and cursor(app) == 3
        assert app.screen.query_one("#spec", Input).value == spec
        assert headers(app) == ["#", "층", "입력", "출력", "파라미터", "MACs", "RF", "점프"]
        rows = table(app)
        assert rows[0][1] == "입력"
        assert [r[2:] for r in rows] == [r[2:] for r in english]  # the numbers stay
        assert text_of(app, "#detail").splitlines()[0] == (
            "3번째 층 · conv 3x3 s1 p1 · [1, 1, 14, 14] → [1, 64, 14, 14]")
        assert "파라미터 640 · MACs 112,896 · 수용 영역 6 · 점프 2" in text_of(app, "#detail")
        assert text_of(app, "#shapes-status") == "지웠습니다: 1번째 층 (conv 3x3 s1 p1)"
        assert text_of(app, "#totals").startswith("합계 파라미터 ")
        assert app.screen.query_one("#preset", Select).prompt == "직접 입력"
        assert [tab_label(app, p) for p in ("trace", "export")] == ["추적", "내보내기"]
        assert footer_word(app, "s") == "스펙" and footer_word(app, "c") == "확인"
        assert "w를 누르면 둘 다" in text_of(app, "#export-note")
        # and back: every text as it was
        await press_f2(pilot)
        assert i18n.current() == "en"
        assert table(app) == english and cursor(app) == 3
        assert text_of(app, "#detail") == detail_en
        assert text_of(app, "#shapes-status") == status_en
        assert footer_word(app, "s") == "Spec"


async def test_errors_fixes_and_explanations_come_out_in_korean() -> None:
    app = shapes_app(spec=LAB_ERROR_SPEC)
    async with app.run_test(size=SIZE) as pilot:
        await switch_language(pilot, "ko")
        assert text_of(app, "#totals") == (
            "✗ 추적 중단: 5번째 층 (linear →10) · 해결: Linear(720, 10)을 쓰세요")
        assert text_of(app, "#detail").splitlines() == [
            "✗ 5번째 층 · linear →10 · 입력 [1, 720]",
            "Linear(in_features=100, out_features=10, bias=True)",
            "in_features: 입력의 특성은 720개(5*12*12)인데 Linear의 in_features는 100입니다",
            "해결: Linear(720, 10)을 쓰세요",
            "e로 이 층을 편집하고, d로 지웁니다",
        ]
        await select_row(pilot, 1)
        assert "H, W: (28 - 5 + 2×0) / 1 + 1 = 23 / 1 + 1 = 24" in text_of(app, "#detail")
        await type_spec(pilot, "1x1x28x28: conv(5,5) maxpool(3,s=2,ceil=true) maxpool(2,d=2)")
        await select_row(pilot, 2)
        assert text_of(app, "#detail").splitlines()[2:4] == [
            "H, W: (24 - 3 + 2×0) / 2 + 1 = 21 / 2 + 1 = 11.5",
            "      ceil_mode=True: 올림 → 12",
        ]
        await select_row(pilot, 3)
        assert "H, W: 팽창된 커널: 2×(2 - 1) + 1 = 3" in text_of(app, "#detail")


async def test_a_typed_spec_with_a_mistake_survives_the_switch() -> None:
    app = shapes_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_spec(pilot, "1x1x28x28: conv(5,5) maxpol(2)")
        typed = app.screen.query_one("#spec", Input).value
        await press_f2(pilot)
        assert app.screen.query_one("#spec", Input).value == typed
        assert text_of(app, "#spec-error").splitlines()[0].startswith(
            "✗ 22번째 글자: 모르는 층 'maxpol'입니다")
        assert [r[1] for r in table(app)] == ["입력", "conv 5x5 s1 p0"]  # the last that parsed
        await press_f2(pilot)
        assert text_of(app, "#spec-error").startswith("✗ column 22: unknown layer 'maxpol'")


async def test_residual_rows_and_the_check_result_follow_the_language(monkeypatch) -> None:
    from convtui.pytorch import network

    real_verify = network.verify
    monkeypatch.setattr(network, "verify", lambda shape, layers: real_verify(shape, layers))
    app = shapes_app(preset="resnet18-cifar")
    async with app.run_test(size=SIZE) as pilot:
        await check_with_pytorch(pilot)
        assert text_of(app, "#check-result").startswith("✓ PyTorch: every shape")
        await press_f2(pilot)
        assert text_of(app, "#check-result") == (
            "✓ PyTorch: 모든 형태와 파라미터 수가 일치합니다 (층 68개, 모듈 repr까지)")
        labels = [r[1] for r in table(app)]
        block = labels.index("잔차 블록")
        assert labels[block + 1:block + 8] == [
            "│ 메인 conv 3x3 s1 p1", "│      batchnorm", "│      relu",
            "│      conv 3x3 s1 p1", "│      batchnorm", "│ 숏컷 항등", "└ 더하기"]
        await select_row(pilot, block + 7)
        assert "메인 경로는 [1, 64, 32, 32], 항등 숏컷은 [1, 64, 32, 32]" in text_of(app, "#detail")


async def test_an_open_dialog_is_redrawn_with_its_text_kept() -> None:
    app = shapes_app(preset="lab")
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, 2)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, LayerDialog)
        field = dialog.query_one("#dialog-text", Input)
        field.value = "relu maxpol"
        await pilot.press("enter")  # refused: the error shows, the dialog stays
        await switch_language(pilot, "ko")  # F2 itself does not reach past a modal dialog
        assert app.screen is dialog and field.value == "relu maxpol"
        assert str(dialog.query_one("#dialog-title", Label).render()) == "편집: 2번째 층 (relu)"
        assert [str(b.label) for b in dialog.query(Button)] == [
            "적용", "뒤에 넣기", "지우기", "위로", "아래로", "취소"]
        assert text_of(app, "#dialog-error").startswith("✗ 6번째 글자: 모르는 층 'maxpol'")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ShapesScreen)
        assert [r[1] for r in table(app)][:3] == ["입력", "conv 3x3 s1 p1", "relu"]


async def test_the_tour_preset_opens_the_lectures_mnist_cnn() -> None:
    app = ConvtuiApp("stepper", Launch(spec="3x32x32: conv(8,3)"))
    async with app.run_test(size=SIZE) as pilot:
        await app.switch_mode("shapes")  # as the tour does: open the panel, then the preset
        screen = app.screen
        assert isinstance(screen, ShapesScreen) and screen.PRESETS == ("lecture",)
        screen.show_preset("lecture")
        await pilot.pause()
        assert app.screen.query_one("#spec", Input).value == (
            "1x1x28x28: conv(32,3,p=1) relu maxpool(2) conv(64,3,p=1) relu maxpool(2) flatten "
            "linear(3136,10)")
        assert [r[3] for r in table(app)] == [
            "1x1x28x28", "1x32x28x28", "1x32x28x28", "1x32x14x14", "1x64x14x14", "1x64x14x14",
            "1x64x7x7", "1x3136", "1x10"]
        assert cursor(app) == 1  # the first conv, its arithmetic below
        assert "H, W: (28 - 3 + 2×1) / 1 + 1 = 27 / 1 + 1 = 28" in text_of(app, "#detail")
        assert app.screen.query_one("#layers", DataTable).has_focus
        with pytest.raises(KeyError, match="no preset 'vgg'"):
            screen.show_preset("vgg")


def test_the_command_line_prints_the_table_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--lang", "ko", "shapes", "--preset", "lab", "--print", "table"])
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["#", "층", "입력", "출력", "파라미터", "MACs", "RF", "점프"]
    assert lines[1].split() == ["입력", "1x1x28x28", "1", "1"]
    assert lines[-1] == "합계 파라미터 50,186 · MACs 3,869,824 · 출력 1x10"


def test_the_command_line_reports_a_failing_network_in_korean(
        capsys: pytest.CaptureFixture[str]) -> None:
    spec = "1x1x28x28: conv(5,5) maxpool(2) flatten linear(100,10)"
    assert main(["shapes", "--lang", "ko", "--spec", spec, "--print", "table"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == ("✗ 4번째 층 (linear →10), 입력 [1, 720]: in_features: 입력의 특성은 "
                         "720개(5*12*12)인데 Linear의 in_features는 100입니다")
    assert lines[-1] == "  해결: Linear(720, 10)을 쓰세요"
    assert main(["--lang", "ko", "shapes", "--spec", "conv(4,3) maxpol", "--print", "toml"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "convtui shapes: --spec을 해석할 수 없습니다"
    assert err[1].startswith("✗ 11번째 글자: 모르는 층 'maxpol'입니다")


def test_the_command_line_help_is_korean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "ko", "shapes", "--help"])
    out = capsys.readouterr().out
    assert "미리 만든 신경망에서 시작: lecture, tiny, lab" in out
    assert "앱을 여는 대신 출력" in out

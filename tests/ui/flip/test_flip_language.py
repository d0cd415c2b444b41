"""The Flip panel in Korean and back (F2 keeps the lesson where the student left it), and the
guided tour's preset."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Select, TabbedContent

from convtui.ui.app import ConvtuiApp
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import (
    SIZE,
    check_with_pytorch,
    choose,
    click_cell,
    grid_rows,
    help_in,
    open_preset,
    set_field,
    switch_language,
    text_of,
)

GRIDS = ("#input-grid", "#kernel-grid", "#rotated-grid", "#corr-grid", "#conv-grid",
         "#diff-grid")


def shown(app) -> dict[str, object]:
    """Everything the student has set up: it must survive a language switch."""
    screen = app.screen
    return {
        "grids": {g: grid_rows(app, g) for g in GRIDS},
        "marks": {g: screen.query_one(g, HeatGrid).view.marks for g in GRIDS},
        "window": screen.query_one("#input-grid", HeatGrid).view.window,
        "step": screen.lesson.step,
        "example": screen.query_one("#example", Select).value,
        "fields": [screen.query_one(f"#{f}", Input).value for f in ("stride", "padding")],
        "tab": screen.query_one("#views", TabbedContent).active,
        "settings open": screen.query_one("#settings").display,
    }


def tab_labels(app) -> list[str]:
    views = app.screen.query_one("#views", TabbedContent)
    return [str(views.get_tab(pane).label) for pane in ("arith", "weights", "why", "code")]


def footer_labels(app) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values()}


async def test_f2_redraws_every_text_in_korean_and_back_keeping_the_lesson() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "example", "sobel")
        await set_field(pilot, "padding", "1")
        app.screen.set_focus(None)
        await pilot.press("right", "right", "w")
        await click_cell(pilot, "#kernel-grid", 0, 0)
        before = shown(app)
        assert before["step"] == 2 and before["settings open"]
        assert "step 3/25" in text_of(app, "#status")

        await switch_language(pilot, "ko")
        assert shown(app) == before
        status = text_of(app, "#status")
        assert status.startswith("단계 3/25 · corr[0,2] = ")
        assert "가중치 a = -1: W[0,0] → 회전[2,2] (양쪽에 표시)" in status
        assert status.endswith("소벨 x (부호 반전)")
        verdict = text_of(app, "#flip-verdict")
        assert "모든 칸에서 conv = −corr: 180° 회전이 W의 부호만 바꿉니다." in verdict
        assert "corr = 교차상관 (nn.Conv2d) · conv = 합성곱 (W를 180° 회전)" in verdict
        assert tab_labels(app) == ["산술", "가중치", "이유", "PyTorch"]
        weights = text_of(app, "#weights-view").splitlines()
        assert weights[0].startswith("W: a b c    회전: i h g")
        assert weights[1].startswith("   d e f          f e d")  # aligned under two-cell 회전
        assert "가중치 (i, j)는 (2−i, 2−j)로 이동: a↔i, b↔h, c↔g, d↔f; 제자리: e" in weights
        assert "딥러닝에서는 왜 뒤집기를 무시해도 될까" in text_of(app, "#why-view")
        code = text_of(app, "#code-view")
        assert "    corr = layer(x)  # 교차상관: nn.Conv2d가 계산하는 것" in code
        assert "c를 누르면 둘 다 PyTorch로 실행해 비교합니다" in text_of(app, "#check-result")
        labels = [str(label.render()) for label in app.screen.query("#settings Label")
                  .results(Label)]
        assert labels == ["예제", "스트라이드, 패딩"]
        example = app.screen.query_one("#example", Select)
        assert example.query_one("SelectCurrent").label == "소벨 x (부호 반전)"
        assert {"예제", "설정", "검사"} <= footer_labels(app)

        await switch_language(pilot, "en")
        assert shown(app) == before
        assert text_of(app, "#status").endswith(
            "weight a = -1: W[0,0] → rotated[2,2] (marked in both) · sobel x (signs flip)")
        assert "conv = −corr in every cell" in text_of(app, "#flip-verdict")
        assert tab_labels(app) == ["Arithmetic", "Weights", "Why", "PyTorch"]
        assert example.query_one("SelectCurrent").label == "sobel x (signs flip)"
        assert {"Example", "Settings", "Check"} <= footer_labels(app)


async def test_a_settings_error_is_reworded_and_the_last_good_lesson_kept() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "padding", "9")
        english = "padding: the Flip panel shows padding up to 4"
        assert english in text_of(app, "#settings-error")
        await switch_language(pilot, "ko")
        korean = "padding: 뒤집기 패널은 패딩을 4까지만 보여 줍니다"
        assert korean in text_of(app, "#settings-error")
        assert korean in text_of(app, "#status")
        assert app.screen.query_one("#padding", Input).value == "9"
        assert app.screen.lesson.correlation.padding == 0  # the last good lesson
        await set_field(pilot, "padding", "1")
        assert text_of(app, "#settings-error") == ""
        assert app.screen.lesson.correlation.padding == 1


async def test_the_check_result_is_redrawn_in_the_new_language() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await check_with_pytorch(pilot)
        assert text_of(app, "#check-result").startswith("✓ cross-correlation: PyTorch")
        await switch_language(pilot, "ko")
        lines = text_of(app, "#check-result").splitlines()
        assert lines[0].startswith("✓ 교차상관: ")
        assert lines[1].startswith("✓ 합성곱 (W 회전): ")


async def test_the_lecture_preset_runs_the_lecture_input_through_an_asymmetric_kernel() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.PRESETS == ("lecture",)
        await pilot.press("e", "e", "end", "space")  # somewhere else, playing
        await click_cell(pilot, "#kernel-grid", 0, 0)
        await pilot.press("y")
        await open_preset(pilot, "lecture")
        assert app.screen.player is None
        assert grid_rows(app, "#input-grid")[0] == ["1", "2", "3", "0", "1"]  # the lecture's
        assert grid_rows(app, "#kernel-grid") == [["1", "2", "3"], ["4", "5", "6"],
                                                  ["7", "8", "9"]]
        assert grid_rows(app, "#rotated-grid") == [["9", "8", "7"], ["6", "5", "4"],
                                                   ["3", "2", "1"]]
        # the first step, as torch computes it: F.conv2d(x, w) and F.conv2d(x, w.flip(-2, -1))
        assert grid_rows(app, "#corr-grid") == [["74", "·", "·"], ["·", "·", "·"],
                                                 ["·", "·", "·"]]
        assert grid_rows(app, "#conv-grid")[0] == ["76", "·", "·"]
        assert app.screen.query_one("#kernel-grid", HeatGrid).view.marks == frozenset()
        assert app.screen.query_one("#views", TabbedContent).active == "arith"
        assert text_of(app, "#status") == ("step 1/9 · corr[0,0] = 74 · conv = 76 · "
                                           "numbered kernel 1…9 (asymmetric)")
        assert "W changes under a 180° rotation" in text_of(app, "#flip-verdict")
        await pilot.press("end")
        assert "The outputs differ in 9 of 9 cells" in text_of(app, "#flip-verdict")
        with pytest.raises(KeyError, match="no preset 'sobel'"):
            app.screen.show_preset("sobel")


async def test_the_help_speaks_the_language_chosen() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        help_text = await help_in(pilot, "ko")
        assert help_text.lstrip().startswith("# 뒤집기: 합성곱인가, 교차상관인가?")
        assert "| e | 다음 예제 |" in help_text
        app.action_switch_language("en")  # while the help is open
        assert app.screen.panel_help().lstrip().startswith(
            "# Flip: convolution or cross-correlation?")

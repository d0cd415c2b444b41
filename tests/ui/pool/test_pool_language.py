"""The Pooling panel in Korean and back (F2 keeps the lesson where the student left it), and the
guided tour's preset."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, Label, Select, TabbedContent

from convtui.ui.app import ConvtuiApp
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import (
    SIZE,
    choose,
    grid_rows,
    help_in,
    open_preset,
    set_field,
    set_fields,
    settle,
    switch_language,
    text_of,
    to_the_grids,
    toggle,
)

FIELDS = ("in-size", "kernel-size", "stride", "padding", "dilation")


def shown(app) -> dict[str, object]:
    """Everything the student has set up: it must survive a language switch."""
    screen = app.screen
    return {
        "grids": {g: grid_rows(app, g) for g in ("#input-grid", "#output-grid")},
        "window": screen.query_one("#input-grid", HeatGrid).view.window,
        "step": screen.lesson.step,
        "kind": screen.lesson.kind,
        "selects": [screen.query_one(f"#{s}", Select).value for s in ("input-preset", "kind")],
        "fields": [screen.query_one(f"#{f}", Input).value for f in FIELDS],
        "boxes": [box.value for box in screen.query("#settings Checkbox").results(Checkbox)],
        "tab": screen.query_one("#views", TabbedContent).active,
    }


def chosen_label(app, select_id: str) -> str:
    return str(app.screen.query_one(f"#{select_id}", Select).query_one("SelectCurrent").label)


async def test_f2_redraws_every_text_in_korean_and_back_keeping_the_lesson() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "lecture_avg")
        await set_fields(pilot, {"kernel-size": "3", "stride": "2", "padding": "1"})
        await toggle(pilot, "ceil-mode")
        await to_the_grids(pilot)
        await pilot.press("right", "right", "right")
        before = shown(app)
        assert before["step"] == 3 and before["kind"] == "avg"

        await switch_language(pilot, "ko")
        assert shown(app) == before
        assert text_of(app, "#status").startswith("단계 4/9 · out[1,0] = ")
        assert text_of(app, "#status").endswith(" · 강의 4×4 (평균)")
        assert "입력 4×4 · 패딩 1 (0)" in text_of(app, "#input-grid")
        assert "출력 3×3 · 평균 풀링 3×3" in text_of(app, "#output-grid")
        assert "나누는 수 9: 입력 칸 6개 + 패딩 0 3개 (count_include_pad=True는 패딩도 셉니다)" \
            in text_of(app, "#arithmetic")
        note = text_of(app, "#window-note").replace("\n", " ")
        assert note.startswith("윈도: 입력 행 1…3, 열 -1…1 (커널 3, 스트라이드 2)")
        assert "ceil_mode는 출력 크기를 올림하므로 (높이와 너비: " in note
        code = text_of(app, "#code-view")
        assert "out = pool(x)  # 형태 (1, 1, 3, 3)" in code
        views = app.screen.query_one("#views", TabbedContent)
        assert [str(views.get_tab(p).label) for p in ("arith", "code")] == ["산술", "PyTorch"]
        labels = [str(label.render()) for label in app.screen.query("#settings Label")
                  .results(Label)]
        assert labels == ["입력", "입력 크기 H×W (무작위)", "풀링", "커널 크기, 스트라이드",
                          "패딩, 팽창 (최대 풀링)"]
        assert chosen_label(app, "input-preset") == "강의 4×4 (평균)"
        assert chosen_label(app, "kind") == "평균"
        assert str(app.screen.query_one("#count-include-pad", Checkbox).label) == \
            "count_include_pad (평균)"
        await set_field(pilot, "stride", "")
        assert app.screen.query_one("#stride", Input).placeholder == "= 커널"
        assert "스트라이드 3 = 커널 크기" in text_of(app, "#window-note")
        await set_field(pilot, "stride", "2")
        await to_the_grids(pilot)

        await switch_language(pilot, "en")
        assert shown(app) == before
        assert text_of(app, "#status").startswith("step 4/9 · out[1,0] = ")
        assert "output 3×3 · avg pool 3×3" in text_of(app, "#output-grid")
        assert chosen_label(app, "kind") == "average"
        assert app.screen.query_one("#stride", Input).placeholder == "= kernel"


async def test_a_settings_error_is_reworded_and_the_last_good_lesson_kept() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "kernel-size", "9")
        assert "kernel_size: the Pooling panel shows kernels up to 8×8" in text_of(
            app, "#settings-error")
        await switch_language(pilot, "ko")
        korean = "kernel_size: 풀링 패널은 커널을 8×8까지만 보여 줍니다"
        assert korean in text_of(app, "#settings-error")
        assert korean in text_of(app, "#status")
        assert app.screen.lesson.kernel_size == (2, 2)
        await to_the_grids(pilot)
        await pilot.press("k")  # a change that works clears the error
        assert text_of(app, "#settings-error") == ""
        assert app.screen.lesson.kind == "avg"


async def test_without_mnist_the_notice_follows_the_language() -> None:
    app = ConvtuiApp("pool")  # the test's cache dir is empty and CONVTUI_MNIST_DIR unset
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "input-preset", "mnist")
        await settle(pilot)
        await switch_language(pilot, "ko")
        note = text_of(app, "#window-note").replace("\n", " ")
        assert note.startswith("✗ MNIST를 쓸 수 없습니다: ")
        assert "CONVTUI_MNIST_DIR(또는 --data-dir)" in note
        assert "✗ MNIST를 쓸 수 없습니다 (위 설명 참고)" in text_of(app, "#status")
        assert app.screen.query_one("#input-preset", Select).value == "lecture_max"
        assert chosen_label(app, "input-preset") == "강의 4×4 (최대)"


async def test_the_lecture_preset_is_2x2_max_pooling_stride_2_at_the_first_step() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.PRESETS == ("lecture",)
        await choose(pilot, "input-preset", "random")
        await set_fields(pilot, {"kernel-size": "3", "stride": "1"})
        await to_the_grids(pilot)
        await pilot.press("k", "end", "p")
        await open_preset(pilot, "lecture")
        assert grid_rows(app, "#input-grid") == [["1", "9", "3", "7"], ["4", "5", "2", "8"],
                                                  ["7", "3", "9", "0"], ["1", "2", "3", "3"]]
        assert grid_rows(app, "#output-grid") == [["9", "·"], ["·", "·"]]
        assert app.screen.query_one("#input-grid", HeatGrid).view.window == {
            (0, 0), (0, 1), (1, 0), (1, 1)}
        assert text_of(app, "#status") == "step 1/4 · out[0,0] = 9 · lecture 4×4 (max)"
        assert "(kernel 2, stride 2 = kernel size)" in text_of(app, "#window-note")
        assert app.screen.query_one("#views", TabbedContent).active == "arith"
        # the open settings show the preset's layer
        assert [app.screen.query_one(f"#{f}", Input).value for f in FIELDS] == [
            "4x4", "2", "", "0", "1"]
        assert app.screen.query_one("#kind", Select).value == "max"
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == [["9", "8"], ["7", "9"]]
        with pytest.raises(KeyError, match="no preset 'mnist'"):
            app.screen.show_preset("mnist")


async def test_a_panel_switched_away_from_catches_up_when_shown_again() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "k")
        await pilot.press("2")  # to Flip, where the language is switched
        await switch_language(pilot, "ko")
        await pilot.press("3")
        await pilot.pause()
        assert text_of(app, "#status").startswith("단계 2/4 · out[0,1] = 5 · 강의 4×4 (최대)")
        assert "출력 2×2 · 평균 풀링 2×2" in text_of(app, "#output-grid")


async def test_the_help_speaks_the_language_chosen() -> None:
    app = ConvtuiApp("pool")
    async with app.run_test(size=SIZE) as pilot:
        help_text = await help_in(pilot, "ko")
        assert help_text.lstrip().startswith("# 풀링: 최대 풀링과 평균 풀링, 윈도 하나씩")
        assert "| k | 최대 풀링과 평균 풀링 전환 |" in help_text

"""The Stepper in Korean: F2 redraws every text and leaves the lesson, the step, the settings
typed and any open dialog exactly as they were."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from textual.widgets import Input, Label, Select, Static, TabbedContent
from textual.widgets._select import SelectCurrent

from convtui import i18n
from convtui.i18n import LANGUAGES, catalogue
from convtui.lessons.conv_arrays import KERNEL_PRESETS
from convtui.ui.app import ConvtuiApp
from convtui.ui.panel.edit_cell import EditCellScreen
from convtui.ui.stepper.screen import input_label, kernel_label
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import (
    LECTURE_OUT,
    SIZE,
    grid_rows,
    help_in,
    press_f2,
    set_field,
    settle,
    switch_language,
    text_of,
)


def shown(app, select_id: str) -> str:
    """The label a Select shows for its value."""
    select = app.screen.query_one(f"#{select_id}", Select)
    return str(select.query_one(SelectCurrent).query_one("#label", Static).render())


def tab_label(app, pane: str) -> str:
    return str(app.screen.query_one("#views", TabbedContent).get_tab(pane).label)


def footer_word(app, key: str) -> str:
    return app.screen.active_bindings[key].binding.description


async def test_f2_speaks_korean_and_keeps_the_lesson_the_step_and_the_fields() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "stride", "2")
        await set_field(pilot, "bias", "0.5")
        app.screen.set_focus(None)
        await pilot.press("right", "right")
        lesson = app.screen.lesson
        arithmetic_en = text_of(app, "#arithmetic")
        await press_f2(pilot)
        assert i18n.current() == "ko"
        assert app.screen.lesson is lesson  # the same lesson: step, settings, cells
        assert lesson.step == 2 and lesson.stride == (2, 2) and lesson.bias == 0.5
        assert app.screen.query_one("#stride", Input).value == "2"
        assert app.screen.query_one("#bias", Input).value == "0.5"
        assert text_of(app, "#status").startswith("단계 3/4 · out[1,0] = ")
        assert text_of(app, "#input-grid").startswith("입력 5×5")
        assert text_of(app, "#kernel-grid").startswith("커널 3×3")
        assert text_of(app, "#output-grid").startswith("출력 2×2")
        assert text_of(app, "#window-note").startswith("윈도우: 입력 행 2…4, 열 0…2 (스트라이드 2")
        # the numbers are the same; only the words change
        assert text_of(app, "#arithmetic") == arithmetic_en.replace("bias 0.5", "편향 0.5")
        assert "출력 크기 = (I - F + 2P) / S + 1" in text_of(app, "#arith-notes")
        assert "출력 한 칸 = 뉴런 하나" in text_of(app, "#neuron-view")
        assert text_of(app, "#check-result") == "c를 누르면 PyTorch로 실행해 비교합니다"
        assert [tab_label(app, p) for p in ("arith", "neuron", "code")] == [
            "계산식", "뉴런", "PyTorch"]
        assert str(app.screen.query_one("#cap-stride", Label).render()) == "스트라이드, 팽창"
        assert shown(app, "input-preset") == "강의 예제 5×5"
        assert shown(app, "kernel-preset") == "강의 예제"
        assert footer_word(app, "s") == "설정"
        assert footer_word(app, "right") == "다음"
        # and back: English again, still the same lesson
        await press_f2(pilot)
        assert app.screen.lesson is lesson
        assert text_of(app, "#status").startswith("step 3/4")
        assert shown(app, "input-preset") == "lecture 5×5"
        assert footer_word(app, "s") == "Settings"


async def test_switching_language_from_the_app_redraws_an_edited_lesson() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        grid = app.screen.query_one("#input-grid", HeatGrid)
        grid.focus()
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, EditCellScreen)
        app.screen.query_one(Input).value = "10"
        await pilot.press("enter")
        await pilot.pause()
        app.screen.set_focus(None)
        await pilot.press("end", "s")
        await pilot.pause()
        assert app.screen.query_one("#input-preset", Select).value == "edited"
        await switch_language(pilot, "ko")
        assert app.screen.lesson.x[0, 0, 0] == 10
        assert grid_rows(app, "#output-grid")[0][0] == "17"
        assert text_of(app, "#status").startswith("단계 9/9")
        assert shown(app, "input-preset") == "직접 고침"


async def test_a_settings_error_is_worded_again_in_the_new_language() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await set_field(pilot, "stride", "two")
        assert "stride: expected a number like 2" in text_of(app, "#settings-error")
        await press_f2(pilot)
        assert text_of(app, "#settings-error") == (
            "✗ stride: 2 같은 수나 1,2 같은 쌍을 입력하세요. 입력한 값: 'two'")
        assert app.screen.query_one("#stride", Input).value == "two"
        await set_field(pilot, "channels", "0")
        assert text_of(app, "#settings-error") == "✗ 채널: 1 이상이어야 합니다. 입력한 값: 0"
        app.screen.set_focus(None)
        await pilot.press("end")
        assert grid_rows(app, "#output-grid") == LECTURE_OUT  # the last good lesson stays


async def test_the_cell_editor_follows_the_language_while_it_is_open() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#kernel-grid", HeatGrid).focus()
        await pilot.pause()
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, EditCellScreen)
        editor.query_one(Input).value = "x"
        await pilot.press("enter")
        assert "weight[0,0]: expected a number" in text_of(app, "#edit-error")
        await switch_language(pilot, "ko")  # F2 itself does not reach past a modal dialog
        assert app.screen is editor
        assert str(editor.query_one("#edit-prompt", Label).render()) == (
            "weight[0,0]의 새 값 (Enter: 적용, Esc: 취소)")
        assert text_of(app, "#edit-error") == (
            "weight[0,0]: 3이나 -1.5 같은 수를 입력하세요. 입력한 값: 'x'")
        await pilot.press("escape")
        await pilot.pause()
        assert text_of(app, "#status").startswith("단계 1/9")


async def test_playing_and_checking_speak_korean() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        app.action_switch_language("ko")
        await pilot.press("space")
        assert "▶ 재생 중, 초당 2단계" in text_of(app, "#status")
        await pilot.press("space", "c")
        await settle(pilot)
        assert text_of(app, "#check-result").startswith("✓ PyTorch")
        assert "출력 9칸 모두와 일치합니다" in text_of(app, "#check-result")
        await press_f2(pilot)
        assert "agrees on all 9 output cells" in text_of(app, "#check-result")


async def test_help_is_in_korean_and_keeps_the_commands() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        help_text = await help_in(pilot, "ko")
        assert help_text.lstrip().startswith("# 스테퍼: 합성곱을 한 단계씩")
        assert "`nn.Conv2d`" in help_text and "`convtui train`" in help_text
        assert "| m / M |" in help_text


def test_every_preset_has_a_label_in_every_language() -> None:
    values = [("kernel", k) for k in (*KERNEL_PRESETS, "loaded")] + [
        ("input", v) for v in ("lecture", "random", "mnist", "edited", "loaded")]
    for lang in LANGUAGES:
        i18n.set_language(lang)
        for kind, value in values:
            label = kernel_label(value) if kind == "kernel" else input_label(value)
            assert label.strip(), (lang, kind, value)
    assert catalogue("ko")["stepper.kernels.sobel_x"] == "소벨 x"


async def test_a_multichannel_lesson_in_korean_names_its_channels() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.show_preset("multichannel")
        await switch_language(pilot, "ko")
        assert "채널 0:" in text_of(app, "#arithmetic")
        assert text_of(app, "#input-grid").startswith("입력 5×5 채널 0/3")
        await set_field(pilot, "padding", "1")
        grid = app.screen.query_one("#input-grid", HeatGrid)
        title = "입력 5×5 채널 0/3 · 패딩 1"  # wider than the grid's 7 cells: it sets the width
        assert grid.view.title == title
        assert grid.content_size.width == cell_len(title)
        neuron = text_of(app, "#neuron-view")
        assert "(채널 0; 뉴런은 모든 채널의 Σ와 편향을 더합니다:" in neuron
        assert "입력 27개 (채널 3개 × 3×3 윈도우), 가중치 27개 (커널)" in neuron
        assert np.array_equal(app.screen.lesson.x.shape, (3, 5, 5))

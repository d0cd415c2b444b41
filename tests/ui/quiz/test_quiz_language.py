"""The Quiz in Korean: switching the language (F2) in the middle of a puzzle redraws everything in
Korean, the puzzle itself included, without losing the session; answers are still graded
against the engine. Also the guided tour's preset."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Label, OptionList

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from convtui.ui.quiz.screen import QuizScreen
from tests.ui.conftest import SIZE, open_preset, press_f2, switch_language, text_of
from tests.ui.quiz.helpers import (
    answer,
    entries,
    entry,
    focused_field,
    open_entry,
    quiz_app,
    to_exercise_2,
    write_pack,
)


def footer_labels(app: ConvtuiApp) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values()}


async def test_switching_mid_puzzle_keeps_the_session_and_speaks_korean() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_exercise_2(pilot)
        await pilot.press("2", "8", "tab", "2")  # typed, not checked yet
        await switch_language(pilot, "ko")
        assert "64×64 이미지, 7×7 필터, 스트라이드 2, 패딩 없음." in text_of(app, "#prompt")
        assert "Lab 10: 강의 연습 문제 · 2/6  ✓ ○ ○ ○ ○ ○" in text_of(app, "#puzzle-header")
        screen = app.screen
        assert screen.round.index == 1
        assert (screen.field("H").value, screen.field("W").value) == ("28", "2")
        assert focused_field(app) == "answer-W"
        await pilot.press("9", "enter")  # H wrong: the floor
        await pilot.pause()
        verdict = text_of(app, "#verdict")
        assert "✗ 아직 아닙니다: H 차원이 틀렸습니다 (1번째 시도)." in verdict
        assert "힌트: (64 - 7) / 2 = 28.5는 정수가 아닙니다." in verdict
        assert "점수 1 · 연속 정답 0 · 최고 연속 1" in text_of(app, "#status")
        await switch_language(pilot, "en")
        assert "✗ Not yet: H is wrong (attempt 1)" in text_of(app, "#verdict")
        await switch_language(pilot, "ko")
        # the session: the fields as typed and marked, the cursor where it was
        assert (screen.field("H").value, screen.field("W").value) == ("28", "29")
        assert screen.field("H").has_class("wrong") and screen.field("W").has_class("right")
        assert focused_field(app) == "answer-H"
        assert "(1번째 시도)" in text_of(app, "#verdict")
        assert str(screen.query_one("#answer-title", Label).render()) == "내 답:"
        assert [str(b.label) for b in screen.query("#actions Button").results(Button)] == [
            "확인", "정답 보기", "◀ 이전", "다음 ▶", "팩 목록"]
        assert {"정답 보기", "팩 목록"} <= footer_labels(app)  # n, p: letters in a field
        # graded by the engine as before
        await pilot.press("2", "9", "enter")  # over the selected, wrong 28
        await pilot.pause()
        assert "✓ 정답: [29, 29]  +1점" in text_of(app, "#verdict")
        worked = text_of(app, "#explanation")
        assert worked.startswith("풀이\n1. Conv2d(1, 1, kernel_size=(7, 7), stride=(2, 2)): "
                                 "[64, 64] → [29, 29]")
        assert "H와 W: (64 - 7 + 2×0) / 2 + 1 = 57 / 2 + 1 = 29.5" in worked
        assert worked.endswith("출력 형태: [29, 29]")
        assert "점수 2 · 연속 정답 1 · 최고 연속 1" in text_of(app, "#status")
        # and back: the finished puzzle is drawn in English again, worked answer included
        await switch_language(pilot, "en")
        assert "✓ Right: [29, 29]  +1 point" in text_of(app, "#verdict")
        assert text_of(app, "#explanation").endswith("Output shape: [29, 29]")
        assert "64×64 image, a 7×7 filter" in text_of(app, "#prompt")
        assert "Score 2 · Streak 1 · Best streak 1" in text_of(app, "#status")


async def test_the_pack_list_and_a_generated_prompt_in_korean() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        packs = app.screen.query_one("#packs", OptionList)
        highlighted = packs.highlighted
        await switch_language(pilot, "ko")
        assert packs.highlighted == highlighted  # still on the second pack
        assert packs.get_option_at_index(highlighted).id == "pack:padding-stride"
        assert entries(app)[0].splitlines() == [
            "Lab 10: 강의 연습 문제  0/6 해결",
            "문제 6개 · convtui 기본 제공",
            "합성곱 강의에 나온 출력 크기 연습 문제 다섯 개를 (I - F + 2P) / S + 1로 풀고, "
            "강의의 첫 합성곱 + 풀링 연결을 MNIST 크기 입력에 적용해 봅니다.",
        ]
        assert entry(app, "practice:medium").startswith("무작위 연습 · 보통\n끝없이, 매번 새 문제")
        assert "점수 0 · 연속 정답 0 · 최고 연속 0 · 팩이나 무작위 연습을 고르세요" in \
            text_of(app, "#status")
        await pilot.press("enter")
        await pilot.pause()
        assert "패딩과 스트라이드 · 1/9" in text_of(app, "#puzzle-header")
        assert text_of(app, "#prompt") == (
            "64×64 (H×W) 입력을 Conv2d(1, 1, kernel_size=(3, 3), stride=(2, 2), "
            "padding=(1, 1))에 통과시킵니다.\n출력 형태 [H, W]는 무엇일까요?")
        await answer(pilot, "32", "31")
        verdict = text_of(app, "#verdict")
        assert "W 차원이 틀렸습니다" in verdict and "힌트: (64 - 3 + 2×1) / 2" in verdict


async def test_unread_fields_and_practice_are_reworded_after_a_switch() -> None:
    app = quiz_app(practice="medium")
    async with app.run_test(size=SIZE) as pilot:
        puzzle = app.screen.round.puzzle
        dims = puzzle.dims
        await answer(pilot, *(["x"] + [""] * (len(dims) - 1)))
        assert f"{dims[0]}: 'x' is not a number" in text_of(app, "#field-errors")
        await switch_language(pilot, "ko")
        errors = text_of(app, "#field-errors")
        assert f"✗ {dims[0]}: 'x'은(는) 숫자가 아닙니다." in errors
        assert f"✗ {dims[1]}: 숫자를 입력하세요" in errors
        assert "무작위 연습 · 보통 · 1번 문제" in text_of(app, "#puzzle-header")
        assert "채점하지 않음" in text_of(app, "#status")
        assert app.screen.round.puzzle is puzzle
        assert text_of(app, "#prompt").endswith(f"출력 형태 [{', '.join(dims)}]는 무엇일까요?")
        for i, dim in enumerate(dims):
            app.screen.field(dim).value = str(puzzle.answer[i])
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ 정답" in text_of(app, "#verdict")
        assert "지금까지 1/1 정답" in text_of(app, "#puzzle-header")


async def test_a_broken_pack_is_reported_in_korean_after_a_switch(tmp_path: Path) -> None:
    broken = write_pack(tmp_path, "broken.toml", """\
        [pack]
        id = "broken"
        title = "Broken"

        [[puzzles]]
        id = "p1"
        prompt_kr = "질문"
        input = [8, 8]
        layers = [{ type = "conv2d", kernel = 3 }]
        """)
    app = quiz_app(broken)
    async with app.run_test(size=SIZE) as pilot:
        assert "1 pack file skipped: 1 problem" in text_of(app, "#notice")
        await switch_language(pilot, "ko")
        notice = text_of(app, "#notice")
        assert "⚠ 건너뛴 팩 파일 1개: 오류 1개" in notice
        assert f"{broken}:7: 문제 'p1': 'prompt_kr': 지원하지 않는 언어 코드 'kr'" in notice


async def test_a_pack_without_korean_shows_its_english_in_korean(tmp_path: Path) -> None:
    mine = write_pack(tmp_path, "mine.toml", """\
        [pack]
        id = "mine"
        title = "My pack"

        [[puzzles]]
        id = "mine-1"
        prompt = "Ten by ten, a 3×3 kernel. Output [H, W]?"
        input = [10, 10]
        layers = [{ type = "conv2d", kernel = 3 }]
        """)
    i18n.set_language("ko")
    app = quiz_app(mine)
    async with app.run_test(size=SIZE) as pilot:
        assert entry(app, "pack:mine").splitlines()[:2] == [
            "My pack  0/1 해결", f"문제 1개 · --pack 파일: {mine}"]
        await open_entry(pilot, "pack:mine")
        assert text_of(app, "#prompt") == "Ten by ten, a 3×3 kernel. Output [H, W]?"
        await answer(pilot, "8", "9")
        assert "힌트: 이 팩에는 힌트가 없습니다." in text_of(app, "#verdict")


async def test_the_help_is_in_the_current_language() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.help_markdown().lstrip().startswith("# Quiz: what shape comes out?")
        await switch_language(pilot, "ko")
        assert "| Ctrl+R | 정답과 풀이 보기 |" in app.screen.help_markdown()


async def test_the_help_ships_the_pack_format_in_both_languages() -> None:
    """An installed copy has no docs/ folder: the pack format comes at the end of the help."""
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        shown = app.screen.query_one("Markdown").source
        assert "this help" in shown and "## `[[puzzles]]`" in shown
        assert shown.index("# Quiz: what shape comes out?") < shown.index("# Puzzle packs")
        await press_f2(pilot)
        shown = app.screen.query_one("Markdown").source
        assert "이 도움말 끝에" in shown and "설명은 영어로" in shown
        assert "## `[[puzzles]]`" in shown


# ---- the guided tour -------------------------------------------------------------------------


async def test_the_tour_asks_three_formula_puzzles_of_the_lecture() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        assert QuizScreen.PRESETS == ("tour",)
        await open_preset(pilot, "tour")
        assert "Guided tour: the output-size formula · 1/3  ○ ○ ○" in \
            text_of(app, "#puzzle-header")
        assert "227×227 image with an 11×11 filter" in text_of(app, "#prompt")
        assert "Enter checks, n goes to the next puzzle" in text_of(app, "#status")
        assert focused_field(app) == "answer-H"
        await answer(pilot, "55", "55")
        assert "✓ Right: [55, 55]  +1 point" in text_of(app, "#verdict")
        await pilot.press("n")
        await pilot.pause()
        assert "64×64 image, a 7×7 filter, stride 2" in text_of(app, "#prompt")
        await pilot.press("ctrl+r", "n")
        await pilot.pause()
        assert "a border of 2 zeros (padding 2)" in text_of(app, "#prompt")
        assert [len(p.layers) for p in app.screen.round.puzzles] == [1, 1, 1]
        await pilot.press("ctrl+r", "n")
        await pilot.pause()
        assert "last puzzle" in text_of(app, "#status")
        await switch_language(pilot, "ko")
        assert "둘러보기: 출력 크기 공식 · 3/3  ✓ ○ ○" in text_of(app, "#puzzle-header")
        await pilot.press("escape")
        await pilot.pause()
        assert "1/6 해결" in entry(app, "pack:lab10-exercises")  # the tour's point counts


async def test_the_tour_can_be_asked_for_before_the_panel_is_shown() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        screen = QuizScreen()
        screen.show_preset("tour")
        await app.push_screen(screen)
        await pilot.pause()
        assert "Guided tour: the output-size formula · 1/3" in text_of(app, "#puzzle-header")
        assert isinstance(app.focused, Input)


async def test_an_unknown_preset_is_refused() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE):
        with pytest.raises(KeyError, match="the quiz panel has no preset 'pairs'"):
            app.screen.show_preset("pairs")


async def test_a_quiz_left_open_behind_catches_up_when_shown_again() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "tab")  # out of the fields, so 1 opens a panel
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "stepper"
        await switch_language(pilot, "ko")
        await pilot.press("5")
        await pilot.pause()
        assert app.current_mode == "quiz"
        assert "227×227 이미지를 11×11 필터로" in text_of(app, "#prompt")
        assert "Lab 10: 강의 연습 문제 · 1/6" in text_of(app, "#puzzle-header")

"""The real `convtui quiz` in a real terminal: the lecture's first exercise, answered right, in
English and in Korean."""

from __future__ import annotations


def test_answering_the_first_lecture_exercise_marks_it_right(terminal) -> None:
    term = terminal("quiz")
    term.wait_for("Lab 10: the lecture's exercises")
    term.send("Enter")
    screen = term.wait_for("227×227 image with an 11×11 filter")
    assert "[?, ?]" in screen
    # Keys sent in one burst all reach the field focused when they arrive, so each step
    # waits for the screen: Enter with W still empty says so and moves to W.
    term.send("55")
    term.wait_for("H  55")
    term.send("Enter")
    term.wait_for("W: enter a number")
    term.send("55")
    term.wait_for("W  55")
    term.send("Enter")
    screen = term.wait_for("✓ Right: [55, 55]")
    assert "(227 - 11 + 2×0) / 4 + 1 = 216 / 4 + 1 = 55" in screen
    assert "Score 1 · Streak 1 · Best streak 1" in screen
    term.send("C-q")
    screen = term.wait_gone("Score 1")
    assert "Traceback" not in screen


def test_the_quiz_in_korean_then_f2_to_english_keeps_the_score(terminal) -> None:
    term = terminal("quiz", env={"CONVTUI_LANG": "ko"})
    term.wait_for("Lab 10: 강의 연습 문제")
    term.send("Enter")
    term.wait_for("227×227 이미지를 11×11 필터로")
    term.send("55")
    term.wait_for("H  55")
    term.send("Enter")
    term.wait_for("W: 숫자를 입력하세요")
    term.send("55")
    term.wait_for("W  55")
    term.send("Enter")
    screen = term.wait_for("✓ 정답: [55, 55]")
    assert "(227 - 11 + 2×0) / 4 + 1 = 216 / 4 + 1 = 55" in screen
    assert "점수 1 · 연속 정답 1 · 최고 연속 1" in screen
    term.send("F2")
    screen = term.wait_for("✓ Right: [55, 55]")
    assert "227×227 image with an 11×11 filter" in screen
    assert "Score 1 · Streak 1 · Best streak 1" in screen
    term.send("C-q")
    assert "Traceback" not in term.wait_gone("Score 1")

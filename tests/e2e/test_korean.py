"""The real `convtui --lang ko` in a real terminal: the Stepper speaks Korean, wide characters
and all, and F2 switches it to English and back without losing the step."""

from __future__ import annotations

UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}  # so tmux draws two-cell syllables


def test_the_stepper_in_korean(terminal) -> None:
    term = terminal("--lang", "ko", env=UTF8)
    screen = term.wait_for("1 스테퍼")  # the panel's tab
    assert "입력 5×5" in screen and "커널 3×3" in screen and "출력 3×3" in screen
    assert "계산식" in screen  # the arithmetic tab
    assert "윈도우: 입력 행 0…2, 열 0…2" in screen
    term.send("Right")
    screen = term.wait_for("단계 2/9")
    assert "out[0,1] = 9" in screen
    term.send("End")
    screen = term.wait_for("단계 9/9")
    assert "+ 편향 0 = 5" in screen
    assert "8 9 8" in screen and "8 5 9" in screen and "6 5 5" in screen
    term.send("F2")
    screen = term.wait_for("step 9/9")  # English now, at the same step
    assert "1 Stepper" in screen and "+ bias 0 = 5" in screen
    term.send("F2")
    term.wait_for("단계 9/9")
    term.send("C-q")
    screen = term.wait_gone("단계 9/9")
    assert "Traceback" not in screen

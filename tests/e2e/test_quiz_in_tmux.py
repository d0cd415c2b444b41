"""The real `convtui quiz` in a real terminal: the lecture's first exercise, answered right."""

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

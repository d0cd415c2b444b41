"""The real `convtui` command in a real terminal: step through the lecture example."""

from __future__ import annotations


def test_stepping_to_the_end_shows_the_lecture_output(terminal) -> None:
    term = terminal()
    screen = term.wait_for("output 3×3")
    assert "8 · ·" in screen  # only the first cell is filled at the start
    term.send("Right")
    term.wait_for("step 2/9")
    term.send("End")
    screen = term.wait_for("step 9/9")
    rows = [line for line in screen.splitlines() if "8 9 8" in line]
    assert rows, screen
    assert "8 5 9" in screen and "6 5 5" in screen
    assert "bias 0 = 5" in screen
    term.send("C-q")
    # the app quits and leaves the terminal as it found it, with no traceback
    screen = term.wait_gone("output 3×3")
    assert "Traceback" not in screen

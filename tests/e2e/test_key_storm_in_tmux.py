"""The key storm once in a real terminal (issue 13): a few hundred random keys typed into the
installed `convtui`; it is still running and still answers a key afterwards."""

from __future__ import annotations

import random
import subprocess
import time

from tests.ui.test_key_storm import LETTERS

#: tmux's names for the keys a student reaches (no C-q / C-c: they quit, as they should).
TMUX_KEYS = [*LETTERS, *"0123456789?+-[]", "Up", "Down", "Left", "Right", "Tab", "BTab",
             "Enter", "Escape", "Space", "BSpace", "PPage", "NPage", "Home", "End",
             "F1", "F2", "F3", "F4", "F5", "C-p", "C-r"]
SEED = 13


def test_a_key_storm_in_a_real_terminal_leaves_convtui_running(terminal) -> None:
    term = terminal("--lang", "en")
    term.wait_for("output 3×3")
    pane_pid = term.tmux("display-message", "-p", "-t", term.name, "#{pane_pid}", check=True,
                         capture_output=True, text=True).stdout.strip()
    rng = random.Random(SEED)
    for burst in range(12):
        keys = [rng.choice(TMUX_KEYS) for _ in range(25)]
        term.send(*keys)
        time.sleep(0.3)
        screen = term.screen()
        assert "Traceback" not in screen and "stopped on an unexpected error" not in screen, (
            f"seed {SEED}, burst {burst}: {' '.join(keys)}\n{screen}")
    children = subprocess.run(["pgrep", "-P", pane_pid], capture_output=True, text=True)
    assert children.stdout.strip(), "convtui is no longer running"
    for _ in range(4):
        term.send("Escape")
    time.sleep(0.5)
    # The screen still answers: "3" opens the Pooling panel. A busy machine can read the last
    # Escape and the "3" in one go, as Alt+3, so the key is pressed again until it shows.
    for _ in range(10):
        term.send("3")
        try:
            term.wait_for("Max/avg", timeout=2)
            return
        except AssertionError:
            continue
    term.wait_for("Max/avg", timeout=1)

"""Key storms: random keys and clicks from everything a student can reach, on every panel, in
the tour, and on the Train panel with a real run attached (issue 13). After every burst the
app is alive, Escape leads back to the panel, its number key still opens it, and its state is
valid.

Keys are queued a burst at a time (a student mashing keys types faster than the app answers),
then the app is let to catch up. Ctrl+Q and Ctrl+C are never pressed, and a quit the storm
reaches otherwise (the palette's Quit command, a click on the footer's Quit key) is held back by
a quit guard of the storm's own: quitting is what they say. Each storm is seeded; a failure
names the seed and the keys of the failing burst.
Replay one with ``CONVTUI_STORM_SEED=N``; ``CONVTUI_STORM_KEYS=N`` storms N keys per panel
(default 240) and ``CONVTUI_STORM_SEEDS=N`` runs N seeds (default 1), for long runs by hand.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import tempfile
import zlib
from pathlib import Path

import pytest
from textual import events
from textual.screen import ModalScreen

from convtui.tour import STEPS
from convtui.training.runs import pid_alive, read_pid, request, runs_root
from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from convtui.ui.panel.screen import PanelScreen
from convtui.ui.panel.stepping import SteppingPanel
from convtui.ui.panels import PANELS, panel
from tests.ui.train_fixtures import copy_run, finished_run, form_options  # noqa: F401

SIZE = (100, 32)
KEYS_PER_STORM = int(os.environ.get("CONVTUI_STORM_KEYS", "240"))
SEEDS = int(os.environ.get("CONVTUI_STORM_SEEDS", "1"))
BURST = 40

_CHARS = {"space": " ", "escape": "\x1b", "tab": "\t", "backspace": "\x08",
          "question_mark": "?", "plus": "+", "minus": "-", "left_square_bracket": "[",
          "right_square_bracket": "]"}
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [
    chr(c) for c in range(ord("A"), ord("Z") + 1)]
NAMED = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "space",
         "backspace", "pageup", "pagedown", "home", "end", "f1", "f2", "f3", "f4", "f5",
         "ctrl+p", "ctrl+r", "question_mark", "plus", "minus", "left_square_bracket",
         "right_square_bracket"]
DIGITS = [str(d) for d in range(10)]


def key_pool(home: str) -> list[str]:
    """Every key a student reaches (no Ctrl+Q / Ctrl+C). Other panels' number keys come
    rarely, so the storm stays mostly on the panel under test; it still leaves and returns."""
    others = {p.key for p in PANELS if p.name != home}
    digits = [d for d in DIGITS if d not in others]
    return LETTERS + NAMED * 2 + digits * 2 + [panel(home).key]


def storm_seeds(name: str) -> list[int]:
    given = os.environ.get("CONVTUI_STORM_SEED")
    if given:
        return [int(given)]
    base = zlib.crc32(name.encode())
    return [base + i for i in range(SEEDS)]


def queue(app: ConvtuiApp, keys: list[str]) -> None:
    for key in keys:
        event = events.Key(key, _CHARS.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app._driver.send_message(event)


async def back_to(pilot, home: str, where: str) -> None:
    """Escape out of whatever is open, then the panel's number key opens the panel. What the
    storm set going can still land after that key (a tour step started from the help or the
    tour bar moves to its panel; a dialog opened just before it waits on this panel's stack):
    then the same is done again, a few times at most."""
    app = pilot.app
    key = panel(home).key
    for _ in range(3):
        for _ in range(6):
            if len(app.screen_stack) == 1 and app.screen.focused is None:
                break
            await pilot.press("escape")
        assert not isinstance(app.screen, ModalScreen), f"Escape did not close {app.screen} {where}"
        app.screen.set_focus(None)  # a text field keeps typed digits; the key is the panel's
        await pilot.press(key)
        await pilot.pause()
        if app.current_mode == home and not isinstance(app.screen, ModalScreen):
            return
    raise AssertionError(f"key {key} did not open {home} ({app.current_mode}, {app.screen}) "
                         f"{where}")


async def opens_help(pilot, where: str) -> None:
    """? opens the help: pressed with nothing focused (a text field takes a typed ?), and
    again should a late focus from the storm have taken it (a few times at most)."""
    app = pilot.app
    for _ in range(3):
        app.screen.set_focus(None)
        await pilot.press("question_mark")
        await pilot.pause()
        if isinstance(app.screen, HelpScreen):
            return
    raise AssertionError(f"? did not open the help ({app.screen}, focus {app.focused}) {where}")


def check_state(app: ConvtuiApp, home: str, where: str) -> None:
    assert app.is_running and app._exception is None, where
    screen = app.screen
    assert isinstance(screen, PanelScreen) and home == screen.PANEL, where
    if isinstance(screen, SteppingPanel):  # the step shown is one of the lesson's
        assert 0 <= screen.step_index < screen.step_count, where
    if app.tour is not None:
        assert 0 <= app.tour.current < len(STEPS), where


async def storm(app: ConvtuiApp, home: str, seed: int) -> int:
    """Run one seeded storm; the number of keys pressed."""
    rng = random.Random(seed)
    pool = key_pool(home)
    pressed = 0
    app.quit_guards.insert(0, lambda: True)  # first of the guards: every quit is held back
    # What a storm exports to the current folder (the Runs tab's CSV) goes to a folder of its own.
    with tempfile.TemporaryDirectory() as here, contextlib.chdir(here):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for burst in range(max(1, KEYS_PER_STORM // BURST)):
                keys = [rng.choice(pool) for _ in range(BURST)]
                where = f"(seed {seed}, burst {burst}: {' '.join(keys)})"
                try:
                    queue(app, keys)
                    await pilot.pause()
                    for _ in range(rng.randint(0, 2)):  # clicks at random cells
                        await pilot.click(offset=(rng.randrange(SIZE[0]), rng.randrange(SIZE[1])))
                    await back_to(pilot, home, where)
                    check_state(app, home, where)
                    if burst % 4 == 0:  # a key still does what it says: ? opens the help
                        await opens_help(pilot, where)
                        await pilot.press("escape")
                        check_state(app, home, where)
                except Exception as err:
                    raise AssertionError(f"key storm failed {where}: {err!r}") from err
                pressed += len(keys)
    return pressed


@pytest.mark.parametrize("home", ["stepper", "flip", "pool", "shapes", "quiz"])
async def test_a_key_storm_leaves_the_panel_alive(home: str) -> None:
    for seed in storm_seeds(home):
        assert await storm(ConvtuiApp(home), home, seed) >= KEYS_PER_STORM - BURST


def stop_every_job() -> None:
    """Every training job a storm started (Enter on Start, p on a stopped run) is stopped,
    then killed: a storm leaves nothing running."""
    root = runs_root()
    for run_dir in root.iterdir() if root.exists() else ():
        found = read_pid(run_dir)
        if found is not None and pid_alive(found[0]):
            request(run_dir, "stop")
            os.kill(found[0], signal.SIGKILL)


async def test_a_key_storm_on_the_train_panel_following_a_run(finished_run: Path) -> None:  # noqa: F811
    """The form is set for a run of seconds (tiny model, 200 images, one epoch), so a storm
    that starts runs stays cheap; every job it started is stopped afterwards."""
    run_dir = copy_run(finished_run, "20250102-030405-storm")
    options = form_options(epochs=1, limit_train=200, limit_test=100, log_every=1)
    try:
        for seed in storm_seeds("train"):
            app = ConvtuiApp("train", options)
            app.call_later(lambda app=app: app.screen.attach(run_dir))
            assert await storm(app, "train", seed) >= KEYS_PER_STORM - BURST
    finally:
        stop_every_job()


async def test_a_key_storm_in_the_tour() -> None:
    for seed in storm_seeds("tour"):
        app = ConvtuiApp("stepper", tour="restart")
        try:
            assert await storm(app, "stepper", seed) >= KEYS_PER_STORM - BURST
        finally:
            stop_every_job()

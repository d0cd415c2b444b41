"""The guided tour, driven by Pilot: the lesson walked end to end with every panel and preset,
the progress kept across restarts, the keys and clickable controls, the help screen's offer,
the command palette and the language switch mid-tour."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import textual.widgets
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, OptionList, Select, TabbedContent

import convtui.ui
from convtui import i18n
from convtui.core.examples import LECTURE_INPUT
from convtui.i18n import t
from convtui.tour import STEPS, TourState, load_progress, progress_path, save_progress
from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from convtui.ui.tour.app import TourApp
from convtui.ui.widgets.tour_bar import TourBar
from tests.ui.conftest import SIZE, grid_rows, text_of

TOUR_KEYS = {"f3", "f4", "f5"}
N = len(STEPS)  # "Tour 3/N": the count grows as panels add their steps


async def press(pilot, *keys: str) -> None:
    """Press each key and let the app finish what it starts (a tour step opens a panel)."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()


def front(app: ConvtuiApp) -> str:
    """The panel in front of the user."""
    return app.screen.PANEL


def bar_title(app: ConvtuiApp) -> str:
    return text_of(app, "#tour-title")


def bar_text(app: ConvtuiApp) -> str:
    return text_of(app, "#tour-text")


def bar_shown(app: ConvtuiApp) -> bool:
    return app.screen.query_one(TourBar).display


def toasts(app: ConvtuiApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def title(position: int) -> str:
    """The bar's title for a step, in the current language, as the user sees it."""
    step = STEPS[position - 1]
    return t("tour.bar.title", position=position, total=len(STEPS), mark="", title=step.title)


# what each step's preset promises, checked on the screen the user sees ----------------
def _lecture_convolution(app: ConvtuiApp) -> None:
    assert grid_rows(app, "#output-grid")[0][0] == "8"  # the lecture's first window
    assert "out[0,0] = 8" in text_of(app, "#status")
    assert app.screen.query_one("#views", TabbedContent).active == "arith"


def _stride_padding(app: ConvtuiApp) -> None:
    assert "pad 1" in text_of(app, "#input-grid")
    assert "stride 2" in text_of(app, "#window-note")
    assert len(grid_rows(app, "#output-grid")) == 3  # (5 - 3 + 2)/2 + 1


def _quiz_tour(app: ConvtuiApp) -> None:
    header = text_of(app, "#puzzle-header")
    assert "1/3" in header


def _multichannel(app: ConvtuiApp) -> None:
    assert "channel 0/3" in text_of(app, "#input-grid")
    assert app.screen.query_one("#views", TabbedContent).active == "neuron"


def _pool_lecture(app: ConvtuiApp) -> None:
    assert "output 2×2 · max pool 2×2" in text_of(app, "#output-grid")
    assert len(grid_rows(app, "#input-grid")) == 4
    assert grid_rows(app, "#output-grid")[0][0] == "9"  # max(1, 9, 4, 5)


def _flip_lecture(app: ConvtuiApp) -> None:
    """The flip matters here: the first cell differs, each side as numpy computes it."""
    window = np.array(grid_rows(app, "#input-grid"), dtype=float)[:3, :3]
    kernel = np.array(grid_rows(app, "#kernel-grid"), dtype=float)
    assert (window == LECTURE_INPUT[:3, :3]).all()
    correlation, convolution = (window * kernel).sum(), (window * kernel[::-1, ::-1]).sum()
    assert correlation != convolution
    assert grid_rows(app, "#corr-grid")[0][0] == f"{correlation:g}"
    assert grid_rows(app, "#conv-grid")[0][0] == f"{convolution:g}"


def _backward_lecture(app: ConvtuiApp) -> None:
    """The gradient of out.sum() on the lecture's example: the first stamp is the kernel."""
    assert grid_rows(app, "#grad-grid") == [["1"] * 3] * 3
    assert [row[:3] for row in grid_rows(app, "#result-grid")[:3]] == grid_rows(
        app, "#kernel-grid")
    assert "· grad_input, scatter ·" in text_of(app, "#status")
    assert app.screen.query_one("#views", TabbedContent).active == "arith"


def _transposed_lecture_backwards(app: ConvtuiApp) -> None:
    """The lecture's 3x3 output of ones goes back through its kernel to 5x5; the first stamp
    is the kernel itself."""
    assert len(grid_rows(app, "#output-grid")) == 5
    assert [row[:3] for row in grid_rows(app, "#output-grid")[:3]] == grid_rows(
        app, "#kernel-grid")
    assert "· scatter ·" in text_of(app, "#status")


def _shapes_lab_cnn(app: ConvtuiApp) -> None:
    table = app.screen.query_one("#layers", DataTable)
    outputs = [str(table.get_row_at(row)[3]) for row in range(table.row_count)]
    assert outputs[0] == "1x1x28x28" and "1x64x7x7" in outputs and outputs[-1] == "1x10"
    assert table.cursor_row == 1  # the first convolution, its arithmetic shown below
    assert "(28 - 3 + 2×1) / 1 + 1" in text_of(app, "#detail")


def _train_tiny(app: ConvtuiApp) -> None:
    """The form is ready for a run that takes seconds; the user starts it."""
    assert app.screen.query_one("#model", Select).value == "tiny"
    assert app.screen.query_one("#epochs", Input).value == "1"
    assert text_of(app, "#status") == t("train.status_line.preset_tiny")
    assert app.focused is not None and app.focused.id == "start"


PROMISES: dict[str, Callable[[ConvtuiApp], None]] = {
    "convolution": _lecture_convolution,
    "stride_padding": _stride_padding,
    "output_size": _quiz_tour,
    "channels": _multichannel,
    "pooling": _pool_lecture,
    "flip": _flip_lecture,
    "backward": _backward_lecture,
    "transposed": _transposed_lecture_backwards,
    "shapes": _shapes_lab_cnn,
    "training": _train_tiny,
}


async def test_the_tour_walks_the_lesson_end_to_end() -> None:
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = front(app)
        for position, step in enumerate(STEPS, start=1):
            assert bar_shown(app)
            assert bar_title(app) == title(position)
            assert bar_text(app) == step.text.strip()
            if step.panel is None:
                assert front(app) == panel  # stays on the panel in front
            else:
                assert front(app) == step.panel, step.name
                PROMISES[step.name](app)
            panel = front(app)
            await press(pilot, "f4")
        assert app.tour is None and not bar_shown(app)
        assert "You finished the tour" in toasts(app)
    assert load_progress().state == TourState(0, frozenset(step.name for step in STEPS))


async def test_progress_is_remembered_across_a_restart() -> None:
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert bar_title(app) == f"Tour 1/{N} · Welcome"
        await press(pilot, "f4", "f4", "f4")
        assert front(app) == "quiz"
    again = ConvtuiApp(tour="resume")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert front(again) == "quiz"
        assert bar_title(again) == f"Tour 4/{N} · The output-size formula"
        await press(pilot, "f3")
        assert front(again) == "stepper"
        assert bar_title(again) == f"Tour 3/{N} ✓ · Stride and padding"  # finished before
        _stride_padding(again)


async def test_starting_over_clears_the_ticks() -> None:
    save_progress(TourState(4, frozenset(s.name for s in STEPS[:4])))
    app = ConvtuiApp(tour="restart")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert bar_title(app) == f"Tour 1/{N} · Welcome"
        await press(pilot, "f4")
        assert bar_title(app) == f"Tour 2/{N} · What a convolution computes"
    assert load_progress().state == TourState(1, frozenset({"welcome"}))


async def test_switching_to_korean_mid_tour_relabels_the_bar_on_every_panel() -> None:
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "f4", "f4", "f4")
        assert front(app) == "quiz"
        await press(pilot, "f2")
        assert bar_title(app) == f"둘러보기 4/{N} · 출력 크기 공식"
        assert bar_text(app).startswith("출력 크기는 직접 옮겨 보지 않아도")
        assert "F4 다음" in text_of(app, "#tour-next")
        await press(pilot, "f3")  # the Stepper was behind when the language changed
        assert front(app) == "stepper"
        assert bar_title(app) == f"둘러보기 3/{N} ✓ · 스트라이드와 패딩"
        assert bar_text(app) == t("tour.steps.stride_padding.text").strip()
        assert "F3 이전" in text_of(app, "#tour-back")
        await press(pilot, "f2")
        assert bar_title(app) == f"Tour 3/{N} ✓ · Stride and padding"


async def test_the_bar_controls_are_clickable() -> None:
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#tour-back").display  # nothing before the welcome
        await pilot.click("#tour-next")
        await pilot.pause()
        assert bar_title(app) == f"Tour 2/{N} · What a convolution computes"
        await pilot.click("#tour-next")
        await pilot.pause()
        assert bar_title(app) == f"Tour 3/{N} · Stride and padding"
        await pilot.click("#tour-back")
        await pilot.pause()
        assert bar_title(app) == f"Tour 2/{N} ✓ · What a convolution computes"
        await pilot.click("#tour-end")
        await pilot.pause()
        assert app.tour is None and not bar_shown(app)
        assert "Tour paused at step 2" in toasts(app)


async def test_the_tour_keys_do_nothing_once_the_tour_ends() -> None:
    app = ConvtuiApp("pool", tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "f4", "f5")
        assert app.tour is None
        await press(pilot, "f4", "f4")
        assert front(app) == "stepper" and not bar_shown(app)
        assert load_progress().state.current == 1


async def test_the_help_offers_to_start_the_tour_when_it_is_new() -> None:
    app = ConvtuiApp("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not bar_shown(app)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert text_of(app, "#offer-summary").startswith("New here?")
        assert str(app.screen.query_one("#offer-go", Button).label) == "Start the tour (t)"
        assert not app.screen.query_one("#offer-restart").display
        await pilot.click("#offer-go")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert front(app) == "quiz"  # the welcome stays where the user is
        assert bar_title(app) == f"Tour 1/{N} · Welcome"


async def test_the_help_resumes_an_ended_tour_with_t() -> None:
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "f4", "f4", "f5", "5", "question_mark")
        assert text_of(app, "#offer-summary") == f"Guided tour: 2 of {N} steps done."
        assert str(app.screen.query_one("#offer-go", Button).label) == "Resume at step 3 (t)"
        await press(pilot, "t")
        assert not isinstance(app.screen, HelpScreen)
        assert front(app) == "stepper"
        assert bar_title(app) == f"Tour 3/{N} · Stride and padding"
        _stride_padding(app)


async def test_the_help_lists_the_steps_ticked_and_jumps_to_one() -> None:
    save_progress(TourState(2, frozenset({"welcome", "convolution"})))
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "question_mark")
        steps = app.screen.query_one("#offer-steps", OptionList)
        labels = [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]
        assert labels[:3] == ["✓  1. Welcome", "✓  2. What a convolution computes",
                              "·  3. Stride and padding"]
        assert labels[-1] == f"· {N}. Where to go next"
        await pilot.click("#offer-steps-box CollapsibleTitle")
        await pilot.pause()
        steps.focus()
        steps.highlighted = 3
        await press(pilot, "enter")
        assert front(app) == "quiz"
        assert bar_title(app) == f"Tour 4/{N} · The output-size formula"
        _quiz_tour(app)


async def test_the_help_starts_over() -> None:
    save_progress(TourState(5, frozenset(s.name for s in STEPS[:5])))
    app = ConvtuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "question_mark")
        await pilot.click("#offer-restart")
        await pilot.pause()
        await pilot.pause()
        assert bar_title(app) == f"Tour 1/{N} · Welcome"
    assert load_progress().state == TourState()


async def run_command(pilot, search: str, title: str) -> None:
    """Open the command palette, type ``search`` and run the command once it is first."""
    await press(pilot, "ctrl+p")
    await pilot.press(*("space" if c == " " else c for c in search))
    commands = pilot.app.screen.query_one(CommandList)
    for _ in range(100):  # the palette searches in the background
        await pilot.pause(0.05)
        if commands.option_count and commands.highlighted == 0 \
                and str(commands.get_option_at_index(0).prompt).startswith(title):
            break
    assert str(commands.get_option_at_index(0).prompt).startswith(title)
    await press(pilot, "enter")


async def test_the_command_palette_starts_ends_and_restarts_the_tour() -> None:
    app = ConvtuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "tour resume", "Tour: start or resume")
        assert bar_title(app) == f"Tour 1/{N} · Welcome"
        await press(pilot, "f4")
        await run_command(pilot, "tour end", "Tour: end")
        assert app.tour is None and "Tour paused at step 2" in toasts(app)
        await run_command(pilot, "tour resume", "Tour: start or resume")
        await press(pilot, "f4")
        assert bar_title(app) == f"Tour 3/{N} · Stride and padding"
        await run_command(pilot, "tour start over", "Tour: start over")
        assert app.tour == TourState()  # step 1, nothing ticked
        assert bar_title(app) == f"Tour 1/{N} · Welcome"


async def test_a_damaged_progress_file_gives_a_message_and_a_fresh_tour() -> None:
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_text("{ half a file", encoding="utf-8")
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert bar_title(app) == f"Tour 1/{N} · Welcome"
        assert f"Could not read the tour progress in {path}" in toasts(app)
    assert json.loads(path.read_text(encoding="utf-8"))["current"] == "welcome"


async def test_an_unwritable_data_dir_is_reported_once(user_dirs: dict[str, Path]) -> None:
    user_dirs["data"].parent.mkdir(parents=True, exist_ok=True)
    user_dirs["data"].write_text("a file where the folder should be", encoding="utf-8")
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "f4", "f4")
        assert bar_title(app) == f"Tour 3/{N} · Stride and padding"  # the tour still works
        assert toasts(app).count("cannot be saved") == 1


def _own_keys(cls: type) -> set[str]:
    """The keys a class binds itself (not those it inherits)."""
    keys: set[str] = set()
    for binding in vars(cls).get("BINDINGS", ()):
        key = binding.key if isinstance(binding, Binding) else binding[0]
        keys.update(k.strip() for k in key.split(","))
    return keys


def test_the_tour_keys_clash_with_no_other_binding() -> None:
    """F3 / F4 / F5 are free on every screen and widget of convtui and of Textual."""
    classes: list[type] = [App, Screen, *(getattr(textual.widgets, name)
                                          for name in textual.widgets.__all__)]
    for info in pkgutil.walk_packages(convtui.ui.__path__, "convtui.ui."):
        module = importlib.import_module(info.name)
        classes += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, DOMNode) and cls is not TourApp]
    clashes = {cls.__qualname__: _own_keys(cls) & TOUR_KEYS for cls in classes}
    assert not {name: keys for name, keys in clashes.items() if keys}
    assert _own_keys(TourApp) == TOUR_KEYS


async def test_the_tour_helps_in_korean_from_the_start() -> None:
    i18n.set_language("ko")
    app = ConvtuiApp(tour="resume")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert bar_title(app) == f"둘러보기 1/{N} · 환영합니다"
        assert "F5 그만 보기" in text_of(app, "#tour-end")
        await press(pilot, "question_mark")
        assert str(app.screen.query_one("#offer-go", Button).label) == "이 단계로 돌아가기 (t)"

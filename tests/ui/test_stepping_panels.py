"""Rules every stepping panel (Stepper, Flip, Pooling) keeps, checked on each: a PyTorch check
belongs to the numbers it checked, Escape leaves the settings pane (and the footer says so),
and every key of the panel in front can be found by name in the command palette, in English
and in Korean."""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.widgets import TabbedContent
from textual.widgets._footer import FooterKey

from convtui.i18n import t
from convtui.launch import Launch
from convtui.ui.app import ConvtuiApp
from convtui.ui.panel.stepping import SteppingPanel
from tests.ui.conftest import (
    SIZE,
    check_with_pytorch,
    open_settings,
    settle,
    switch_language,
    text_of,
)

PANELS = ("stepper", "flip", "pool", "backward")
#: A key that brings new numbers on each panel (a new input, example or kind of pooling, the
#: next output gradient).
CHANGES = {"stepper": "r", "flip": "e", "pool": "k", "backward": "d"}


@pytest.mark.parametrize("panel", PANELS)
async def test_a_check_is_marked_stale_once_the_numbers_change(panel: str) -> None:
    app = ConvtuiApp(panel)
    async with app.run_test(size=SIZE) as pilot:
        assert "agrees on all" in await check_with_pytorch(pilot)
        await pilot.press("right")  # another step of the same numbers: still true
        assert "agrees on all" in text_of(app, "#check-result")
        await pilot.press(CHANGES[panel])
        assert text_of(app, "#check-result") == t("lesson.check.stale")
        assert "agrees on all" in await check_with_pytorch(pilot)


async def test_an_mnist_digit_makes_the_stepper_check_stale(mnist_dir) -> None:
    app = ConvtuiApp("stepper", Launch(data_dir=str(mnist_dir)))
    async with app.run_test(size=SIZE) as pilot:
        assert "agrees on all 9 output cells" in await check_with_pytorch(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.lesson.x.shape == (1, 28, 28)
        assert text_of(app, "#check-result") == t("lesson.check.stale")
        assert "agrees on all 676 output cells" in await check_with_pytorch(pilot)


def footer(app: ConvtuiApp) -> list[tuple[str, str]]:
    return [(key.key_display, key.description) for key in app.screen.query(FooterKey)]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("panel", PANELS)
async def test_escape_closes_the_settings_pane_and_the_footer_says_so(panel: str,
                                                                     lang: str) -> None:
    app = ConvtuiApp(panel)
    async with app.run_test(size=SIZE) as pilot:
        app.action_switch_language(lang)
        await open_settings(pilot)
        settings = app.screen.query_one("#settings")
        assert settings.display and app.focused is not None  # typing goes to a field
        assert ("Esc", t("keys.lesson.close")) in footer(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not settings.display and app.focused is None
        assert all(key != "Esc" for key, _ in footer(app))
        await pilot.press("right")  # the keys step the lesson again
        assert app.screen.step_index == 1


def declared(screen: SteppingPanel) -> list[str]:
    """The descriptions of the keys the panel declares, as the footer and help word them."""
    bindings = [*type(screen).BINDINGS, *SteppingPanel.BINDINGS]
    return [t(b.description) for b in bindings
            if screen.check_action(b.action.split("(")[0], ()) is not False]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("panel", PANELS)
async def test_every_key_of_the_panel_is_in_the_command_palette(panel: str, lang: str) -> None:
    app = ConvtuiApp(panel)
    async with app.run_test(size=SIZE) as pilot:
        await switch_language(pilot, lang)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for name in declared(app.screen):
            assert name in titles, name
        await open_settings(pilot)  # now Escape closes something: its command is offered
        assert t("keys.lesson.close_settings") in [
            command.title for command in app.get_system_commands(app.screen)]


@pytest.mark.parametrize(("lang", "word"), [("en", "PyTorch"), ("ko", "PyTorch")])
@pytest.mark.parametrize("panel", PANELS)
async def test_a_key_found_by_name_in_the_palette_runs_it(panel: str, lang: str,
                                                          word: str) -> None:
    app = ConvtuiApp(panel)
    async with app.run_test(size=SIZE) as pilot:
        app.action_switch_language(lang)
        await pilot.press("ctrl+p", *word)
        await pilot.pause(0.3)
        commands = app.screen.query_one(CommandList)
        assert commands.option_count >= 1
        commands.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#views", TabbedContent).active == "code"


# counts in words: singular and plural in English, one form in Korean ---------------------------
@pytest.fixture(params=["en", "ko"])
def lang(request):
    from convtui import i18n

    before = i18n.current()
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language(before)


def test_counts_of_one_read_as_one(lang: str) -> None:
    import numpy as np

    from convtui.lessons.conv import ConvLesson
    from convtui.lessons.pool import PoolLesson
    from convtui.pytorch.check import CheckResult
    from convtui.ui.panel.conv_views import neuron, window_note
    from convtui.ui.pool.views import arithmetic

    one_by_one = ConvLesson(np.ones((1, 3, 3)), np.ones((1, 1, 1)))
    one_pad = ConvLesson(np.ones((1, 3, 3)), np.ones((1, 1, 2)), padding=(0, 1))
    plane = np.arange(16.0).reshape(4, 4)
    avg_1x1 = PoolLesson(plane, kind="avg", kernel_size=(1, 1))
    corner = PoolLesson(plane, kind="avg", kernel_size=(2, 2), padding=(1, 1))
    expected = {
        "en": ("1 input (the window), 1 weight (the kernel)", "; 1 cell of padding (zeros)",
               "divisor 1: the window's 1 input cell",
               "divisor 4: 1 input cell + 3 padding zeros",
               "divisor 1: only the 1 input cell, not the 3 padding zeros",
               "agrees on its 1 output cell", "agrees on all 9 output cells"),
        "ko": ("입력 1개 (윈도우), 가중치 1개 (커널)", "; 패딩 1칸 (0)",
               "나누는 수 1: 윈도 안의 입력 칸 1개",
               "나누는 수 4: 입력 칸 1개 + 패딩 0 3개",
               "나누는 수 1: 입력 칸 1개만 셉니다. 패딩 0 3개는 세지 않습니다",
               "출력 1칸 모두 일치", "출력 9칸 모두 일치"),
    }[lang]
    shown = (neuron(one_by_one.current, 0).plain, window_note(one_pad),
             arithmetic(avg_1x1).plain, arithmetic(corner).plain,
             arithmetic(corner.with_(count_include_pad=False)).plain,
             CheckResult(1, (), 0.0, "2").summary(), CheckResult(9, (), 0.0, "2").summary())
    for words, text in zip(expected, shown, strict=True):
        assert words in text


@pytest.mark.parametrize(("lang", "feeds"), [("en", "input[0,0] feeds 1 output cell, marked"),
                                             ("ko", "input[0,0]이 쓰이는 출력: 1칸 (표시됨)")])
async def test_the_stepper_says_which_outputs_an_input_cell_feeds(lang: str, feeds: str) -> None:
    from tests.ui.conftest import click_cell

    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        app.action_switch_language(lang)
        await click_cell(pilot, "#input-grid", 0, 0)
        assert feeds in text_of(app, "#status")
        await click_cell(pilot, "#input-grid", 2, 2)
        assert {"en": "feeds 9 output cells", "ko": "출력: 9칸"}[lang] in text_of(app, "#status")

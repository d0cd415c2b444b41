"""F2 switches the whole app between English and Korean: the panel in front at once, panels
opened earlier when they come back, the help screen while it is open, the footer's keys."""

from __future__ import annotations

from textual.widgets import Footer, Markdown, Tab

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from convtui.ui.help import HelpScreen
from tests.ui.conftest import SIZE, press_f2


def tab_labels(app: ConvtuiApp) -> list[str]:
    return [str(tab.label) for tab in app.screen.query(Tab) if tab.id and tab.id.startswith("tab-")]


def footer_text(app: ConvtuiApp) -> str:
    return " ".join(str(key.render()) for key in app.screen.query_one(Footer).children)


async def test_f2_switches_the_panel_in_front_and_back() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        assert tab_labels(app)[:2] == ["1 Stepper", "2 Flip"]
        assert "Help" in footer_text(app)
        await press_f2(pilot)
        assert i18n.current() == "ko"
        assert tab_labels(app)[:2] == ["1 스테퍼", "2 뒤집기"]
        assert "도움말" in footer_text(app) and "Help" not in footer_text(app)
        await press_f2(pilot)
        assert i18n.current() == "en"
        assert tab_labels(app)[0] == "1 Stepper"


async def test_a_panel_opened_before_the_switch_catches_up_when_shown() -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")  # Pooling is built in English
        await pilot.pause()
        await pilot.press("1", "f2", "3")
        await pilot.pause()
        assert app.screen.PANEL == "pool"
        assert tab_labels(app)[2] == "3 풀링"
        assert "도움말" in footer_text(app)


async def test_the_open_help_screen_follows_the_language() -> None:
    app = ConvtuiApp("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await press_f2(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert "퀴즈" in text and "어디서나" in text


async def test_the_command_palette_offers_each_language() -> None:
    app = ConvtuiApp("flip")
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Language: 한국어" in titles and "Language: English" in titles
        await pilot.pause()
        next(c for c in app.get_system_commands(app.screen)
             if c.title == "Language: 한국어").callback()
        await pilot.pause()
        assert tab_labels(app)[1] == "2 뒤집기"
        assert "언어: English" in [c.title for c in app.get_system_commands(app.screen)]

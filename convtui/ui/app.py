"""The convtui Textual app: one mode per lesson panel (see panels.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import WorkerFailed

from convtui import i18n
from convtui.crash import CrashLog, write_crash_log
from convtui.i18n import LANGUAGE_NAMES, LANGUAGES, t
from convtui.launch import Launch
from convtui.ui.panel.messages import OpenInStepper, QuitGuard
from convtui.ui.panel.screen import Localized, PanelScreen
from convtui.ui.panels import PANELS, Panel, panel
from convtui.ui.tour.app import TourApp, TourStart


class ConvtuiApp(TourApp):
    """Opens on one panel; the number keys, the tab bar and the command palette switch."""

    TITLE = "convtui"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS: ClassVar = [
        *(Binding(p.key, f"open_panel('{p.name}')", f"panels.{p.name}.title", show=False)
          for p in PANELS),
        Binding("question_mark,f1", "help", "keys.help", key_display="?"),
        Binding("f2", "switch_language", "keys.language", show=False, priority=True),
        # Textual adds this one itself unless the app does; ours has a translated label.
        Binding("ctrl+p", "command_palette", "keys.palette", show=False, priority=True),
        Binding("ctrl+q", "quit", "keys.quit", priority=True),
    ]

    def __init__(self, panel_name: str = "stepper", launch: Launch | None = None, *,
                 tour: TourStart | None = None) -> None:
        super().__init__()
        self.tour_start = tour  # open in the guided tour: resume it, or start it over
        self.launch = launch or Launch()  # what the command line asked the panels to show
        #: Asked in turn when the user quits (panels add theirs with a QuitGuard message); one
        #: returning True holds the quit back to ask first and exits the app itself.
        self.quit_guards: list[Callable[[], bool]] = []
        self.crash: CrashLog | None = None  # the first unhandled error's report, if any
        self.first_panel = panel(panel_name).name
        for p in PANELS:  # each panel's module is imported when it is first opened
            self.add_mode(p.name, _factory(p))

    def on_mount(self) -> None:
        self.switch_mode(self.first_panel)
        if self.tour_start:
            self.call_later(self.action_tour_start, restart=self.tour_start == "restart")

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an unhandled error, after which it exits with status 1: the
        first error's full report goes to a crash log (a worker's error is the one inside)."""
        if self.crash is None:
            cause = error.error if isinstance(error, WorkerFailed) else error
            self.crash = write_crash_log(cause, f"panel {self.current_mode}")
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Exit without Textual's screen-long traceback: it is in the crash log, and
        ``run_app`` says where."""
        self.bell()
        self._close_messages_no_wait()

    async def action_quit(self) -> None:
        """Quit, unless a quit guard holds it back to ask the user first."""
        if not any(guard() for guard in self.quit_guards):
            self.exit()

    def on_quit_guard(self, message: QuitGuard) -> None:
        self.quit_guards.append(message.ask)

    async def on_open_in_stepper(self, message: OpenInStepper) -> None:
        await self.switch_mode("stepper")
        self.screen.post_message(message.forwarded())

    def action_open_panel(self, name: str) -> None:
        self.switch_mode(name)

    def action_command_palette(self) -> None:
        """Textual's palette, with its paging guarded (see ui/palette.py)."""
        from convtui.ui.palette import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        from convtui.ui.help import HelpScreen

        screen = self.screen
        if isinstance(screen, PanelScreen):
            self.push_screen(HelpScreen(screen.help_markdown))

    def action_switch_language(self, lang: str = "") -> None:
        """Switch to ``lang`` (or the next language). The screen in front is redrawn now (that
        is the confirmation: no toast to hide the panel); the others redraw when next shown."""
        if not lang:
            lang = LANGUAGES[(LANGUAGES.index(i18n.current()) + 1) % len(LANGUAGES)]
        i18n.set_language(lang)
        for screen in self.screen_stack:
            if isinstance(screen, Localized):
                screen.apply_language()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for p in PANELS:
            yield SystemCommand(t("app.open_panel", title=p.title), p.summary,
                                lambda name=p.name: self.switch_mode(name))
        yield SystemCommand(t("app.help_command"), t("app.help_command_summary"),
                            self.action_help)
        yield from binding_commands(screen)
        yield from self.tour_commands()
        for lang in LANGUAGES:
            name = LANGUAGE_NAMES[lang]
            yield SystemCommand(t("app.language_command", name=name),
                                t("app.language_command_summary", name=name),
                                lambda lang=lang: self.action_switch_language(lang))


def binding_commands(screen: Screen) -> Iterable[SystemCommand]:
    """Every key binding the panel in front declares (its own class and the panel classes it
    stands on; not the app's, not a focused widget's, not Textual's own), named as its footer
    entry is and run as the key runs it: the palette finds every action of every panel by
    name, in the current language. Bindings disabled right now are left out."""
    if not isinstance(screen, PanelScreen):
        return
    declared: dict[str, list[str]] = {}  # action -> the keys that run it, as shown
    for cls in type(screen).__mro__:
        if not cls.__module__.startswith("convtui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.action not in declared:
                keys = [screen.app.get_key_display(Binding(key, binding.action))
                        for key in binding.key.split(",")]
                declared[binding.action] = [binding.key_display or keys[0], *keys[1:]]
    names = {active.binding.action: active.binding.tooltip or active.binding.description
             for active in screen.active_bindings.values()
             if active.node is screen and active.enabled}
    title = panel(screen.PANEL).title
    for action, keys in declared.items():
        if action in names:
            yield SystemCommand(names[action], t("palette.key", panel=title, keys=" / ".join(keys)),
                                lambda action=action: screen.run_action(action))


def _factory(p: Panel) -> Callable[[], Screen]:
    return lambda: p.load()()


def run_app(panel_name: str, launch: Launch, tour: TourStart | None = None) -> int:
    """Run the app; non-zero, with a word on where the crash log is, if it failed."""
    app = ConvtuiApp(panel_name, launch, tour=tour)
    app.run()
    if app.crash is not None:
        return app.crash.tell()
    return app.return_code or 0

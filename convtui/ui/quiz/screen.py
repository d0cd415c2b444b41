"""The Quiz: output-shape puzzles from TOML packs, or endless random practice, with the
engine's worked answer after each one and progress kept between sessions.

Every text on the panel is drawn by a function of the session's state (see ``QuizScreen.show``),
so switching the language (F2) draws it all again in the new one, the current puzzle included,
while the puzzle, the typed answer and the score stay as they are."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Input, Label
from textual.widgets.option_list import Option

from convtui.i18n import t
from convtui.i18n.wording import Phrase, Wording
from convtui.quiz.answers import check_answer
from convtui.quiz.cli import pack_format
from convtui.quiz.generator import DIFFICULTIES
from convtui.quiz.loader import Problem, load_packs
from convtui.quiz.model import DIM_NAMES, Pack, Puzzle
from convtui.quiz.progress import ProgressStore
from convtui.quiz.session import REVEALED, RIGHT, TOUR_PACK, QuizRound
from convtui.ui.panel.screen import PanelScreen
from convtui.ui.panel.worded import Worded
from convtui.ui.quiz.views import (
    Piece,
    arrange,
    diagram_pieces,
    explanation,
    field_errors,
    pack_option,
    practice_option,
    practice_title,
    problems_notice,
    progress_strip,
    revealed_verdict,
    right_verdict,
    round_header,
    score_line,
    so_far,
    solved_verdict,
    wrong_verdict,
)
from convtui.ui.widgets.option_lists import OptionList

ALL_DIMS = DIM_NAMES[4]
#: Packs longer than this show their position without the one-mark-per-puzzle strip.
MAX_STRIP = 30
#: The action buttons under the answer fields and their labels' catalogue keys.
BUTTONS = {"check": "quiz.panel.check", "reveal": "quiz.panel.reveal",
           "previous": "quiz.panel.previous", "next": "quiz.panel.next",
           "to-packs": "quiz.panel.pack_list"}



class ShapeDiagram(Widget):
    """The puzzle's layers as input box → layer → shape …, wrapped to the widget's width."""

    DEFAULT_CSS = "ShapeDiagram { height: auto; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pieces: list[Piece] = []

    def show(self, pieces: list[Piece]) -> None:
        self.pieces = pieces
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(arrange(self.pieces, width).plain.splitlines())

    def render(self) -> Text:
        return arrange(self.pieces, self.size.width)


class QuizScreen(PanelScreen):
    PANEL = "quiz"

    DEFAULT_CSS = """
    QuizScreen #quiz-views { height: 1fr; }
    QuizScreen #pack-list { height: 1fr; }
    QuizScreen #notice-box {  /* a quarter of the screen (5 lines at 80x24), then it scrolls */
        height: auto; max-height: 25%; padding: 0 1;
        border-left: thick $warning; background: $warning 15%; margin-bottom: 1;
    }
    QuizScreen #packs { height: 1fr; border: none; }
    QuizScreen #packs > .option-list--option { padding: 0 1; }
    QuizScreen #puzzle { height: 1fr; padding: 0 1; }
    QuizScreen #puzzle-header { height: auto; }
    QuizScreen #puzzle-body { height: 1fr; }
    QuizScreen #prompt { margin-top: 1; }
    QuizScreen #diagram { margin-top: 1; }
    QuizScreen #explanation { height: auto; margin-top: 1; }
    QuizScreen #answer-area { height: auto; border-top: hkey $primary 40%; }
    QuizScreen #answer-row { height: 1; }
    QuizScreen .field { width: auto; height: 1; margin-right: 2; }
    QuizScreen .field Label { width: auto; padding-right: 1; text-style: bold; }
    QuizScreen .field Input { width: 9; height: 1; border: none; padding: 0 1; }
    QuizScreen .field Input:focus { background: $accent 30%; }
    QuizScreen .field Input.right { color: $success; }
    QuizScreen .field Input.wrong, QuizScreen .field Input.unread { background: $error 30%; }
    QuizScreen #answer-title { width: auto; padding-right: 2; color: $text-muted; }
    QuizScreen #field-errors { height: auto; color: $error; }
    QuizScreen #verdict { height: auto; }
    QuizScreen #actions { height: 1; margin-top: 1; }
    QuizScreen #actions Button { width: auto; min-width: 0; margin-right: 1; padding: 0 1; }
    QuizScreen #status { height: 1; background: $panel; padding: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("ctrl+r", "reveal", "keys.quiz.reveal"),
        Binding("n", "move(1)", "keys.quiz.next"),
        Binding("p", "move(-1)", "keys.quiz.previous"),
        Binding("escape", "pack_list", "keys.quiz.packs"),
        Binding("up", "scroll('up')", "keys.quiz.scroll", show=False),
        Binding("down", "scroll('down')", "keys.quiz.scroll", show=False),
        Binding("pageup", "scroll('page_up')", "keys.quiz.scroll", show=False),
        Binding("pagedown", "scroll('page_down')", "keys.quiz.scroll", show=False),
    ]
    PRESETS: ClassVar[tuple[str, ...]] = ("tour",)

    def __init__(self) -> None:
        super().__init__()
        self.store = ProgressStore(None)
        self.packs: dict[str, Pack] = {}
        self.extra_packs: list[str] = []
        self.round: QuizRound | None = None
        self.problems: list[Problem] = []
        self.warnings: list[Phrase] = []
        self.status_message: Phrase | None = None
        self.pending_preset: str | None = None

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="pack-list", id="quiz-views"):
            with Vertical(id="pack-list"):
                with VerticalScroll(id="notice-box"):
                    yield Worded(hide_empty=True, id="notice")
                yield OptionList(id="packs")
            with Vertical(id="puzzle"):
                yield Worded(hide_empty=True, id="puzzle-header")
                with VerticalScroll(id="puzzle-body"):
                    yield Worded(hide_empty=True, id="prompt")
                    yield ShapeDiagram(id="diagram")
                    yield Worded(hide_empty=True, id="explanation")
                with Vertical(id="answer-area"):
                    with Horizontal(id="answer-row"):
                        yield Label(t("quiz.panel.answer"), id="answer-title")
                        for dim in ALL_DIMS:
                            with Horizontal(classes="field", id=f"field-{dim}"):
                                yield Label(dim)
                                yield Input(id=f"answer-{dim}", classes="answer")
                    yield Worded(hide_empty=True, id="field-errors")
                    yield Worded(hide_empty=True, id="verdict")
                    with Horizontal(id="actions"):
                        for button, key in BUTTONS.items():
                            yield Button(t(key), id=button, compact=True)
        yield Worded(hide_empty=True, id="status")

    def on_mount(self) -> None:
        self.extra_packs = list(self.launch.packs)
        packs, self.problems = load_packs(self.extra_packs)
        self.packs = {pack.id: pack for pack in packs}
        self.store, self.warnings = ProgressStore.load()
        self.show("#notice", self.notice)
        self.fill_pack_list()
        if self.pending_preset:
            self.start_tour()
        elif self.launch.practice:
            self.start(QuizRound.practice(self.launch.practice))
        else:
            self.query_one("#packs", OptionList).focus()
            self.update_status(Phrase("quiz.status.pick"))

    def help_markdown(self) -> str:
        """The Quiz help ends with the pack format, so an installed copy has it too."""
        return f"{super().help_markdown()}\n---\n\n{pack_format()}"

    def show(self, selector: str, render: Wording | None) -> None:
        """Show ``render()`` in a Worded Static, now and after every language switch; a Static
        with nothing to say is hidden (no blank lines)."""
        self.query_one(selector, Worded).say(render)
        self._box_notice(selector)

    def draw(self, selector: str) -> None:
        """Word ``selector``'s text again: what it shows has changed."""
        self.query_one(selector, Worded).reword()
        self._box_notice(selector)

    def _box_notice(self, selector: str) -> None:
        if selector == "#notice":  # the box around it, with its border, goes too
            self.query_one("#notice-box").display = self.query_one("#notice").display

    def relabel(self) -> None:
        """Draw every text again in the new language; the session is left as it is."""
        self.query_one("#answer-title", Label).update(t("quiz.panel.answer"))
        for button, key in BUTTONS.items():
            widget = self.query_one(f"#{button}", Button)
            widget.label = t(key)
            widget.refresh(layout=True)  # its width follows the new label
        if self.problems:  # the checks speak the language they ran in: run them again
            self.problems = load_packs(self.extra_packs)[1]
            self.draw("#notice")
        self.fill_pack_list()
        if self.round is not None:
            self.draw_diagram()

    def notice(self) -> Text:
        return problems_notice(self.problems, self.warnings)

    def update_status(self, message: Phrase | None = None) -> None:
        """The score, then what just happened (kept as a message, to follow the language)."""
        self.status_message = message
        self.show("#status", self.status_text)

    def status_text(self) -> str:
        parts = [score_line(self.store)]
        if self.status_message is not None:
            parts.append(str(self.status_message))
        return " · ".join(parts)

    # the pack list ---------------------------------------------------------------------
    def fill_pack_list(self) -> None:
        packs = self.query_one("#packs", OptionList)
        highlighted = packs.highlighted
        entries = [
            Option(pack_option(pack, self.store.pack_progress(pack)), id=f"pack:{pack.id}")
            for pack in self.packs.values()
        ] + [Option(practice_option(level, self.store.practice.get(level)),
                    id=f"practice:{level}") for level in DIFFICULTIES]
        packs.clear_options()
        packs.add_options([item for entry in entries for item in (entry, None)][:-1])
        packs.highlighted = highlighted or 0

    @on(OptionList.OptionSelected, "#packs")
    def pick(self, event: OptionList.OptionSelected) -> None:
        kind, _, name = (event.option.id or "").partition(":")
        if kind == "pack":
            self.start(QuizRound.of_pack(self.packs[name], self.store))
        else:
            self.start(QuizRound.practice(name))

    def action_pack_list(self) -> None:
        if self.round is None:
            return
        self.round = None
        self.fill_pack_list()
        self.query_one("#quiz-views", ContentSwitcher).current = "pack-list"
        self.query_one("#packs", OptionList).focus()
        self.refresh_bindings()
        self.update_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Puzzle keys only while a puzzle is shown; Reveal greyed out once it is over."""
        if action in ("reveal", "move", "pack_list", "scroll"):
            if self.round is None:
                return False
            if action == "reveal" and self.round.state.finished:
                return None
        return True

    # the guided tour -------------------------------------------------------------------
    def show_preset(self, preset: str) -> None:
        """``tour``: three output-size puzzles from the lecture's exercises, from the first."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        if self.is_mounted:
            self.start_tour()
        else:  # the packs are loaded when the panel mounts
            self.pending_preset = preset

    def start_tour(self) -> None:
        self.pending_preset = None
        self.start(QuizRound.guided_tour(self.packs[TOUR_PACK]), Phrase("quiz.status.tour"))

    # one puzzle ------------------------------------------------------------------------
    def start(self, quiz_round: QuizRound, message: Phrase | None = None) -> None:
        self.round = quiz_round
        self.query_one("#quiz-views", ContentSwitcher).current = "puzzle"
        self.show_puzzle(message=message)

    def show_puzzle(self, verdict: Wording | None = None, message: Phrase | None = None) -> None:
        """Draw the current puzzle as its state says: open for answers, or finished with
        the worked answer. ``verdict`` replaces the state's own (say, "+1 point")."""
        quiz_round = self.round
        assert quiz_round is not None
        puzzle, state = quiz_round.puzzle, quiz_round.state
        typed = dict(zip(puzzle.dims, state.typed, strict=True)) if state.typed else {}
        for dim in ALL_DIMS:
            self.query_one(f"#field-{dim}").display = dim in puzzle.dims
            field = self.field(dim)
            field.value = typed.get(dim, "")
            field.disabled = state.finished
            field.set_class(state.outcome == RIGHT, "right")
            field.remove_class("wrong", "unread")
        if verdict is None and state.outcome == RIGHT:
            verdict = partial(solved_verdict, puzzle)
        elif verdict is None and state.outcome == REVEALED:
            verdict = partial(revealed_verdict, puzzle)
        finished = state.finished
        self.show("#puzzle-header", partial(self.header, quiz_round))
        self.show("#prompt", lambda: puzzle.prompt)
        self.show("#explanation", partial(explanation, puzzle) if finished else None)
        self.show("#field-errors", None)
        self.show("#verdict", verdict)
        self.draw_diagram()
        self.query_one("#reveal", Button).disabled = finished
        self.query_one("#check", Button).disabled = finished
        body = self.query_one("#puzzle-body", VerticalScroll)
        body.scroll_home(animate=False)
        if finished:
            self.query_one("#next", Button).focus()
            self.query_one("#explanation").scroll_visible(animate=False)
        else:
            self.field(puzzle.dims[0]).focus()
        self.refresh_bindings()
        self.update_status(message)

    def draw_diagram(self) -> None:
        quiz_round = self.round
        assert quiz_round is not None
        self.query_one("#diagram", ShapeDiagram).show(
            diagram_pieces(quiz_round.puzzle, quiz_round.state.finished))

    def header(self, quiz_round: QuizRound) -> Text:
        if quiz_round.generator is not None:
            level = quiz_round.generator.difficulty
            record = self.store.practice.get(level)
            position = t("quiz.practice.puzzle", n=quiz_round.index + 1)
            if record is not None:
                position += f" · {so_far(record)}"
            return round_header(practice_title(level), position, None, False)
        assert quiz_round.pack is not None
        title = t("quiz.tour.title") if quiz_round.tour else quiz_round.pack.title
        solved = [self.solved(p) for p in quiz_round.puzzles]
        strip = progress_strip(solved, quiz_round.index) if len(solved) <= MAX_STRIP else None
        return round_header(
            title, f"{quiz_round.index + 1}/{len(quiz_round.puzzles)}", strip,
            solved[quiz_round.index])

    def solved(self, puzzle: Puzzle) -> bool:
        record = self.store.record_of(puzzle)
        return record is not None and record.solved

    def field(self, dim: str) -> Input:
        return self.query_one(f"#answer-{dim}", Input)

    # answering -------------------------------------------------------------------------
    @on(Input.Submitted, ".answer")
    def submitted(self) -> None:
        self.action_check()

    @on(Input.Changed, ".answer")
    def edited(self, event: Input.Changed) -> None:
        event.input.remove_class("wrong", "unread")

    def action_check(self) -> None:
        """Grade the fields; text that is not a size is reported and not counted."""
        quiz_round = self.round
        if quiz_round is None or quiz_round.state.finished:
            return
        puzzle, state = quiz_round.puzzle, quiz_round.state
        typed = state.typed = tuple(self.field(dim).value for dim in puzzle.dims)
        check = check_answer(puzzle, typed)
        if not check.readable:
            unread = [f.dim for f in check.fields if f.error is not None]
            for dim in unread:
                self.field(dim).add_class("unread")
            # checked again when drawn: the reasons are worded in the current language
            self.show("#field-errors", lambda: field_errors(check_answer(puzzle, typed)))
            self.field(unread[0]).focus()
            self.update_status(Phrase("quiz.status.not_graded"))
            return
        self.show("#field-errors", None)
        outcome = self.store.record(puzzle, check)
        state.attempts += 1
        if outcome.warning:
            self.warnings.append(outcome.warning)
            self.draw("#notice")
        if check.correct:
            state.outcome = RIGHT
            self.show_puzzle(partial(right_verdict, puzzle, outcome), outcome.warning)
            return
        for field in check.fields:
            self.field(field.dim).add_class("right" if field.correct else "wrong")
        self.show("#verdict", partial(wrong_verdict, puzzle, check, state.attempts))
        self.field(check.wrong_dims[0]).focus()
        self.draw("#puzzle-header")
        self.update_status(outcome.warning)

    def action_reveal(self) -> None:
        quiz_round = self.round
        if quiz_round is None or quiz_round.state.finished:
            return
        state = quiz_round.state
        state.typed = tuple(self.field(dim).value for dim in quiz_round.puzzle.dims)
        state.outcome = REVEALED
        warning = self.store.reveal()
        if warning:
            self.warnings.append(warning)
            self.draw("#notice")
        self.show_puzzle(message=warning or Phrase("quiz.status.revealed"))

    def action_move(self, delta: int) -> None:
        if self.round is None:
            return
        if self.round.move(delta):
            self.show_puzzle()
        elif delta < 0:
            self.update_status(Phrase("quiz.status.first"))
        else:
            self.update_status(Phrase("quiz.status.last"))

    def action_scroll(self, direction: str) -> None:
        """Arrows and Page Up / Down scroll the puzzle text from anywhere on the puzzle."""
        body = self.query_one("#puzzle-body", VerticalScroll)
        getattr(body, f"scroll_{direction}")(animate=False)

    @on(Button.Pressed, "#actions Button")
    def button(self, event: Button.Pressed) -> None:
        actions = {"check": self.action_check, "reveal": self.action_reveal,
                   "previous": lambda: self.action_move(-1),
                   "next": lambda: self.action_move(1), "to-packs": self.action_pack_list}
        actions[event.button.id or ""]()

"""The Quiz: output-shape puzzles from TOML packs, or endless random practice, with the
engine's worked answer after each one and progress kept between sessions."""

from __future__ import annotations

import argparse
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from convtui.core.layers import show_shape
from convtui.quiz.answers import check_answer
from convtui.quiz.generator import DIFFICULTIES
from convtui.quiz.loader import load_packs
from convtui.quiz.model import DIM_NAMES, Pack, Puzzle
from convtui.quiz.progress import ProgressStore
from convtui.ui.quiz_session import REVEALED, RIGHT, QuizRound
from convtui.ui.quiz_views import (
    Piece,
    arrange,
    diagram_pieces,
    explanation,
    pack_option,
    practice_option,
    problems_notice,
    progress_strip,
    revealed_verdict,
    right_verdict,
    round_header,
    score_line,
    wrong_verdict,
)
from convtui.ui.screens.base import PanelScreen

ALL_DIMS = DIM_NAMES[4]
#: Packs longer than this show their position without the one-mark-per-puzzle strip.
MAX_STRIP = 30


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
    HELP = """# Quiz: what shape comes out?

Each puzzle gives an input shape and one or more layers; you type the shape that comes out,
one number per dimension (**N, C, H, W** as the puzzle asks). Per layer, each of H and W is
`(I - F + 2P) / S + 1`, **rounded down** when the division is not exact (F is the kernel size,
d×(k - 1) + 1 with dilation d). Pooling works the same way; its stride defaults to its kernel.

Pick a **pack** (the lecture's exercises first) or **random practice** at easy, medium or hard.
A wrong answer shows a hint and which dimensions are wrong; try again as often as you like.
After a right answer (or Ctrl+R to give up) you see the worked answer: the formula with the
numbers, the division, the rounding, and the shape after every layer.

A right answer scores a point (a pack puzzle only the first time it is solved); the streak
counts right answers in a row. Letters or empty fields are not graded and cost nothing.
Progress is saved as you go and shown in the pack list.

| key | does |
|---|---|
| ↑ / ↓, Enter (or click) | pick a pack or a practice level |
| Tab / Shift+Tab | move between the answer fields |
| Enter | check the answer |
| Ctrl+R | reveal the answer and how it comes out |
| n / p | next / previous puzzle (in a field they are letters: answer, reveal or Tab out first) |
| ↑ / ↓, Page Up / Down | scroll the puzzle and its worked answer |
| Esc | back to the pack list |

Your own packs: put `*.toml` files in the `packs` folder of convtui's data directory, or
start with `convtui quiz --pack FILE`; `convtui quiz --practice hard` opens straight into
practice. The pack format is in docs/puzzles.md; `convtui puzzles check FILE` checks a pack.
"""

    DEFAULT_CSS = """
    QuizScreen #quiz-views { height: 1fr; }
    QuizScreen #pack-list { height: 1fr; }
    QuizScreen #notice {
        height: auto; max-height: 10; overflow-y: auto; padding: 0 1;
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
        Binding("ctrl+r", "reveal", "Reveal"),
        Binding("n", "move(1)", "Next"),
        Binding("p", "move(-1)", "Previous"),
        Binding("escape", "pack_list", "Packs"),
        Binding("up", "scroll('up')", "Scroll", show=False),
        Binding("down", "scroll('down')", "Scroll", show=False),
        Binding("pageup", "scroll('page_up')", "Scroll", show=False),
        Binding("pagedown", "scroll('page_down')", "Scroll", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.store = ProgressStore(None)
        self.packs: dict[str, Pack] = {}
        self.round: QuizRound | None = None
        self.notices = Text()

    # layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="pack-list", id="quiz-views"):
            with Vertical(id="pack-list"):
                yield Static(id="notice")
                yield OptionList(id="packs")
            with Vertical(id="puzzle"):
                yield Static(id="puzzle-header")
                with VerticalScroll(id="puzzle-body"):
                    yield Static(id="prompt")
                    yield ShapeDiagram(id="diagram")
                    yield Static(id="explanation")
                with Vertical(id="answer-area"):
                    with Horizontal(id="answer-row"):
                        yield Label("Your answer:", id="answer-title")
                        for dim in ALL_DIMS:
                            with Horizontal(classes="field", id=f"field-{dim}"):
                                yield Label(dim)
                                yield Input(id=f"answer-{dim}", classes="answer")
                    yield Static(id="field-errors")
                    yield Static(id="verdict")
                    with Horizontal(id="actions"):
                        yield Button("Check", id="check", compact=True)
                        yield Button("Reveal", id="reveal", compact=True)
                        yield Button("◀ Previous", id="previous", compact=True)
                        yield Button("Next ▶", id="next", compact=True)
                        yield Button("Pack list", id="to-packs", compact=True)
        yield Static(id="status")

    def on_mount(self) -> None:
        options = getattr(self.app, "options", argparse.Namespace())
        packs, problems = load_packs(getattr(options, "pack", None) or [])
        self.packs = {pack.id: pack for pack in packs}
        self.store, warnings = ProgressStore.load()
        self.notices = problems_notice(problems, warnings)
        self.show_notices()
        self.fill_pack_list()
        practice = getattr(options, "practice", None)
        if practice:
            self.start(QuizRound.practice(practice))
        else:
            self.query_one("#packs", OptionList).focus()
            self.update_status("pick a pack, or random practice")

    def show_notices(self) -> None:
        self.show_text("#notice", self.notices)

    def update_status(self, message: str = "") -> None:
        parts = [score_line(self.store)]
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(Text(" · ".join(parts)))

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

    # one puzzle ------------------------------------------------------------------------
    def start(self, quiz_round: QuizRound) -> None:
        self.round = quiz_round
        self.query_one("#quiz-views", ContentSwitcher).current = "puzzle"
        self.show_puzzle()

    def show_puzzle(self, verdict: Text | None = None, message: str = "") -> None:
        """Draw the current puzzle as its state says: open for answers, or finished with
        the worked answer. ``verdict`` replaces the state's own (say, "+1 point")."""
        quiz_round = self.round
        assert quiz_round is not None
        puzzle, state = quiz_round.puzzle, quiz_round.state
        self.query_one("#puzzle-header", Static).update(self.header())
        self.query_one("#prompt", Static).update(Text(puzzle.prompt))
        self.query_one("#diagram", ShapeDiagram).show(diagram_pieces(puzzle, state.finished))
        typed = dict(zip(puzzle.dims, state.typed, strict=True)) if state.typed else {}
        for dim in ALL_DIMS:
            self.query_one(f"#field-{dim}").display = dim in puzzle.dims
            field = self.field(dim)
            field.value = typed.get(dim, "")
            field.disabled = state.finished
            field.set_class(state.outcome == RIGHT, "right")
            field.remove_class("wrong", "unread")
        if verdict is None and state.outcome == RIGHT:
            verdict = Text(f"✓ You solved this one: {show_shape(puzzle.answer)}",
                           style="bold green")
        elif verdict is None and state.outcome == REVEALED:
            verdict = revealed_verdict(puzzle)
        self.show_text("#field-errors", "")
        self.show_text("#verdict", verdict or "")
        self.show_text("#explanation", explanation(puzzle) if state.finished else "")
        self.query_one("#reveal", Button).disabled = state.finished
        self.query_one("#check", Button).disabled = state.finished
        body = self.query_one("#puzzle-body", VerticalScroll)
        body.scroll_home(animate=False)
        if state.finished:
            self.query_one("#next", Button).focus()
            self.query_one("#explanation").scroll_visible(animate=False)
        else:
            self.field(puzzle.dims[0]).focus()
        self.refresh_bindings()
        self.update_status(message)

    def header(self) -> Text:
        quiz_round = self.round
        assert quiz_round is not None
        puzzle = quiz_round.puzzle
        if quiz_round.pack is None:
            record = self.store.practice.get(puzzle.difficulty or "")
            so_far = f" · {record.solved}/{record.attempts} right so far" if record else ""
            return round_header(quiz_round.title,
                                f"puzzle {quiz_round.index + 1}{so_far}", None, False)
        solved = [self.solved(p) for p in quiz_round.puzzles]
        strip = progress_strip(solved, quiz_round.index) if len(solved) <= MAX_STRIP else None
        return round_header(
            quiz_round.title, f"{quiz_round.index + 1}/{len(quiz_round.puzzles)}", strip,
            solved[quiz_round.index])

    def solved(self, puzzle: Puzzle) -> bool:
        record = self.store.record_of(puzzle)
        return record is not None and record.solved

    def field(self, dim: str) -> Input:
        return self.query_one(f"#answer-{dim}", Input)

    def show_text(self, selector: str, text: Text | str) -> None:
        """Update a Static, hidden while it has nothing to say (no blank lines). Plain text
        stays plain: a pack's prompt or a typed answer may hold square brackets."""
        widget = self.query_one(selector, Static)
        widget.update(Text(text) if isinstance(text, str) else text)
        widget.display = bool(text)

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
        state.typed = tuple(self.field(dim).value for dim in puzzle.dims)
        check = check_answer(puzzle, state.typed)
        if not check.readable:
            unread = [f.dim for f in check.fields if f.error is not None]
            for dim in unread:
                self.field(dim).add_class("unread")
            self.show_text("#field-errors", "\n".join(f"✗ {error}" for error in check.errors))
            self.field(unread[0]).focus()
            self.update_status("not graded: no attempt counted")
            return
        self.show_text("#field-errors", "")
        outcome = self.store.record(puzzle, check)
        state.attempts += 1
        if outcome.warning:
            self.notices.append(("\n" if self.notices else "") + f"⚠ {outcome.warning}",
                                style="bold")
            self.show_notices()
        if check.correct:
            state.outcome = RIGHT
            self.show_puzzle(right_verdict(puzzle, outcome), outcome.warning or "")
            return
        for field in check.fields:
            self.field(field.dim).add_class("right" if field.correct else "wrong")
        self.show_text("#verdict", wrong_verdict(puzzle, check, state.attempts))
        self.field(check.wrong_dims[0]).focus()
        self.query_one("#puzzle-header", Static).update(self.header())
        self.update_status(outcome.warning or "")

    def action_reveal(self) -> None:
        quiz_round = self.round
        if quiz_round is None or quiz_round.state.finished:
            return
        state = quiz_round.state
        state.typed = tuple(self.field(dim).value for dim in quiz_round.puzzle.dims)
        state.outcome = REVEALED
        self.show_puzzle(message="revealed: no point, streak kept")

    def action_move(self, delta: int) -> None:
        if self.round is None:
            return
        if self.round.move(delta):
            self.show_puzzle()
        elif delta < 0:
            self.update_status("this is the first puzzle")
        else:
            self.update_status("that was the last puzzle of this pack; Esc for the pack list")

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

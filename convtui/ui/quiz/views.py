"""What the Quiz panel draws: pack list entries, the layer diagram, the worked explanation and
the verdicts. Pure functions of the quiz backend's objects, so every number on screen is the
engine's; every word is looked up in the current language when drawn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from convtui.core.layers import show_shape
from convtui.i18n import t, tn
from convtui.i18n.wording import Phrase
from convtui.quiz.answers import AnswerCheck, explain
from convtui.quiz.loader import Problem
from convtui.quiz.model import Pack, Puzzle
from convtui.quiz.progress import AttemptOutcome, PackProgress, PracticeRecord, ProgressStore


def origin_name(origin: str) -> str:
    """Where a pack came from: shipped, the user's packs folder or a --pack file."""
    return {"shipped": t("quiz.origin.shipped"), "user": t("quiz.origin.user"),
            "extra": t("quiz.origin.extra")}.get(origin, origin)


def level_name(level: str) -> str:
    return {"easy": t("quiz.levels.easy"), "medium": t("quiz.levels.medium"),
            "hard": t("quiz.levels.hard")}.get(level, level)


def level_about(level: str) -> str:
    """What each practice level draws (see convtui/quiz/generator.py)."""
    return {"easy": t("quiz.levels.about.easy"), "medium": t("quiz.levels.about.medium"),
            "hard": t("quiz.levels.about.hard")}[level]


# ---- pack list -------------------------------------------------------------------------------


def pack_option(pack: Pack, progress: PackProgress) -> Text:
    """Title and progress, then count and origin, then the description."""
    text = Text()
    text.append(pack.title, style="bold")
    done = progress.complete
    solved = t("quiz.list.solved", solved=progress.solved, total=progress.total)
    text.append(f"  {'✓ ' if done else ''}{solved}", style="green" if done else "")
    origin = origin_name(pack.origin)
    if pack.origin != "shipped":
        origin += f": {pack.source}"
    puzzles = tn("quiz.count.puzzle", len(pack.puzzles))
    text.append(f"\n{puzzles} · {origin}", style="dim")
    if pack.description:
        text.append(f"\n{pack.description}")
    return text


def practice_option(level: str, record: PracticeRecord | None) -> Text:
    text = Text()
    text.append(practice_title(level), style="bold")
    if record is not None and record.attempts:
        text.append(f"  {so_far(record)}")
    text.append(f"\n{t('quiz.list.endless')}", style="dim")
    text.append(f"\n{level_about(level)}")
    return text


def practice_title(level: str) -> str:
    return t("quiz.practice.title", level=level_name(level))


def so_far(record: PracticeRecord) -> str:
    return t("quiz.practice.so_far", solved=record.solved, attempts=record.attempts)


def problems_notice(problems: Sequence[Problem], warnings: Sequence[Phrase]) -> Text:
    """Broken packs (each problem as FILE:LINE: message) and progress-file warnings."""
    text = Text()
    if problems:
        files = len({problem.source for problem in problems})
        text.append(t("quiz.list.skipped",
                      files=tn("quiz.count.pack_file", files),
                      problems=tn("quiz.count.problem", len(problems))), style="bold")
        for problem in problems:
            text.append(f"\n  {problem}")
    for warning in warnings:
        if text:
            text.append("\n")
        text.append(f"⚠ {warning}", style="bold")
    return text


# ---- one puzzle ------------------------------------------------------------------------------


def round_header(title: str, position: str, strip: Text | None, solved: bool) -> Text:
    text = Text()
    text.append(title, style="bold")
    text.append(f" · {position}")
    if strip is not None:
        text.append("  ")
        text.append_text(strip)
    if solved:
        text.append(f"  {t('quiz.round.solved')}", style="green")
    return text


def progress_strip(solved: Sequence[bool], current: int) -> Text:
    """One mark per puzzle of the pack: ✓ solved, ○ not yet; the current one highlighted."""
    text = Text()
    for i, done in enumerate(solved):
        if i:
            text.append(" ")
        mark = "✓" if done else "○"
        text.append(mark, style=("reverse " if i == current else "") +
                    ("green" if done else "dim"))
    return text


@dataclass(frozen=True)
class Piece:
    """A part of the layer diagram, three lines tall so shape boxes can sit beside arrows."""

    top: Text
    mid: Text
    bottom: Text

    @property
    def width(self) -> int:
        return self.mid.cell_len


def _box(content: str, style: str) -> Piece:
    bar = "─" * (len(content) + 2)
    return Piece(Text(f"┌{bar}┐", style=style), Text(f"│ {content} │", style=style),
                 Text(f"└{bar}┘", style=style))


def _arrow(label: str) -> Piece:
    mid = Text("─ ", style="dim")
    mid.append(label, style="cyan")
    mid.append(" ─▶", style="dim")
    blank = Text(" " * mid.cell_len)
    return Piece(blank, mid, blank.copy())


def layer_label(puzzle: Puzzle, index: int) -> str:
    """The layer's short tag; a convolution on channels also says how many filters it has,
    since the channel count of the answer depends on it."""
    row = puzzle.trace.rows[index]
    label = row.label
    if row.layer.type in ("conv2d", "conv_transpose2d") and len(row.out_shape) >= 3:
        return tn("quiz.panel.filters", row.out_shape[-3], label=label)
    return label


def diagram_pieces(puzzle: Puzzle, shown: bool) -> list[Piece]:
    """Input box, then per layer an arrow with its label and the shape after it: ``?`` until
    the answer is shown (the last box is the question), the engine's shapes afterwards."""
    rows = puzzle.trace.rows
    pieces = [_box(show_shape(puzzle.input_shape), "bold")]
    for i, row in enumerate(rows):
        pieces.append(_arrow(layer_label(puzzle, i)))
        last = i == len(rows) - 1
        if shown:
            pieces.append(_box(show_shape(row.out_shape), "bold green" if last else ""))
        elif last:
            pieces.append(_box("[" + ", ".join("?" for _ in row.out_shape) + "]",
                               "bold yellow"))
        else:
            pieces.append(_box("?", "dim"))
    return pieces


def arrange(pieces: Sequence[Piece], width: int) -> Text:
    """Lay the pieces out left to right, starting a new row of three lines when the next
    one does not fit in ``width`` (rows after the first are indented)."""
    rows: list[list[Piece]] = [[]]
    used = 0
    for piece in pieces:
        if rows[-1] and used + piece.width > width:
            rows.append([])
            used = 2
        rows[-1].append(piece)
        used += piece.width
    lines: list[Text] = []
    for n, row in enumerate(rows):
        indent = "  " if n else ""
        for part in ("top", "mid", "bottom"):
            line = Text(indent)
            for piece in row:
                line.append_text(getattr(piece, part))
            lines.append(line)
    text = Text("\n", no_wrap=True, overflow="crop").join(lines)
    text.no_wrap = True
    return text


def explanation(puzzle: Puzzle) -> Text:
    """The worked answer from the engine: per layer the shapes around it, the formula with
    the numbers, the division and the floor when it is not exact; then the answer."""
    text = Text()
    text.append(t("quiz.explain.title"), style="bold underline")
    for step in explain(puzzle):
        text.append(f"\n{step.heading}", style="bold")
        for line in step.lines:
            # the engine writes each rounding step (floor, ceil_mode, a dropped window) as
            # "... → n": those are what students miss, so they stand out
            text.append(f"\n   {line}", style="yellow" if "→" in line else "")
    text.append(f"\n{t('quiz.explain.output', shape=show_shape(puzzle.answer))}",
                style="bold green")
    return text


def solved_verdict(puzzle: Puzzle) -> Text:
    """Coming back to a puzzle solved earlier this session."""
    return Text(t("quiz.verdict.solved", shape=show_shape(puzzle.answer)), style="bold green")


def right_verdict(puzzle: Puzzle, outcome: AttemptOutcome) -> Text:
    text = Text()
    text.append(t("quiz.verdict.right", shape=show_shape(puzzle.answer)), style="bold green")
    if outcome.points:
        points = tn("quiz.verdict.point", outcome.points)
        text.append(f"  {points}", style="green")
    else:
        text.append(f"  {t('quiz.verdict.no_new_point')}", style="dim")
    return text


def wrong_verdict(puzzle: Puzzle, check: AnswerCheck, attempts: int) -> Text:
    """Which dimensions are wrong, then the hint."""
    wrong = list(check.wrong_dims)
    text = Text()
    if len(wrong) == 1:
        text.append(t("quiz.verdict.wrong_one", dims=wrong[0]), style="bold red")
    else:
        text.append(t("quiz.verdict.wrong_many", dims=_join(wrong)), style="bold red")
    text.append(t("quiz.verdict.attempt", n=attempts))
    text.append(f"\n{t('quiz.verdict.hint')}", style="bold")
    text.append(puzzle.hint or t("quiz.verdict.no_hint"))
    return text


def revealed_verdict(puzzle: Puzzle) -> Text:
    text = Text()
    text.append(t("quiz.verdict.revealed", shape=show_shape(puzzle.answer)), style="bold")
    text.append(t("quiz.verdict.revealed_note"))
    return text


def field_errors(check: AnswerCheck) -> str:
    """Why each unreadable field was not graded, one per line."""
    return "\n".join(f"✗ {error}" for error in check.errors)


def score_line(store: ProgressStore) -> str:
    return t("quiz.status.score", score=store.score, streak=store.streak,
             best=store.best_streak)


def _join(words: Sequence[str]) -> str:
    return t("quiz.and", first=", ".join(words[:-1]), last=words[-1])

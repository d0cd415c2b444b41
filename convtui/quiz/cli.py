"""CLI wiring for quiz mode and `convtui puzzles` (pack authoring tools). Help and output are
in the current language (``convtui.cli`` sets it before building the parser)."""

from __future__ import annotations

import argparse

from convtui.i18n import t, tn
from convtui.quiz.generator import DIFFICULTIES


def add_quiz_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pack", action="append", default=[], metavar="FILE",
                        help=t("quiz.cli.pack"))
    parser.add_argument("--practice", choices=DIFFICULTIES, metavar="LEVEL",
                        help=t("quiz.cli.practice", levels=", ".join(DIFFICULTIES)))


def add_puzzles_parser(sub: argparse._SubParsersAction,
                       parents: list[argparse.ArgumentParser]) -> None:
    """``parents`` carry the options every subcommand takes (``--lang``)."""
    puzzles = sub.add_parser("puzzles", help=t("quiz.cli.puzzles"), parents=parents)
    actions = puzzles.add_subparsers(dest="puzzles_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help=t("quiz.cli.check"), parents=parents,
                               description=t("quiz.cli.check_description"))
    check.add_argument("files", nargs="+", metavar="FILE", help=t("quiz.cli.files"))
    check.set_defaults(run=run_check)
    fmt = actions.add_parser("format", help=t("quiz.cli.format"), parents=parents,
                             description=t("quiz.cli.format"))
    fmt.set_defaults(run=run_format)


def pack_format() -> str:
    """The pack format page (Markdown, shipped in the package), with a note where the
    language is not the page's own."""
    from importlib.resources import files

    page = files("convtui.quiz").joinpath("pack_format.md").read_text(encoding="utf-8")
    return t("quiz.cli.format_note") + page


def run_format(args: argparse.Namespace) -> int:
    print(pack_format())
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print every problem (exit 1), or each file's puzzle count and the total (exit 0). A
    pack with translations also says how many of its puzzles each language covers."""
    from convtui.quiz.loader import TRANSLATIONS, check_files

    packs, problems = check_files(args.files)
    if problems:
        for problem in problems:
            print(problem)
        files = len({problem.source for problem in problems})
        print(t("quiz.cli.problems", problems=tn("quiz.count.problem", len(problems)),
                files=tn("quiz.count.file", files)))
        return 1
    for pack in packs:
        puzzles = tn("quiz.count.puzzle", len(pack.puzzles))
        line = t("quiz.cli.pack_line", source=pack.source, id=pack.id, puzzles=puzzles)
        for lang in TRANSLATIONS:
            if pack.speaks(lang):
                line += t("quiz.cli.translated", lang=lang, done=pack.translated_puzzles(lang),
                          total=len(pack.puzzles))
        print(line)
    total = sum(len(pack.puzzles) for pack in packs)
    print(t("quiz.cli.ok", puzzles=tn("quiz.count.puzzle", total),
            packs=tn("quiz.count.pack", len(packs))))
    return 0

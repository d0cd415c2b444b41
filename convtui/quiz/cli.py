"""CLI wiring for quiz mode and `convtui puzzles` (pack authoring tools)."""

from __future__ import annotations

import argparse

from convtui.quiz.generator import DIFFICULTIES


def add_quiz_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack", action="append", default=[], metavar="FILE",
        help="load an extra puzzle pack (TOML); repeatable",
    )
    parser.add_argument(
        "--practice", choices=DIFFICULTIES, metavar="LEVEL",
        help=f"open straight into random practice at LEVEL ({', '.join(DIFFICULTIES)})",
    )


def add_puzzles_parser(sub: argparse._SubParsersAction) -> None:
    puzzles = sub.add_parser("puzzles", help="Tools for puzzle-pack authors")
    actions = puzzles.add_subparsers(dest="puzzles_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="Validate puzzle packs (TOML)",
        description="Check puzzle packs the way the quiz loads them: TOML syntax, keys and "
        "types, every layer's geometry, stated answers and duplicate ids (also across the "
        "files given together). Prints FILE:LINE: message for each problem and exits 1, or "
        "the puzzle counts and exits 0. A folder stands for the *.toml files in it.",
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    from convtui.quiz.loader import check_files

    packs, problems = check_files(args.files)
    if problems:
        for problem in problems:
            print(problem)
        files = len({problem.source for problem in problems})
        print(f"{_count(len(problems), 'problem')} in {_count(files, 'file')}")
        return 1
    for pack in packs:
        print(f"{pack.source}: {_count(len(pack.puzzles), 'puzzle')} (pack '{pack.id}')")
    total = sum(len(pack.puzzles) for pack in packs)
    print(f"OK: {_count(total, 'puzzle')} in {_count(len(packs), 'pack')}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""CLI wiring for quiz mode and `convtui puzzles` (pack authoring tools)."""

from __future__ import annotations

import argparse


def add_quiz_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack", action="append", default=[], metavar="FILE",
        help="load an extra puzzle pack (TOML); repeatable",
    )


def add_puzzles_parser(sub: argparse._SubParsersAction) -> None:
    puzzles = sub.add_parser("puzzles", help="Tools for puzzle-pack authors")
    actions = puzzles.add_subparsers(dest="puzzles_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="Validate puzzle packs (TOML)")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    raise NotImplementedError("puzzles check is being built (issue 4)")

"""Command-line entry point: argument parsing only.

Each subcommand hands off to the module that owns it, imported only when that subcommand runs,
so ``convtui --help`` and the app's start-up never import torch.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from convtui import __version__
from convtui.ui.panels import PANELS


def build_parser() -> argparse.ArgumentParser:
    from convtui.quiz.cli import add_puzzles_parser, add_quiz_arguments
    from convtui.shapes_cli import add_shapes_arguments
    from convtui.training.cli import add_train_arguments

    parser = argparse.ArgumentParser(
        prog="convtui",
        description="Learn how convolutional networks compute, in your terminal. "
        "With no subcommand, opens the app on the Stepper panel.",
    )
    parser.add_argument("--version", action="version", version=f"convtui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for p in PANELS:
        panel = sub.add_parser(p.name, help=p.summary, description=p.summary)
        if p.name == "quiz":
            add_quiz_arguments(panel)
        elif p.name == "shapes":
            add_shapes_arguments(panel)
    train = sub.add_parser(
        "train", help="Train a CNN on MNIST (--headless: in the foreground with progress bars)")
    add_train_arguments(train)
    add_puzzles_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "stepper"
    if command == "puzzles":
        return int(args.run(args))
    if command == "train":
        from convtui.training.cli import run_headless

        if not args.headless:
            print("convtui train: the Train panel is not built yet; use --headless")
            return 2
        return run_headless(args)
    if command == "shapes":
        from convtui.shapes_cli import run_shapes

        status = run_shapes(args)
        if status is not None:
            return status
    from convtui.ui.app import run_app

    return run_app(command, args)


if __name__ == "__main__":
    sys.exit(main())

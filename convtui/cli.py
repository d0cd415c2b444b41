"""Command-line entry point: argument parsing only.

Each subcommand hands off to the module that owns it, imported only when that subcommand runs,
so ``convtui --help`` and the app's start-up never import torch.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len

from convtui import __version__, i18n
from convtui.i18n import LANGUAGES, t
from convtui.ui.panels import PANELS


def _argparse_text(message: str) -> str:
    """argparse's own words ("usage: ", "options", "unrecognized arguments: %s", ...) from our
    catalogue: argparse looks each up through gettext when it builds a parser or a message."""
    key = f"argparse.{message}"
    return t(key) if i18n.has(key) else message


argparse._ = _argparse_text  # type: ignore[attr-defined]  # argparse's gettext hook


class _CellFormatter(argparse.HelpFormatter):
    """Wraps help by terminal cells, not characters: a Korean syllable takes two."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = _wrap(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and cell_len(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


class _Parser(argparse.ArgumentParser):
    """Every parser, subcommands' too (argparse makes them of the same class), wraps by cells."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _CellFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the current language (see ``main``)."""
    from convtui.launch import add_data_dir_argument
    from convtui.quiz.cli import add_puzzles_parser

    # --lang is accepted before or after the subcommand; SUPPRESS keeps a subcommand's
    # default from overwriting the value given before it.
    common = _Parser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=t("cli.lang"))
    parser = _Parser(prog="convtui", description=t("cli.description"), parents=[common])
    parser.add_argument("--version", action="version", version=f"convtui {__version__}",
                        help=t("cli.version"))
    # also before the subcommand (`convtui --data-dir DIR` opens the Stepper on it); stored
    # apart, since a subcommand's own default would overwrite it (see parse_arguments)
    parser.add_argument("--data-dir", metavar="DIR", dest="data_dir_first",
                        help=t("cli_args.data_dir_first"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for p in PANELS:
        p.add_arguments(sub.add_parser(p.name, help=p.summary, description=p.summary,
                                       parents=[common]))
    tour = sub.add_parser("tour", help=t("tour.cli.help"), description=t("tour.cli.help"),
                          parents=[common])
    tour.add_argument("--restart", action="store_true", help=t("tour.cli.restart"))
    add_data_dir_argument(tour)
    add_puzzles_parser(sub, parents=[common])
    from convtui.training.runs_cli import add_runs_parser

    add_runs_parser(sub, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before the parser is built: its help is translated.
    i18n.set_language(i18n.resolve_language(_requested_language(argv)))
    args = parse_arguments(argv)
    try:
        return _run(args)
    except Exception as error:  # a bug: exit non-zero, the traceback kept in a crash log
        from convtui.crash import report_crash

        return report_crash(error, f"convtui {args.command or ''}".strip())


def _run(args: argparse.Namespace) -> int:
    """Hand the parsed command line to the module that owns its subcommand."""
    command = args.command or "stepper"
    if command in ("puzzles", "runs"):
        return int(args.run(args))
    if command == "train" and args.headless:
        from convtui.training.cli import run_headless

        return run_headless(args)
    if command == "shapes":
        from convtui.shapes_cli import run_shapes

        status = run_shapes(args)
        if status is not None:
            return status
    from convtui.launch import Launch
    from convtui.ui.app import run_app

    launch = Launch.from_args(args)
    if command == "tour":
        return run_app("stepper", launch, tour="restart" if args.restart else "resume")
    return run_app(command, launch)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed command line; a ``--data-dir`` given before the subcommand is the
    subcommand's own (or an error naming the subcommands that take one)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    first = args.__dict__.pop("data_dir_first")
    if first is not None:
        if args.command is None:
            args.data_dir = first
        elif not hasattr(args, "data_dir"):
            takers = [name for name, sub in _subparsers(parser).items()
                      if any(a.dest == "data_dir" for a in sub._actions)]
            parser.error(t("cli_args.data_dir_not_here", command=args.command,
                           commands=", ".join(takers), example=takers[0]))
        elif args.data_dir is None:
            args.data_dir = first
    return args


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _requested_language(argv: list[str]) -> str | None:
    """The value of ``--lang`` if it is one we speak (argparse reports any other)."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else (
            arg.removeprefix("--lang=") if arg.startswith("--lang=") else None)
        if value in LANGUAGES:
            return value
    return None


if __name__ == "__main__":
    sys.exit(main())

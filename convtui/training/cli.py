"""CLI wiring for `convtui train` (the panel, or --headless in the foreground)."""

from __future__ import annotations

import argparse


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--headless", action="store_true",
                        help="train in the foreground with progress bars, no app")


def run_headless(args: argparse.Namespace) -> int:
    raise NotImplementedError("headless training is being built (issue 6)")

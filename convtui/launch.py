"""What the app was asked to do on the command line, as one typed value.

The CLI parses, ``Launch.from_args`` reads the parsed arguments once, and the panels read the
fields they need (``PanelScreen.launch``): no panel looks into an argparse namespace.
Each panel's own arguments are added by the function its registry entry names
(``Panel.arguments``).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from convtui.i18n import t


@dataclass(frozen=True)
class Launch:
    """Every field is optional: a panel opened without them starts as it always does."""

    data_dir: str | None = None  # where MNIST is (Stepper, Pooling, Train, the tour)
    packs: tuple[str, ...] = ()  # Quiz: puzzle packs to offer beside the built-in ones
    practice: str | None = None  # Quiz: start practising at this difficulty
    preset: str | None = None  # Shapes: the network to open
    spec: str | None = None  # Shapes: a network written out in the spec grammar
    resume: str | None = None  # Train: the run folder to take further
    run_dir: str | None = None  # Train: where a new run goes
    #: Train: the `convtui train` settings given, by TrainConfig field name.
    train_options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Launch:
        """The launch the parsed command line asks for (a subcommand's absent options are
        None or empty)."""
        from convtui.training.config import given_settings

        given = vars(args)
        train = given_settings(given) if given.get("command") == "train" else {}
        return cls(
            data_dir=given.get("data_dir"), packs=tuple(given.get("pack") or ()),
            practice=given.get("practice"), preset=given.get("preset"),
            spec=given.get("spec"), resume=given.get("resume"), run_dir=given.get("run_dir"),
            train_options=MappingProxyType(train))


def add_data_dir_argument(parser: argparse.ArgumentParser) -> None:
    """The Stepper's, Pooling's and the tour's one option: where MNIST's files are."""
    parser.add_argument("--data-dir", metavar="DIR", help=t("cli.data_dir"))

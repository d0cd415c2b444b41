"""``convtui shapes``: open the Shapes panel on a preset or a typed network, or print its trace,
its PyTorch code or its quiz chain without opening the app.

Imports neither Textual nor torch: printing a table needs Rich and the core engine only, and
the parser itself only the preset names.
"""

from __future__ import annotations

import argparse
import sys

from convtui.core.layers import Layer, Shape
from convtui.core.presets import PRESETS
from convtui.core.spec import SpecError, parse_spec
from convtui.i18n import t

DEFAULT_PRESET = "lecture"
PRINT_FORMATS = ("table", "torch", "toml")


def add_shapes_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--preset", choices=list(PRESETS), metavar="NAME",
        help=t("shapes.cli.preset", names=", ".join(PRESETS), default=DEFAULT_PRESET))
    which.add_argument(
        "--spec", metavar="TEXT",
        help=t("shapes.cli.spec", example="1x1x28x28: conv(16,3,p=1) relu maxpool(2) flatten "
                                          "linear(3136,10)",
               shape="1x1x28x28"))
    parser.add_argument("--print", dest="print_as", choices=PRINT_FORMATS,
                        help=t("shapes.cli.print"))


def _network(args: argparse.Namespace) -> tuple[str, str, Shape, tuple[Layer, ...]]:
    """(name, title, input shape, layers) from --spec or --preset; SpecError if the spec does
    not parse."""
    text = getattr(args, "spec", None)
    if text is not None:
        spec = parse_spec(text)
        shape = spec.input_shape or PRESETS[DEFAULT_PRESET].input_shape
        return "network", t("shapes.custom_network"), shape, spec.layers
    preset = PRESETS[getattr(args, "preset", None) or DEFAULT_PRESET]
    return preset.name, preset.title, preset.input_shape, preset.layers


def run_shapes(args: argparse.Namespace) -> int | None:
    """Print what ``--print`` asks for and return the exit status, or None to open the app.
    A spec that does not parse is reported here, pointed at, with status 1, either way."""
    # Rich and the views load only when this subcommand runs: `convtui --help` stays light.
    from rich.console import Console

    from convtui.core.network import trace
    from convtui.lessons.network_exports import make_exports
    from convtui.ui.shapes.view import error_text, rich_table, spec_error_text, totals_text

    err_console = Console(stderr=True, highlight=False)
    try:
        name, title, shape, layers = _network(args)
    except SpecError as err:
        err_console.print(t("shapes.cli.spec_error"))
        err_console.print(spec_error_text(err, err_console.width), soft_wrap=True)
        return 1
    how = getattr(args, "print_as", None)
    if how is None:
        return None
    if how == "table":
        result = trace(shape, layers)
        table = rich_table(result, layers)
        console = Console(highlight=False)
        # as wide as the table needs: never cut a number short, even in a narrow terminal
        needed = Console(width=10_000).measure(table).maximum
        console.width = max(console.width, needed)
        console.print(table)
        # soft wrap: long messages are left for the terminal to wrap, whole in a pipe
        console.print(totals_text(result) if result.error is None else error_text(result.error),
                      soft_wrap=True)
        return 0 if result.ok else 1
    exports = make_exports(shape, layers, name, title)
    text, error = ((exports.torch, exports.torch_error) if how == "torch"
                   else (exports.toml, exports.toml_error))
    if text is None:
        err_console.print(t("shapes.cli.error", error=error), style="red", soft_wrap=True)
        return 1
    sys.stdout.write(text)
    return 0

"""CLI wiring for `convtui train` (the panel, or --headless in the foreground).

The options are the same either way; ``config_from_args`` turns them into a ``TrainConfig`` for
the panel too. Torch is imported only once a headless run starts, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from convtui.training.config import DEVICES, MODEL_SUMMARIES, TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.mnist_source import check_present, locate
from convtui.training.runs import create_run, read_config, run_info, write_config

#: Settings that decide what a run computes, so a resumed run must keep them.
FIXED_ON_RESUME = ("model", "batch_size", "lr", "seed", "limit_train", "limit_test")
#: Settings a resumed run may change (more epochs, another device or data folder).
CHANGEABLE_ON_RESUME = ("epochs", "device", "data_dir", "log_every", "threads")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {text!r}")
    return value


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 10:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 10, got {text!r}")
    return value


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = TrainConfig()
    parser.add_argument("--headless", action="store_true",
                        help="train in the foreground with progress bars, no app")
    options = parser.add_argument_group("training options (the panel uses them too)")
    models = "; ".join(f"{name}: {text}" for name, text in MODEL_SUMMARIES.items())
    options.add_argument("--model", choices=list(MODEL_SUMMARIES),
                         help=f"network to train (default: {defaults.model}). {models}")
    options.add_argument("--epochs", type=_positive_int, metavar="N",
                         help=f"passes over the training set (default: {defaults.epochs})")
    options.add_argument("--batch-size", type=_positive_int, metavar="N",
                         help=f"images per Adam step (default: {defaults.batch_size})")
    options.add_argument("--lr", type=_learning_rate, metavar="F",
                         help=f"Adam learning rate (default: {defaults.lr:g})")
    options.add_argument("--seed", type=_seed, metavar="N",
                         help="random seed, for a repeatable run (default: drawn, and saved "
                              "in the run's config.json)")
    options.add_argument("--device", choices=DEVICES,
                         help="auto uses a CUDA GPU when PyTorch sees one (default: auto)")
    options.add_argument("--data-dir", metavar="DIR",
                         help="folder with the four MNIST files (default: $CONVTUI_MNIST_DIR, "
                              "else convtui's cache folder, downloading them there)")
    options.add_argument("--run-dir", metavar="DIR",
                         help="where to keep this run's files (default: a new folder under "
                              "convtui's data folder, runs/<time>-<model>)")
    options.add_argument("--limit-train", type=_positive_int, metavar="N",
                         help="train on the first N training images only")
    options.add_argument("--limit-test", type=_positive_int, metavar="N",
                         help="test on the first N test images only")
    options.add_argument("--log-every", type=_positive_int, metavar="N",
                         help=f"log progress every N batches (default: {defaults.log_every})")
    options.add_argument("--threads", type=_positive_int, metavar="N",
                         help="CPU threads for PyTorch (default: all cores)")
    options.add_argument("--resume", metavar="RUN_DIR",
                         help="continue a stopped or interrupted run from its last checkpoint "
                              "(--epochs N trains it further)")


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The TrainConfig the options ask for, defaults filling what was not given."""
    given = {name: getattr(args, name, None) for name in TrainConfig.__dataclass_fields__}
    return TrainConfig(**{k: v for k, v in given.items() if v is not None})


def run_headless(args: argparse.Namespace) -> int:
    """Train in the foreground. 0: finished; 1: could not train (message on stderr);
    130: stopped (Ctrl-C or a stop request) and resumable."""
    # Plain text (paths may hold "[") and no hard wrapping, so a message is one paragraph.
    console = Console(highlight=False, markup=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
    try:
        run_dir = _prepare_resume(args, console) if args.resume else _prepare_new(args)
        if run_dir is None:
            return 0
        from convtui.training.progress_view import HeadlessView
        from convtui.training.trainer import run_training

        with HeadlessView(console, run_dir) as view:
            summary = run_training(run_dir, listener=view.on_event, handle_signals=True)
    except TrainingError as exc:
        errors.print(f"convtui train: error: {exc.message}")
        return 1
    except KeyboardInterrupt:  # a second Ctrl-C: leave at once, the checkpoint is intact
        errors.print("Interrupted. Whole epochs are kept; continue with --resume RUN_DIR.")
        return 130
    if summary["status"] == "stopped":
        console.print(
            f"Stopped after {summary['epochs_completed']} complete epoch(s); work on an "
            f"unfinished epoch is not kept. Continue with: convtui train --headless --resume "
            f"{run_dir}",
        )
        return 130
    console.print(
        f"Finished: test accuracy {summary['test_accuracy']:.2%} after "
        f"{summary['epochs_completed']} epoch(s), {summary['train_images_per_second']:,.0f} "
        f"training images/s, {summary['wall_seconds']:.1f} s. Run saved in {run_dir}",
    )
    return 0


def _check_environment(config: TrainConfig) -> None:
    """Fail before a run directory is made when the data folder or the device is unusable."""
    check_present(locate(config.data_dir))
    from convtui.training.trainer import resolve_device

    resolve_device(config.device)


def _prepare_new(args: argparse.Namespace) -> Path:
    config = config_from_args(args)
    config.validate()
    _check_environment(config)
    return create_run(config, Path(args.run_dir) if args.run_dir else None)


def _prepare_resume(args: argparse.Namespace, console: Console) -> Path | None:
    """The run directory to continue, its config updated; None when nothing is left to do."""
    run_dir = Path(args.resume)
    if args.run_dir:
        raise TrainingError("--resume names the run directory; leave out --run-dir.")
    config = read_config(run_dir)
    info = run_info(run_dir)
    if info.status in ("running", "paused"):
        raise TrainingError(
            f"{run_dir} is {info.status} in process {info.pid}; stop it before resuming it here."
        )
    for name in FIXED_ON_RESUME:
        asked = getattr(args, name, None)
        if asked is not None and asked != getattr(config, name):
            option = "--" + name.replace("_", "-")
            raise TrainingError(
                f"{option} cannot change when resuming: {run_dir} was trained with "
                f"{name}={getattr(config, name)!r}. Start a new run to try {option} {asked}."
            )
    changes: dict[str, Any] = {
        name: getattr(args, name) for name in CHANGEABLE_ON_RESUME
        if getattr(args, name, None) is not None
    }
    config = TrainConfig(**{**config.to_dict(), **changes})
    config.validate()
    done = info.epochs_completed
    if config.epochs < done:
        raise TrainingError(
            f"--epochs {config.epochs} is fewer than the {done} epochs {run_dir} already has."
        )
    if info.status == "finished" and done >= config.epochs:
        console.print(
            f"{run_dir} already finished all {done} epochs (test accuracy "
            f"{info.test_accuracy:.2%}). Pass --epochs N to train it further."
        )
        return None
    _check_environment(config)
    write_config(run_dir, config)
    return run_dir

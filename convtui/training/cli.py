"""CLI wiring for `convtui train` (the panel, or --headless in the foreground).

The options are the same either way; ``config_from_args`` turns them into a ``TrainConfig`` for
the panel too. Torch is imported only once a headless run starts, so ``--help`` stays fast. The
help and every message come from the catalogue (``training.cli``) in the current language.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from convtui.i18n import t
from convtui.training.config import (
    DEVICES,
    LR_SCHEDULES,
    MAX_AUGMENT_SHIFT,
    MODEL_SUMMARIES,
    TrainConfig,
    model_summary,
)
from convtui.training.errors import TrainingError
from convtui.training.mnist_source import check_present, locate
from convtui.training.runs import create_run, read_config, run_info, write_config

#: Settings that decide what a run computes, so a resumed run must keep them.
FIXED_ON_RESUME = ("model", "batch_size", "lr", "seed", "limit_train", "limit_test",
                   "lr_schedule", "augment_shift")
#: Settings a resumed run may change (more epochs, another device or data folder).
CHANGEABLE_ON_RESUME = ("epochs", "device", "data_dir", "log_every", "threads")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(t("training.cli.bad_positive", text=repr(text)))
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(t("training.cli.bad_seed", text=repr(text)))
    return value


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 10:
        raise argparse.ArgumentTypeError(t("training.cli.bad_lr", text=repr(text)))
    return value


def _shift(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_AUGMENT_SHIFT:
        raise argparse.ArgumentTypeError(t("training.cli.bad_shift", text=repr(text),
                                           maximum=MAX_AUGMENT_SHIFT))
    return value


def _help(key: str, **params: Any) -> str:
    """Help text in the current language, its ``%`` signs escaped: argparse %-formats help
    (the model summaries say "~99%")."""
    return t(key, **params).replace("%", "%%")


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = TrainConfig()
    parser.add_argument("--headless", action="store_true", help=_help("training.cli.headless"))
    options = parser.add_argument_group(t("training.cli.options"))
    models = "; ".join(f"{name}: {model_summary(name)}" for name in MODEL_SUMMARIES)
    options.add_argument("--model", choices=list(MODEL_SUMMARIES),
                         help=_help("training.cli.model", default=defaults.model, models=models))
    options.add_argument("--epochs", type=_positive_int, metavar="N",
                         help=_help("training.cli.epochs", default=defaults.epochs))
    options.add_argument("--batch-size", type=_positive_int, metavar="N",
                         help=_help("training.cli.batch_size", default=defaults.batch_size))
    options.add_argument("--lr", type=_learning_rate, metavar="F",
                         help=_help("training.cli.lr", default=f"{defaults.lr:g}"))
    options.add_argument("--lr-schedule", choices=LR_SCHEDULES,
                         help=_help("training.cli.lr_schedule", default=defaults.lr_schedule))
    options.add_argument("--augment-shift", type=_shift, metavar="N",
                         help=_help("training.cli.augment_shift", maximum=MAX_AUGMENT_SHIFT,
                                default=defaults.augment_shift))
    options.add_argument("--seed", type=_seed, metavar="N", help=_help("training.cli.seed"))
    options.add_argument("--device", choices=DEVICES,
                         help=_help("training.cli.device", default=defaults.device))
    options.add_argument("--data-dir", metavar="DIR", help=_help("training.cli.data_dir"))
    options.add_argument("--run-dir", metavar="DIR", help=_help("training.cli.run_dir"))
    options.add_argument("--limit-train", type=_positive_int, metavar="N",
                         help=_help("training.cli.limit_train"))
    options.add_argument("--limit-test", type=_positive_int, metavar="N",
                         help=_help("training.cli.limit_test"))
    options.add_argument("--log-every", type=_positive_int, metavar="N",
                         help=_help("training.cli.log_every", default=defaults.log_every))
    options.add_argument("--threads", type=_positive_int, metavar="N",
                         help=_help("training.cli.threads"))
    options.add_argument("--resume", metavar="RUN_DIR", help=_help("training.cli.resume"))


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
        errors.print(t("training.cli.error", message=exc.message))
        return 1
    except KeyboardInterrupt:  # a second Ctrl-C: leave at once, the checkpoint is intact
        errors.print(t("training.cli.interrupted"))
        return 130
    if summary["status"] == "stopped":
        console.print(t("training.cli.stopped", epochs=summary["epochs_completed"],
                        run=str(run_dir)))
        return 130
    console.print(t("training.cli.finished", accuracy=f"{summary['test_accuracy']:.2%}",
                    epochs=summary["epochs_completed"],
                    speed=f"{summary['train_images_per_second']:,.0f}",
                    seconds=f"{summary['wall_seconds']:.1f}", run=str(run_dir)))
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
        raise TrainingError(t("training.cli.resume_run_dir"))
    config = read_config(run_dir)
    info = run_info(run_dir)
    if info.status in ("running", "paused"):
        status = (t("training.cli.status_running") if info.status == "running"
                  else t("training.cli.status_paused"))
        raise TrainingError(t("training.cli.resume_busy", run=str(run_dir), status=status,
                              pid=info.pid))
    for name in FIXED_ON_RESUME:
        asked = getattr(args, name, None)
        if asked is not None and asked != getattr(config, name):
            option = "--" + name.replace("_", "-")
            raise TrainingError(t("training.cli.resume_fixed", option=option, run=str(run_dir),
                                  name=name, saved=repr(getattr(config, name)), asked=asked))
    changes: dict[str, Any] = {
        name: getattr(args, name) for name in CHANGEABLE_ON_RESUME
        if getattr(args, name, None) is not None
    }
    config = TrainConfig(**{**config.to_dict(), **changes})
    config.validate()
    done = info.epochs_completed
    if config.epochs < done:
        raise TrainingError(t("training.cli.resume_fewer", epochs=config.epochs, done=done,
                              run=str(run_dir)))
    if info.status == "finished" and done >= config.epochs:
        console.print(t("training.cli.resume_finished", run=str(run_dir), epochs=done,
                        accuracy=f"{info.test_accuracy:.2%}"))
        return None
    _check_environment(config)
    write_config(run_dir, config)
    return run_dir

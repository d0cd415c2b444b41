"""CLI wiring for `convtui train` (the panel, or --headless in the foreground).

The options are the same either way; ``config_from_args`` turns them into a ``TrainConfig`` for
the panel too. Torch is imported only once a headless run starts, so ``--help`` stays fast. The
help and every message come from the catalogue (``training.cli``) in the current language.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console

from convtui.fields import FieldError, parse_float, parse_int
from convtui.i18n import t, tn
from convtui.training.config import (
    DEFAULT_VISDOM_URL,
    DEVICES,
    LR_SCHEDULES,
    MAX_AUGMENT_SHIFT,
    MODEL_SUMMARIES,
    TENSORBOARD_SUBFOLDER,
    TrainConfig,
    given_settings,
    model_summary,
)
from convtui.training.errors import TrainingError
from convtui.training.mnist_source import DownloadProgress
from convtui.training.preflight import check_environment
from convtui.training.resume import CLI_WORDS, prepare_resume, resumed_config
from convtui.training.runs import create_run, read_config


def _strict_int(text: str, fallback: int) -> int:
    """``text`` as a whole number in ASCII digits (int() also reads "٣" and "1_000"), or
    ``fallback``, a value the caller refuses, so such text gets the caller's message."""
    try:
        return parse_int(text, "")
    except FieldError:
        return fallback


def _positive_int(text: str) -> int:
    value = _strict_int(text, 0)
    if value < 1:
        raise argparse.ArgumentTypeError(t("training.cli.bad_positive", text=repr(text)))
    return value


def _seed(text: str) -> int:
    value = _strict_int(text, -1)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(t("training.cli.bad_seed", text=repr(text)))
    return value


def _learning_rate(text: str) -> float:
    try:
        value = parse_float(text, "")
    except FieldError:
        value = 0.0
    if not 0 < value < 10:
        raise argparse.ArgumentTypeError(t("training.cli.bad_lr", text=repr(text)))
    return value


def _shift(text: str) -> int:
    value = _strict_int(text, -1)
    if not 0 <= value <= MAX_AUGMENT_SHIFT:
        raise argparse.ArgumentTypeError(t("training.cli.bad_shift", text=repr(text),
                                           maximum=MAX_AUGMENT_SHIFT))
    return value


class _TensorBoardFolder(argparse.Action):
    """``--tensorboard`` alone: the run folder's subfolder (kept relative in config.json, so
    it moves with the run); ``--tensorboard DIR``: DIR, made absolute."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        folder = (TENSORBOARD_SUBFOLDER if values is None
                  else str(Path(values).expanduser().absolute()))
        setattr(namespace, self.dest, folder)


def visdom_url(text: str) -> str:
    """A Visdom server's URL as --visdom and the Train form take it (no trailing slash)."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(t("training.ecosystem.bad_url", text=repr(text)))
    return text.rstrip("/")


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
    report = parser.add_argument_group(t("training.ecosystem.options"))
    report.add_argument("--tensorboard", nargs="?", action=_TensorBoardFolder, metavar="DIR",
                        help=_help("training.ecosystem.tensorboard_help",
                                   default=TENSORBOARD_SUBFOLDER))
    report.add_argument("--visdom", nargs="?", const=DEFAULT_VISDOM_URL, type=visdom_url,
                        metavar="URL",
                        help=_help("training.ecosystem.visdom_help", default=DEFAULT_VISDOM_URL))
    report.add_argument("--nproc", dest="processes", type=_positive_int, metavar="N",
                        help=_help("training.ecosystem.nproc_help"))


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The TrainConfig the options ask for, defaults filling what was not given."""
    return TrainConfig(**given_settings(vars(args)))


def run_headless(args: argparse.Namespace) -> int:
    """Train in the foreground. 0: finished; 1: could not train (message on stderr);
    130: stopped (Ctrl-C or a stop request) and resumable."""
    # Plain text (paths may hold "[") and no hard wrapping, so a message is one paragraph.
    console = Console(highlight=False, markup=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
    from convtui.training import distributed
    from convtui.training.progress_view import HeadlessView

    lone = not distributed.under_launcher()
    if not distributed.place().leader:  # under torchrun, rank 0 alone speaks
        console = Console(file=io.StringIO())
        errors = Console(file=io.StringIO())
    try:
        with HeadlessView(console) as view:
            def prepare() -> Path | None:
                return (_prepare_resume(args, console, view.download) if args.resume
                        else _prepare_new(args, view.download))

            if lone:
                run_dir = prepare()
            else:
                args.processes = distributed.launcher_processes(args.processes)
                run_dir = distributed.prepare_under_launcher(prepare)
            if run_dir is None:
                return 0
            config = read_config(run_dir)
            if lone and config.processes > 1:
                summary = None  # the launcher's processes train it, rank 0 showing progress
            else:
                from convtui.training.trainer import run_training

                view.run_dir = run_dir
                summary = run_training(run_dir, listener=view.on_event, handle_signals=True)
        if summary is None:
            return distributed.launch(run_dir, config.processes, config.threads)
    except TrainingError as exc:
        errors.print(t("training.cli.error", message=exc.message))
        return 1
    except KeyboardInterrupt:  # a second Ctrl-C: leave at once, the checkpoint is intact
        errors.print(t("training.cli.interrupted"))
        return 130
    if summary["status"] == "stopped":
        console.print(tn("training.cli.stopped", summary["epochs_completed"],
                         epochs=summary["epochs_completed"], run=str(run_dir)))
        return 130
    console.print(tn("training.cli.finished", summary["epochs_completed"],
                     accuracy=f"{summary['test_accuracy']:.2%}", epochs=summary["epochs_completed"],
                    speed=f"{summary['train_images_per_second']:,.0f}",
                    seconds=f"{summary['wall_seconds']:.1f}", run=str(run_dir)))
    return 0


def _prepare_new(args: argparse.Namespace, progress: DownloadProgress) -> Path:
    """A new run folder, made once the data and device are known to work."""
    config = config_from_args(args)
    check_environment(config, progress)
    return create_run(config, Path(args.run_dir) if args.run_dir else None)


def _prepare_resume(args: argparse.Namespace, console: Console,
                    progress: DownloadProgress) -> Path | None:
    """The run directory to continue, its config updated; None when nothing is left to do."""
    run_dir = Path(args.resume)
    if args.run_dir:
        raise TrainingError(t("training.cli.resume_run_dir"))
    config = resumed_config(run_dir, given_settings(vars(args)), CLI_WORDS)
    resume = prepare_resume(run_dir, CLI_WORDS, config, progress)
    if not resume.left:
        done = resume.run.epochs_completed
        console.print(tn("training.cli.resume_finished", done, run=str(run_dir), epochs=done,
                         accuracy=f"{resume.run.test_accuracy:.2%}"))
        return None
    return run_dir

"""What is checked before a run folder is made, and how long a run will take.

A run folder is made only once the run can start: the MNIST files are there (downloaded into
the cache first when they may be) and whole, and the device asked for exists. So a failed
attempt leaves nothing behind, and the Runs list holds runs, not failed tries. The CLI and the
Train panel both call ``check_environment``; the panel then shows ``estimate`` before anything
starts. Torch is imported only to check a CUDA device.
"""

from __future__ import annotations

from dataclasses import dataclass

from convtui.training.config import TrainConfig, check_reporting
from convtui.training.idx import load_split
from convtui.training.mnist_source import DownloadProgress, ensure_mnist
from convtui.training.run import Run

#: Settings that decide a run's speed: an earlier run's images/s predicts another's only when
#: they agree on these.
SPEED_SETTINGS = ("model", "device", "threads", "batch_size", "processes")
DEFAULTS = TrainConfig()


@dataclass(frozen=True)
class DataSizes:
    """The images a run will train and test on (its limits applied)."""

    train: int
    test: int


def check_environment(config: TrainConfig, progress: DownloadProgress | None = None
                      ) -> DataSizes:
    """Raise ``TrainingError`` when the run cannot start: a reporting tool's package missing
    (``--tensorboard``, ``--visdom``), MNIST missing (and not downloadable), damaged, or the
    CUDA device absent. Reads every file as training will, so a truncated or corrupt one is
    named now, before a run folder exists."""
    config.validate()
    check_reporting(config)
    folder = ensure_mnist(config.data_dir, progress)
    train, test = len(load_split(folder, "train")), len(load_split(folder, "test"))
    if config.device == "cuda":
        from convtui.training.trainer import resolve_device

        resolve_device("cuda")
    return DataSizes(min(train, config.limit_train or train), min(test, config.limit_test or test))


@dataclass(frozen=True)
class Throughput:
    """Training images per second measured by an earlier run."""

    run: str
    images_per_second: float


def measured_throughput(config: TrainConfig, runs: list[Run]) -> Throughput | None:
    """The speed of the newest run in ``runs`` (newest first) trained with the same
    SPEED_SETTINGS as ``config``; None when no such run has trained a batch."""
    for run in runs:
        saved = run.config
        # a setting a run's config.json lacks (made before it existed) had its default
        if saved is None or any(saved.get(name, getattr(DEFAULTS, name)) != getattr(config, name)
                                for name in SPEED_SETTINGS):
            continue
        rate = run.images_per_second
        if rate:
            return Throughput(run.name, rate)
    return None


def estimate_seconds(config: TrainConfig, sizes: DataSizes, speed: Throughput) -> float:
    """Training time of the whole run at ``speed`` (testing after each epoch not counted)."""
    return config.epochs * sizes.train / speed.images_per_second

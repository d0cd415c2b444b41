"""What a training run is asked to do, saved as ``config.json`` in its run directory.

Torch-free, so the CLI's ``--help`` and the Train panel can list models and validate options
without loading torch.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from convtui.i18n import t
from convtui.training.errors import TrainingError

#: Model names (``convtui.training.models.MODELS`` builds them) with the catalogue key of
#: their one-line description; ``model_summary`` gives the text in the current language.
MODEL_SUMMARIES: dict[str, str] = {
    "lab": "training.models.lab",
    "deep": "training.models.deep",
    "tiny": "training.models.tiny",
}
DEVICES = ("auto", "cpu", "cuda")
#: ``anneal``: the set rate for every epoch but the last, which lowers it to 0 along a half
#: cosine, batch by batch; ``constant``: the set rate throughout.
LR_SCHEDULES = ("anneal", "constant")
#: MNIST digits sit in a 20x20 box centred in the 28x28 image, so a shift of up to 4 pixels
#: never pushes a stroke out of the picture.
MAX_AUGMENT_SHIFT = 4
#: ``tensorboard`` when ``--tensorboard`` names no folder: the run directory's subfolder
#: (a relative ``tensorboard`` setting is relative to the run directory).
TENSORBOARD_SUBFOLDER = "tensorboard"
DEFAULT_VISDOM_URL = "http://localhost:8097"
#: Settings that say where a run reports or how fast it goes, not what it computes: left out
#: of TensorBoard's HParams and of the Runs tab's hyperparameter table.
NOT_HPARAMS = ("tensorboard", "visdom", "data_dir", "log_every", "device", "threads")


#: Reporting settings that need an optional package: (setting, module, pip extra).
REPORTING_PACKAGES = (("tensorboard", "tensorboard", "tensorboard"), ("visdom", "visdom", "visdom"))


def require_package(module: str, extra: str, option: str) -> None:
    """Raise ``TrainingError`` saying how to install ``module`` when it is missing."""
    if importlib.util.find_spec(module) is None:
        raise TrainingError(t("training.ecosystem.missing_package", option=option,
                              package=module, extra=extra))


def check_reporting(config: TrainConfig) -> None:
    """Fail before training when the run reports to a tool whose package is not installed."""
    for setting, module, extra in REPORTING_PACKAGES:
        if getattr(config, setting):
            require_package(module, extra, "--" + setting)


def model_summary(name: str) -> str:
    """The model's one-line description in the current language."""
    return t(MODEL_SUMMARIES[name])


@dataclass
class TrainConfig:
    """Everything that decides a run's result (``seed`` is fixed when the run is created), and
    where else the job reports it: ``tensorboard`` (a folder for TensorBoard event files) and
    ``visdom`` (a Visdom server's URL).

    ``batch_size`` and ``lr`` are global: with ``processes`` > 1 (DistributedDataParallel)
    each process takes ``batch_size / processes`` images of every step's batch, and the
    averaged gradient is the one a single process would get from the whole batch.
    """

    model: str = "lab"
    epochs: int = 3
    batch_size: int = 100
    lr: float = 1e-3
    seed: int | None = None
    device: str = "auto"
    data_dir: str | None = None
    limit_train: int | None = None
    limit_test: int | None = None
    log_every: int = 10
    threads: int | None = None
    lr_schedule: str = "anneal"
    augment_shift: int = 1
    tensorboard: str | None = None
    visdom: str | None = None
    processes: int = 1

    def validate(self) -> None:
        """Raise ``TrainingError`` naming the first option that cannot work."""
        for name, value, choices in (("model", self.model, tuple(MODEL_SUMMARIES)),
                                     ("device", self.device, DEVICES),
                                     ("lr_schedule", self.lr_schedule, LR_SCHEDULES)):
            if value not in choices:
                raise TrainingError(t("training.config.unknown_choice", name=name,
                                      value=repr(value), choices=", ".join(choices)))
        for name in ("epochs", "batch_size", "log_every", "limit_train", "limit_test", "threads",
                     "processes"):
            value = getattr(self, name)
            if value is not None and not (_is_int(value) and value >= 1):
                raise TrainingError(t("training.config.whole", name=name, value=repr(value)))
        if not (_is_int(self.augment_shift) and 0 <= self.augment_shift <= MAX_AUGMENT_SHIFT):
            raise TrainingError(t("training.config.augment_shift", value=repr(self.augment_shift),
                                  maximum=MAX_AUGMENT_SHIFT))
        if not isinstance(self.lr, (int, float)) or isinstance(self.lr, bool) or not (
            0 < self.lr < 10
        ):
            raise TrainingError(t("training.config.lr", value=repr(self.lr)))
        if self.batch_size % self.processes:
            raise TrainingError(t("training.ecosystem.batch_split", batch=self.batch_size,
                                  processes=self.processes))
        if self.tensorboard is not None and not (
            isinstance(self.tensorboard, str) and self.tensorboard.strip()
        ):
            raise TrainingError(t("training.ecosystem.bad_tensorboard",
                                  value=repr(self.tensorboard)))
        if self.visdom is not None and not (
            isinstance(self.visdom, str) and self.visdom.startswith(("http://", "https://"))
        ):
            raise TrainingError(t("training.ecosystem.bad_visdom", value=repr(self.visdom)))

    def with_seed(self) -> TrainConfig:
        """A copy whose seed is set, drawing one when none was asked for, so the run can be
        repeated from its config.json."""
        seed = self.seed if self.seed is not None else random.randrange(2**31)
        return TrainConfig(**{**asdict(self), "seed": seed})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """Build from a saved config, refusing unknown keys and bad values with a message."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise TrainingError(t("training.config.unknown_settings", names=", ".join(unknown)))
        config = cls(**data)
        config.validate()
        return config


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def given_settings(options: Mapping[str, Any]) -> dict[str, Any]:
    """The TrainConfig settings among parsed command-line ``options`` that were given (an
    option left out is None): what a new run starts from and a resumed run changes."""
    return {name: options[name] for name in TrainConfig.__dataclass_fields__
            if options.get(name) is not None}

"""What a training run is asked to do, saved as ``config.json`` in its run directory.

Torch-free, so the CLI's ``--help`` and the Train panel can list models and validate options
without loading torch.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields
from typing import Any

from convtui.training.errors import TrainingError

#: Model names with a one-line description; ``convtui.training.models.MODELS`` builds them.
MODEL_SUMMARIES: dict[str, str] = {
    "lab": "the lab's CNN: two conv blocks (32, 64 channels) and one linear layer (~99%)",
    "deep": "three conv blocks (32, 64, 128 channels), a 625-unit layer with dropout",
    "tiny": "one 5x5 conv with 5 filters and one linear layer: fast, for demos (~98%)",
}
DEVICES = ("auto", "cpu", "cuda")


@dataclass
class TrainConfig:
    """Everything that decides a run's result; ``seed`` is fixed when the run is created."""

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

    def validate(self) -> None:
        """Raise ``TrainingError`` naming the first option that cannot work."""
        if self.model not in MODEL_SUMMARIES:
            raise TrainingError(
                f"Unknown model {self.model!r}; choose one of {', '.join(MODEL_SUMMARIES)}."
            )
        if self.device not in DEVICES:
            raise TrainingError(
                f"Unknown device {self.device!r}; choose one of {', '.join(DEVICES)}."
            )
        for name in ("epochs", "batch_size", "log_every", "limit_train", "limit_test", "threads"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise TrainingError(f"{name} must be a whole number of at least 1, got {value!r}.")
        if not isinstance(self.lr, (int, float)) or isinstance(self.lr, bool) or not (
            0 < self.lr < 10
        ):
            raise TrainingError(f"lr must be a number between 0 and 10, got {self.lr!r}.")

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
            raise TrainingError(f"Unknown training settings: {', '.join(unknown)}.")
        config = cls(**data)
        config.validate()
        return config

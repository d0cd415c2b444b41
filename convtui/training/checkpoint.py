"""Saving and loading a run's checkpoint so that a killed job loses at most its current epoch.

The file is written to a temp file, synced, and renamed over the old one: at every instant the
run directory holds either the previous complete checkpoint or the new one, never half of one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from convtui import atomic
from convtui.i18n import t
from convtui.training.errors import TrainingError

#: 2: the learning-rate scheduler's state is saved too (format 1 checkpoints have none).
FORMAT = 2


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Atomically replace ``path`` with ``state`` (torch.save), synced to disk."""
    with atomic.replacing(path, "wb") as handle:
        torch.save({"format": FORMAT, **state}, handle)


def load_checkpoint(path: Path, device: torch.device | str = "cpu") -> dict[str, Any] | None:
    """The saved state with tensors on ``device``, or None when there is no checkpoint yet."""
    if not path.exists():
        return None
    try:
        state = torch.load(path, map_location=device, weights_only=True)
    except Exception as exc:
        raise TrainingError(t("training.checkpoint.unreadable", path=str(path),
                              reason=f"{type(exc).__name__}: {exc}")) from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise TrainingError(t("training.checkpoint.foreign", path=str(path)))
    return state

"""Errors the training backend reports to a person, not as a traceback.

Each carries a complete, user-readable message: the CLI prints it as one paragraph and the Train
panel shows it as is, so the text must say what went wrong and what to do about it. Messages are
built with ``convtui.i18n.t`` when the error is raised, so they come in the current language.
"""

from __future__ import annotations


class TrainingError(Exception):
    """A problem with a training request (bad option, missing device, unusable run dir)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataError(TrainingError):
    """MNIST is missing, damaged, or not what its header says; it is never trained on."""

"""MNIST's test digits as a lesson input, for the panels that offer one (Stepper, Pooling)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from textual import work
from textual.message import Message

from convtui.i18n.wording import Phrase

if TYPE_CHECKING:
    from convtui.training.mnist_source import DataLocation


class DigitsReading(Message):
    """The worker has begun reading the test set (it takes a moment the first time)."""


class DigitsFailed(Message):
    """The test set could not be read from ``location``: ``reason`` says why."""

    def __init__(self, location: DataLocation, reason: str) -> None:
        super().__init__()
        self.location, self.reason = location, reason


class DigitChosen(Message):
    """The test set is read: show digit ``index``."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class MnistDigits:
    """Mixin for a panel screen (listed before its Textual base): ``load_digit`` reads MNIST's
    test digits once, numpy only and in a worker thread so the UI never waits on the files,
    then shows one. The panel says how to show a digit (``show_digit``) and what to say when
    the files are missing or damaged (``mnist_failed``)."""

    PANEL: ClassVar[str]
    #: The test set's (images, labels) once read.
    _mnist: tuple[np.ndarray, np.ndarray] | None = None

    @work(thread=True, exclusive=True, group="mnist")
    def load_digit(self, index: int, wrap: bool = True, show: bool = True) -> None:
        """Show test digit ``index``, wrapped around the test set (without ``wrap`` an index
        past the end is the panel's to refuse). With ``show`` False only read the digits:
        after a language switch, to word a failure again."""
        from convtui.training.errors import DataError
        from convtui.training.idx import load_split
        from convtui.training.mnist_source import locate

        post = self.post_message  # type: ignore[attr-defined]
        if self._mnist is None:
            if show:
                post(DigitsReading())
            location = locate(self.launch.data_dir)  # type: ignore[attr-defined]
            try:
                split = load_split(location.folder, "test")
            except DataError as err:
                post(DigitsFailed(location, err.message))
                return
            self._mnist = (split.images, split.labels)
        if show:
            post(DigitChosen(index % len(self._mnist[1]) if wrap else index))

    def on_digits_reading(self) -> None:
        self.update_status(Phrase(f"{self.PANEL}.mnist.reading"))  # type: ignore[attr-defined]

    def on_digits_failed(self, message: DigitsFailed) -> None:
        self.mnist_failed(message.location, message.reason)

    def on_digit_chosen(self, message: DigitChosen) -> None:
        self.show_digit(message.index)

    def show_digit(self, index: int) -> None:
        """Make test digit ``index`` the lesson's input (on the UI thread)."""
        raise NotImplementedError

    def mnist_failed(self, location: DataLocation, reason: str) -> None:
        """Keep the input shown and say why no digit came (on the UI thread)."""
        raise NotImplementedError

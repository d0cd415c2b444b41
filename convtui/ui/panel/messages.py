"""What one panel asks of the app, as typed messages: panels never call each other (or reach
into ``self.app``'s attributes); the app routes these."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from textual.message import Message


class QuitGuard(Message):
    """Consult ``ask`` when the user quits: it returns True when it holds the quit back to
    ask first (and then exits the app itself), as the Train panel does while a job runs."""

    def __init__(self, ask: Callable[[], bool]) -> None:
        super().__init__()
        self.ask = ask


class OpenInStepper(Message):
    """Step ``kernel`` (kH, kW) across ``image`` (H, W) in the Stepper, ``label`` saying where
    they came from; ``normalised``: the image is an MNIST digit standardised as training
    does. Sent by a panel, routed by the app to the Stepper, which stops it there."""

    def __init__(self, image: np.ndarray, kernel: np.ndarray, label: str,
                 normalised: bool = False) -> None:
        super().__init__()
        self.image, self.kernel, self.label, self.normalised = image, kernel, label, normalised

    def forwarded(self) -> OpenInStepper:
        """The same request, as a new message to post on to the Stepper."""
        return OpenInStepper(self.image, self.kernel, self.label, self.normalised)

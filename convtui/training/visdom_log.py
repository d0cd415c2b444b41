"""A run drawn live in a Visdom server (``--visdom URL``): loss and accuracy plots, the filters.

Visdom is the dashboard many PyTorch courses watch MNIST training in. The job sends each event
as it emits it, in the Visdom environment named after the run. Visdom is a convenience, never a
reason to stop training: a server that cannot be reached (at the start or later) gives one
warning, and the job carries on without it. A resumed job first clears the environment and
draws the run's kept history again, so the plots hold each epoch once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import numpy as np
import torch

from convtui.i18n import t
from convtui.training.config import require_package
from convtui.training.events import Event, RunHistory
from convtui.training.tensorboard_log import filter_images

LOSS_WINDOW, ACCURACY_WINDOW, FILTERS_WINDOW = "loss", "accuracy", "filters"
#: (window, trace name, event type, field): every line the dashboard draws.
TRACES = (
    (LOSS_WINDOW, "batch", "batch", "loss"),
    (LOSS_WINDOW, "train", "epoch", "train_loss"),
    (LOSS_WINDOW, "test", "epoch", "test_loss"),
    (ACCURACY_WINDOW, "batch", "batch", "accuracy"),
    (ACCURACY_WINDOW, "train", "epoch", "train_accuracy"),
    (ACCURACY_WINDOW, "test", "epoch", "test_accuracy"),
)
DEFAULT_PORT = 8097


class VisdomLog:
    """Plots one run in environment ``env`` of the server at ``url``; ``warn`` reports (once)
    that the server cannot be reached, after which every call does nothing."""

    def __init__(
        self, url: str, env: str, batches: int, warn: Callable[[str], None],
        history: RunHistory | None = None,
    ) -> None:
        require_package("visdom", "visdom", "--visdom")
        from visdom import Visdom

        # The client logs a warning about its event socket, which we do not use.
        logging.getLogger("visdom").setLevel(logging.ERROR)
        self.url, self.env, self.batches, self._warn = url, env, batches, warn
        parts = urlsplit(url)
        self.viz = None
        try:
            self.viz = Visdom(server=f"{parts.scheme}://{parts.hostname}",
                              port=parts.port or DEFAULT_PORT, base_url=parts.path or "/",
                              env=env, raise_exceptions=True, use_incoming_socket=False)
            self.viz.close(env=env)
            if history is not None:
                self._draw(history.batches + history.epochs)
        except (ConnectionError, OSError, ValueError) as exc:
            self._lost(exc)

    def _lost(self, exc: Exception) -> None:
        self.viz = None
        self._warn(t("training.ecosystem.visdom_unreachable", url=self.url, reason=str(exc)))

    def _step(self, event: Event) -> int:
        return int(event["step"]) if event["type"] == "batch" else event["epoch"] * self.batches

    def _draw(self, events: Sequence[Event]) -> None:
        if self.viz is None:
            return
        for window, name, kind, key in TRACES:
            points = [(self._step(e), e[key]) for e in events if e["type"] == kind]
            if not points:
                continue
            x, y = (np.array(column, dtype=float) for column in zip(*points, strict=True))
            self.viz.line(Y=y, X=x, win=window, name=name, update="append",
                          opts={"title": t(f"training.ecosystem.visdom_{window}"),
                                "xlabel": t("training.ecosystem.visdom_steps"),
                                "showlegend": True})

    def on_event(self, event: Event) -> None:
        if event["type"] in ("batch", "epoch"):
            self._call(lambda: self._draw([event]))

    def filters(self, weight: torch.Tensor, epoch: int) -> None:
        images = filter_images(weight).numpy()
        title = t("training.ecosystem.visdom_filters", epoch=epoch)
        self._call(lambda: self.viz.images(images, win=FILTERS_WINDOW, nrow=8,  # type: ignore[union-attr]
                                           opts={"title": title}))

    def finish(self, summary: dict) -> None:
        """Nothing more to draw: the plots already end with the last epoch."""

    def close(self) -> None:
        self.viz = None

    def _call(self, send: Callable[[], object]) -> None:
        """Send to the server unless it was lost; losing it now warns, once."""
        if self.viz is None:
            return
        try:
            send()
        except (ConnectionError, OSError) as exc:
            self._lost(exc)

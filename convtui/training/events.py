"""The run's event log, ``events.jsonl``: one JSON object per line, only ever appended to.

Every event has ``type`` and ``time`` (Unix seconds). Types, in the order a run writes them:

- ``start``: a job process began; ``config``, ``resumed_from_epoch`` (epochs in the checkpoint it
  continues from, 0 for a fresh run), ``pid``, ``device``, ``threads``.
- ``download``: ``file``, ``bytes``, ``total`` (None when the server did not say).
- ``data``: ``folder``, ``train_size``, ``test_size``, ``batches`` (per epoch).
- ``batch``: every ``log_every`` batches and at each epoch's last: ``epoch``, ``epochs``,
  ``batch``, ``batches``, ``step`` (batches since the run began), ``loss`` and ``accuracy``
  (running over the epoch so far), ``images_per_second`` (this epoch, pauses excluded).
- ``paused`` / ``resumed``: ``epoch``, ``batch``.
- ``epoch``: ``epoch``, ``epochs``, ``train_loss``, ``train_accuracy``, ``test_loss``,
  ``test_accuracy``, ``train_seconds``, ``wall_seconds``, ``train_images_per_second``.
- ``checkpoint``: ``epoch`` (epochs the saved checkpoint holds), ``file``.
- ``stopped``: ``epochs_completed``, ``discarded_batches``.  ``error``: ``message``.
  ``done``: ``epochs_completed``, ``test_accuracy``.
- ``warning``: ``message`` (in the job's language): something outside the run failed, e.g. a
  Visdom server that cannot be reached; training goes on.

A job killed mid-epoch leaves batch (and perhaps epoch) events for work its checkpoint does not
hold. The resumed job's ``start`` says which epoch it continues from, and ``RunHistory`` drops
the earlier events past that epoch, so each epoch appears once. Readers skip lines that are not
JSON and leave a last line without its newline (still being written) for the next read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

Event = dict[str, Any]
Listener = Callable[[Event], None]

EVENTS_FILE = "events.jsonl"
#: Event types that say where the run's life stands (the last one decides its status).
LIFECYCLE = ("start", "paused", "resumed", "stopped", "error", "done")


class EventWriter:
    """Appends events to a run's log, one flushed line each, and hands each to ``listener``."""

    def __init__(self, path: Path, listener: Listener | None = None) -> None:
        _drop_torn_tail(path)
        self._file = path.open("a", encoding="utf-8")
        self._listener = listener

    def emit(self, type_: str, **fields: Any) -> Event:
        event = {"type": type_, "time": time.time(), **fields}
        self._file.write(json.dumps(event) + "\n")
        self._file.flush()
        if self._listener is not None:
            self._listener(event)
        return event

    def close(self) -> None:
        self._file.close()


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line a killed job left half-written, so the next event starts its own line."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)


def read_events(path: Path, offset: int = 0) -> tuple[list[Event], int]:
    """Complete events from byte ``offset`` on, and the offset to continue from next time."""
    read = read_event_lines(path, offset)
    return read.events, read.offset


class EventRead(NamedTuple):
    """What one read of a log found, with what was not events: complete lines that are not
    (garbage, a line damaged on disk), and a last line without its end (a writer killed
    mid-line, or one still writing), so a reader can say so instead of silently skipping."""

    events: list[Event]
    offset: int  # where the next read goes on from
    unreadable: int
    torn: bool


def read_event_lines(path: Path, offset: int = 0) -> EventRead:
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except FileNotFoundError:
        return EventRead([], offset, 0, False)
    end = data.rfind(b"\n")
    torn = bool(data[end + 1:].strip())
    if end < 0:
        return EventRead([], offset, 0, torn)
    events, unreadable = [], 0
    for line in data[:end].split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            unreadable += bool(line.strip())
            continue
        if isinstance(event, dict) and isinstance(event.get("type"), str):
            events.append(event)
        else:
            unreadable += 1
    return EventRead(events, offset + end + 1, unreadable, torn)


@dataclass
class RunHistory:
    """A run as its log tells it, with superseded events dropped; fed one event at a time."""

    config: dict[str, Any] | None = None
    batches: list[Event] = field(default_factory=list)
    epochs: list[Event] = field(default_factory=list)
    checkpoints: list[Event] = field(default_factory=list)
    last_lifecycle: Event | None = None
    last_download: Event | None = None
    data: Event | None = None
    superseded: int = 0
    unreadable: int = 0  # complete lines of the log that were not events (a damaged file)
    torn: bool = False  # the log ends in the middle of a line (see EventRead)
    attempts: int = 0
    started: float | None = None  # when the run's first job began (Unix seconds)

    def apply(self, event: Event) -> None:
        kind = event["type"]
        if kind == "start":
            self._start(event)
        elif kind == "batch":
            self.batches.append(event)
        elif kind == "epoch":
            self.epochs.append(event)
        elif kind == "checkpoint":
            self.checkpoints.append(event)
        elif kind == "download":
            self.last_download = event
        elif kind == "data":
            self.data = event
        if kind in LIFECYCLE:
            self.last_lifecycle = event

    def _start(self, event: Event) -> None:
        self.attempts += 1
        if self.started is None:
            self.started = float(event["time"])
        self.config = event.get("config", self.config)
        kept = int(event.get("resumed_from_epoch", 0))
        for name in ("batches", "epochs", "checkpoints"):
            events: list[Event] = getattr(self, name)
            still = [e for e in events if int(e.get("epoch", 0)) <= kept]
            self.superseded += len(events) - len(still)
            setattr(self, name, still)
        self.last_download = None

    @property
    def epochs_completed(self) -> int:
        return len(self.epochs)

    @property
    def latest_batch(self) -> Event | None:
        return self.batches[-1] if self.batches else None


def load_history(path: Path) -> RunHistory:
    history = RunHistory()
    read = read_event_lines(path)
    history.unreadable, history.torn = read.unreadable, read.torn
    for event in read.events:
        history.apply(event)
    return history


class EventTail:
    """Follows a log as it grows: each ``poll`` reads only what was added since the last one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.history = RunHistory()

    def poll(self) -> list[Event]:
        """New complete events (already applied to ``history``)."""
        read = read_event_lines(self.path, self.offset)
        self.offset = read.offset
        self.history.unreadable += read.unreadable
        self.history.torn = read.torn
        events = read.events
        for event in events:
            self.history.apply(event)
        return events

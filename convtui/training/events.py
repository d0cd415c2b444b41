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

``RunHistory`` is immutable: each read of the log makes a new one, so a history handed to
another thread (the Train panel draws what its tailing worker read) never changes under it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
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


#: The events a history keeps every one of (until a resumed job supersedes them), by type.
KEPT = {"batch": "batches", "epoch": "epochs", "checkpoint": "checkpoints"}


@dataclass(frozen=True)
class RunHistory:
    """A run as its log tells it, with superseded events dropped (see ``with_read``)."""

    config: dict[str, Any] | None = None  # the settings its last job started with
    batches: tuple[Event, ...] = ()
    epochs: tuple[Event, ...] = ()
    checkpoints: tuple[Event, ...] = ()
    last_lifecycle: Event | None = None
    last_download: Event | None = None
    data: Event | None = None
    superseded: int = 0
    unreadable: int = 0  # complete lines of the log that were not events (a damaged file)
    torn: bool = False  # the log ends in the middle of a line (see EventRead)
    attempts: int = 0
    started: float | None = None  # when the run's first job began (Unix seconds)

    def with_read(self, read: EventRead) -> RunHistory:
        """This history with one more read of its log: the events applied, the lines that
        were not events counted, and ``torn`` saying how the log ends now."""
        state = {f.name: getattr(self, f.name) for f in fields(RunHistory)}
        kept = {name: list(state[name]) for name in KEPT.values()}
        for event in read.events:
            kind = event["type"]
            if kind == "start":
                _start(state, kept, event)
            elif kind in KEPT:
                kept[KEPT[kind]].append(event)
            elif kind == "download":
                state["last_download"] = event
            elif kind == "data":
                state["data"] = event
            if kind in LIFECYCLE:
                state["last_lifecycle"] = event
        state.update({name: tuple(events) for name, events in kept.items()},
                     unreadable=state["unreadable"] + read.unreadable, torn=read.torn)
        return replace(self, **state)

    @property
    def epochs_completed(self) -> int:
        return len(self.epochs)

    @property
    def latest_batch(self) -> Event | None:
        return self.batches[-1] if self.batches else None

    @property
    def checkpoint_epoch(self) -> int | None:
        """Epochs held by the newest checkpoint the log mentions (None: none yet)."""
        return int(self.checkpoints[-1]["epoch"]) if self.checkpoints else None

    @property
    def test_accuracy(self) -> float | None:
        """The last epoch's (None before the first epoch ends)."""
        return float(self.epochs[-1]["test_accuracy"]) if self.epochs else None

    @property
    def images_per_second(self) -> float | None:
        """Training speed: the last epoch's, else the newest batch's (None before any)."""
        if self.epochs:
            return float(self.epochs[-1]["train_images_per_second"])
        batch = self.latest_batch
        return float(batch["images_per_second"]) if batch is not None else None

    @property
    def error(self) -> str | None:
        """What went wrong, when the last word of the log is an error."""
        last = self.last_lifecycle
        return last.get("message") if last is not None and last["type"] == "error" else None


def _start(state: dict[str, Any], kept: dict[str, list[Event]], event: Event) -> None:
    """A job began: count it, take its settings, and drop what an earlier job logged past
    the epoch this one continues from."""
    state["attempts"] += 1
    if state["started"] is None:
        state["started"] = float(event["time"])
    state["config"] = event.get("config", state["config"])
    resumed = int(event.get("resumed_from_epoch", 0))
    for name, events in kept.items():
        still = [e for e in events if int(e.get("epoch", 0)) <= resumed]
        state["superseded"] += len(events) - len(still)
        kept[name] = still
    state["last_download"] = None


def load_history(path: Path) -> RunHistory:
    return RunHistory().with_read(read_event_lines(path))


class EventTail:
    """Follows a log as it grows: each ``poll`` reads only what was added since the last one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.history = RunHistory()

    def poll(self) -> list[Event]:
        """New complete events (``history`` is replaced by one that holds them)."""
        read = read_event_lines(self.path, self.offset)
        self.offset = read.offset
        self.history = self.history.with_read(read)
        return read.events

"""The event log as the UI reads it, run statuses, and the control file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.events import (
    EVENTS_FILE,
    EventTail,
    EventWriter,
    load_history,
    read_event_lines,
    read_events,
)
from convtui.training.run import list_runs, read_run
from convtui.training.runs import create_run, read_config, read_control, request, write_pid


def test_half_written_last_line_waits_until_complete(tmp_path: Path) -> None:
    path = tmp_path / EVENTS_FILE
    path.write_text('{"type": "start", "time": 1}\n{"type": "batch", "ep')
    events, offset = read_events(path)
    assert [e["type"] for e in events] == ["start"]
    assert read_events(path, offset) == ([], offset)
    with path.open("a") as handle:
        handle.write('och": 1}\n')
    events, offset = read_events(path, offset)
    assert events == [{"type": "batch", "epoch": 1}]
    assert offset == path.stat().st_size


def test_lines_that_are_not_events_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / EVENTS_FILE
    path.write_text('garbage\n[1, 2]\n{"no": "type"}\n{"type": "done", "time": 2}\n')
    assert read_events(path)[0] == [{"type": "done", "time": 2}]


def test_tail_reads_only_what_is_new(tmp_path: Path) -> None:
    path = tmp_path / EVENTS_FILE
    writer = EventWriter(path)
    tail = EventTail(path)
    assert tail.poll() == []
    writer.emit("start", config={"model": "tiny"}, resumed_from_epoch=0)
    writer.emit("batch", epoch=1, batch=10)
    assert [e["type"] for e in tail.poll()] == ["start", "batch"]
    writer.emit("batch", epoch=1, batch=20)
    assert [e["batch"] for e in tail.poll()] == [20]
    assert [e["batch"] for e in tail.history.batches] == [10, 20]
    writer.close()


def test_writer_cuts_a_torn_line_left_by_a_killed_job(tmp_path: Path) -> None:
    path = tmp_path / EVENTS_FILE
    path.write_text('{"type": "start", "time": 1}\n{"type": "bat')
    writer = EventWriter(path)
    writer.emit("start", resumed_from_epoch=0)
    writer.close()
    assert [e["type"] for e in read_events(path)[0]] == ["start", "start"]
    assert len(path.read_text().splitlines()) == 2


def test_resumed_start_supersedes_the_unfinished_epoch(tmp_path: Path) -> None:
    path = tmp_path / EVENTS_FILE
    writer = EventWriter(path)
    writer.emit("start", resumed_from_epoch=0)
    for epoch in (1, 2):
        writer.emit("batch", epoch=epoch, batch=5)
        writer.emit("epoch", epoch=epoch, test_accuracy=0.9)
    writer.emit("checkpoint", epoch=1)  # killed before epoch 2's checkpoint was saved
    writer.emit("start", resumed_from_epoch=1)
    writer.emit("batch", epoch=2, batch=5)
    writer.emit("epoch", epoch=2, test_accuracy=0.95)
    writer.close()
    history = load_history(path)
    assert [e["epoch"] for e in history.epochs] == [1, 2]
    assert history.epochs[1]["test_accuracy"] == 0.95
    assert [e["epoch"] for e in history.batches] == [1, 2]
    assert history.superseded == 2
    assert history.attempts == 2


def run_with_events(root: Path, name: str, *events: dict) -> Path:
    run_dir = create_run(TrainConfig(model="tiny"), root / name)
    writer = EventWriter(run_dir / EVENTS_FILE)
    for event in events:
        writer.emit(**event)
    writer.close()
    return run_dir


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_statuses(tmp_path: Path) -> None:
    start = {"type_": "start", "resumed_from_epoch": 0, "config": {"model": "tiny"}}
    finished = run_with_events(tmp_path, "a", start, {"type_": "done"})
    failed = run_with_events(tmp_path, "b", start, {"type_": "error", "message": "bad data"})
    stopped = run_with_events(tmp_path, "c", start, {"type_": "stopped"})
    killed = run_with_events(tmp_path, "d", start)
    write_pid(killed, dead_pid())
    running = run_with_events(tmp_path, "e", start)
    write_pid(running, os.getpid())
    paused = run_with_events(tmp_path, "f", start, {"type_": "paused", "epoch": 1, "batch": 3})
    write_pid(paused, os.getpid())
    never_started = create_run(TrainConfig(), tmp_path / "g")
    # A stopped run whose new job has just started (pid file newer than "stopped").
    restarted = run_with_events(tmp_path, "h", start, {"type_": "stopped"})
    write_pid(restarted, os.getpid())

    status = {info.name: info.status for info in list_runs(tmp_path)}
    assert status == {
        "a": "finished", "b": "failed", "c": "stopped", "d": "interrupted", "e": "running",
        "f": "paused", "g": "interrupted", "h": "running",
    }
    assert read_run(failed).error == "bad data"
    assert read_run(running).pid == os.getpid()
    assert read_run(killed).pid is None
    assert [info.name for info in list_runs(tmp_path)] == list("hgfedcba")
    assert finished.exists() and stopped.exists() and never_started.exists()


def test_list_runs_defaults_to_the_user_runs_folder(user_dirs) -> None:
    assert list_runs() == []
    run_dir = create_run(TrainConfig(model="deep", seed=5))
    assert run_dir.parent == user_dirs["data"] / "runs"
    assert run_dir.name.endswith("-deep")
    assert [info.path for info in list_runs()] == [run_dir]


def test_create_run_fixes_a_seed_and_refuses_to_reuse_a_run(tmp_path: Path) -> None:
    run_dir = create_run(TrainConfig(), tmp_path / "run")
    seed = read_config(run_dir).seed
    assert isinstance(seed, int)
    assert json.loads((run_dir / "config.json").read_text())["seed"] == seed
    with pytest.raises(TrainingError, match="already holds a training run"):
        create_run(TrainConfig(), tmp_path / "run")


def test_not_a_run_dir(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="is not a convtui run directory"):
        read_config(tmp_path)


def test_bad_config_values_are_refused() -> None:
    with pytest.raises(TrainingError, match="Unknown model 'big'; choose one of lab, deep, tiny"):
        TrainConfig(model="big").validate()
    with pytest.raises(TrainingError, match="epochs must be a whole number of at least 1"):
        TrainConfig(epochs=0).validate()


def test_control_requests(tmp_path: Path) -> None:
    assert read_control(tmp_path) == "run"
    request(tmp_path, "pause")
    assert read_control(tmp_path) == "pause"
    request(tmp_path, "resume")
    assert read_control(tmp_path) == "run"
    request(tmp_path, "stop")
    assert read_control(tmp_path) == "stop"
    # A job started after the request does not obey it: it was meant for an earlier one.
    assert read_control(tmp_path, since=time.time()) == "run"
    with pytest.raises(ValueError, match="unknown request"):
        request(tmp_path, "faster")


def test_a_damaged_log_is_counted_not_silently_skipped(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    good = [json.dumps({"type": "batch", "epoch": 1, "step": n}) for n in (1, 2)]
    log.write_bytes("\n".join([good[0], "\x00\xff garbage", "[1, 2]", "", good[1]]).encode()
                    + b"\n" + b'{"type": "ep')
    read = read_event_lines(log)
    assert [e["step"] for e in read.events] == [1, 2]
    assert (read.unreadable, read.torn) == (2, True)  # the empty line is not damage
    history = load_history(log)
    assert (history.unreadable, history.torn) == (2, True)
    tail = EventTail(log)
    tail.poll()
    with log.open("ab") as handle:  # the writer finishes its line: nothing is torn any more
        handle.write(b'och", "epoch": 1}\n')
    tail.poll()
    assert (tail.history.unreadable, tail.history.torn) == (2, False)
    assert len(tail.history.epochs) == 1

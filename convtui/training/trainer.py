"""The training job: trains a run directory's model to its configured epochs, resuming if needed.

The same function runs in the background process (``python -m convtui.training.job``) and in the
foreground (``convtui train --headless``); the only difference is who listens to the events.
Between batches it looks at the control file (and, in the foreground, Ctrl-C / SIGTERM) to pause
or stop. After each epoch it writes the epoch event, then the checkpoint, so whatever moment the
process dies at, the checkpoint holds whole epochs and the log can be reconciled with it.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import torch
import torch.nn.functional as F
from torch import nn

from convtui.i18n import t, tn
from convtui.training.checkpoint import load_checkpoint, save_checkpoint
from convtui.training.config import TrainConfig, check_reporting
from convtui.training.dataset import MnistDataset, batch_loader, random_shift
from convtui.training.distributed import Group, join_group, leave_group, place
from convtui.training.errors import TrainingError
from convtui.training.events import EVENTS_FILE, EventWriter, Listener, load_history
from convtui.training.export import run_totals
from convtui.training.idx import load_split
from convtui.training.mnist_source import ensure_mnist
from convtui.training.models import build_model, first_conv
from convtui.training.runs import (
    CHECKPOINT_FILE,
    CONTROL_FILE,
    SUMMARY_FILE,
    clear_pid,
    read_config,
    read_control,
    read_pid,
    write_json,
    write_pid,
)

PAUSE_POLL_S = 0.2
EVAL_BATCH = 1000


class Controls:
    """Pause and stop requests: the run's control file (requests made since ``since``),
    re-read only when it changes, and a stop flag that signal handlers set."""

    def __init__(self, run_dir: Path, since: float) -> None:
        self.run_dir = run_dir
        self.since = since
        self.stop_requested = False
        self._stamp: tuple[int, int, int] | None = None
        self._state = "run"

    def state(self) -> str:
        if self.stop_requested:
            return "stop"
        try:
            info = os.stat(self.run_dir / CONTROL_FILE)
            stamp: tuple[int, int, int] | None = (info.st_mtime_ns, info.st_size, info.st_ino)
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            self._stamp = stamp
            self._state = read_control(self.run_dir, self.since)
        return self._state


@contextlib.contextmanager
def stop_on_signals(controls: Controls) -> Iterator[None]:
    """SIGTERM and a first Ctrl-C ask for a clean stop; a second Ctrl-C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ask_stop(signum: int, frame: object) -> None:
        if signum == signal.SIGINT and controls.stop_requested:
            raise KeyboardInterrupt
        controls.stop_requested = True

    previous = {sig: signal.signal(sig, ask_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Sink(Protocol):
    """Somewhere else a run is reported as it trains (TensorBoard, Visdom)."""

    def on_event(self, event: dict[str, Any]) -> None: ...
    def filters(self, weight: torch.Tensor, epoch: int) -> None: ...
    def finish(self, summary: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class _Stopped(Exception):
    def __init__(self, batches_done: int) -> None:
        super().__init__(batches_done)
        self.batches_done = batches_done


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA when PyTorch sees a GPU; asking for ``cuda`` without one is an error."""
    if name == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if name == "cuda":
        build = (t("training.run.cuda_build", cuda=torch.version.cuda) if torch.version.cuda
                 else t("training.run.cpu_build"))
        raise TrainingError(t("training.run.no_cuda", torch=torch.__version__, build=build))
    return torch.device("cpu")


def run_training(
    run_dir: Path, listener: Listener | None = None, handle_signals: bool = False
) -> dict[str, Any]:
    """Train ``run_dir``'s model from its checkpoint (or from scratch) to its configured epochs.

    Returns the summary (``status`` is ``finished`` or ``stopped``). Problems a person can fix
    raise ``TrainingError``; every failure is logged as an ``error`` event first.
    """
    config = read_config(run_dir)
    pid = os.getpid()
    where = place()
    # start_job records the pid (and the start time requests count from) before we get here:
    # ours, or that of PyTorch's launcher, our parent, which stops all ranks when signalled.
    recorded = read_pid(run_dir)
    owner = recorded[0] if recorded and recorded[0] in (pid, os.getppid()) else pid
    if not where.leader:  # the leader alone writes the run's files; the others read them
        started = recorded[1] if recorded else time.time()
    else:
        started = recorded[1] if recorded and owner == recorded[0] else write_pid(run_dir, pid)
    listeners: list[Listener] = [listener] if listener is not None else []
    events = (EventWriter(run_dir / EVENTS_FILE, lambda event: [f(event) for f in listeners])
              if where.leader else _Unwritten())
    controls = Controls(run_dir, since=started)
    group = Group(where) if where.world > 1 else None
    finished = False
    try:
        if where.world != config.processes:
            raise TrainingError(tn("training.distributed.world_mismatch", config.processes,
                                   run=str(run_dir), processes=config.processes,
                                   world=where.world))
        if group is not None:
            join_group()
        with stop_on_signals(controls) if handle_signals else contextlib.nullcontext():
            outcome = _Job(run_dir, config, events, controls, listeners, group).run()
        finished = True
        return outcome
    except TrainingError as exc:
        events.emit("error", message=exc.message)
        raise
    except OSError as exc:  # e.g. the disk filled up while saving a checkpoint
        message = t("training.run.os_error", path=str(exc.filename or run_dir),
                    reason=str(exc.strerror or exc))
        events.emit("error", message=message)
        raise TrainingError(message) from None
    except Exception as exc:
        events.emit("error", message=t("training.run.crashed", kind=type(exc).__name__,
                                       reason=str(exc)))
        raise
    finally:
        events.close()
        if where.leader:
            clear_pid(run_dir, owner)
        if group is not None:
            leave_group(finished)


class _Unwritten:
    """The event log of a rank other than 0: events are made, but only rank 0 writes them."""

    def emit(self, type_: str, **fields: Any) -> dict[str, Any]:
        return {"type": type_, "time": time.time(), **fields}

    def close(self) -> None:
        pass


class _Job:
    """One job process's work on a run: set up, train the remaining epochs, summarise."""

    def __init__(
        self, run_dir: Path, config: TrainConfig, events: EventWriter | _Unwritten,
        controls: Controls, listeners: list[Listener], group: Group | None,
    ) -> None:
        self.run_dir, self.config, self.events, self.controls = run_dir, config, events, controls
        self.group = group  # None in a lone process
        self.leader = group is None or group.where.leader
        self.listeners = listeners  # what hears each event; the reporting sinks join them
        self.sinks: list[Sink] = []
        self.paused_seconds = 0.0  # in the current epoch

    def run(self) -> dict[str, Any]:
        try:
            return self._run()
        finally:
            for sink in self.sinks:
                sink.close()

    def _open_sinks(self, batches: int, done: int) -> None:
        """TensorBoard and Visdom, as the config asks, from here on fed every event."""
        config = self.config
        if not self.leader:
            return
        if config.tensorboard:
            from convtui.training.tensorboard_log import TensorBoardLog, tensorboard_dir

            # Steps past the checkpoint are what a killed job wrote: TensorBoard drops them.
            self.sinks.append(TensorBoardLog(tensorboard_dir(self.run_dir, config.tensorboard),
                                             batches, purge_step=done * batches + 1))
        if config.visdom:
            from convtui.training.visdom_log import VisdomLog

            self.sinks.append(VisdomLog(
                config.visdom, self.run_dir.name, batches,
                warn=lambda message: self.events.emit("warning", message=message),
                history=load_history(self.run_dir / EVENTS_FILE)))
        self.listeners.extend(sink.on_event for sink in self.sinks)

    def _run(self) -> dict[str, Any]:
        config, events = self.config, self.events
        check_reporting(config)
        device = resolve_device(config.device)
        group = self.group
        if group is not None:
            device = group.device(device)
        if config.threads:
            torch.set_num_threads(config.threads)
        checkpoint = load_checkpoint(self.run_dir / CHECKPOINT_FILE, device)
        done = int(checkpoint["epochs_completed"]) if checkpoint else 0
        history: list[dict[str, Any]] = list(checkpoint["history"]) if checkpoint else []
        events.emit(
            "start", config=config.to_dict(), resumed_from_epoch=done, pid=os.getpid(),
            device=str(device), threads=torch.get_num_threads(), torch=torch.__version__,
        )
        folder = ensure_mnist(
            config.data_dir,
            progress=lambda name, got, total: events.emit(
                "download", file=name, bytes=got, total=total
            ),
        )
        train_set = MnistDataset(load_split(folder, "train"), config.limit_train).to(device)
        test_set = MnistDataset(load_split(folder, "test"), config.limit_test).to(device)
        batches = (group.batches(len(train_set), config.batch_size) if group is not None
                   else math.ceil(len(train_set) / config.batch_size))
        train_images = (group.images_per_epoch(len(train_set)) if group is not None
                        else len(train_set))
        events.emit("data", folder=str(folder), train_size=len(train_set),
                    test_size=len(test_set), batches=batches)
        self._open_sinks(batches, done)

        torch.manual_seed(config.seed)
        model = build_model(config.model).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
        schedule = lr_factor(config, batches)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
        shuffle = torch.Generator().manual_seed(config.seed)
        if checkpoint:
            _restore(checkpoint, model, optimizer, shuffle, device, self.run_dir)
            _restore_schedule(checkpoint, scheduler, schedule, self.run_dir)
        trained = group.wrap(model) if group is not None else model

        for epoch in range(done + 1, config.epochs + 1):
            started = time.perf_counter()
            if group is not None:
                group.seed_epoch(config.seed, epoch, shuffle)
            try:
                loss, accuracy, train_seconds, rates = self._train_epoch(
                    trained, optimizer, scheduler, train_set, shuffle, epoch, batches
                )
            except _Stopped as stop:
                events.emit("stopped", epochs_completed=epoch - 1,
                            discarded_batches=stop.batches_done)
                return self._finish(history, device, "stopped")
            test_loss, test_accuracy = self._evaluate(model, test_set)
            metrics = {
                "epoch": epoch, "epochs": config.epochs,
                "train_loss": loss, "train_accuracy": accuracy,
                "test_loss": test_loss, "test_accuracy": test_accuracy,
                "train_images": train_images, "train_seconds": train_seconds,
                "train_images_per_second": train_images / train_seconds,
                "wall_seconds": time.perf_counter() - started - self.paused_seconds,
                "lr_start": rates[0], "lr_end": rates[1],
            }
            events.emit("epoch", **metrics)
            history.append(metrics)
            if not self.leader:
                continue
            save_checkpoint(self.run_dir / CHECKPOINT_FILE, {
                "model": config.model, "epochs_completed": epoch, "history": history,
                "model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
                "scheduler_state": scheduler.state_dict(), "rng": _rng_state(shuffle, device),
            })
            events.emit("checkpoint", epoch=epoch, file=CHECKPOINT_FILE)
            for sink in self.sinks:
                sink.filters(first_conv(model).weight, epoch)
        return self._finish(history, device, "finished")

    def _train_epoch(
        self, model: nn.Module, optimizer: torch.optim.Optimizer,
        scheduler: torch.optim.lr_scheduler.LRScheduler, data: MnistDataset,
        shuffle: torch.Generator, epoch: int, batches: int,
    ) -> tuple[float, float, float, tuple[float, float]]:
        """One pass over the training set: (mean loss, accuracy, seconds spent training,
        (learning rate of the first batch, of the last))."""
        config = self.config
        model.train()
        self.paused_seconds = 0.0
        loss_sum = torch.zeros((), device=data.labels.device)
        correct = torch.zeros((), dtype=torch.long, device=data.labels.device)
        seen = 0
        first_lr = lr = optimizer.param_groups[0]["lr"]
        started = time.perf_counter()
        group = self.group
        loader = (group.loader(data, config.batch_size, config.seed, epoch) if group is not None
                  else batch_loader(data, config.batch_size, shuffle))
        for batch, (images, labels) in enumerate(loader, 1):
            self._obey_controls(epoch, batch - 1)
            if config.augment_shift:
                images = random_shift(images, config.augment_shift, shuffle)
            lr = optimizer.param_groups[0]["lr"]
            optimizer.zero_grad()
            logits = model(images)
            loss = F.cross_entropy(logits, labels)
            loss.backward()
            optimizer.step()
            scheduler.step()
            seen += len(labels)
            loss_sum += loss.detach() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum()
            if batch % config.log_every == 0 or batch == batches:
                elapsed = time.perf_counter() - started - self.paused_seconds
                total_loss, total_correct, total_seen = self._totals(loss_sum, correct, seen)
                self.events.emit(
                    "batch", epoch=epoch, epochs=config.epochs, batch=batch, batches=batches,
                    step=(epoch - 1) * batches + batch, loss=total_loss / total_seen,
                    accuracy=total_correct / total_seen,
                    images_per_second=total_seen / elapsed, lr=lr,
                )
        seconds = time.perf_counter() - started - self.paused_seconds
        total_loss, total_correct, total_seen = self._totals(loss_sum, correct, seen)
        return total_loss / total_seen, total_correct / total_seen, seconds, (first_lr, lr)

    def _totals(self, loss_sum: torch.Tensor, correct: torch.Tensor, seen: int
                ) -> tuple[float, float, float]:
        """(summed loss, right answers, images) of this epoch so far, over all ranks."""
        if self.group is None:
            return loss_sum.item(), correct.item(), seen
        loss, right, images = self.group.sum(loss_sum, correct, seen)
        return loss, right, images

    def _evaluate(self, model: nn.Module, data: MnistDataset) -> tuple[float, float]:
        """``evaluate`` on the whole test set; in a group each rank tests its share."""
        if self.group is None:
            return evaluate(model, data)
        share = self.group.test_share(data)
        loss, accuracy = evaluate(model, share)
        loss_sum, right = self.group.sum(loss * len(share), accuracy * len(share))
        return loss_sum / len(data), right / len(data)

    def _obey_controls(self, epoch: int, batches_done: int) -> None:
        """Wait out a pause (its time is not counted as training); raise _Stopped on stop."""
        state = self._control_state()
        if state == "pause":
            self.events.emit("paused", epoch=epoch, batch=batches_done)
            paused_at = time.perf_counter()
            while (state := self._control_state()) == "pause":
                time.sleep(PAUSE_POLL_S)
            self.paused_seconds += time.perf_counter() - paused_at
            if state != "stop":
                self.events.emit("resumed", epoch=epoch, batch=batches_done)
        if state == "stop":
            raise _Stopped(batches_done)

    def _control_state(self) -> str:
        """The control state, one for all ranks in a group (a stop seen by one stops all)."""
        state = self.controls.state()
        return self.group.agree(state) if self.group is not None else state

    def _finish(
        self, history: list[dict[str, Any]], device: torch.device, status: str
    ) -> dict[str, Any]:
        summary = make_summary(self.config, history, status, str(device))
        if not self.leader:
            return summary
        write_json(self.run_dir / SUMMARY_FILE, summary)
        for sink in self.sinks:
            sink.finish(summary)
        if status == "finished":
            self.events.emit("done", epochs_completed=len(history),
                             test_accuracy=summary["test_accuracy"])
        return summary


def make_summary(
    config: TrainConfig, history: list[dict[str, Any]], status: str, device: str
) -> dict[str, Any]:
    """The result of a run: the last epoch's metrics and totals over all epochs trained."""
    return {
        "status": status,
        "model": config.model,
        "device": device,
        "epochs_completed": len(history),
        **run_totals(history),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": config.to_dict(),
        "history": history,
    }


@torch.inference_mode()
def evaluate(model: nn.Module, data: MnistDataset) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) over ``data`` in eval mode (dropout off)."""
    was_training = model.training
    model.eval()
    loss_sum = torch.zeros((), device=data.labels.device)
    correct = torch.zeros((), dtype=torch.long, device=data.labels.device)
    for images, labels in batch_loader(data, EVAL_BATCH):
        logits = model(images)
        loss_sum += F.cross_entropy(logits, labels, reduction="sum")
        correct += (logits.argmax(dim=1) == labels).sum()
    model.train(was_training)
    return loss_sum.item() / len(data), correct.item() / len(data)


def lr_factor(config: TrainConfig, batches: int) -> Callable[[int], float]:
    """The multiplier of ``config.lr`` for the batch after ``step`` optimiser steps.

    ``anneal`` keeps the set rate up to the run's last epoch, then lowers it along a half
    cosine, batch by batch, to nearly 0 at the last batch: the big steps find a good region,
    the small ones settle in it instead of jumping around it (worth about 0.3 points of test
    accuracy for the lab model in 3 epochs). The last epoch is the one the config names now,
    so a finished run trained further anneals again in its new last epoch.
    """
    if config.lr_schedule == "constant":
        return lambda step: 1.0
    anneal_from = (config.epochs - 1) * batches

    def factor(step: int) -> float:
        if step < anneal_from:
            return 1.0
        return 0.5 * (1.0 + math.cos(math.pi * (step - anneal_from) / batches))

    return factor


def _rng_state(shuffle: torch.Generator, device: torch.device) -> dict[str, Any]:
    state = {"torch": torch.get_rng_state(), "shuffle": shuffle.get_state()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _restore(
    checkpoint: dict[str, Any], model: nn.Module, optimizer: torch.optim.Optimizer,
    shuffle: torch.Generator, device: torch.device, run_dir: Path,
) -> None:
    """Put the model, optimiser and random streams back as they were after the saved epoch."""
    try:
        model.load_state_dict(checkpoint["model_state"])
        optimizer.load_state_dict(checkpoint["optimizer_state"])
    except (KeyError, RuntimeError, ValueError) as exc:
        raise TrainingError(t("training.run.checkpoint_mismatch", run=str(run_dir),
                              model=repr(checkpoint.get("model")), reason=str(exc),
                              file=CHECKPOINT_FILE)) from None
    rng = checkpoint["rng"]
    torch.set_rng_state(rng["torch"].cpu())
    shuffle.set_state(rng["shuffle"].cpu())
    if device.type == "cuda" and "cuda" in rng:
        torch.cuda.set_rng_state_all([s.cpu() for s in rng["cuda"]])


def _restore_schedule(
    checkpoint: dict[str, Any], scheduler: torch.optim.lr_scheduler.LambdaLR,
    factor: Callable[[int], float], run_dir: Path,
) -> None:
    """Continue the schedule from the saved step count. The rate for the next batch is worked
    out again rather than taken from the saved optimiser: a resumed run may have more epochs
    now, which moves its annealed last epoch."""
    try:
        scheduler.load_state_dict(checkpoint["scheduler_state"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TrainingError(t("training.run.checkpoint_mismatch", run=str(run_dir),
                              model=repr(checkpoint.get("model")), reason=str(exc),
                              file=CHECKPOINT_FILE)) from None
    for group, base_lr in zip(scheduler.optimizer.param_groups, scheduler.base_lrs, strict=True):
        group["lr"] = base_lr * factor(scheduler.last_epoch)

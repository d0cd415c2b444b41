"""Training in several processes: PyTorch's launcher (torchrun), DistributedDataParallel.

``convtui train --headless`` started by ``torchrun`` finds its place in the environment the
launcher sets (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``). Rank 0 prepares the run folder and
alone writes the event log, checkpoints, summary and TensorBoard files; every rank trains on
its share of each global batch (a ``DistributedSampler`` gives each ``batch_size / processes``
images of every step's batch) and DDP averages the gradients, so a step sees the whole batch.
``--nproc N`` prepares the run here, then starts the launcher for N processes on this machine.
Gloo carries the collectives on the CPU, NCCL on CUDA GPUs.
"""

from __future__ import annotations

import copy
import math
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from convtui import i18n
from convtui.i18n import t
from convtui.training.errors import TrainingError

if TYPE_CHECKING:  # torch is loaded by the processes that train, not by the app starting them
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, Dataset

    from convtui.training.dataset import MnistDataset


@dataclass(frozen=True)
class Place:
    """This process's rank among ``world`` processes, and its rank on this machine."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def leader(self) -> bool:
        """Rank 0: the one process that writes the run's files."""
        return self.rank == 0


def place() -> Place:
    """Where the launcher put this process (a lone process when no launcher started it)."""
    env = os.environ
    if "RANK" not in env or "WORLD_SIZE" not in env:
        return Place()
    return Place(int(env["RANK"]), int(env["WORLD_SIZE"]), int(env.get("LOCAL_RANK", 0)))


def under_launcher() -> bool:
    return place().world > 1


def join_group() -> None:
    """Join the launcher's process group, once: gloo for CPU tensors, and NCCL for GPU ones
    where PyTorch sees GPUs (each process on the GPU of its local rank)."""
    import torch
    import torch.distributed as dist

    if dist.is_initialized():
        return
    if torch.cuda.is_available():
        torch.cuda.set_device(place().local_rank % torch.cuda.device_count())
        dist.init_process_group(backend="cpu:gloo,cuda:nccl")
    else:
        dist.init_process_group(backend="gloo")


def leave_group(finished: bool) -> None:
    """Leave the group while this interpreter is fully alive. A run that ``finished`` waits at
    a barrier first, so that no rank tears its sockets down under another's last collective;
    then the model's DDP reducer (which holds the group) is collected here: a gloo group freed
    during interpreter shutdown aborts the process ("terminate called without an active
    exception"), and the launcher counts that rank as failed."""
    import gc

    import torch.distributed as dist

    if dist.is_initialized():
        if finished:
            dist.barrier()
        dist.destroy_process_group()
    gc.collect()


def share_from_leader(value: object) -> object:
    """Rank 0's ``value``, on every rank (a run folder's path, or the error preparing it)."""
    import torch
    import torch.distributed as dist

    box = [value]
    dist.broadcast_object_list(box, src=0, device=torch.device("cpu"))
    return box[0]


def launcher_command(processes: int, module: list[str]) -> list[str]:
    """PyTorch's launcher starting ``python -m MODULE...`` in ``processes`` processes here."""
    return [sys.executable, "-m", "torch.distributed.run", "--standalone",
            f"--nproc-per-node={processes}", "-m", *module]


def launcher_env(processes: int, threads: int | None) -> dict[str, str]:
    """The environment for the launched processes: their PyTorch threads (the launcher would
    set 1 itself, with a banner saying so) and convtui's language."""
    cores = threads or max(1, (os.cpu_count() or 1) // processes)
    return {"OMP_NUM_THREADS": str(cores), **os.environ, "CONVTUI_LANG": i18n.current()}


def launch(run_dir: Path, processes: int, threads: int | None) -> int:
    """Train ``run_dir`` (prepared here) in ``processes`` processes on this machine with
    PyTorch's launcher; the exit status follows the run's end (0, 130 stopped, 1 failed)."""
    from convtui.training.run import read_run

    command = launcher_command(processes, ["convtui", "train", "--headless",
                                           "--resume", str(run_dir)])
    # Ctrl-C reaches the launcher, which stops the processes cleanly (SIGTERM): this one
    # only waits for them.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # The launcher reports a clean stop as a failure, with a traceback: its stderr is
        # shown only when the run did fail (rank 0's message is in it).
        done = subprocess.run(command, env=launcher_env(processes, threads),
                              stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    status = read_run(run_dir).status
    if status not in ("finished", "stopped"):
        sys.stderr.write(done.stderr)
    return {"finished": 0, "stopped": 130}.get(status, done.returncode or 1)


def launcher_processes(asked: int | None) -> int:
    """The process count of a run started by the launcher: the launcher's, which ``--nproc``
    (if given) must agree with."""
    world = place().world
    if asked is not None and asked != world:
        raise TrainingError(t("training.distributed.nproc_mismatch", asked=asked, world=world))
    return world


def prepare_under_launcher(prepare: Callable[[], Path | None]) -> Path | None:
    """Rank 0 prepares the run folder; every rank gets its path (None: nothing to train), or
    the error rank 0 met, raised on every rank so that all of them stop with its message."""
    join_group()
    result: object = None
    if place().leader:
        try:
            result = prepare()
        except TrainingError as exc:
            result = exc
    shared = share_from_leader(result)
    if isinstance(shared, TrainingError):
        raise shared
    return shared  # type: ignore[return-value]


class Group:
    """What training does differently in a group of processes: each rank's share of the
    data, sums over all ranks, one decision on pausing or stopping, a DDP model."""

    def __init__(self, where: Place) -> None:
        self.where = where

    def device(self, device: torch.device) -> torch.device:
        """The GPU of this process's local rank, or the CPU. NCCL needs a GPU per process."""
        import torch

        if device.type != "cuda":
            return device
        here = int(os.environ.get("LOCAL_WORLD_SIZE", self.where.world))
        if here > torch.cuda.device_count():
            raise TrainingError(t("training.distributed_gpu.gpus", processes=here,
                                  gpus=torch.cuda.device_count()))
        return torch.device("cuda", torch.cuda.current_device())

    def wrap(self, model: nn.Module) -> nn.Module:
        from torch.nn.parallel import DistributedDataParallel

        return DistributedDataParallel(model)

    def images_per_epoch(self, images: int) -> int:
        """Images trained per epoch: the sampler pads the set to a multiple of the ranks."""
        return math.ceil(images / self.where.world) * self.where.world

    def batches(self, images: int, batch_size: int) -> int:
        """Steps per epoch, each of ``batch_size`` images shared among the ranks."""
        return math.ceil(self.images_per_epoch(images) / batch_size)

    def loader(self, data: Dataset, batch_size: int, seed: int, epoch: int) -> DataLoader:
        """This rank's batches of ``batch_size / world`` images, in the epoch's shuffled order
        (the same permutation on every rank: together the ranks take each global batch)."""
        from torch.utils.data import BatchSampler, DataLoader
        from torch.utils.data.distributed import DistributedSampler

        order = DistributedSampler(data, num_replicas=self.where.world, rank=self.where.rank,
                                   shuffle=True, seed=seed)
        order.set_epoch(epoch)
        sampler = BatchSampler(order, batch_size // self.where.world, drop_last=False)
        return DataLoader(data, sampler=sampler, batch_size=None)

    def seed_epoch(self, seed: int, epoch: int, shuffle: torch.Generator) -> None:
        """Random streams (augmentation, dropout) drawn anew for each epoch and rank, so a
        resumed run repeats exactly what it would have done without saving every rank's."""
        import torch

        stream = (seed * 1_000_003 + epoch) * 1_009 + self.where.rank
        shuffle.manual_seed(stream)
        torch.manual_seed(stream)

    def test_share(self, data: MnistDataset) -> MnistDataset:
        """Every ``world``-th test image from this rank's on: the ranks test the set once."""
        share = copy.copy(data)
        share.images = data.images[self.where.rank::self.where.world]
        share.labels = data.labels[self.where.rank::self.where.world]
        return share

    def sum(self, *values: torch.Tensor | float) -> list[float]:
        """Each value summed over all ranks (on the CPU, through gloo: a few numbers)."""
        import torch
        import torch.distributed as dist

        total = torch.tensor([float(v) for v in values], dtype=torch.float64)
        dist.all_reduce(total)
        return total.tolist()

    def agree(self, state: str) -> str:
        """One control state for all ranks: stop if any saw stop, else pause if any paused."""
        import torch
        import torch.distributed as dist

        codes = ("run", "pause", "stop")
        worst = torch.tensor([codes.index(state)])
        dist.all_reduce(worst, op=dist.ReduceOp.MAX)
        return codes[int(worst.item())]

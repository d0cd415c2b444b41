"""Training throughput of convtui's job vs a plain PyTorch loop (accuracy: benchmarks/accuracy.py).

Throughput (target: job / plain >= 0.95): the job is started from the Train panel's form in
this process's headless app (its own process, writing events, polling its control file) and
the panel follows it (tailing its event log, drawing the progress bars and charts), as for a
user watching it; the plain loop trains the same model with the same data tensors, batch size,
optimiser and thread count in a fresh process of its own, with nothing else. Runs alternate
(plain, job, plain, job, ...) so machine load hits both alike: the headline is the median of
each round's job/plain ratio; the bests (least disturbed by other work on the machine) are
compared too.

    python benchmarks/train_throughput.py [--model lab] [--limit-train 10000] [--repeats 7]

MNIST is found as convtui finds it (--data-dir, $CONVTUI_MNIST_DIR, the cache). Runs are written
to a temporary folder, not the user's runs list.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from convtui.training.config import TrainConfig

TARGET_RATIO = 0.95


def plain_loop(model_name: str, data_dir: str | None, limit: int, threads: int | None,
               batch_size: int, lr: float) -> float:
    """Images per second of the textbook loop: shuffle, slice, forward, backward, step."""
    import torch
    import torch.nn.functional as F

    from convtui.training.dataset import MnistDataset
    from convtui.training.idx import load_split
    from convtui.training.mnist_source import ensure_mnist
    from convtui.training.models import build_model

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    data = MnistDataset(load_split(ensure_mnist(data_dir), "train"), limit)
    images, labels = data.images, data.labels
    model = build_model(model_name)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    started = time.perf_counter()
    order = torch.randperm(len(labels))
    for start in range(0, len(labels), batch_size):
        index = order[start : start + batch_size]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images[index]), labels[index])
        loss.backward()
        optimizer.step()
    return len(labels) / (time.perf_counter() - started)


def job_run(config: TrainConfig, runs: Path) -> tuple[float, float]:
    """(images per second the job reports when started from the Train panel's form, with the
    panel following it; the share of one core the panel used while the job ran)."""
    from convtui.training.runs import read_json

    run_dir = runs / f"run-{time.monotonic_ns()}"
    code, panel_share = asyncio.run(train_in_panel(config, run_dir))
    if code != 0:
        raise SystemExit(f"job failed:\n{(run_dir / 'job.log').read_text()}")
    return float(read_json(run_dir / "summary.json")["train_images_per_second"]), panel_share


def cpu_seconds() -> float:
    """CPU time this process (the app, all its threads) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def train_in_panel(config: TrainConfig, run_dir: Path) -> tuple[int, float]:
    """Run the app headless on the Train panel, start ``config`` from its form as a user would
    (s), and let the panel follow the job until it exits: (its exit code, the share of one core
    the app used meanwhile)."""
    from convtui.ui.app import ConvtuiApp
    from convtui.ui.train.form import RunForm

    app = ConvtuiApp("train", argparse.Namespace())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        screen.query_one(RunForm).fill(config, str(run_dir))
        await pilot.pause()
        await pilot.press("s")  # the summary of what will run, then s again starts it
        while app.screen is screen:
            await asyncio.sleep(0.1)
        await pilot.press("s")
        while not screen.jobs:
            await asyncio.sleep(0.1)
        process = next(iter(screen.jobs.values())).process
        started, used = time.perf_counter(), cpu_seconds()
        # The app runs on meanwhile, as it would for a user; waiting in a thread adds no
        # wake-ups of our own to the app's.
        await asyncio.to_thread(process.wait)
        share = (cpu_seconds() - used) / (time.perf_counter() - started)
    return process.returncode, share


def throughput(args: argparse.Namespace) -> int:
    config = TrainConfig(model=args.model, epochs=1, seed=0, data_dir=args.data_dir,
                         limit_train=args.limit_train, limit_test=1000, threads=args.threads)
    worker = [sys.executable, __file__, "--plain-worker", "--model", args.model,
              "--limit-train", str(args.limit_train)]
    if args.data_dir:
        worker += ["--data-dir", args.data_dir]
    if args.threads:
        worker += ["--threads", str(args.threads)]
    plain, job, panel = [], [], []
    with tempfile.TemporaryDirectory() as runs:
        for i in range(args.repeats):
            out = subprocess.run(worker, capture_output=True, text=True, check=True).stdout
            plain.append(float(out.strip().splitlines()[-1]))
            speed, share = job_run(config, Path(runs))
            job.append(speed)
            panel.append(share)
            print(f"round {i + 1}: plain {plain[-1]:,.0f} img/s, job {job[-1]:,.0f} img/s, "
                  f"ratio {job[-1] / plain[-1]:.3f}; the panel used {share:.1%} of a core")
    print(f"model {args.model}, {args.limit_train} images/epoch, threads "
          f"{args.threads or 'default'}, {args.repeats} rounds; while the job ran the panel "
          f"used {statistics.median(panel):.1%} of one core (median)")
    # Each round's two runs are neighbours in time, so their ratio cancels most of the drift
    # in the machine's load; the median of those ratios is the headline.
    results = (("median of the rounds' ratios", statistics.median(
                    [j / p for j, p in zip(job, plain, strict=True)])),
               (f"best job {max(job):,.0f} / best plain {max(plain):,.0f} img/s",
                max(job) / max(plain)))
    for name, ratio in results:
        print(f"{name}: job/plain = {ratio:.3f} (target >= {TARGET_RATIO}) "
              f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="lab")
    parser.add_argument("--limit-train", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--data-dir")
    parser.add_argument("--plain-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_worker:
        defaults = TrainConfig()
        print(plain_loop(args.model, args.data_dir, args.limit_train, args.threads,
                         defaults.batch_size, defaults.lr))
        return 0
    return throughput(args)


if __name__ == "__main__":
    sys.exit(main())

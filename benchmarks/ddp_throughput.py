"""Training throughput in 2 processes (DistributedDataParallel, gloo) against one process.

Runs `convtui train --headless --nproc 2 --threads 1` and `convtui train --headless --threads 2`
(the same cores, used two ways) on the same settings, alternating, and prints each round's
training images per second (from the runs' summaries) and the median ratio. Each DDP step
averages the gradients of the two processes over gloo, so on a small model the ratio says how
much that exchange costs against what PyTorch's own threads share for free.

    python benchmarks/ddp_throughput.py [--model lab] [--images 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from convtui.training.runs import read_json


def train(folder: Path, name: str, images: int, model: str, extra: list[str]) -> float:
    run_dir = folder / name
    subprocess.run(
        [sys.executable, "-m", "convtui", "train", "--headless", "--model", model,
         "--epochs", "1", "--limit-train", str(images), "--limit-test", "1000", "--seed", "0",
         "--device", "cpu", "--run-dir", str(run_dir), *extra],
        check=True, stdout=subprocess.DEVNULL,
    )
    return float(read_json(run_dir / "summary.json")["train_images_per_second"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="lab")
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ratios = []
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(1, args.repeats + 1):
            ddp = train(Path(folder), f"ddp-{round_}", args.images, args.model,
                        ["--nproc", "2", "--threads", "1"])
            one = train(Path(folder), f"one-{round_}", args.images, args.model,
                        ["--threads", "2"])
            ratios.append(ddp / one)
            print(f"round {round_}: 2 processes x 1 thread {ddp:,.0f} img/s, "
                  f"1 process x 2 threads {one:,.0f} img/s, ratio {ddp / one:.2f}")
    print(f"median ratio (2 processes / 1 process): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()

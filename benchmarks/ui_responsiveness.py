"""How long the app takes to handle a burst of key presses while a training job runs, against
no job at all, in one run. Target: ratio at most 1.5.

Both kinds of round drive the same app the same way: it is opened on the Train panel following
a run (a live job's in a busy round, a finished run's in an idle one), then the burst steps the
Stepper and switches panels, while in a busy round the panel keeps tailing the job's log and
drawing its charts. The job is the real one (`python -m convtui.training.job`, its own
process); by default it gets all CPU cores but one, leaving one for the UI as on a laptop.
Rounds alternate (idle, busy, idle, ...) so other load on the machine hits both alike.

    python benchmarks/ui_responsiveness.py [--rounds 3] [--keys 150] [--model lab]
        [--threads N] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
WAIT_S = 120.0


def burst(keys: int) -> list[str]:
    """Steps in the Stepper with a trip to the Pooling panel and back every 25 keys."""
    presses = []
    for i in range(keys):
        presses.append("3" if i % 25 == 12 else "1" if i % 25 == 13 else "right")
    return presses


async def timed_burst(run_dir: Path, keys: int) -> float:
    """Open the app on the Train panel following ``run_dir``, go to the Stepper, and time the
    burst (each key is handled, and the screen settled, before the next is sent)."""
    from convtui.ui.app import ConvtuiApp
    from convtui.ui.train.screen import TrainScreen

    app = ConvtuiApp("train", argparse.Namespace(resume=str(run_dir)))
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + WAIT_S
        while not (isinstance(app.screen, TrainScreen) and app.screen.run is not None):
            if time.monotonic() > deadline:
                raise SystemExit("the Train panel did not open the run")
            await pilot.pause(0.1)
        await pilot.press("1", "3", "1")  # every panel of the burst built before timing
        await pilot.pause(0.5)
        started = time.perf_counter()
        await pilot.press(*burst(keys))
        await pilot.pause()
        return time.perf_counter() - started


def busy_run(root: Path, config) -> tuple[Path, int]:
    """A job training ``config`` (long enough to outlast a burst), once its batches flow."""
    from convtui.training.events import EVENTS_FILE, load_history
    from convtui.training.job import start_job
    from convtui.training.runs import create_run

    run_dir = create_run(config, root / f"busy-{time.monotonic_ns()}")
    job = start_job(run_dir)
    deadline = time.monotonic() + WAIT_S
    while not load_history(run_dir / EVENTS_FILE).batches:
        if job.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the job did not train:\n{(run_dir / 'job.log').read_text()}")
        time.sleep(0.2)
    return run_dir, job.pid


def stop(pid: int) -> None:
    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    os.waitpid(pid, 0)


def idle_run(root: Path, config) -> Path:
    """A finished run to follow (its job long gone): the panel shows it and waits."""
    from convtui.training.runs import create_run
    from convtui.training.trainer import run_training

    run_dir = create_run(config, root / "idle")
    run_training(run_dir)
    return run_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keys", type=int, default=150)
    parser.add_argument("--model", default="lab")
    parser.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="the job's CPU threads (default: all cores but one)")
    parser.add_argument("--data-dir")
    args = parser.parse_args()

    from convtui.training.config import TrainConfig

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["CONVTUI_DATA_DIR"] = str(root / "data")
        busy_config = TrainConfig(model=args.model, epochs=50, seed=0, data_dir=args.data_dir,
                                  log_every=1, threads=args.threads, limit_test=1000)
        idle = idle_run(root, TrainConfig(model="tiny", epochs=1, seed=0,
                                          data_dir=args.data_dir, limit_train=500,
                                          limit_test=100, threads=1))
        asyncio.run(timed_burst(idle, args.keys))  # warm up: imports, panel modules
        idle_s, busy_s = [], []
        for i in range(args.rounds):
            idle_s.append(asyncio.run(timed_burst(idle, args.keys)))
            run_dir, pid = busy_run(root, busy_config)
            try:
                busy_s.append(asyncio.run(timed_burst(run_dir, args.keys)))
            finally:
                stop(pid)
            print(f"round {i + 1}: {args.keys} keys in {idle_s[-1]:.2f} s with no job, "
                  f"{busy_s[-1]:.2f} s while {args.model} trains ({args.threads} threads)")
    for name, pick in (("median", statistics.median), ("best", min)):
        ratio = pick(busy_s) / pick(idle_s)
        print(f"{name}: {pick(idle_s):.2f} s idle, {pick(busy_s):.2f} s busy, ratio busy/idle "
              f"= {ratio:.2f} (target <= {TARGET}) {'OK' if ratio <= TARGET else 'ABOVE TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

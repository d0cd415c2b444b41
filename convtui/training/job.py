"""The background training process: ``python -m convtui.training.job RUN_DIR``.

The Train panel starts it with ``start_job`` and then only reads the run directory, so the app
can quit (or crash) while training carries on, and several runs can go at once. The job speaks
the language the app spoke when it started the job (passed on as ``CONVTUI_LANG``): its error
messages land in the event log, where the panel shows them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from convtui import i18n
from convtui.i18n import t, tn
from convtui.training.errors import TrainingError
from convtui.training.runs import LOG_FILE, live_job, read_config, write_pid


@dataclass
class Job:
    """A started job: its run directory and process. Call ``process.poll()`` now and then (or
    ``wait()``) so the finished process is reaped."""

    run_dir: Path
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid


def start_job(run_dir: Path) -> Job:
    """Start a detached process that trains ``run_dir`` (made by ``create_run``) to the end,
    continuing from its checkpoint if it has one. Output goes to ``job.log`` in the run dir."""
    config = read_config(run_dir)
    busy = live_job(run_dir)
    if busy is not None:
        raise TrainingError(t("training.job.busy", run=str(run_dir), pid=busy[0]))
    if sys.platform == "win32":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
        detach: dict = {"creationflags": flags}
    else:
        detach = {"start_new_session": True}
    command = [sys.executable, "-m", "convtui.training.job", str(run_dir)]
    env = {**os.environ, "CONVTUI_LANG": i18n.current()}
    if config.processes > 1:  # PyTorch's launcher starts them; its pid stands for the job
        from convtui.training.distributed import launcher_command, launcher_env

        command = launcher_command(config.processes, command[2:])
        env = launcher_env(config.processes, config.threads)
    with (run_dir / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            close_fds=True, env=env, **detach,
        )
    write_pid(run_dir, process.pid)
    return Job(run_dir, process)


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the run finished or was stopped on request, 1 when it failed."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m convtui.training.job RUN_DIR", file=sys.stderr)
        return 2
    from convtui.training.trainer import run_training

    i18n.set_language(i18n.resolve_language())
    try:
        summary = run_training(Path(args[0]), handle_signals=True)
    except TrainingError as exc:
        print(t("training.job.error", message=exc.message), file=sys.stderr)
        return 1
    accuracy = summary["test_accuracy"]
    print(tn("training.job.ended", summary["epochs_completed"], status=summary["status"],
             epochs=summary["epochs_completed"],
            accuracy="-" if accuracy is None else f"{accuracy:.2%}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

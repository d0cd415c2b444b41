"""What convtui does when it fails unexpectedly: a crash log and a short, translated message.

A crash must be impossible to miss: the command exits non-zero (so a launcher or a script can
tell), and the student sees a few lines saying where the full report went, not a screen-long
traceback. The report goes to ``<data dir>/crashes/`` (``CONVTUI_DATA_DIR`` moves it); if that
folder cannot be written the system's temporary folder is tried, and if nothing can be written
the traceback is printed instead, so it is never lost. Pure Python: the CLI uses it for errors
outside the app too.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from convtui import __version__, i18n
from convtui.i18n import t
from convtui.paths import data_dir

#: The exit status of a run that ended on an unexpected error (Python's own for one).
CRASH_STATUS = 1


def crash_dir() -> Path:
    return data_dir() / "crashes"


@dataclass(frozen=True)
class CrashLog:
    """A crash's report and where it was written (``path`` None: nowhere, for ``reason``)."""

    error: BaseException
    report: str
    path: Path | None
    reason: str = ""

    def message(self) -> str:
        """What the user reads on the terminal after the crash, in the current language."""
        if self.path is None:
            return t("crash.unsaved", error=_summary(self.error), reason=self.reason)
        return t("crash.message", error=_summary(self.error), path=str(self.path))

    def tell(self) -> int:
        """Say on stderr where the report is (or print it, if it is nowhere); the status to
        exit with."""
        print(self.message(), file=sys.stderr)
        if self.path is None:
            print(self.report, file=sys.stderr)
        return CRASH_STATUS


def write_crash_log(error: BaseException, where: str = "") -> CrashLog:
    """Write the report of ``error`` (``where``: what the user was doing) to a new file;
    never raises, since it runs while convtui is already failing."""
    report = crash_report(error, where)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    reason = ""
    for folder in (crash_dir(), Path(tempfile.gettempdir()) / "convtui-crashes"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for n in range(100):  # two crashes in one second keep both reports
                path = folder / f"crash-{stamp}{f'-{n}' if n else ''}.log"
                try:
                    with path.open("x", encoding="utf-8") as fh:
                        fh.write(report)
                    return CrashLog(error, report, path)
                except FileExistsError:
                    continue
        except OSError as err:
            reason = reason or (err.strerror or str(err))
    return CrashLog(error, report, None, reason)


def crash_report(error: BaseException, where: str = "") -> str:
    """The log's text: versions, the command line, and the full traceback."""
    lines = [
        f"convtui {__version__} crashed at {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"command: {' '.join(sys.argv)}",
        f"python {platform.python_version()} on {platform.platform()}",
        f"textual {_version_of('textual')}, rich {_version_of('rich')}",
        f"language: {i18n.current()}",
    ]
    if where:
        lines.append(f"where: {where}")
    lines += ["", *traceback.format_exception(error)]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def report_crash(error: BaseException, where: str = "") -> int:
    """Log ``error`` and say where the log is; the status to exit with."""
    return write_crash_log(error, where).tell()


def _summary(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _version_of(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version  # only once crashed

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"

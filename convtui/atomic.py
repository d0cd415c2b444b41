"""Writing a user's file so that it is never half-written: the old file or the new one.

Progress, tour state, run records, checkpoints and exports all go through here. A full or
read-only disk raises OSError before anything is replaced, so what was saved before stays.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def temp_path(path: Path) -> Path:
    """A hidden sibling of ``path`` unique to this process and thread, to write then rename."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


@contextmanager
def replacing(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A handle on a temp file that replaces ``path`` when the block ends without error
    (synced to disk first, and the folder after the rename); on any error the temp file is
    removed and ``path`` is as it was. The folder must exist."""
    tmp = temp_path(path)
    encoding = None if "b" in mode else "utf-8"
    try:
        with tmp.open(mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_folder(path.parent)


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (see ``replacing``)."""
    with replacing(path) as handle:
        handle.write(text)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Where MNIST lives and how it gets there: an explicit folder, the environment, or a download.

Search order: ``--data-dir DIR``, then ``$CONVTUI_MNIST_DIR``, then ``<cache dir>/mnist``. Only
the cache folder is filled by downloading; a folder the user named is never written to. Each
downloaded file is checked against the SHA-256 of its decompressed content before it is renamed
into place, so a file in the cache was verified once and start-up never re-hashes 50 MB; files
the user supplies get the structural checks of ``convtui.training.idx`` on every load.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from convtui.i18n import t
from convtui.paths import cache_dir
from convtui.training.errors import DataError
from convtui.training.idx import ALL_FILES, missing_files

ENV_VAR = "CONVTUI_MNIST_DIR"
#: Mean and standard deviation of the MNIST training pixels (scaled to 0-1): training
#: normalises with them, and the Stepper says so when it shows a digit normalised that way.
MEAN, STD = 0.1307, 0.3081
MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
#: SHA-256 of each file's decompressed content (the same bytes whether stored raw or gzipped).
SHA256: dict[str, str] = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
TIMEOUT_S = 20.0
CHUNK = 1 << 16

#: Called as ``progress(file_name, bytes_done, bytes_total_or_None)`` while downloading.
DownloadProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class DataLocation:
    """The folder MNIST is looked for in, and why that one (for messages)."""

    folder: Path
    source: str

    @property
    def downloadable(self) -> bool:
        """Only convtui's own cache folder is filled by downloading."""
        return self.source == "cache"


def locate(data_dir: str | os.PathLike[str] | None = None) -> DataLocation:
    """The folder to use: the explicit one, else ``$CONVTUI_MNIST_DIR``, else the cache."""
    if data_dir:
        return DataLocation(Path(data_dir).expanduser(), "--data-dir")
    if os.environ.get(ENV_VAR):
        return DataLocation(Path(os.environ[ENV_VAR]).expanduser(), ENV_VAR)
    return DataLocation(cache_dir() / "mnist", "cache")


def file_list() -> str:
    return ", ".join(f"{name}.gz" for name in ALL_FILES)


def check_present(location: DataLocation) -> None:
    """Raise ``DataError`` if a folder the user chose lacks files (the cache may download)."""
    missing = missing_files(location.folder)
    if missing and not location.downloadable:
        if not location.folder.is_dir():
            raise DataError(t("training.data.folder_missing", folder=str(location.folder),
                              source=location.source, files=file_list()))
        raise DataError(t("training.data.folder_lacks", folder=str(location.folder),
                          source=location.source, missing=", ".join(missing),
                          files=file_list()))


def ensure_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    progress: DownloadProgress | None = None,
) -> Path:
    """The folder holding all four files, downloading the missing ones into the cache first."""
    location = locate(data_dir)
    check_present(location)
    missing = missing_files(location.folder)
    if missing:
        download(missing, location.folder, progress)
    return location.folder


def download(names: list[str], folder: Path, progress: DownloadProgress | None = None) -> None:
    """Fetch each ``name``.gz from the first mirror that serves it with the right content."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(t("training.data.cannot_create", folder=str(folder),
                          reason=str(exc.strerror or exc))) from None
    for name in names:
        network_errors: list[str] = []
        bad_content: list[str] = []
        for mirror in MIRRORS:
            url = f"{mirror}{name}.gz"
            try:
                _fetch_verified(url, folder / f"{name}.gz", SHA256[name], progress)
                break
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                network_errors.append(f"{url}: {_reason(exc)}")
            except _ContentMismatch as exc:
                bad_content.append(f"{url}: {exc}")
        else:
            if bad_content:
                raise DataError(t("training.data.bad_download", file=f"{name}.gz",
                                  reasons="; ".join(bad_content), files=file_list(),
                                  folder=str(folder)))
            raise DataError(offline_message(folder, network_errors))


def offline_message(folder: Path, errors: list[str]) -> str:
    """What to do when no mirror can be reached: which files to put where, or where to point."""
    return t("training.data.offline", reasons="; ".join(errors), folder=str(folder),
             files=file_list(), env=ENV_VAR)


class _ContentMismatch(Exception):
    """A mirror answered, but with bytes that are not the expected file."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__


def _fetch_verified(
    url: str, target: Path, sha256: str, progress: DownloadProgress | None
) -> None:
    """Download to a temp file beside ``target``, check it, then rename it into place."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp, tmp.open("wb") as out:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done, last_report = 0, 0.0
            while chunk := resp.read(CHUNK):
                out.write(chunk)
                done += len(chunk)
                now = time.monotonic()
                if progress and now - last_report >= 0.1:
                    progress(target.name, done, total)
                    last_report = now
            if total is not None and done < total:
                raise http.client.IncompleteRead(b"", total - done)
            out.flush()
            os.fsync(out.fileno())
        if progress:
            progress(target.name, done, total)
        actual = _decompressed_sha256(tmp)
        if actual != sha256:
            raise _ContentMismatch(t("training.data.hash_mismatch", actual=actual[:12],
                                     expected=sha256[:12]))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _decompressed_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except (EOFError, OSError, zlib.error) as exc:
        raise _ContentMismatch(t("training.data.not_gzip", reason=str(exc))) from None
    return digest.hexdigest()

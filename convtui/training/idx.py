"""Reading MNIST's IDX files with numpy alone, checking everything the header promises.

IDX is MNIST's own format: a 4-byte magic number (two zero bytes, a type code, the number of
dimensions), one big-endian 4-byte size per dimension, then the raw values. Files may be gzipped.
This module does not import torch, so the UI can show a digit without it; a file that is cut
short, has the wrong magic number, or holds a different count than its header says raises
``DataError`` naming the file and the problem, so damaged data is never trained on.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convtui.i18n import t
from convtui.training.errors import DataError

UBYTE = 0x08
IMAGE_SIZE = 28
NUM_CLASSES = 10

#: The four standard files, by split, as (images, labels) base names without ``.gz``.
MNIST_FILES: dict[str, tuple[str, str]] = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
ALL_FILES: tuple[str, ...] = tuple(name for pair in MNIST_FILES.values() for name in pair)


@dataclass(frozen=True)
class MnistArrays:
    """One split: ``images`` uint8 (N, 28, 28) and ``labels`` uint8 (N,), values 0-9."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def file_path(folder: Path, name: str) -> Path | None:
    """The file for base ``name`` in ``folder``: raw if present, else ``.gz``; None if neither."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def missing_files(folder: Path) -> list[str]:
    """Base names of the four standard files that ``folder`` lacks (in either form)."""
    return [name for name in ALL_FILES if file_path(folder, name) is None]


def read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when it ends in ``.gz``."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except EOFError:
        raise DataError(t("training.idx.gzip_cut", path=str(path))) from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(t("training.idx.not_gzip", path=str(path), reason=str(exc),
                          name=path.with_suffix("").name)) from None
    except OSError as exc:
        raise DataError(t("training.idx.unreadable", path=str(path),
                          reason=str(exc.strerror or exc))) from None


def parse_idx(data: bytes, ndim: int, source: str) -> np.ndarray:
    """Check an IDX buffer of unsigned bytes with ``ndim`` dimensions and return it as an array.

    ``source`` names the file in error messages.
    """
    if len(data) < 4:
        raise DataError(t("training.idx.no_header", source=source, size=len(data)))
    magic = int.from_bytes(data[:4], "big")
    expected_magic = (UBYTE << 8) | ndim
    if magic != expected_magic:
        numbers = {"source": source, "magic": f"0x{magic:08x}",
                   "expected": f"0x{expected_magic:08x}"}
        raise DataError(t("training.idx.magic_labels", **numbers) if ndim == 1
                        else t("training.idx.magic_images", **numbers))
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(t("training.idx.header_cut", source=source, header=header,
                          size=len(data)))
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if ndim == 3 and dims[1:] != [IMAGE_SIZE, IMAGE_SIZE]:
        raise DataError(t("training.idx.image_size", source=source, height=dims[1],
                          width=dims[2], size=IMAGE_SIZE))
    count = dims[0]
    expected = int(np.prod(dims, dtype=np.int64))
    actual = len(data) - header
    item = t("training.idx.images") if ndim == 3 else t("training.idx.labels")
    if actual < expected:
        raise DataError(t("training.idx.truncated", source=source, count=count, item=item,
                          expected=expected, actual=actual))
    if actual > expected:
        raise DataError(t("training.idx.wrong_count", source=source, count=count, item=item,
                          expected=expected, actual=actual))
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def read_idx(path: Path, ndim: int) -> np.ndarray:
    """Read and check one IDX file (raw or ``.gz``)."""
    return parse_idx(read_bytes(path), ndim, str(path))


def load_split(folder: Path, split: str) -> MnistArrays:
    """Load the ``train`` or ``test`` split from ``folder``, checking the pair belongs together."""
    images_name, labels_name = MNIST_FILES[split]
    images_path, labels_path = file_path(folder, images_name), file_path(folder, labels_name)
    if images_path is None or labels_path is None:
        absent = [name for name, path in ((images_name, images_path), (labels_name, labels_path))
                  if path is None]
        raise DataError(t("training.idx.split_missing", folder=str(folder),
                          files=t("training.idx.and").join(absent), split=_split_name(split)))
    images = read_idx(images_path, 3)
    labels = read_idx(labels_path, 1)
    if len(images) != len(labels):
        raise DataError(t("training.idx.mismatch", split=_split_name(split),
                          images_file=images_path.name, images=len(images),
                          labels_file=labels_path.name, labels=len(labels)))
    if len(labels) == 0:
        raise DataError(t("training.idx.empty", images=str(images_path),
                          labels=str(labels_path)))
    if int(labels.max()) >= NUM_CLASSES:
        raise DataError(t("training.idx.bad_label", path=str(labels_path),
                          label=int(labels.max())))
    return MnistArrays(images=images, labels=labels)


def _split_name(split: str) -> str:
    """``train`` or ``test`` as the messages call it in the current language."""
    return t("training.idx.split_train") if split == "train" else t("training.idx.split_test")

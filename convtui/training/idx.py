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
        raise DataError(
            f"{path} is a damaged gzip file: it ends before the compressed data does "
            "(an interrupted download?). Delete it and fetch it again."
        ) from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(
            f"{path} is not a valid gzip file ({exc}). If it is an uncompressed IDX file, "
            f"rename it to {path.with_suffix('').name}."
        ) from None
    except OSError as exc:
        raise DataError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def parse_idx(data: bytes, ndim: int, source: str) -> np.ndarray:
    """Check an IDX buffer of unsigned bytes with ``ndim`` dimensions and return it as an array.

    ``source`` names the file in error messages.
    """
    if len(data) < 4:
        raise DataError(f"{source} is truncated: {len(data)} bytes, too short for an IDX header.")
    magic = int.from_bytes(data[:4], "big")
    expected_magic = (UBYTE << 8) | ndim
    if magic != expected_magic:
        raise DataError(
            f"{source} has the wrong magic number 0x{magic:08x} (expected 0x{expected_magic:08x}"
            f" for {'labels' if ndim == 1 else 'images'}): it is not an MNIST "
            f"{'label' if ndim == 1 else 'image'} file, or it is the wrong one of the four."
        )
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(
            f"{source} is truncated: the IDX header needs {header} bytes, the file has "
            f"{len(data)}."
        )
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if ndim == 3 and dims[1:] != [IMAGE_SIZE, IMAGE_SIZE]:
        raise DataError(
            f"{source} holds {dims[1]}x{dims[2]} images; MNIST images are "
            f"{IMAGE_SIZE}x{IMAGE_SIZE}."
        )
    count = dims[0]
    expected = int(np.prod(dims, dtype=np.int64))
    actual = len(data) - header
    item = "images" if ndim == 3 else "labels"
    if actual < expected:
        raise DataError(
            f"{source} is truncated: its header promises {count} {item} ({expected} bytes) "
            f"but only {actual} bytes follow. Delete it and fetch it again."
        )
    if actual > expected:
        raise DataError(
            f"{source} has the wrong count: its header says {count} {item} ({expected} bytes) "
            f"but {actual} bytes follow, so the header or the data is wrong."
        )
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
        raise DataError(
            f"{folder} lacks {' and '.join(absent)} (raw or .gz), needed for the {split} set."
        )
    images = read_idx(images_path, 3)
    labels = read_idx(labels_path, 1)
    if len(images) != len(labels):
        raise DataError(
            f"The {split} files do not match: {images_path.name} has {len(images)} images but "
            f"{labels_path.name} has {len(labels)} labels. One of them is from another set "
            "or damaged."
        )
    if len(labels) == 0:
        raise DataError(f"{images_path} and {labels_path} hold no examples.")
    if int(labels.max()) >= NUM_CLASSES:
        raise DataError(f"{labels_path} holds label {int(labels.max())}; MNIST labels are 0-9.")
    return MnistArrays(images=images, labels=labels)

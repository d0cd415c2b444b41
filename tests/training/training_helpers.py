"""Helpers for the training tests: IDX files written on the spot, and the headless CLI."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.server
import socket
from pathlib import Path

import numpy as np
import pytest

from convtui.training import mnist_source
from convtui.training.idx import ALL_FILES, MNIST_FILES

#: A headless run that takes seconds: tiny model, 1 epoch on 1000 images, tested on 300.
FAST = ("--model", "tiny", "--epochs", "1", "--limit-train", "1000", "--limit-test", "300",
        "--threads", "1", "--seed", "3")


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file holding a uint8 array."""
    magic = 0x0800 | array.ndim
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_file(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def fake_split(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random digits: images (n, 28, 28) and labels (n,)."""
    rng = np.random.default_rng(seed)
    return (
        rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, size=n, dtype=np.uint8),
    )


def write_mnist(folder: Path, n_train: int = 30, n_test: int = 20, gz: bool = True) -> Path:
    """A complete (fake) MNIST folder with the four standard file names."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if gz else ""
    for seed, (split, n) in enumerate((("train", n_train), ("test", n_test))):
        images, labels = fake_split(n, seed)
        images_name, labels_name = MNIST_FILES[split]
        write_file(folder / f"{images_name}{suffix}", idx_bytes(images))
        write_file(folder / f"{labels_name}{suffix}", idx_bytes(labels))
    return folder


def train_parser() -> argparse.ArgumentParser:
    """`convtui train`'s options, as convtui.cli builds them."""
    from convtui.training.cli import add_train_arguments

    parser = argparse.ArgumentParser(prog="convtui train")
    add_train_arguments(parser)
    return parser


def headless(*argv: str) -> int:
    """Run `convtui train --headless ARGV...` in this process and return its exit code."""
    from convtui.training.cli import run_headless

    return run_headless(train_parser().parse_args(["--headless", *argv]))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def unreachable_url() -> str:
    """A local port nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def serve_fake_mnist(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put fake MNIST .gz files in the served folder and expect their hashes."""
    write_mnist(root, n_train=40, n_test=10)
    hashes = {
        name: hashlib.sha256(gzip.decompress((root / f"{name}.gz").read_bytes())).hexdigest()
        for name in ALL_FILES
    }
    monkeypatch.setattr(mnist_source, "SHA256", hashes)

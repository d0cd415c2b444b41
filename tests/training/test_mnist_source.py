"""Finding MNIST, downloading it (from a local server standing in for the mirrors), and the
message a person gets when they are offline."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from training_helpers import serve_fake_mnist, unreachable_url, write_mnist

from convtui.training import mnist_source
from convtui.training.errors import DataError
from convtui.training.idx import ALL_FILES, load_split
from convtui.training.mnist_source import ensure_mnist, locate


def test_search_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_dirs) -> None:
    assert locate() == mnist_source.DataLocation(user_dirs["cache"] / "mnist", "cache")
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(tmp_path / "env"))
    assert locate().folder == tmp_path / "env"
    assert locate(tmp_path / "explicit").folder == tmp_path / "explicit"


def test_folder_already_complete_is_used_as_is(fake_mnist: Path) -> None:
    assert ensure_mnist(fake_mnist) == fake_mnist


def test_named_folder_missing_files_is_never_downloaded_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mnist_source, "MIRRORS", (unreachable_url(),))
    folder = write_mnist(tmp_path / "mine")
    (folder / "train-images-idx3-ubyte.gz").unlink()
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(folder))
    with pytest.raises(DataError) as err:
        ensure_mnist()
    assert err.value.message.startswith(
        f"MNIST folder {folder} (from CONVTUI_MNIST_DIR) lacks train-images-idx3-ubyte"
    )


def test_download_fills_the_cache(
    server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, user_dirs
) -> None:
    url, root = server
    serve_fake_mnist(root, monkeypatch)
    # The first mirror lacks the files (HTTP 404); the second has them.
    monkeypatch.setattr(mnist_source, "MIRRORS", (url + "missing/", url))
    seen: list[tuple[str, int, int | None]] = []
    folder = ensure_mnist(progress=lambda *report: seen.append(report))
    assert folder == user_dirs["cache"] / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in ALL_FILES)
    assert len(load_split(folder, "train")) == 40
    size = (root / "train-images-idx3-ubyte.gz").stat().st_size
    assert ("train-images-idx3-ubyte.gz", size, size) in seen


def test_only_missing_files_are_fetched(
    server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, user_dirs
) -> None:
    url, root = server
    serve_fake_mnist(root, monkeypatch)
    monkeypatch.setattr(mnist_source, "MIRRORS", (url,))
    cache = write_mnist(user_dirs["cache"] / "mnist", n_train=40, n_test=10)
    (cache / "t10k-labels-idx1-ubyte.gz").unlink()
    seen: list[str] = []
    ensure_mnist(progress=lambda name, got, total: seen.append(name))
    assert set(seen) == {"t10k-labels-idx1-ubyte.gz"}


def test_corrupted_download_is_rejected_and_not_kept(
    server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, user_dirs
) -> None:
    url, root = server
    serve_fake_mnist(root, monkeypatch)
    monkeypatch.setattr(mnist_source, "MIRRORS", (url,))
    good = gzip.decompress((root / "train-labels-idx1-ubyte.gz").read_bytes())
    flipped = good[:-1] + bytes([(good[-1] + 1) % 10])
    (root / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(flipped))
    with pytest.raises(DataError) as err:
        ensure_mnist()
    assert "Downloaded train-labels-idx1-ubyte.gz but its content is not MNIST's" in (
        err.value.message
    )
    assert "SHA-256 of the decompressed file" in err.value.message
    cache = user_dirs["cache"] / "mnist"
    assert not (cache / "train-labels-idx1-ubyte.gz").exists()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]


def test_offline_message_says_what_to_put_where(
    monkeypatch: pytest.MonkeyPatch, user_dirs
) -> None:
    monkeypatch.setattr(mnist_source, "MIRRORS", (unreachable_url(), unreachable_url()))
    with pytest.raises(DataError) as err:
        ensure_mnist()
    message = err.value.message
    cache = user_dirs["cache"] / "mnist"
    assert message.startswith("MNIST is not on this computer and could not be downloaded")
    assert "Connection refused" in message
    assert (
        f"Put these four files, gzipped or not, in {cache}: train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz."
    ) in message
    assert "--data-dir DIR or the environment variable CONVTUI_MNIST_DIR=DIR" in message
    assert not list(cache.iterdir())

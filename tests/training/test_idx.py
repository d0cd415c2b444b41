"""The IDX reader: real files load; damaged ones are refused with a message naming the fault."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from training_helpers import fake_split, idx_bytes, write_file, write_mnist

from convtui.training.errors import DataError
from convtui.training.idx import load_split, missing_files, read_idx


@pytest.mark.parametrize("gz", [True, False])
def test_loads_what_was_written_gzipped_or_raw(tmp_path: Path, gz: bool) -> None:
    folder = write_mnist(tmp_path, n_train=12, n_test=7, gz=gz)
    train = load_split(folder, "train")
    images, labels = fake_split(12, seed=0)
    assert train.images.shape == (12, 28, 28) and train.images.dtype == np.uint8
    np.testing.assert_array_equal(train.images, images)
    np.testing.assert_array_equal(train.labels, labels)
    assert len(load_split(folder, "test")) == 7


def test_real_mnist_has_the_standard_sizes(mnist_dir: Path) -> None:
    train, test = load_split(mnist_dir, "train"), load_split(mnist_dir, "test")
    assert (len(train), len(test)) == (60000, 10000)
    assert train.labels[:5].tolist() == [5, 0, 4, 1, 9]
    assert sorted(set(test.labels.tolist())) == list(range(10))


def test_truncated_file_is_named(tmp_path: Path) -> None:
    images, _ = fake_split(10, 0)
    path = write_file(tmp_path / "train-images-idx3-ubyte", idx_bytes(images)[:-100])
    with pytest.raises(DataError) as err:
        read_idx(path, 3)
    assert str(path) in err.value.message
    assert "truncated" in err.value.message
    assert "promises 10 images (7840 bytes) but only 7740 bytes follow" in err.value.message


def test_truncated_gzip_stream_is_named(tmp_path: Path) -> None:
    images, _ = fake_split(10, 0)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes(images))[:-30])
    with pytest.raises(DataError, match="damaged gzip file: it ends before"):
        read_idx(path, 3)


def test_not_gzip_despite_name(tmp_path: Path) -> None:
    _, labels = fake_split(10, 0)
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    path.write_bytes(idx_bytes(labels))
    with pytest.raises(DataError, match="not a valid gzip file") as err:
        read_idx(path, 1)
    assert "rename it to train-labels-idx1-ubyte" in err.value.message


def test_wrong_magic_names_both_numbers(tmp_path: Path) -> None:
    _, labels = fake_split(10, 0)
    # A label file where the image file should be.
    path = write_file(tmp_path / "t10k-images-idx3-ubyte", idx_bytes(labels))
    with pytest.raises(DataError) as err:
        read_idx(path, 3)
    assert "wrong magic number 0x00000801 (expected 0x00000803 for images)" in err.value.message


def test_header_count_larger_than_data(tmp_path: Path) -> None:
    _, labels = fake_split(10, 0)
    data = bytearray(idx_bytes(labels))
    data[4:8] = (11).to_bytes(4, "big")
    path = write_file(tmp_path / "train-labels-idx1-ubyte", bytes(data))
    with pytest.raises(DataError, match="promises 11 labels"):
        read_idx(path, 1)


def test_header_count_smaller_than_data(tmp_path: Path) -> None:
    _, labels = fake_split(10, 0)
    data = bytearray(idx_bytes(labels))
    data[4:8] = (8).to_bytes(4, "big")
    path = write_file(tmp_path / "train-labels-idx1-ubyte", bytes(data))
    with pytest.raises(DataError) as err:
        read_idx(path, 1)
    assert "wrong count: its header says 8 labels (8 bytes) but 10 bytes follow" in (
        err.value.message
    )


def test_images_must_be_28_by_28(tmp_path: Path) -> None:
    path = write_file(tmp_path / "x", idx_bytes(np.zeros((3, 32, 32), dtype=np.uint8)))
    with pytest.raises(DataError, match="holds 32x32 images; MNIST images are 28x28"):
        read_idx(path, 3)


def test_header_cut_short(tmp_path: Path) -> None:
    path = write_file(tmp_path / "x", (0x803).to_bytes(4, "big") + b"\0\0")
    with pytest.raises(DataError, match="header needs 16 bytes, the file has 6"):
        read_idx(path, 3)


def test_images_and_labels_of_different_sets(tmp_path: Path) -> None:
    folder = write_mnist(tmp_path, n_train=12)
    _, labels = fake_split(11, 5)
    write_file(folder / "train-labels-idx1-ubyte.gz", idx_bytes(labels))
    with pytest.raises(DataError) as err:
        load_split(folder, "train")
    assert ("train files do not match: train-images-idx3-ubyte.gz has 12 images but "
            "train-labels-idx1-ubyte.gz has 11 labels") in err.value.message


def test_label_outside_0_to_9(tmp_path: Path) -> None:
    folder = write_mnist(tmp_path, n_test=5)
    write_file(folder / "t10k-labels-idx1-ubyte.gz", idx_bytes(np.array([1, 2, 12, 3, 4])))
    with pytest.raises(DataError, match="holds label 12; MNIST labels are 0-9"):
        load_split(folder, "test")


def test_missing_file_is_named(tmp_path: Path) -> None:
    folder = write_mnist(tmp_path)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    assert missing_files(folder) == ["t10k-labels-idx1-ubyte"]
    with pytest.raises(DataError, match="lacks t10k-labels-idx1-ubyte"):
        load_split(folder, "test")


def test_torch_free_modules_do_not_import_torch() -> None:
    code = (
        "import sys\n"
        "import convtui.training.cli, convtui.training.idx, convtui.training.events\n"
        "import convtui.training.runs, convtui.training.mnist_source, convtui.training.config\n"
        "import convtui.training.run, convtui.training.resume, convtui.training.launch\n"
        "import convtui.ui.train.screen\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""Shared fixtures: every test gets its own user dirs, so nothing touches the real ones."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from convtui import i18n

REPO = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO.parent / "shared" / "datasets" / "mnist"


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    data, cache = tmp_path / "user-data", tmp_path / "user-cache"
    monkeypatch.setenv("CONVTUI_DATA_DIR", str(data))
    monkeypatch.setenv("CONVTUI_CACHE_DIR", str(cache))
    monkeypatch.delenv("CONVTUI_MNIST_DIR", raising=False)
    return {"data": data, "cache": cache}


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read English unless they switch; a test that switches cannot leak Korean."""
    monkeypatch.setenv("CONVTUI_LANG", "en")
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def mnist_dir() -> Path:
    """The real MNIST files: ../shared/datasets/mnist, or CONVTUI_TEST_MNIST_DIR if set."""
    path = Path(os.environ.get("CONVTUI_TEST_MNIST_DIR") or SHARED_MNIST)
    if not (path / "train-images-idx3-ubyte.gz").exists():
        pytest.fail(f"MNIST not found in {path}; tests expect ../shared/datasets/mnist")
    return path

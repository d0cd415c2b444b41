"""The Dataset (as the course teaches it) and the networks' shapes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from convtui.training.config import MODEL_SUMMARIES
from convtui.training.dataset import (
    BACKGROUND,
    MEAN,
    STD,
    MnistDataset,
    batch_loader,
    random_shift,
)
from convtui.training.idx import load_split
from convtui.training.models import MODELS, build_model, first_conv


def test_dataset_items_are_normalised_1x28x28_images_with_int_labels(fake_mnist: Path) -> None:
    arrays = load_split(fake_mnist, "train")
    data = MnistDataset(arrays)
    assert len(data) == 30
    image, label = data[3]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32
    assert label == int(arrays.labels[3]) and isinstance(label, int)
    expected = (arrays.images[3].astype(np.float32) / 255 - MEAN) / STD
    np.testing.assert_allclose(image[0].numpy(), expected, rtol=1e-6)


def test_limit_keeps_the_first_examples(fake_mnist: Path) -> None:
    data = MnistDataset(load_split(fake_mnist, "train"), limit=7)
    assert len(data) == 7
    images, labels = data[[0, 6]]
    assert images.shape == (2, 1, 28, 28)
    assert labels.tolist() == [data[0][1], data[6][1]]


def test_shuffled_batches_cover_every_example_once_per_pass(fake_mnist: Path) -> None:
    data = MnistDataset(load_split(fake_mnist, "train"))
    generator = torch.Generator().manual_seed(0)
    passes = []
    for _ in range(2):
        batches = list(batch_loader(data, 8, generator))
        assert [len(labels) for _, labels in batches] == [8, 8, 8, 6]
        order = torch.cat([images for images, _ in batches])
        # Each image appears once: match batch rows back to dataset rows.
        rows = [int((data.images == row).flatten(1).all(1).nonzero()[0]) for row in order]
        assert sorted(rows) == list(range(30))
        passes.append(rows)
    assert passes[0] != passes[1]


def test_evaluation_batches_keep_order(fake_mnist: Path) -> None:
    data = MnistDataset(load_split(fake_mnist, "test"))
    labels = torch.cat([labels for _, labels in batch_loader(data, 6)])
    assert torch.equal(labels, data.labels)


def test_random_shift_moves_each_image_by_at_most_the_pixels_asked(fake_mnist: Path) -> None:
    images = MnistDataset(load_split(fake_mnist, "train")).images
    shifted = random_shift(images, 1, torch.Generator().manual_seed(0))
    assert shifted.shape == images.shape
    padded = torch.nn.functional.pad(images, (1, 1, 1, 1), value=BACKGROUND)
    offsets = []
    for original, moved in zip(padded, shifted, strict=True):
        # Exactly one 28x28 window of the background-padded image is what came out.
        matches = [(dy, dx) for dy in range(3) for dx in range(3)
                   if torch.equal(original[:, dy:dy + 28, dx:dx + 28], moved)]
        assert len(matches) == 1
        offsets.append(matches[0])
    assert len(set(offsets)) > 3  # each image draws its own offset
    again = random_shift(images, 1, torch.Generator().manual_seed(0))
    assert torch.equal(again, shifted)
    assert pytest.approx(-MEAN / STD) == BACKGROUND


def test_registry_matches_the_names_the_cli_offers() -> None:
    assert list(MODELS) == list(MODEL_SUMMARIES)


@pytest.mark.parametrize(
    ("name", "shapes"),
    [
        ("lab", [(32, 14, 14), (64, 7, 7), (10,)]),
        ("deep", [(32, 14, 14), (64, 7, 7), (128, 4, 4), (625,), (10,)]),
        ("tiny", [(5, 12, 12), (10,)]),
    ],
)
def test_layer_shapes(name: str, shapes: list[tuple[int, ...]]) -> None:
    model = build_model(name).eval()
    x = torch.zeros(2, 1, 28, 28)
    seen = []
    for child in model.children():
        x = child(x)
        seen.append(tuple(x.shape[1:]))
    assert seen == shapes


def test_lab_model_is_the_labs_layers() -> None:
    model = build_model("lab")
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels, c.kernel_size, c.padding) for c in convs] == [
        (1, 32, (3, 3), (1, 1)), (32, 64, (3, 3), (1, 1)),
    ]
    linear = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linear] == [(3136, 10)]
    assert first_conv(model) is convs[0]
    assert sum(p.numel() for p in model.parameters()) == 320 + 18496 + 31370

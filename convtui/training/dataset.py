"""MNIST as a ``torch.utils.data.Dataset``, and the batch loaders training uses.

The dataset turns the whole split into one normalised float tensor up front. ``__getitem__``
takes an index (one ``(1x28x28 image, label)`` example, as any map-style dataset) or a list of
indices (a whole batch in one gather). The loaders feed it a ``BatchSampler`` through a
``DataLoader`` with automatic batching off, the bulk-read pattern PyTorch documents, so training
pays one tensor index per batch instead of 100 item calls and a collate. ``random_shift`` is the
training set's data augmentation, applied to whole batches the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler

from convtui.training.idx import MnistArrays
from convtui.training.mnist_source import MEAN, STD

#: A black pixel after normalising: what a shifted image is filled with where it moved away.
BACKGROUND = (0.0 - MEAN) / STD


def normalise(images: np.ndarray) -> torch.Tensor:
    """uint8 images (N, 28, 28) -> float tensor (N, 1, 28, 28), scaled to 0-1 and standardised."""
    pixels = torch.from_numpy(np.asarray(images, dtype=np.float32) / 255.0)
    return ((pixels - MEAN) / STD).unsqueeze(1)


class MnistDataset(Dataset):
    """One MNIST split (or its first ``limit`` examples) as normalised tensors."""

    def __init__(self, arrays: MnistArrays, limit: int | None = None) -> None:
        self.images = normalise(arrays.images[:limit])
        self.labels = torch.from_numpy(arrays.labels[:limit].astype(np.int64))

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(
        self, index: int | Sequence[int]
    ) -> tuple[torch.Tensor, int] | tuple[torch.Tensor, torch.Tensor]:
        if isinstance(index, int):
            return self.images[index], int(self.labels[index])
        batch = torch.as_tensor(index, dtype=torch.long)
        return self.images[batch], self.labels[batch]

    def to(self, device: torch.device) -> MnistDataset:
        """Move the tensors once (for a GPU), so batches need no copy."""
        self.images, self.labels = self.images.to(device), self.labels.to(device)
        return self


def batch_loader(
    dataset: MnistDataset, batch_size: int, generator: torch.Generator | None = None
) -> DataLoader:
    """Batches in a fresh random order each pass (drawn from ``generator``), or in order when
    ``generator`` is None (evaluation)."""
    order = (
        RandomSampler(dataset, generator=generator) if generator is not None
        else SequentialSampler(dataset)
    )
    sampler = BatchSampler(order, batch_size, drop_last=False)
    return DataLoader(dataset, sampler=sampler, batch_size=None)


def random_shift(images: torch.Tensor, pixels: int, generator: torch.Generator) -> torch.Tensor:
    """Each image (N, 1, H, W) moved by its own random offset of -pixels..pixels rows and
    columns, the uncovered border filled with background: the network sees every digit a
    little off-centre in a new way each epoch, which narrows the gap between training and test
    accuracy. Offsets come from ``generator`` (the run's shuffle stream, saved in checkpoints).
    One gather from the padded batch, so it costs well under 1% of a training step.
    """
    count, _, height, width = images.shape
    device = images.device
    padded_width = width + 2 * pixels
    down, right = torch.randint(0, 2 * pixels + 1, (2, count, 1), generator=generator).to(device)
    corner = down * padded_width + right  # (N, 1): where each window starts, flattened
    rows = torch.arange(height, device=device).view(height, 1) * padded_width
    window = (rows + torch.arange(width, device=device)).view(1, height * width)
    padded = F.pad(images, (pixels, pixels, pixels, pixels), value=BACKGROUND).view(count, -1)
    return padded.gather(1, corner + window).view(count, 1, height, width)

"""The lesson's example inputs and the classic kernels a student tries first.

Plain data, shared by the panels, the tour and the tests, so the lecture's numbers are written
down exactly once.
"""

from __future__ import annotations

import numpy as np

#: The lecture's 5x5 input and 3x3 kernel; their cross-correlation is 8 9 8 / 8 5 9 / 6 5 5.
LECTURE_INPUT = np.array(
    [[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]],
    dtype=np.float64,
)
LECTURE_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float64)

#: The lecture's pooling examples: 2x2 max pooling gives 9 8 / 7 9, average pooling 1 2 / 3 2.
LECTURE_MAX_POOL_INPUT = np.array(
    [[1, 9, 3, 7], [4, 5, 2, 8], [7, 3, 9, 0], [1, 2, 3, 3]], dtype=np.float64
)
LECTURE_AVG_POOL_INPUT = np.array(
    [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 1, 2], [3, 3, 1, 4]], dtype=np.float64
)

#: Named 3x3 kernels, the ones image-processing lessons start from.
KERNELS: dict[str, np.ndarray] = {
    "lecture": LECTURE_KERNEL,
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float64),
    "box blur": np.ones((3, 3)) / 9,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64),
    "sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64),
    "sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float64),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64),
}


def kernel_of_size(name: str, height: int, width: int) -> np.ndarray:
    """A named kernel at another size: identity keeps a single centre one, box blur stays a
    uniform average; the fixed 3x3 kernels are centred in zeros or cropped to fit."""
    if name == "identity":
        k = np.zeros((height, width))
        k[(height - 1) // 2, (width - 1) // 2] = 1
        return k
    if name == "box blur":
        return np.ones((height, width)) / (height * width)
    base = KERNELS[name]
    k = np.zeros((height, width))
    bh, bw = base.shape
    h, w = min(bh, height), min(bw, width)
    top, left = (bh - h) // 2, (bw - w) // 2
    ktop, kleft = (height - h) // 2, (width - w) // 2
    k[ktop : ktop + h, kleft : kleft + w] = base[top : top + h, left : left + w]
    return k


def random_integers(shape: tuple[int, ...], seed: int, low: int = -2, high: int = 5) -> np.ndarray:
    """Small integers, so a student can check every product in their head."""
    return np.random.default_rng(seed).integers(low, high + 1, size=shape).astype(np.float64)

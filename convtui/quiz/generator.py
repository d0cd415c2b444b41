"""Endless random practice puzzles at three difficulty levels.

- easy: one convolution with stride 1 (padding sometimes), on an [H, W] input;
- medium: strides that do not divide evenly, numeric / "same" / "valid" padding, max and average
  pooling, a conv followed by a pool, channels;
- hard: dilation, ceil_mode, transposed convolution, non-square kernels, and chains of up to
  four layers on [N, C, H, W] inputs.

The generator only picks layer arguments; every shape comes from tracing them with
``convtui.core.network``, and a draw the engine refuses (a kernel larger than the padded
input, say) is simply drawn again, so a generated puzzle is always valid. The same seed gives
the same sequence, which makes practice reproducible in tests. Prompts and hints are not
stored: they are written from the layers in the current language when shown
(``Puzzle.prompt``, ``Puzzle.hint``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from convtui.core.network import parse_layer, trace
from convtui.i18n import t
from convtui.quiz.model import PRACTICE_PACK_ID, Puzzle

DIFFICULTIES = ("easy", "medium", "hard")

Spec = dict[str, object]
Draw = tuple[list[int], list[Spec]]

#: Draws are cheap and the sizes are chosen so that most are valid; this bound only guards
#: against a mistake in the drawing rules turning into an endless loop.
_MAX_DRAWS = 1000


class PracticeGenerator(Iterator[Puzzle]):
    """``next(generator)`` gives a new puzzle; ``seed`` makes the sequence repeatable."""

    def __init__(self, difficulty: str, seed: int | None = None) -> None:
        if difficulty not in DIFFICULTIES:
            raise ValueError(t("quiz.practice.unknown_level", levels=", ".join(DIFFICULTIES),
                               level=repr(difficulty)))
        self.difficulty = difficulty
        self._rng = random.Random(seed)
        self._count = 0

    def __next__(self) -> Puzzle:
        draw = _DRAWS[self.difficulty]
        for _ in range(_MAX_DRAWS):
            input_shape, specs = draw(self._rng)
            try:
                layers = tuple(parse_layer(spec) for spec in specs)
            except ValueError:
                continue
            result = trace(input_shape, layers)
            if result.error is None:
                self._count += 1
                return Puzzle(
                    id=f"{self.difficulty}-{self._count}", pack_id=PRACTICE_PACK_ID,
                    input_shape=tuple(input_shape), layers=layers, trace=result,
                    difficulty=self.difficulty,
                )
        raise RuntimeError(f"no valid {self.difficulty} puzzle in {_MAX_DRAWS} draws")


# ---- drawing layer arguments -----------------------------------------------------------------


def _easy(rng: random.Random) -> Draw:
    kernel = rng.choice((1, 2, 3, 3, 3, 5, 5, 7))
    size = rng.randint(max(kernel, 5), 64)
    width = size if rng.random() < 0.7 else rng.randint(max(kernel, 5), 64)
    spec: Spec = {"type": "conv2d", "kernel": kernel}
    if rng.random() < 0.4:
        spec["padding"] = rng.randint(1, max(1, kernel // 2))
    return [size, width], [spec]


def _medium(rng: random.Random) -> Draw:
    channels = rng.choice((None, 1, 3, 16, 32))
    size = rng.randint(8, 96)
    shape = [size, size] if channels is None else [channels, size, size]
    kind = rng.choice(("strided", "strided", "named-padding", "pool", "conv-pool"))
    if kind == "strided":
        layers = [_conv(rng, channels, stride=rng.choice((2, 2, 3)))]
    elif kind == "named-padding":
        layers = [_conv(rng, channels, stride=1)]
        layers[0]["padding"] = rng.choice(("same", "valid"))
    elif kind == "pool":
        layers = [_pool(rng)]
    else:
        layers = [_conv(rng, channels, stride=rng.choice((1, 1, 2))), _pool(rng)]
    return shape, layers


def _hard(rng: random.Random) -> Draw:
    size = rng.randint(7, 128)
    width = size if rng.random() < 0.6 else rng.randint(7, 128)
    channels = rng.choice((1, 3, 8, 64))
    shape = [rng.choice((1, 2, 8, 32)), channels, size, width]
    count = rng.choice((1, 2, 2, 3, 4))
    layers: list[Spec] = []
    for _ in range(count):
        kind = rng.choice(("dilated", "ceil-pool", "transposed", "conv", "rect"))
        if kind == "dilated":
            spec = _conv(rng, channels, stride=rng.choice((1, 1, 2)))
            spec["dilation"] = rng.choice((2, 2, 3, 4))
        elif kind == "ceil-pool":
            spec = _pool(rng)
            spec["ceil_mode"] = True
        elif kind == "transposed":
            stride = rng.choice((1, 2, 2, 3))
            spec = {"type": "conv_transpose2d", "out_channels": rng.choice((4, 8, 16)),
                    "kernel": rng.choice((2, 3, 4, 5)), "stride": stride,
                    "padding": rng.randint(0, 2)}
            if stride > 1 and rng.random() < 0.4:
                spec["output_padding"] = rng.randint(1, stride - 1)
        elif kind == "rect":
            spec = _conv(rng, channels, stride=1)
            spec["kernel"] = [rng.choice((1, 3, 5, 7)), rng.choice((1, 3, 5, 7))]
            spec["stride"] = [rng.choice((1, 2)), rng.choice((1, 2))]
        else:
            spec = _conv(rng, channels, stride=rng.choice((1, 2, 3)))
        layers.append(spec)
    return shape, layers


def _conv(rng: random.Random, channels: int | None, stride: int) -> Spec:
    kernel = rng.choice((2, 3, 3, 4, 5, 5, 7))
    spec: Spec = {"type": "conv2d", "kernel": kernel, "stride": stride}
    if rng.random() < 0.6:
        spec["padding"] = rng.randint(0, kernel // 2 + 1)
    if channels is not None:
        spec["out_channels"] = rng.choice((4, 8, 16, 32, 64))
    return spec


def _pool(rng: random.Random) -> Spec:
    kernel = rng.choice((2, 2, 3))
    spec: Spec = {"type": rng.choice(("maxpool2d", "avgpool2d")), "kernel": kernel}
    if rng.random() < 0.5:
        spec["stride"] = rng.choice((1, 2, 3))
    if rng.random() < 0.3:
        spec["padding"] = rng.randint(0, kernel // 2)
    return spec


_DRAWS: dict[str, Callable[[random.Random], Draw]] = {
    "easy": _easy, "medium": _medium, "hard": _hard,
}


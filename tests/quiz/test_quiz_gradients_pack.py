"""The gradient-shapes pack says what autograd does: a one-layer puzzle's answer is the shape of
the gradient out.backward() takes, a conv-then-transposed puzzle's answer is the shape of the
x.grad autograd gives (except the one that shows why output_padding is needed), and the
transposed layer written there computes autograd's x.grad itself."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from convtui.quiz.loader import load_packs

#: The puzzle whose transposed layer leaves out output_padding on purpose: one short of x.
SHORT = "odd-size-no-output-padding"


def _pack():
    packs, _ = load_packs(include_user_dir=False)
    return next(pack for pack in packs if pack.id == "gradients")


def _args(layer) -> dict:
    return {"stride": layer.stride, "padding": layer.padding, "dilation": layer.dilation,
            "groups": layer.groups}


def test_every_answer_is_the_shape_autograd_gives() -> None:
    puzzles = _pack().puzzles
    assert len(puzzles) >= 8 and any(p.id == SHORT for p in puzzles)
    for puzzle in puzzles:
        board = len(puzzle.input_shape) == 2
        shape = (1, 1, *puzzle.input_shape) if board else puzzle.input_shape
        conv = puzzle.layers[0]
        x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
        weight = torch.randn((conv.out_channels or 1, shape[1] // conv.groups, *conv.kernel),
                             dtype=torch.float64)
        out = F.conv2d(x, weight, None, **_args(conv))
        grad = torch.randn(out.shape, dtype=torch.float64)
        out.backward(grad)
        answer = (1, 1, *puzzle.answer) if board else puzzle.answer
        if len(puzzle.layers) == 1:
            assert answer == tuple(out.shape), puzzle.id  # what out.backward(grad) takes
            continue
        back = puzzle.layers[1]
        assert back.type == "conv_transpose2d" and back.kernel == conv.kernel, puzzle.id
        again = F.conv_transpose2d(grad, weight, None, back.stride, back.padding,
                                   back.output_padding, back.groups, back.dilation)
        if puzzle.id == SHORT:
            assert answer == tuple(again.shape) != tuple(x.grad.shape)
            continue
        assert answer == tuple(x.grad.shape), puzzle.id
        torch.testing.assert_close(again, x.grad)  # the transposed layer is autograd's x.grad

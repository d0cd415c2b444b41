"""The Channels lesson's step says exactly what nn.Conv2d computes: the output cell, the input
channels its filter reads (measured with autograd), each channel's partial sum, the bias; and
its parameter and MAC counts (standard, grouped, depthwise, pointwise, depthwise-separable)
are the modules' own.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from convtui.lessons.channels import PRESETS, ChannelsLesson, preset_lesson, separable_cost

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def lessons(draw: st.DrawFn) -> ChannelsLesson:
    groups = draw(st.integers(1, 4))
    c_in, c_out = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h, w = draw(st.integers(kh, kh + 4)), draw(st.integers(kw, kw + 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lesson = ChannelsLesson(rng.standard_normal((c_in, h, w)),
                            rng.standard_normal((c_out, c_in // groups, kh, kw)),
                            rng.standard_normal(c_out), stride, padding, groups=groups)
    return lesson.with_(step=draw(st.integers(0, lesson.step_count - 1)))


def torch_layer(lesson: ChannelsLesson) -> nn.Conv2d:
    conv = nn.Conv2d(lesson.in_channels, lesson.out_channels, lesson.kernel, lesson.stride,
                     lesson.padding, lesson.dilation, lesson.groups, dtype=torch.float64)
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(lesson.weight))
        conv.bias.copy_(torch.from_numpy(lesson.bias))
    return conv


@SETTINGS
@given(lessons())
def test_the_step_is_the_cell_nn_conv2d_computes_from_the_channels_it_reads(
    lesson: ChannelsLesson,
) -> None:
    torch.set_num_threads(1)
    conv = torch_layer(lesson)
    x = torch.from_numpy(lesson.x.copy()).requires_grad_()
    out = conv(x)
    np.testing.assert_allclose(lesson.output, out.detach().numpy(), rtol=0, atol=1e-9)
    step = lesson.current
    assert step.total == pytest.approx(out[step.out_channel, step.row, step.col].item(),
                                       abs=1e-9)
    out[step.out_channel, step.row, step.col].backward()
    read = {int(c) for c in np.nonzero(np.abs(x.grad.numpy()).sum(axis=(1, 2)))[0]}
    assert read <= set(step.channels)  # weights may be 0 on padding-only windows
    # each channel's partial sum: that channel alone through its slice of the filter
    first = step.channels.start
    for i, c in enumerate(step.channels):
        alone = F.conv2d(torch.from_numpy(lesson.x[c : c + 1]),
                         torch.from_numpy(lesson.weight[step.out_channel, c - first][None, None]),
                         stride=lesson.stride, padding=lesson.padding)
        assert step.partial_sums[i] == pytest.approx(alone[0, step.row, step.col].item(),
                                                     abs=1e-9)
    assert step.bias == lesson.bias[step.out_channel]


@SETTINGS
@given(lessons())
def test_costs_are_the_modules_counts(lesson: ChannelsLesson) -> None:
    conv = torch_layer(lesson)
    assert lesson.cost.params == sum(p.numel() for p in conv.parameters())
    standard = nn.Conv2d(lesson.in_channels, lesson.out_channels, lesson.kernel,
                         lesson.stride, lesson.padding)
    assert lesson.standard_cost.params == sum(p.numel() for p in standard.parameters())
    oh, ow = lesson.output.shape[1:]
    assert lesson.cost.macs == conv.weight.numel() * oh * ow
    assert lesson.standard_cost.macs == standard.weight.numel() * oh * ow


@SETTINGS
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 3), st.integers(3, 9),
       st.integers(0, 1))
def test_separable_cost_is_depthwise_then_pointwise(
    c_in: int, c_out: int, k: int, size: int, padding: int
) -> None:
    cost = separable_cost((c_in, size, size), c_out, (k, k), padding=(padding, padding))
    block = nn.Sequential(nn.Conv2d(c_in, c_in, k, padding=padding, groups=c_in),
                          nn.Conv2d(c_in, c_out, 1))
    assert cost.params == sum(p.numel() for p in block.parameters())
    standard = nn.Conv2d(c_in, c_out, k, padding=padding)
    assert cost.standard.params == sum(p.numel() for p in standard.parameters())
    out = block(torch.zeros(1, c_in, size, size))
    assert out.shape[2:] == standard(torch.zeros(1, c_in, size, size)).shape[2:]
    assert cost.macs == (block[0].weight.numel() + block[1].weight.numel()) * out[0, 0].numel()


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_has_the_groups_its_name_says(name: str) -> None:
    lesson = preset_lesson(name, in_channels=4, out_channels=8)
    expected = {"standard": 1, "grouped": 2, "depthwise": 4, "pointwise": 1, "separable": 4}
    assert lesson.groups == expected[name]
    assert lesson.kernel == ((1, 1) if name == "pointwise" else (3, 3))
    if lesson.groups == lesson.in_channels:  # depthwise: each filter reads one channel
        assert all(len(lesson.channels_of(g)) == 1 for g in range(lesson.groups))


def test_a_refused_layer_is_a_value_error_and_a_step_past_the_end_an_index_error() -> None:
    lesson = preset_lesson("standard")
    with pytest.raises(ValueError, match=r"^groups: in_channels"):
        lesson.with_(groups=3)
    last = lesson.step_count - 1
    with pytest.raises(IndexError, match=rf"^step {last + 1} is outside 0\.\.{last}$"):
        lesson.with_(step=lesson.step_count)

"""output_size and transposed_output_size agree with the shapes torch actually produces.

Each case runs a real one-column tensor through torch (conv2d, max_pool2d with ceil_mode, and
conv_transpose2d) and reads the height off the result, so the formula is checked against what
PyTorch does rather than against a copy of its formula.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from core_torch_reference import examples, run_torch
from hypothesis import event, given
from hypothesis import strategies as st

from convtui.core import output_size, transposed_output_size
from convtui.core.geometry import pool_output_size


def column(size: int) -> torch.Tensor:
    return torch.zeros((1, 1, size, 1), dtype=torch.float64)


def assert_same_height(ours, theirs) -> None:
    """Our size equals the height of torch's output, or both refuse."""
    result = run_torch(theirs)
    if isinstance(result, Exception):
        event("torch refused")
        with pytest.raises(ValueError):
            ours()
    else:
        event("same size")
        assert ours() == result.shape[2]


@examples(1500)
@given(
    size=st.integers(1, 260), kernel=st.integers(1, 12), stride=st.integers(1, 6),
    padding=st.integers(0, 6), dilation=st.integers(1, 4),
)
def test_output_size_is_the_height_conv2d_produces(
    size: int, kernel: int, stride: int, padding: int, dilation: int
) -> None:
    assert_same_height(
        lambda: output_size(size, kernel, stride, padding, dilation),
        lambda: F.conv2d(column(size), column(kernel), stride=(stride, 1),
                         padding=(padding, 0), dilation=(dilation, 1)),
    )


@examples(1500)
@given(
    size=st.integers(1, 40), kernel=st.integers(1, 8), stride=st.integers(1, 6),
    dilation=st.integers(1, 3), ceil_mode=st.booleans(), data=st.data(),
)
def test_output_size_with_ceil_mode_is_the_height_max_pool2d_produces(
    size: int, kernel: int, stride: int, dilation: int, ceil_mode: bool, data: st.DataObject
) -> None:
    padding = data.draw(st.integers(0, kernel // 2), label="padding")  # what pooling accepts

    def pool() -> torch.Tensor:
        return F.max_pool2d(column(size), (kernel, 1), (stride, 1), (padding, 0), (dilation, 1),
                            ceil_mode)

    assert_same_height(
        lambda: output_size(size, kernel, stride, padding, dilation, ceil_mode), pool)
    assert_same_height(
        lambda: pool_output_size(size, kernel, stride, padding, dilation, ceil_mode), pool)


@examples(1000)
@given(
    size=st.integers(1, 40), kernel=st.integers(1, 6), stride=st.integers(1, 5),
    padding=st.integers(0, 6), output_padding=st.integers(0, 4), dilation=st.integers(1, 4),
)
def test_transposed_output_size_is_the_height_conv_transpose2d_produces(
    size: int, kernel: int, stride: int, padding: int, output_padding: int, dilation: int
) -> None:
    assert_same_height(
        lambda: transposed_output_size(size, kernel, stride, padding, output_padding, dilation),
        lambda: F.conv_transpose2d(column(size), column(kernel), stride=(stride, 1),
                                   padding=(padding, 0), output_padding=(output_padding, 0),
                                   dilation=(dilation, 1)),
    )


@examples(500)
@given(size=st.integers(1, 12), kernel=st.integers(1, 6), padding=st.integers(0, 6),
       data=st.data())
def test_pool_output_size_refuses_the_padding_torch_refuses(
    size: int, kernel: int, padding: int, data: st.DataObject
) -> None:
    stride = data.draw(st.integers(1, 4), label="stride")
    ceil_mode = data.draw(st.booleans(), label="ceil_mode")
    assert_same_height(
        lambda: pool_output_size(size, kernel, stride, padding, 1, ceil_mode),
        lambda: F.max_pool2d(column(size), (kernel, 1), (stride, 1), (padding, 0),
                             ceil_mode=ceil_mode),
    )

"""The PyTorch tab of the Stepper, Flip and Pooling panels is a complete script: run with torch,
it prints exactly the numbers the panel shows, for any setting a student can reach (random
ones, Hypothesis), for an MNIST digit, and for the normalised digit Train opens."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from convtui.core.geometry import PADDING_MODES
from convtui.lessons.conv import ConvLesson
from convtui.lessons.flip import FlipLesson
from convtui.lessons.pool import PoolLesson
from convtui.training.idx import load_split
from convtui.training.mnist_source import MEAN, STD
from convtui.ui.flip.views import convolution_view, correlation_view, difference_view, flip_code
from convtui.ui.panel.conv_views import output_view, pytorch_code
from convtui.ui.pool.views import output_view as pool_output_view
from convtui.ui.pool.views import pytorch_code as pool_code
from tests.ui.lesson_scripts import printed_tensors, shown

pytest.importorskip("torch")
EXAMPLES = settings(max_examples=15, deadline=None)
pairs = st.tuples(st.integers(1, 3), st.integers(1, 3))


@st.composite
def arrays(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    """Small integers like the random presets, or floats like a normalised digit."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        return rng.integers(-9, 10, shape).astype(np.float64)
    return rng.normal(0, 2, shape)


paddings = st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                     st.sampled_from(["same", "valid"]))


@st.composite
def conv_lessons(draw: st.DrawFn, channels: int = 3) -> ConvLesson:
    c = draw(st.integers(1, channels))
    h, w = draw(st.integers(3, 7)), draw(st.integers(3, 7))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    try:
        return ConvLesson(
            draw(arrays((c, h, w))), draw(arrays((c, kh, kw))),
            bias=draw(st.sampled_from([0.0, 1.0, -0.5, 0.3])), stride=draw(pairs),
            padding=draw(paddings), dilation=draw(st.tuples(st.integers(1, 2),
                                                            st.integers(1, 2))),
            padding_mode=draw(st.sampled_from(PADDING_MODES)), flip=draw(st.booleans()))
    except ValueError:  # a combination PyTorch refuses too (e.g. 'same' with stride 2)
        reject()


@given(conv_lessons())
@EXAMPLES
def test_the_stepper_script_prints_the_output_grid(lesson: ConvLesson) -> None:
    assert printed_tensors(pytorch_code(lesson)) == [shown(output_view(lesson).values)]


@given(conv_lessons(channels=1))
@EXAMPLES
def test_the_flip_script_prints_both_outputs_and_their_difference(lesson: ConvLesson) -> None:
    flip = FlipLesson(lesson.with_(flip=False, bias=0.0, dilation=(1, 1),
                                   padding_mode="zeros"))
    assert printed_tensors(flip_code(flip)) == [
        shown(view(flip).values) for view in (correlation_view, convolution_view,
                                              difference_view)]


@st.composite
def pool_lessons(draw: st.DrawFn) -> PoolLesson:
    kind = draw(st.sampled_from(["max", "avg"]))
    try:
        return PoolLesson(
            draw(arrays((draw(st.integers(2, 8)), draw(st.integers(2, 8))))), kind=kind,
            kernel_size=draw(pairs), stride=draw(st.one_of(st.none(), pairs)),
            padding=draw(st.tuples(st.integers(0, 1), st.integers(0, 1))),
            dilation=draw(pairs) if kind == "max" else (1, 1),
            ceil_mode=draw(st.booleans()), count_include_pad=draw(st.booleans()))
    except ValueError:  # e.g. padding over half the kernel: PyTorch refuses it too
        reject()


def _indices(lesson: PoolLesson) -> list[int | None]:
    """Where each output cell's maximum sits, as the arithmetic tab says for each step (None
    where the window holds only padding: the panel says so and names no index)."""
    return [lesson.trace.step(i).index for i in range(lesson.step_count)]


@given(pool_lessons())
@EXAMPLES
def test_the_pooling_script_prints_the_output_and_where_each_maximum_is(
    lesson: PoolLesson,
) -> None:
    printed = printed_tensors(pool_code(lesson))
    assert printed[0] == shown(pool_output_view(lesson).values)
    if lesson.kind == "avg":
        assert len(printed) == 1
        return
    indices = [v for row in printed[1] for v in row]
    assert len(indices) == lesson.step_count
    assert all(ours is None or ours == theirs
               for ours, theirs in zip(_indices(lesson), indices, strict=True))


@pytest.fixture
def digit(mnist_dir) -> np.ndarray:
    return load_split(mnist_dir, "test").images[0].astype(np.float64)


def test_an_mnist_digit_and_the_normalised_digit_from_train(digit: np.ndarray) -> None:
    sobel = np.array([[[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]])
    normalised = (digit / 255 - MEAN) / STD
    for image in (digit, normalised):
        lesson = ConvLesson(image[None], sobel, padding=1)
        assert printed_tensors(pytorch_code(lesson)) == [shown(lesson.trace.output)]
    for kind in ("max", "avg"):
        lesson = PoolLesson(digit, kind=kind)
        assert printed_tensors(pool_code(lesson))[0] == shown(lesson.trace.output)

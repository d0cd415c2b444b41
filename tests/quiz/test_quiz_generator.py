"""Random practice: always valid (the engine traces it), repeatable by seed, and each level
asks what it promises. Generated answers are checked against torch too."""

from __future__ import annotations

from itertools import islice

import pytest
from quiz_torch import torch_output_shape

from convtui.quiz.answers import check_answer
from convtui.quiz.generator import DIFFICULTIES, PracticeGenerator


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_generated_puzzles_are_always_valid(difficulty: str) -> None:
    for seed in range(100):
        for puzzle in islice(PracticeGenerator(difficulty, seed=seed), 10):
            assert puzzle.trace.error is None
            assert len(puzzle.answer) == len(puzzle.input_shape) == len(puzzle.dims)
            assert min(puzzle.answer) >= 1
            assert puzzle.prompt.endswith(f"What is the output shape [{', '.join(puzzle.dims)}]?")
            assert puzzle.difficulty == difficulty and puzzle.pack_id == "practice"
            assert check_answer(puzzle, list(puzzle.answer)).correct


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_generated_answers_match_torch(difficulty: str) -> None:
    for puzzle in islice(PracticeGenerator(difficulty, seed=2024), 150):
        assert torch_output_shape(puzzle, small_batch=True) == puzzle.answer, puzzle.prompt


def test_same_seed_same_puzzles_and_ids_count_up() -> None:
    first = [p.prompt for p in islice(PracticeGenerator("hard", seed=7), 20)]
    again = [p.prompt for p in islice(PracticeGenerator("hard", seed=7), 20)]
    other = [p.prompt for p in islice(PracticeGenerator("hard", seed=8), 20)]
    assert first == again != other
    ids = [p.id for p in islice(PracticeGenerator("medium", seed=1), 3)]
    assert ids == ["medium-1", "medium-2", "medium-3"]


def sample(difficulty: str, count: int = 300):
    return list(islice(PracticeGenerator(difficulty, seed=11), count))


def test_easy_is_one_convolution_with_stride_1() -> None:
    for puzzle in sample("easy"):
        (layer,) = puzzle.layers
        assert layer.type == "conv2d" and layer.stride == (1, 1) and layer.dilation == (1, 1)
        assert len(puzzle.input_shape) == 2


def test_medium_uses_strides_padding_and_pooling_but_nothing_hard() -> None:
    layers = [layer for p in sample("medium") for layer in p.layers]
    types = {layer.type for layer in layers}
    assert {"conv2d", "maxpool2d", "avgpool2d"} <= types
    assert "conv_transpose2d" not in types
    assert any(getattr(layer, "stride", None) not in (None, (1, 1)) for layer in layers)
    assert {"same", "valid"} <= {layer.padding for layer in layers if layer.type == "conv2d"
                                 and isinstance(layer.padding, str)}
    assert not any(getattr(layer, "ceil_mode", False) for layer in layers)
    assert all(getattr(layer, "dilation", (1, 1)) == (1, 1) for layer in layers)


def test_hard_brings_dilation_ceil_mode_transposed_and_chains() -> None:
    puzzles = sample("hard")
    layers = [layer for p in puzzles for layer in p.layers]
    assert any(getattr(layer, "dilation", (1, 1)) != (1, 1) for layer in layers)
    assert any(getattr(layer, "ceil_mode", False) for layer in layers)
    assert any(layer.type == "conv_transpose2d" for layer in layers)
    assert any(len(p.layers) >= 3 for p in puzzles)
    assert all(len(p.input_shape) == 4 for p in puzzles)


def test_generated_hints_name_the_relevant_rules() -> None:
    for puzzle in sample("hard", 100):
        if any(getattr(layer, "ceil_mode", False) for layer in puzzle.layers):
            assert "ceil_mode rounds up" in puzzle.hint
            assert "ceil_mode=True" in puzzle.prompt
        if any(layer.type == "conv_transpose2d" for layer in puzzle.layers):
            assert "output_padding + 1" in puzzle.hint


def test_unknown_difficulty_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="difficulty: expected one of easy, medium, hard, "
                                         "got 'expert'"):
        PracticeGenerator("expert")

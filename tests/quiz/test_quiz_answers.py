"""Grading answers field by field, unreadable input, and the worked explanation."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convtui import i18n
from convtui.quiz.answers import check_answer, explain, explanation_text, split_answer
from convtui.quiz.loader import load_packs


@pytest.fixture(scope="module")
def puzzles():
    packs, problems = load_packs(include_user_dir=False)
    assert problems == []
    return {p.id: p for pack in packs for p in pack.puzzles}


def test_right_answer_from_ints_and_from_text(puzzles) -> None:
    puzzle = puzzles["first-cnn-conv-pool"]
    for answer in ([1, 5, 12, 12], ["1", " 5", "12 ", "12"]):
        check = check_answer(puzzle, answer)
        assert check.readable and check.correct
        assert check.values == (1, 5, 12, 12)
        assert check.wrong_dims == ()


def test_wrong_answer_says_which_dimensions(puzzles) -> None:
    check = check_answer(puzzles["first-cnn-conv-pool"], ["1", "1", "12", "13"])
    assert check.readable and not check.correct
    assert check.wrong_dims == ("C", "W")
    assert [(f.dim, f.correct, f.expected) for f in check.fields] == [
        ("N", True, 1), ("C", False, 5), ("H", True, 12), ("W", False, 12)]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "H: 'abc' is not a number; type digits only, e.g. 28"),
        ("29.5", "H: '29.5' is not a whole number; sizes are whole numbers (the formula "
                 "rounds down)"),
        ("", "H: enter a number"),
        ("0", "H: a size is at least 1, got 0"),
        ("-3", "H: a size is at least 1, got -3"),
    ],
)
def test_unreadable_field_gets_a_message_and_is_not_graded(puzzles, typed, message) -> None:
    check = check_answer(puzzles["conv-64-k7-s2"], [typed, "29"])
    assert not check.readable and not check.correct
    assert check.errors == (message,)


@pytest.mark.parametrize("typed", ["٣", "٥٥", "５５", "5_5", "²", "55\u0665"])
def test_digits_other_than_ascii_are_not_numbers(puzzles, typed) -> None:
    check = check_answer(puzzles["alexnet-conv1"], [typed, "55"])
    assert not check.readable
    assert check.errors == (f"H: {typed!r} is not a number; type digits only, e.g. 28",)


@given(st.text(max_size=8))
def test_any_text_is_read_only_if_it_is_ascii_digits(puzzles, typed) -> None:
    (field,) = check_answer(puzzles["alexnet-conv1"], [typed, "55"]).fields[:1]
    whole = re.fullmatch(r"\s*[+-]?[0-9]+\s*", typed) is not None
    assert (field.value is not None) == (whole and int(typed) >= 1)
    if field.value is not None:
        assert field.value == int(typed)


def test_letters_in_several_fields_each_get_a_message(puzzles) -> None:
    check = check_answer(puzzles["lab-mnist-cnn"], ["1", "sixty-four", "7", "x"])
    assert check.errors == (
        "C: 'sixty-four' is not a number; type digits only, e.g. 28",
        "W: 'x' is not a number; type digits only, e.g. 28",
    )


def test_wrong_number_of_fields(puzzles) -> None:
    check = check_answer(puzzles["lab-mnist-cnn"], [7, 7])
    assert check.errors == ("expected 4 numbers [N, C, H, W], got 2",)
    assert not check.correct


def test_split_answer_accepts_the_usual_ways_to_write_a_shape() -> None:
    for text in ("1x5x12x12", "[1, 5, 12, 12]", "1 5 12 12", "(1,5,12,12)", "1×5×12×12"):
        assert split_answer(text) == ["1", "5", "12", "12"]


def test_explanation_shows_the_engines_steps_with_the_floor(puzzles) -> None:
    (step,) = explain(puzzles["conv-64-k7-s2"])
    assert step.in_shape == (64, 64) and step.out_shape == (29, 29)
    assert step.lines == (
        "H and W: (64 - 7 + 2×0) / 2 + 1 = 57 / 2 + 1 = 29.5",
        "         29.5 is not whole: floor it → 29",
    )


def test_explanation_of_a_chain_gives_the_shape_after_every_layer(puzzles) -> None:
    steps = explain(puzzles["lab-mnist-cnn"])
    assert [s.out_shape for s in steps] == [
        (1, 32, 28, 28), (1, 32, 28, 28), (1, 32, 14, 14),
        (1, 64, 14, 14), (1, 64, 14, 14), (1, 64, 7, 7),
    ]
    assert steps[0].heading == ("1. Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), "
                                "padding=(1, 1)): [1, 1, 28, 28] → [1, 32, 28, 28]")
    assert steps[0].lines[0] == "C: one channel per filter: out_channels = 32"
    assert steps[1].lines == ("the shape does not change: this layer works element by element",)
    assert steps[2].lines[0] == "C: pooling keeps the 32 channels"
    text = explanation_text(puzzles["lab-mnist-cnn"])
    assert text.endswith("Output shape: [1, 64, 7, 7]")
    assert "H and W: (14 - 2 + 2×0) / 2 + 1 = 12 / 2 + 1 = 7" in text


def test_explanation_keeps_height_and_width_apart_when_they_differ(puzzles) -> None:
    (step,) = explain(puzzles["tall-kernel-strided"])
    assert step.lines == (
        "C: one channel per filter: out_channels = 4",
        "H: (100 - 5 + 2×1) / 2 + 1 = 97 / 2 + 1 = 49.5",
        "   49.5 is not whole: floor it → 49",
        "W: (40 - 3 + 2×1) / 1 + 1 = 39 / 1 + 1 = 40",
    )


def test_messages_and_the_explanation_follow_the_language(puzzles) -> None:
    """The same check read in Korean; the engine's lines keep lining up under the wider
    Korean label (two columns per syllable)."""
    i18n.set_language("ko")
    check = check_answer(puzzles["conv-64-k7-s2"], ["스물아홉", "0"])
    assert check.errors == ("H: '스물아홉'은 숫자가 아닙니다. 28처럼 숫자만 입력하세요",
                            "W: 크기는 1 이상입니다 (입력: 0)")
    (step,) = explain(puzzles["conv-64-k7-s2"])
    first, second = step.lines
    assert first.startswith("H와 W: (64 - 7 + 2×0) / 2 + 1 = 57 / 2 + 1 = 29.5")
    assert second.startswith(" " * 7 + "29.5")  # under "(": "H와 W: " takes 7 columns
    assert explanation_text(puzzles["lab-mnist-cnn"]).splitlines()[-1] == \
        "출력 형태: [1, 64, 7, 7]"
    assert explain(puzzles["lab-mnist-cnn"])[0].lines[0] == \
        "C: 필터 하나가 채널 하나를 만듭니다: out_channels = 32"

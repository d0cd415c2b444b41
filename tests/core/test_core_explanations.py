"""The worked derivations the Shapes panel and the quiz print, line by line."""

from __future__ import annotations

from convtui.core import explain_output_size, explain_transposed_output_size


def test_a_whole_result_needs_no_rounding_line() -> None:
    explanation = explain_output_size(227, 11, stride=4)
    assert explanation.value == 55
    assert explanation.lines == ("(227 - 11 + 2×0) / 4 + 1 = 216 / 4 + 1 = 55",)


def test_a_fractional_result_is_floored_and_says_so() -> None:
    explanation = explain_output_size(4, 3, stride=2, padding=1)
    assert explanation.value == 2
    assert explanation.lines == (
        "(4 - 3 + 2×1) / 2 + 1 = 3 / 2 + 1 = 2.5",
        "2.5 is not whole: floor it → 2",
    )


def test_a_repeating_fraction_is_shown_to_four_places() -> None:
    assert explain_output_size(10, 3, stride=3).lines[0] == (
        "(10 - 3 + 2×0) / 3 + 1 = 7 / 3 + 1 = 3.3333")


def test_ceil_mode_rounds_up_instead() -> None:
    explanation = explain_output_size(6, 3, stride=2, ceil_mode=True)
    assert explanation.value == 3
    assert explanation.lines == (
        "(6 - 3 + 2×0) / 2 + 1 = 3 / 2 + 1 = 2.5",
        "ceil_mode=True: round up → 3",
    )


def test_ceil_mode_drops_a_last_window_that_would_start_in_the_right_padding() -> None:
    explanation = explain_output_size(5, 2, stride=2, padding=1, ceil_mode=True)
    assert explanation.value == 3
    assert explanation.lines == (
        "(5 - 2 + 2×1) / 2 + 1 = 5 / 2 + 1 = 3.5",
        "ceil_mode=True: round up → 4",
        "the last window would start at 6, past the input and its left padding (6), so it is "
        "dropped → 3",
    )


def test_ceil_mode_drop_rule_applies_even_when_nothing_was_rounded() -> None:
    """PyTorch checks the last window after rounding whether or not the division was exact."""
    explanation = explain_output_size(1, 1, stride=1, padding=1, ceil_mode=True)
    assert explanation.value == 2
    assert explanation.lines == (
        "(1 - 1 + 2×1) / 1 + 1 = 2 / 1 + 1 = 3",
        "the last window would start at 2, past the input and its left padding (2), so it is "
        "dropped → 2",
    )


def test_ceil_mode_keeps_a_last_window_that_starts_inside_the_input() -> None:
    explanation = explain_output_size(5, 2, stride=2, ceil_mode=True)
    assert explanation.value == 3
    assert explanation.lines[-1] == "ceil_mode=True: round up → 3"


def test_dilation_first_works_out_the_kernel_span() -> None:
    explanation = explain_output_size(7, 3, stride=2, dilation=2)
    assert explanation.value == 2
    assert explanation.lines == (
        "dilated kernel: 2×(3 - 1) + 1 = 5",
        "(7 - 5 + 2×0) / 2 + 1 = 2 / 2 + 1 = 2",
    )


def test_transposed_explanation_shows_the_whole_formula() -> None:
    explanation = explain_transposed_output_size(3, 3, stride=2, padding=1, output_padding=1)
    assert explanation.value == 6
    assert explanation.text == "(3 - 1)×2 - 2×1 + 3 + 1 = 6"


def test_transposed_explanation_with_dilation_spells_out_the_span() -> None:
    explanation = explain_transposed_output_size(3, 3, stride=2, padding=1, output_padding=1,
                                                 dilation=2)
    assert explanation.value == 8
    assert explanation.text == "(3 - 1)×2 - 2×1 + 2×(3 - 1) + 1 + 1 = 8"

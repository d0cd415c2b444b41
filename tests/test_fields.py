"""Settings fields read exactly what is typed: ASCII numbers in the documented forms, nothing
guessed from trailing junk ("2 x") or from digits of other scripts ("٣")."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convtui.fields import FieldError, parse_float, parse_int, parse_padding, parse_pair


@pytest.mark.parametrize(("text", "pair"), [
    ("2", (2, 2)), (" 7 ", (7, 7)), ("1,2", (1, 2)), ("1x2", (1, 2)), ("1×2", (1, 2)),
    ("1 2", (1, 2)), ("1 , 2", (1, 2)), ("(1, 2)", (1, 2)), ("[3x4]", (3, 4)), ("12", (12, 12)),
])
def test_pairs_in_the_documented_forms(text: str, pair: tuple[int, int]) -> None:
    assert parse_pair(text, "stride") == pair


@pytest.mark.parametrize("text", [
    "2 x", "2x", "x2", "1,2,3", "1,,2", "(2", "2)", "(1,2]", "٣", "2,٣", "1_0", "²", "2.0", "",
])
def test_anything_else_is_refused_with_what_was_typed(text: str) -> None:
    with pytest.raises(FieldError) as err:
        parse_pair(text, "stride")
    assert str(err.value) == f"stride: expected a number like 2 or a pair like 1,2, got {text!r}"


@pytest.mark.parametrize("text", ["٣", "1_0", "3 4", "+", "0x10", "３"])
def test_an_int_field_takes_ascii_digits_only(text: str) -> None:
    with pytest.raises(FieldError):
        parse_int(text, "channels")


@pytest.mark.parametrize(("text", "value"), [
    ("1.5", 1.5), ("-2", -2.0), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("-inf", -float("inf")),
])
def test_a_number_field_takes_decimals(text: str, value: float) -> None:
    assert parse_float(text, "bias") == value


@pytest.mark.parametrize("text", ["٣.٥", "1_0.5", "1.5.", "infinity", "1,5", "½"])
def test_a_number_field_refuses_other_forms(text: str) -> None:
    with pytest.raises(FieldError):
        parse_float(text, "bias")


def test_padding_refuses_trailing_junk() -> None:
    assert parse_padding("same") == "same" and parse_padding("1, 2") == (1, 2)
    with pytest.raises(FieldError):
        parse_padding("1 x")


@given(st.text(alphabet=st.sampled_from(" 0123456789+-,x×()[]٣_.a\t"), max_size=10)
       | st.text(max_size=10))
def test_random_text_is_a_number_only_when_it_is_one(text: str) -> None:
    number = r"[+-]?[0-9]+"
    pair = rf"{number}((\s*[,x×]\s*|\s+){number})?"
    is_int = re.fullmatch(rf"\s*{number}\s*", text) is not None
    is_pair = re.fullmatch(rf"\s*(\(\s*{pair}\s*\)|\[\s*{pair}\s*\]|{pair})\s*", text) is not None
    try:
        assert parse_int(text, "n") == int(text)
    except FieldError:
        assert not is_int
    else:
        assert is_int
    try:
        h, w = parse_pair(text, "n")
    except FieldError:
        assert not is_pair
    else:
        assert is_pair
        numbers = [int(n) for n in re.findall(number, text)]
        assert (h, w) == (numbers[0], numbers[-1])

"""How the Quiz looks, at the smallest supported terminal and a roomy one, in English and in
Korean (two columns per syllable: nothing may be cut or overlap)."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.launch import Launch
from convtui.ui.app import ConvtuiApp

SIZES = [(80, 24), (120, 40)]
#: Lecture exercise 1 answered right, then exercise 2.
TO_EXERCISE_2 = ["enter", "5", "5", "tab", "5", "5", "enter", "n"]


def quiz_app() -> ConvtuiApp:
    return ConvtuiApp("quiz", Launch())


@pytest.mark.parametrize("size", SIZES)
def test_quiz_pack_list(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(quiz_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_puzzle_with_its_worked_answer(snap_compare, size: tuple[int, int]) -> None:
    """Lecture exercise 2 answered right after exercise 1: the floor step is on screen."""
    keys = [*TO_EXERCISE_2, "2", "9", "tab", "2", "9", "enter"]
    assert snap_compare(quiz_app(), press=keys, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_pack_list_in_korean(snap_compare, size: tuple[int, int]) -> None:
    i18n.set_language("ko")
    assert snap_compare(quiz_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_wrong_answer_then_f2_to_korean(snap_compare, size: tuple[int, int]) -> None:
    """Exercise 2 answered wrong in English, then F2: the verdict and hint in Korean, the
    typed answer still marked."""
    keys = [*TO_EXERCISE_2, "2", "8", "tab", "2", "9", "enter", "f2"]

    async def answer_then_switch(pilot) -> None:  # one key at a time: steady under load
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    assert snap_compare(quiz_app(), run_before=answer_then_switch, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_worked_answer_in_korean(snap_compare, size: tuple[int, int]) -> None:
    i18n.set_language("ko")
    keys = [*TO_EXERCISE_2, "2", "9", "tab", "2", "9", "enter"]
    assert snap_compare(quiz_app(), press=keys, terminal_size=size)

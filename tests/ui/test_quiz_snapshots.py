"""How the Quiz looks, at the smallest supported terminal and a roomy one."""

from __future__ import annotations

import argparse

import pytest

from convtui.ui.app import ConvtuiApp


def quiz_app() -> ConvtuiApp:
    return ConvtuiApp("quiz", argparse.Namespace(pack=[], practice=None))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_quiz_pack_list(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(quiz_app(), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_quiz_puzzle_with_its_worked_answer(snap_compare, size: tuple[int, int]) -> None:
    """Lecture exercise 2 answered right after exercise 1: the floor step is on screen."""
    keys = ["enter", "5", "5", "tab", "5", "5", "enter", "n", "2", "9", "tab", "2", "9", "enter"]
    assert snap_compare(quiz_app(), press=keys, terminal_size=size)

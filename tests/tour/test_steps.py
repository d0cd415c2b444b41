"""The tour's steps: the lesson in order, each opening a real panel with a preset it has, and
explained in both languages."""

from __future__ import annotations

import re

import pytest

from convtui import i18n
from convtui.i18n import LANGUAGES
from convtui.tour import STEPS
from convtui.ui.panels import PANELS, panel

LESSON = [
    ("stepper", "lecture"),         # what a convolution computes: the 5x5 example
    ("stepper", "stride-padding"),
    ("quiz", "tour"),               # the output-size formula and a few puzzles
    ("stepper", "multichannel"),    # channels and the neuron view
    ("pool", "lecture"),
    ("flip", "lecture"),            # convolution vs cross-correlation
    ("backward", "lecture"),        # the lecture's example backpropagated
    ("transposed", "lecture_backwards"),  # the lecture's example run backwards, 3x3 -> 5x5
    ("shapes", "lecture"),          # shapes through the lecture's small CNN
    ("train", "tiny"),              # a short training run
]


def test_the_steps_follow_the_lesson_between_a_welcome_and_a_farewell() -> None:
    assert [(s.panel, s.preset) for s in STEPS if s.panel] == LESSON
    assert STEPS[0].panel is None and STEPS[-1].panel is None
    assert len({s.name for s in STEPS}) == len(STEPS)


@pytest.mark.parametrize("step", [s for s in STEPS if s.panel], ids=lambda s: s.name)
def test_every_step_opens_a_panel_with_a_preset_it_has(step) -> None:
    names = [p.name for p in PANELS]
    assert step.panel in names, f"no panel {step.panel!r} registered in PANELS"
    presets = panel(step.panel).load().PRESETS
    assert step.preset in presets, f"the {step.panel} panel has no preset {step.preset!r}"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_step_is_titled_and_explained_in_a_few_sentences(lang: str) -> None:
    i18n.set_language(lang)
    for step in STEPS:
        assert step.title.strip(), step.name
        assert 2 <= len(_sentences(step.text)) <= 5, (lang, step.name, _sentences(step.text))
        assert "\n" not in step.text.strip(), f"{step.name}: a stray line break"


def test_every_panel_step_says_which_keys_to_try() -> None:
    keys = re.compile(r"(→|←|↑|↓|Space|Enter|Ctrl\+\w|\b[a-z]\b|\[)")
    for step in STEPS:
        if step.panel and step.panel != "train":
            assert keys.search(step.text), f"{step.name} names no key to press"

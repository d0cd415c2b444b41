"""No screen says "1 layers": an English string that counts things has a form for one and a
form for several (``key.one`` / ``key.other``, chosen by ``i18n.tn``), and the code that fills
it in goes through ``tn``. Korean writes the same text in both forms."""

from __future__ import annotations

import re

import pytest

from convtui import i18n
from convtui.core.layers import channel_count
from convtui.i18n import catalogue, tn

# "{count} layers", "{count} feature maps": a count placeholder, then a plural noun.
COUNTED = re.compile(r"\{count\} (?:[a-z-]+ )?[a-z]+s\b")


def test_every_counted_string_has_a_form_for_one() -> None:
    singular_only = [key for key, text in catalogue("en").items()
                     if COUNTED.search(text) and not key.endswith((".one", ".other"))]
    assert singular_only == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_both_forms_exist_wherever_one_does(lang: str) -> None:
    keys = catalogue(lang)
    for key in keys:
        stem, _, form = key.rpartition(".")
        if form in ("one", "other"):
            assert f"{stem}.one" in keys and f"{stem}.other" in keys, (lang, key)


@pytest.mark.parametrize(("key", "params", "one", "two"), [
    ("shapes.status.summary", {"input": "[1, 28, 28]", "output": "[16, 26, 26]"},
     "1 layer · [1, 28, 28] → [16, 26, 26]", "2 layers · [1, 28, 28] → [16, 26, 26]"),
    ("shapes.check.agrees", {}, "(1 layer, module reprs too)", "(2 layers, module reprs too)"),
    ("pytorch.network.all_match", {}, "the 1 layer matches PyTorch",
     "all 2 layers match PyTorch"),
    ("quiz.panel.filters", {"label": "conv1"}, "conv1, 1 filter", "conv1, 2 filters"),
    ("quiz.explain.pool_channels", {}, "keeps the 1 channel", "keeps the 2 channels"),
    ("quiz.count.puzzle", {}, "1 puzzle", "2 puzzles"),
    ("quiz.verdict.point", {}, "+1 point", "+2 points"),
    ("transposed.arith.cropped", {}, "1 product lands", "2 products land"),
    ("backward.arith.cropped", {}, "1 product lands", "2 products land"),
    ("train.learned.layer_title", {"layer": "conv1", "h": 28, "w": 28},
     "conv1: 1 feature map 28×28", "conv1: 2 feature maps 28×28"),
])
def test_one_and_two_read_right(key: str, params: dict, one: str, two: str) -> None:
    assert one in tn(key, 1, **params)
    assert two in tn(key, 2, **params)


def test_the_channel_count_and_korean() -> None:
    assert (channel_count(1), channel_count(3)) == ("1 channel", "3 channels")
    i18n.set_language("ko")
    assert tn("shapes.status.summary", 1, input="a", output="b") == "층 1개 · a → b"
    assert channel_count(1) == "채널 1개"

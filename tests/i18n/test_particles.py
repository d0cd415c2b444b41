"""Korean particles fitted to the word a placeholder filled in: "29.5는", "3은", "10으로"."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.core.geometry import explain_output_size
from convtui.i18n import t
from convtui.i18n.particles import attach_particles


@pytest.mark.parametrize(("text", "fitted"), [
    ("바다은(는)", "바다는"), ("산은(는)", "산은"),  # vowel / consonant ending
    ("바다이(가)", "바다가"), ("산이(가)", "산이"),
    ("바다을(를)", "바다를"), ("산을(를)", "산을"),
    ("바다와(과)", "바다와"), ("산과(와)", "산과"),
    ("바다(으)로", "바다로"), ("산(으)로", "산으로"), ("서울(으)로", "서울로"),  # ㄹ takes 로
    # numbers as they are read: 일 이 삼 사 오 육 칠 팔 구, and 영/십/백/천 for a final 0
    *((f"{d}은(는)", f"{d}{'는' if d in '2459' else '은'}") for d in "0123456789"),
    *((f"{d}(으)로", f"{d}{'으로' if d in '360' else '로'}") for d in "0123456789"),
    ("29.5은(는)", "29.5는"), ("100을(를)", "100을"), ("85.6%이(가)", "85.6%가"),
    ("[1, 28, 28]을(를)", "[1, 28, 28]을"), ("(3, 2)은(는)", "(3, 2)는"),  # read past brackets
    ("'풀링'(으)로", "'풀링'으로"), ("'타일'(으)로", "'타일'로"),
])
def test_the_particle_follows_how_the_word_before_is_read(text: str, fitted: str) -> None:
    assert attach_particles(text) == fitted


@pytest.mark.parametrize("text", [
    "conv1d은(는)",  # a Latin name: its reading is not ours to guess
    "은(는) 처음",  # nothing before
    "%(option)s 은(는)",  # a space: the pair stands alone
    "Epoch (s)", "size (H, W)",  # English text is left alone
])
def test_the_neutral_pair_stays_where_the_reading_is_unknown(text: str) -> None:
    assert attach_particles(text) == text


def test_korean_explanations_read_naturally() -> None:
    i18n.set_language("ko")
    lines = explain_output_size(64, 7, stride=2).lines
    assert lines[-1] == "29.5는 정수가 아니므로 내림 → 29"
    assert t("app.language_command_summary", name="한국어") == "모든 패널을 한국어로 표시합니다"
    assert t("app.language_command_summary", name="English") == (
        "모든 패널을 English(으)로 표시합니다")

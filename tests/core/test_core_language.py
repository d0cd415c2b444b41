"""The engine speaks the user's language: in Korean every refusal keeps its ``argument:`` name
(what the panels and the quiz loader point at) and gives its reason in Korean, explanations and
traces read in Korean, and English is exactly as before."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from test_core_error_messages import CASES

from convtui import i18n
from convtui.core import explain_output_size, output_size
from convtui.core.network import trace
from convtui.core.presets import PRESETS
from convtui.core.spec import SpecError, parse_spec

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(ValueError) as err:
        call()
    return str(err.value)


@pytest.mark.parametrize("call, english", CASES.values(), ids=CASES.keys())
def test_every_refusal_keeps_its_argument_and_gives_a_korean_reason(
    call: Callable[[], object], english: str
) -> None:
    i18n.set_language("ko")
    korean = refusal(call)
    argument = english.split(": ", 1)[0]
    assert korean.startswith(f"{argument}: ")
    assert HANGUL.search(korean), korean
    i18n.set_language("en")
    assert refusal(call).startswith(english)


def test_a_refusal_in_korean_and_in_english() -> None:
    i18n.set_language("ko")
    assert refusal(lambda: output_size(2, 5, padding=1)) == (
        "kernel: 커널(5칸)이 패딩을 더한 입력(4칸)보다 큽니다")
    i18n.set_language("en")
    assert refusal(lambda: output_size(2, 5, padding=1)) == (
        "kernel: the kernel (5 cells) is larger than the padded input (4 cells)")


def test_an_explanation_in_korean_and_in_english() -> None:
    i18n.set_language("ko")
    korean = explain_output_size(5, 2, stride=2, padding=1, ceil_mode=True)
    assert korean.lines == (
        "(5 - 2 + 2×1) / 2 + 1 = 5 / 2 + 1 = 3.5",
        "ceil_mode=True: 올림 → 4",
        "마지막 창은 6에서 시작하는데, 입력과 왼쪽 패딩(6)을 벗어나므로 버립니다 → 3",
    )
    assert explain_output_size(4, 3, stride=2, padding=1).lines[-1] == (
        "2.5는 정수가 아니므로 내림 → 2")
    assert explain_output_size(7, 3, stride=2, dilation=2).lines[0] == (
        "팽창된 커널: 2×(3 - 1) + 1 = 5")
    i18n.set_language("en")
    english = explain_output_size(5, 2, stride=2, padding=1, ceil_mode=True)
    assert english.value == korean.value == 3
    assert english.lines[1:] == (
        "ceil_mode=True: round up → 4",
        "the last window would start at 6, past the input and its left padding (6), so it is "
        "dropped → 3",
    )


def test_a_trace_error_and_its_fix_in_korean() -> None:
    i18n.set_language("ko")
    spec = parse_spec("1x64x56x56: relu res(conv(128,3,s=2,p=1) bn)")
    error = trace(spec.input_shape, spec.layers).error
    assert error is not None
    assert error.where == "2번째 층"
    assert error.message == ("residual: 메인 경로는 [1, 128, 28, 28], 숏컷은 [1, 64, 56, 56]을 "
                             "냅니다. 더하려면 두 형태가 같아야 합니다")
    assert error.fix == ("숏컷에 out_channels=128, 스트라이드 2인 1x1 합성곱을 넣고 그 뒤에 "
                         "batchnorm2d를 두세요")
    inside = parse_spec("1x4x3x3: conv(4,1) res(conv(4,3) conv(4,3) | relu)")
    assert trace(inside.input_shape, inside.layers).error.where == (
        "2번째 층, 메인 경로의 2번째 층")


def test_a_spec_error_points_at_the_same_column_in_korean() -> None:
    i18n.set_language("ko")
    with pytest.raises(SpecError) as info:
        parse_spec("relu conv -> relu")
    assert str(info.value) == (
        "6번째 글자: conv에는 kernel이(가) 필요합니다. conv(out, k)처럼 쓰세요 (예: conv(16,3))")
    assert info.value.position == 5
    with pytest.raises(SpecError) as info:
        parse_spec("linear")
    assert info.value.message == ("linear에는 out_features이(가) 필요합니다. linear(out) 또는 "
                                  "linear(in, out)처럼 쓰세요 (예: linear(10))")


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_has_a_title_and_description_in_both_languages(name: str) -> None:
    english = (PRESETS[name].title, PRESETS[name].about)
    i18n.set_language("ko")
    korean = (PRESETS[name].title, PRESETS[name].about)
    assert all(korean) and all(english)
    assert korean[1] != english[1] and HANGUL.search(korean[1])

"""What the PyTorch checks tell the user, in Korean and in English."""

from __future__ import annotations

import pytest

from convtui import i18n
from convtui.core.spec import parse_spec
from convtui.pytorch.check import CheckResult
from convtui.pytorch.network import Difference, VerifyReport, build_network

AGREES = CheckResult(cells=9, mismatches=(), max_abs_diff=2.2e-16, torch_version="2.13.0")
DISAGREES = CheckResult(cells=9, mismatches=((0, 1), (2, 2)), max_abs_diff=1.0,
                        torch_version="2.13.0")


def test_check_summaries_in_both_languages() -> None:
    assert AGREES.summary() == (
        "PyTorch 2.13.0 agrees on all 9 output cells (largest difference 2.2e-16)")
    assert DISAGREES.summary() == "PyTorch 2.13.0 disagrees on 2 of 9 cells, first at (0, 1)"
    i18n.set_language("ko")
    assert AGREES.summary() == "PyTorch 2.13.0: 출력 9칸 모두 일치 (최대 차이 2.2e-16)"
    assert DISAGREES.summary() == "PyTorch 2.13.0: 9칸 중 2칸이 다름, 처음 다른 곳 (0, 1)"


def test_verify_reports_in_both_languages() -> None:
    report = VerifyReport(3, (Difference("layer 2", "params", "130", "125"),))
    assert report.text == "layer 2: params is 130 in convtui but 125 in PyTorch"
    assert VerifyReport(3, ()).text == (
        "all 3 layers match PyTorch (shapes, parameters, reprs)")
    i18n.set_language("ko")
    assert report.text == "layer 2의 파라미터 수: convtui는 130, PyTorch는 125"
    assert VerifyReport(3, ()).text == "3개 층이 모두 PyTorch와 일치합니다 (형태, 파라미터, repr)"


def test_a_network_that_does_not_trace_is_not_built_and_says_why_in_korean() -> None:
    from convtui.core.network import trace

    i18n.set_language("ko")
    spec = parse_spec("1x1x8x8: conv(2,9)")
    with pytest.raises(ValueError, match=r"^추적에 실패하는 신경망은 만들 수 없습니다: 1번째 층 "):
        build_network(trace(spec.input_shape, spec.layers))

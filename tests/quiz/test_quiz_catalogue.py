"""The quiz's strings: every catalogue key its code names exists in both languages (also keys
given to Phrase and count, which tests/i18n cannot see), and its part files keep to the
quiz's own tables so they can be merged with the others."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from convtui.i18n import LANGUAGES, catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "convtui"
SOURCES = [*sorted((PACKAGE / "quiz").glob("*.py")),
           *sorted((PACKAGE / "ui" / "quiz").glob("*.py"))]
KEY = re.compile(r"(quiz|keys\.quiz)\.[a-z0-9_]+(\.[a-z0-9_]+)*")


def named_keys() -> dict[str, str]:
    """Every key the code names; the key given to ``tn`` stands for its two plural forms."""
    found = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        plural = {id(node.args[0]) for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id == "tn" and node.args}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and KEY.fullmatch(node.value):
                forms = [f"{node.value}.one", f"{node.value}.other"] if id(node) in plural \
                    else [node.value]
                found.update(dict.fromkeys(forms, f"{path.name}:{node.lineno}"))
    return found


def test_the_code_names_many_keys() -> None:
    assert len(named_keys()) > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_quiz_names_exists(lang: str) -> None:
    strings = catalogue(lang)
    missing = {key: where for key, where in named_keys().items() if key not in strings}
    assert not missing


def test_no_string_of_the_quiz_is_left_unused() -> None:
    """``quiz.help`` is asked for by the panel base class, as ``f"{PANEL}.help"``."""
    ours = {key for key in catalogue("en") if KEY.fullmatch(key)}
    assert ours - set(named_keys()) == {"quiz.help"}


def test_the_help_is_markdown_in_both_languages() -> None:
    assert catalogue("en")["quiz.help"].lstrip().startswith("# Quiz: what shape comes out?")
    assert catalogue("ko")["quiz.help"].lstrip().startswith("# 퀴즈: 어떤 형태가 나올까?")

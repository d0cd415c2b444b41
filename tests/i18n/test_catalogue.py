"""The catalogues are complete: every key in both languages with the same placeholders, every
key the code asks for exists, and every footer label is a key."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from convtui import i18n
from convtui.i18n import LANGUAGES, catalogue, t

PACKAGE = Path(i18n.__file__).resolve().parent.parent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_is_in_every_language() -> None:
    en = set(catalogue("en"))
    for lang in LANGUAGES:
        keys = set(catalogue(lang))
        assert not en - keys, f"missing in {lang}.toml: {sorted(en - keys)}"
        assert not keys - en, f"only in {lang}.toml: {sorted(keys - en)}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_the_placeholders(lang: str) -> None:
    other = catalogue(lang)
    wrong = {key: (_placeholders(text), _placeholders(other[key]))
             for key, text in catalogue("en").items()
             if key in other and _placeholders(text) != _placeholders(other[key])}
    assert not wrong, f"placeholders differ (en, {lang}): {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_string_is_left_untranslated_or_empty(lang: str) -> None:
    empty = [key for key, text in catalogue(lang).items() if not text.strip()]
    assert not empty, f"empty strings in {lang}.toml: {empty}"


def _literal_keys() -> dict[str, str]:
    """Every ``t("literal")`` call and every ``"keys.…"`` literal in the package's source."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found[node.args[0].value] = f"{path.name}:{node.lineno}"
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value.startswith("keys.") and node.value != "keys."):
                found[node.value] = f"{path.name}:{node.lineno}"
    return found


def test_every_key_the_code_asks_for_exists() -> None:
    missing = {key: where for key, where in _literal_keys().items()
               if key not in catalogue("en")}
    assert not missing, f"keys used in code but not in en.toml: {missing}"


def test_placeholders_are_filled_and_switching_changes_the_text() -> None:
    assert t("app.open_panel", title="Quiz") == "Open Quiz"
    i18n.set_language("ko")
    assert t("app.open_panel", title="퀴즈") == "퀴즈 열기"
    i18n.set_language("en")
    assert t("panels.stepper.title") == "Stepper"


def test_unknown_key_and_language_say_what_is_wrong() -> None:
    with pytest.raises(KeyError, match=r"no string 'nope\.nothing'"):
        t("nope.nothing")
    with pytest.raises(ValueError, match="convtui speaks en, ko"):
        i18n.set_language("fr")

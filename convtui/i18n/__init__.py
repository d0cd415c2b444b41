"""Every user-facing string, in English and Korean.

Strings live in one TOML catalogue per language (``en.toml``, ``ko.toml``) under dotted keys;
code asks for them with ``t("stepper.title")``. The language is chosen once at start-up
(``--lang``, then ``CONVTUI_LANG``, then the locale) and can be switched while the app runs, so
``t`` always reads the current language rather than caching text at import time.

Pure Python (tomllib): the engine in ``convtui.core`` may use it for its error messages.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from convtui.i18n.particles import attach_particles

LANGUAGES: tuple[str, ...] = ("en", "ko")
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
_HERE = Path(__file__).parent

_current = DEFAULT


def current() -> str:
    """The language ``t`` speaks now."""
    return _current


def set_language(lang: str) -> None:
    """Switch every later ``t`` call to ``lang`` (one of LANGUAGES)."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; convtui speaks {', '.join(LANGUAGES)}")
    _current = lang


def resolve_language(requested: str | None = None) -> str:
    """``--lang`` if given, else ``CONVTUI_LANG``, else the locale (LC_ALL, LC_MESSAGES, LANG),
    else English. A CONVTUI_LANG we do not speak is reported on stderr, not silently ignored."""
    if requested:
        return requested
    env = os.environ.get("CONVTUI_LANG", "").strip()
    if env:
        if env in LANGUAGES:
            return env
        print(f"convtui: CONVTUI_LANG={env!r} is not one of {', '.join(LANGUAGES)}; "
              "using the locale instead", file=sys.stderr)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


def t(key: str, /, **params: Any) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled (and
    Korean particles fitted to what filled them)."""
    text = catalogue(_current).get(key)
    if text is None:
        text = catalogue(DEFAULT).get(key)
    if text is None:
        raise KeyError(f"no string {key!r} in the {_current} catalogue")
    return attach_particles(text.format(**params) if params else text)


def plural_key(key: str, count: int) -> str:
    """The key of the form of ``key`` that fits ``count``: ``key.one`` for 1, else
    ``key.other``. A language without plural forms (Korean) gives both the same text."""
    return f"{key}.{'one' if count == 1 else 'other'}"


def tn(key: str, count: int, /, **params: Any) -> str:
    """``t`` of the form of ``key`` that fits ``count``, with ``{count}`` filled: "1 epoch",
    "2 epochs"."""
    return t(plural_key(key, count), count=count, **params)


def has(key: str) -> bool:
    """Whether ``key`` names a string (used for labels that may or may not be keys)."""
    return key in catalogue(DEFAULT)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flattened catalogue of ``lang``: nested TOML tables become dotted keys."""
    path = _HERE / f"{lang}.toml"
    flat: dict[str, str] = {}
    with path.open("rb") as fh:
        _flatten(tomllib.load(fh), "", flat, path)
    return flat


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, str], path: Path) -> None:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            _flatten(value, f"{key}.", out, path)
        elif isinstance(value, str):
            if key in out:
                raise ValueError(f"{path.name}: string {key!r} is defined twice")
            out[key] = value
        else:
            raise ValueError(f"{path.name}: {key!r} must be a string, not {type(value).__name__}")

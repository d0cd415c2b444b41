"""Quiz text that must follow the language: a pack author's words with their translations, and
catalogue messages that are rendered only when shown.

Both are turned into a string at the moment they are displayed (``str(...)``), never when they
are created, so switching the language while the app runs (F2) redraws them in the new one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from convtui import i18n
from convtui.i18n import t


@dataclass(frozen=True)
class Translated:
    """Text a pack author wrote: the English original and its translations by language code.

    A language the pack does not translate falls back to English, so an English-only pack
    still reads fine for a Korean student."""

    english: str
    translations: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        return dict(self.translations).get(lang, self.english)

    def has(self, lang: str) -> bool:
        """Whether the author wrote this text in ``lang`` (English always counts)."""
        return lang == i18n.DEFAULT or lang in dict(self.translations)

    def __str__(self) -> str:
        return self.text(i18n.current())


@dataclass(frozen=True)
class Message:
    """A catalogue key and its parameters; ``str()`` renders it in the current language.

    Parameters may themselves be Messages (a reason inside a warning): they are rendered
    too, in the same language."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return t(self.key, **{name: str(value) for name, value in self.params.items()})


def cells(text: str) -> int:
    """Terminal columns ``text`` takes: Korean syllables and other wide characters take two.
    (The quiz backend lays out plain text without Rich, which knows this too.)"""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

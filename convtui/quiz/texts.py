"""Quiz text that must follow the language: a pack author's words with their translations
(catalogue messages are ``convtui.i18n.wording.Phrase``).

Turned into a string at the moment it is displayed (``str(...)``), never when it is created, so
switching the language while the app runs (F2) redraws it in the new one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from convtui import i18n


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


def cells(text: str) -> int:
    """Terminal columns ``text`` takes: Korean syllables and other wide characters take two.
    (The quiz backend lays out plain text without Rich, which knows this too.)"""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

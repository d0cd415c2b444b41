"""A text to be worded in the language of the moment: what a status line, a notice or a
verdict keeps, so that switching the language words it again instead of leaving it in the
language it was first said in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from convtui.i18n import t

if TYPE_CHECKING:  # the engine may word its messages too: no Rich at run time
    from rich.text import Text

#: Called each time the text is shown: a Phrase, or any function of the current language.
Wording = Callable[[], "str | Text"]


@dataclass(frozen=True)
class Phrase:
    """A catalogue key and its parameters; calling it (or ``str()``) words it in the current
    language. Parameters may themselves be Phrases (a reason inside a warning): they are
    worded too, in the same language."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __call__(self) -> str:
        return t(self.key, **{name: value() if isinstance(value, Phrase) else value
                              for name, value in self.params.items()})

    def __str__(self) -> str:
        return self()

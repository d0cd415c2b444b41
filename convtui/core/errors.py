"""The engine's refusals: ``argument: reason``, the reason in the user's language.

The argument's name always comes first and is never translated (it is the PyTorch name the
student typed), so the Shapes panel, the quiz loader and the spec parser can point at the
offending key in any language.
"""

from __future__ import annotations

from typing import Any

from convtui.i18n import t


class ArgumentError(ValueError):
    """An argument PyTorch would refuse: ``argument`` names it, ``reason`` says why."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"{argument}: {reason}")
        self.argument = argument
        self.reason = reason


def refuse(argument: str, key: str, /, **params: Any) -> ArgumentError:
    """The error for ``argument``, its reason the catalogue string ``key`` filled with
    ``params`` in the current language."""
    return ArgumentError(argument, t(key, **params))

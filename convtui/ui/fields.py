"""Parsing what a user types into a settings field, with messages that say what was expected.

Only syntax lives here ("two" is not a number); whether the numbers make a valid layer is the
engine's call, and its ValueError is shown as is. ``name`` is the field's name as the caller
shows it (already in the current language); the rest of each message comes from the catalogue.
"""

from __future__ import annotations

import re

from convtui.i18n import t

_SEPARATORS = re.compile(r"\s*[,x×]\s*|\s+")


class FieldError(ValueError):
    """Text that cannot be read as the field's kind of value."""


def parse_int(text: str, name: str, minimum: int | None = None) -> int:
    cleaned = text.strip()
    try:
        value = int(cleaned)
    except ValueError:
        raise FieldError(t("fields.int_expected", name=name, text=repr(cleaned))) from None
    if minimum is not None and value < minimum:
        raise FieldError(t("fields.at_least", name=name, minimum=minimum, value=value))
    return value


def parse_float(text: str, name: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise FieldError(t("fields.float_expected", name=name, text=repr(text.strip()))) \
            from None


def parse_pair(text: str, name: str, minimum: int | None = None) -> tuple[int, int]:
    """'2' -> (2, 2); '1,2', '1x2', '(1, 2)' -> (1, 2)."""
    cleaned = text.strip()
    parts = [p for p in _SEPARATORS.split(cleaned.strip("()[]")) if p]
    try:
        if len(parts) not in (1, 2):
            raise ValueError
        values = [int(p) for p in parts]
    except ValueError:
        raise FieldError(t("fields.pair_expected", name=name, text=repr(cleaned))) from None
    if minimum is not None and min(values) < minimum:
        raise FieldError(t("fields.at_least", name=name, minimum=minimum, value=repr(cleaned)))
    return (values[0], values[-1])


def parse_padding(text: str) -> int | tuple[int, int] | str:
    """A number, a pair, 'same' or 'valid', exactly as nn.Conv2d takes them."""
    cleaned = text.strip().strip("'\"").lower()
    if cleaned in ("same", "valid"):
        return cleaned
    try:
        h, w = parse_pair(cleaned, "padding")
    except FieldError:
        raise FieldError(t("fields.padding_expected", text=repr(text.strip()))) from None
    return h if h == w else (h, w)


def show_pair(value: tuple[int, int]) -> str:
    return str(value[0]) if value[0] == value[1] else f"{value[0]},{value[1]}"

"""Parsing what a user types into a settings field, with messages that say what was expected.

Only syntax lives here ("two" is not a number); whether the numbers make a valid layer is the
engine's call, and its ValueError is shown as is. ``name`` is the field's name as the caller
shows it (already in the current language); the rest of each message comes from the catalogue.
"""

from __future__ import annotations

import re

from convtui.i18n import t

# ASCII digits only: Python's int() and float() also read "٣", "1_000" and " 3 ", which a
# field must refuse rather than guess at.
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|nan)", re.I)
# a pair: one number, or two separated by a comma, an x or spaces
_PAIR = re.compile(r"([+-]?[0-9]+)(?:(?:\s*[,x×]\s*|\s+)([+-]?[0-9]+))?")


class FieldError(ValueError):
    """Text that cannot be read as the field's kind of value."""


def parse_int(text: str, name: str, minimum: int | None = None) -> int:
    cleaned = text.strip()
    if not _INT.fullmatch(cleaned):
        raise FieldError(t("fields.int_expected", name=name, text=repr(cleaned)))
    value = int(cleaned)
    if minimum is not None and value < minimum:
        raise FieldError(t("fields.at_least", name=name, minimum=minimum, value=value))
    return value


def parse_float(text: str, name: str) -> float:
    cleaned = text.strip()
    if not _FLOAT.fullmatch(cleaned):
        raise FieldError(t("fields.float_expected", name=name, text=repr(cleaned)))
    return float(cleaned)


def parse_pair(text: str, name: str, minimum: int | None = None) -> tuple[int, int]:
    """'2' -> (2, 2); '1,2', '1x2', '1 2', '(1, 2)' -> (1, 2); anything else ('2 x', '1,2,3')
    is refused."""
    cleaned = text.strip()
    inner = cleaned[1:-1].strip() if cleaned[:1] + cleaned[-1:] in ("()", "[]") else cleaned
    match = _PAIR.fullmatch(inner)
    if match is None:
        raise FieldError(t("fields.pair_expected", name=name, text=repr(cleaned)))
    values = [int(g) for g in match.groups() if g is not None]
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
    """``2`` or ``2,3``: a pair as a field shows it and ``parse_pair`` reads it back (the spec
    grammar's ``2x3`` is ``core.layers.label_pair``)."""
    return str(value[0]) if value[0] == value[1] else f"{value[0]},{value[1]}"


def show_padding(padding: int | tuple[int, int] | str) -> str:
    """A padding as the padding field takes it back: ``1``, ``1,2``, ``same``."""
    if isinstance(padding, str):
        return padding
    return show_pair(padding if isinstance(padding, tuple) else (padding, padding))

"""Parsing what a user types into a settings field, with messages that say what was expected.

Only syntax lives here ("two" is not a number); whether the numbers make a valid layer is the
engine's call, and its ValueError is shown as is.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"\s*[,x×]\s*|\s+")


class FieldError(ValueError):
    """Text that cannot be read as the field's kind of value."""


def parse_int(text: str, name: str, minimum: int | None = None) -> int:
    cleaned = text.strip()
    try:
        value = int(cleaned)
    except ValueError:
        raise FieldError(f"{name}: expected a whole number, got {text.strip()!r}") from None
    if minimum is not None and value < minimum:
        raise FieldError(f"{name}: must be at least {minimum}, got {value}")
    return value


def parse_float(text: str, name: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise FieldError(f"{name}: expected a number like 3 or -1.5, got {text.strip()!r}") \
            from None


def parse_pair(text: str, name: str, minimum: int | None = None) -> tuple[int, int]:
    """'2' -> (2, 2); '1,2', '1x2', '(1, 2)' -> (1, 2)."""
    parts = [p for p in _SEPARATORS.split(text.strip().strip("()[]")) if p]
    if len(parts) not in (1, 2):
        raise FieldError(f"{name}: expected a number like 2 or a pair like 1,2, got {text!r}")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise FieldError(
            f"{name}: expected a number like 2 or a pair like 1,2, got {text.strip()!r}"
        ) from None
    if minimum is not None and min(values) < minimum:
        raise FieldError(f"{name}: must be at least {minimum}, got {text.strip()!r}")
    return (values[0], values[-1])


def parse_padding(text: str) -> int | tuple[int, int] | str:
    """A number, a pair, 'same' or 'valid', exactly as nn.Conv2d takes them."""
    cleaned = text.strip().strip("'\"").lower()
    if cleaned in ("same", "valid"):
        return cleaned
    try:
        h, w = parse_pair(cleaned, "padding")
    except FieldError:
        raise FieldError(
            f"padding: expected a number, a pair like 1,2, 'same' or 'valid', got {text.strip()!r}"
        ) from None
    return h if h == w else (h, w)


def show_pair(value: tuple[int, int]) -> str:
    return str(value[0]) if value[0] == value[1] else f"{value[0]},{value[1]}"

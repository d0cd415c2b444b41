"""Editing a layer stack by position: what the Shapes panel's delete, move, insert and edit keys
do, including inside residual blocks.

A position is the engine's trace path: ``(3,)`` is the fourth layer, ``(3, "main", 0)`` the
first layer on that residual block's main path. ``(3, "shortcut", -1)`` stands for the empty
(identity) shortcut: a layer can be inserted after it, nothing else. Every function returns a
new stack; the stack itself is immutable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from convtui.core.layers import Layer
from convtui.core.network import Path, Residual
from convtui.i18n import t

Layers = tuple[Layer, ...]


class StackError(ValueError):
    """An edit that cannot be made, worded for the status line: the catalogue string ``key``
    with ``params``, rendered when shown, so it follows a change of language."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)


def _splice(layers: Layers, path: Path, edit: Callable[[list[Layer], int], None]) -> Layers:
    """Apply ``edit(items, index)`` to the list holding ``path``'s layer, rebuilding the
    residual blocks above it."""
    items = list(layers)
    index = int(path[0])
    if len(path) == 1:
        edit(items, index)
        return tuple(items)
    block = items[index]
    if not isinstance(block, Residual) or path[1] not in ("main", "shortcut"):
        raise StackError("shapes.stack.no_layer_at", path=repr(path))
    name = str(path[1])
    inner = _splice(getattr(block, name), path[2:], edit)
    if name == "main" and not inner:
        raise StackError("shapes.stack.main_empty")
    items[index] = dataclasses.replace(block, **{name: inner})
    return tuple(items)


def _check(items: list[Layer], index: int) -> None:
    if index < 0:
        raise StackError("shapes.stack.identity")
    if index >= len(items):
        raise StackError("shapes.stack.no_layer")


def layer_at(layers: Layers, path: Path) -> Layer:
    found: list[Layer] = []

    def take(items: list[Layer], index: int) -> None:
        _check(items, index)
        found.append(items[index])

    _splice(layers, path, take)
    return found[0]


def replace_at(layers: Layers, path: Path, new: Sequence[Layer]) -> Layers:
    """The layer at ``path`` replaced by ``new`` (several layers, or none to delete it)."""

    def put(items: list[Layer], index: int) -> None:
        _check(items, index)
        items[index:index + 1] = list(new)

    return _splice(layers, path, put)


def delete_at(layers: Layers, path: Path) -> Layers:
    return replace_at(layers, path, ())


def insert_after(layers: Layers, path: Path, new: Sequence[Layer]) -> Layers:
    """``new`` placed right after ``path``'s layer (at the start of an identity shortcut)."""

    def put(items: list[Layer], index: int) -> None:
        if index >= len(items):
            raise StackError("shapes.stack.no_layer")
        items[index + 1:index + 1] = list(new)

    return _splice(layers, path, put)


def move(layers: Layers, path: Path, delta: int) -> tuple[Layers, Path]:
    """Swap the layer at ``path`` with its neighbour ``delta`` (±1) places away, within its own
    list; returns the new stack and the layer's new path."""
    target: list[int] = []

    def swap(items: list[Layer], index: int) -> None:
        _check(items, index)
        other = index + delta
        if not 0 <= other < len(items):
            on_path = len(path) > 1
            if delta < 0:
                raise StackError("shapes.stack.first_on_path" if on_path
                                 else "shapes.stack.first")
            raise StackError("shapes.stack.last_on_path" if on_path else "shapes.stack.last")
        items[index], items[other] = items[other], items[index]
        target.append(other)

    moved = _splice(layers, path, swap)
    return moved, (*path[:-1], target[0])

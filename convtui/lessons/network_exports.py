"""A layer stack's exports (the Shapes panel's Export tab and `convtui shapes --print`): the
stack as PyTorch code and as a quiz chain (TOML), saved under the user data dir.

A file's name is the network's name plus a short hash of its spec, so saving the same network
twice rewrites one file and different networks never overwrite each other; the quiz chain's
pack and puzzle id is that same name, unique when several exports are loaded together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from convtui import atomic
from convtui.core.export import to_puzzle_pack, to_pytorch
from convtui.core.layers import Layer, Shape
from convtui.core.spec import format_spec
from convtui.i18n import t
from convtui.paths import data_dir


@dataclass(frozen=True)
class Exports:
    """Both exports of one network; where one cannot be made, its ``*_error`` says why."""

    stem: str
    torch: str | None
    torch_error: str
    toml: str | None
    toml_error: str


def export_dir() -> Path:
    return data_dir() / "exports"


def make_exports(input_shape: Shape, layers: Sequence[Layer], name: str, title: str) -> Exports:
    """``name`` (a preset's, or ``network``) and ``title`` label the files and the quiz pack."""
    digest = hashlib.sha1(format_spec(layers, input_shape).encode()).hexdigest()[:6]
    stem = f"{name}-{digest}"
    torch = toml = None
    torch_error = toml_error = ""
    if not layers:
        empty = t("shapes_export.no_layers")
        return Exports(stem, None, empty, None, empty)
    try:
        torch = to_pytorch(input_shape, layers)
    except ValueError as err:
        torch_error = str(err)
    try:
        toml = to_puzzle_pack(input_shape, layers, stem, t("shapes.export.pack_title",
                                                           title=title))
    except ValueError as err:
        toml_error = str(err)
    return Exports(stem, torch, torch_error, toml, toml_error)


def save_exports(exports: Exports) -> list[Path]:
    """Write the exports that could be made; returns their paths (.py first)."""
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for text, suffix in ((exports.torch, ".py"), (exports.toml, ".toml")):
        if text is not None:
            path = folder / f"{exports.stem}{suffix}"
            atomic.write_text(path, text)
            written.append(path)
    return written

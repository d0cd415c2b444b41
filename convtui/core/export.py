"""Exports of a layer stack: runnable PyTorch code, and a quiz chain in the puzzle-pack schema.

Both start from a successful trace, so the channel and feature counts they write are the ones
the trace worked out, and the shapes they state are the ones PyTorch will print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from convtui.core.layers import BatchNorm2d, Layer, Shape, compact_pair, show_shape
from convtui.core.network import (
    NetworkTrace,
    Path,
    Residual,
    TraceRow,
    leaf_rows,
    path_text,
    trace,
)
from convtui.core.torch_calls import ModuleCall, module_call
from convtui.i18n import t

#: Layer types that change H and W (or C): a quiz chain part asks about at least one.
SIZED_TYPES = ("conv2d", "conv_transpose2d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d")
#: Layer types a puzzle chain may hold: the ones that keep an image-shaped tensor.
CHAIN_TYPES = (*SIZED_TYPES, "relu", "batchnorm2d", "dropout")


def _traced(input_shape: Sequence[int], layers: Sequence[Layer]) -> NetworkTrace:
    result = trace(input_shape, layers)
    if result.error is not None:
        raise ValueError(t("core.export.does_not_trace", error=result.error.text))
    return result


# ---- PyTorch code ---------------------------------------------------------------------------

def _module_code(row: TraceRow, indent: str) -> str:
    """``nn.Conv2d(1, 32, kernel_size=3, padding=1)``: the constructor call for one row,
    defaults left out."""
    layer, width = row.layer, row.in_width
    if isinstance(layer, Residual):
        inner = indent + "    "
        main = _sequential_code(row.paths["main"], inner)
        short = (_sequential_code(row.paths["shortcut"], inner) if row.paths["shortcut"]
                 else "nn.Identity()")
        return f"Residual(\n{inner}{main},\n{inner}{short},\n{indent})"
    return layer_code(layer, width)


def call_code(call: ModuleCall, extra: Sequence[str] = ()) -> str:
    """``nn.Conv2d(1, 32, kernel_size=3, padding=1)``: a module call written as code, then the
    ``extra`` keywords a script adds (``return_indices=True``)."""
    args = [*map(repr, call.args), *(f"{key}={value!r}" for key, value in call.kwargs)]
    return f"nn.{call.name}({', '.join([*args, *extra])})"


def layer_code(layer: Layer, in_width: int = 1, extra: Sequence[str] = ()) -> str:
    """The ``nn.`` constructor call of one layer taking ``in_width`` channels (features for
    Linear), defaults left out, then the ``extra`` keywords."""
    return call_code(module_call(layer, in_width), extra)


def number_code(value: float) -> str:
    """A float as Python reads it back exactly; whole numbers as torch prints them (``8.``)."""
    text = repr(float(value))
    return text[:-1] if text.endswith(".0") else text


def tensor_code(values: np.ndarray, indent: int = 0) -> str:
    """``torch.tensor([[1., 0.], [2., 3.]])`` as aligned nested lists, one innermost row per
    line (continuation lines ``indent`` columns in): a literal a script can be run with."""
    values = np.asarray(values, dtype=np.float64)
    texts = np.vectorize(number_code, otypes=[object])(values)
    width = max((len(text) for text in np.ravel(texts)), default=1)
    head = "torch.tensor("

    def nested(array: np.ndarray, column: int) -> str:
        if array.ndim == 1:
            return "[" + ", ".join(str(v).rjust(width) for v in array) + "]"
        parts = [nested(sub, column + 1) for sub in array]
        gap = "," + "\n" * (array.ndim - 1) + " " * (column + 1)
        return "[" + gap.join(parts) + "]"

    return head + nested(texts, indent + len(head)) + ")"


def script_head(cells: int) -> list[str]:
    """The first lines of a lesson's script: imports, then torch set to compute in float64 as
    the engine does and to print ``cells`` numbers rounded the way the panel shows them."""
    threshold = f", threshold={cells}" if cells > 1000 else ""  # torch elides past 1000
    return [
        "import torch",
        "from torch import nn",
        "",
        f"torch.set_default_dtype(torch.float64)  # {t('lesson_code.float64')}",
        f"torch.set_printoptions(precision=2, sci_mode=False{threshold})"
        f"  # {t('lesson_code.rounded')}",
        "",
    ]


def _sequential_code(rows: Sequence[TraceRow], indent: str) -> str:
    inner = indent + "    "
    body = "".join(f"{inner}{_module_code(row, inner)},\n" for row in rows)
    return f"nn.Sequential(\n{body}{indent})"


_RESIDUAL_CLASS = '''
class Residual(nn.Module):
    """main(x) + shortcut(x): a residual block (nn.Identity() as the shortcut adds x itself)."""

    def __init__(self, main: nn.Module, shortcut: nn.Module) -> None:
        super().__init__()
        self.main = main
        self.shortcut = shortcut

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x) + self.shortcut(x)
'''


def to_pytorch(input_shape: Sequence[int], layers: Sequence[Layer]) -> str:
    """A runnable script: the stack as an ``nn.Sequential`` (inside a ``Net`` module class
    when it has residual blocks), fed a zero tensor of the input's shape, printing the output
    shape the trace predicts."""
    result = _traced(input_shape, layers)
    shape = result.input_shape
    torch_shape = (1, 1, *shape) if len(shape) == 2 else shape
    out = result.output_shape or shape
    torch_out = (1, 1, *out) if len(shape) == 2 else out
    lines = ["import torch", "from torch import nn", ""]
    if any(isinstance(row.layer, Residual) for row in result.rows):
        lines += [
            "", _RESIDUAL_CLASS.strip("\n"), "", "",
            "class Net(nn.Module):",
            "    def __init__(self) -> None:",
            "        super().__init__()",
            f"        self.layers = {_sequential_code(result.rows, '        ')}",
            "",
            "    def forward(self, x: torch.Tensor) -> torch.Tensor:",
            "        return self.layers(x)",
            "", "", "model = Net()",
        ]
    else:
        lines.append(f"model = {_sequential_code(result.rows, '')}")
    if any(isinstance(row.layer, BatchNorm2d) for row in leaf_rows(result.rows)):
        lines.append("model.eval()  # BatchNorm uses its running statistics, as at test time")
    if len(shape) == 2:
        lines.append(f"# PyTorch layers need [N, C, H, W]: the {show_shape(shape)} board form "
                     f"is fed as {show_shape(torch_shape)}")
    dims = ", ".join(map(str, torch_shape))
    lines += [
        f"x = torch.zeros({dims})",
        f"print(model(x).shape)  # torch.Size({list(torch_out)})",
    ]
    return "\n".join(lines) + "\n"


# ---- puzzle chain (TOML) --------------------------------------------------------------------

def layer_dict(layer: Layer) -> dict[str, object]:
    """The dict form ``parse_layer`` reads (defaults left out): ``parse_layer(layer_dict(l))``
    equals ``l``."""
    spec: dict[str, object] = {"type": layer.type}
    if isinstance(layer, Residual):
        spec["main"] = [layer_dict(sub) for sub in layer.main]
        if layer.shortcut:
            spec["shortcut"] = [layer_dict(sub) for sub in layer.shortcut]
        return spec
    for key, value, default in layer.arguments():
        if value != default:
            plain = compact_pair(value) if isinstance(value, tuple) else value
            spec[key] = list(plain) if isinstance(plain, tuple) else plain
    return spec


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


@dataclass(frozen=True)
class ChainPart:
    """One puzzle of a quiz chain: a run of image-shaped layers and the input it starts from;
    ``first``/``last`` are the trace paths of its first and last layer."""

    input_shape: Shape
    layers: tuple[Layer, ...]
    first: Path
    last: Path


def chain_parts(rows: Sequence[TraceRow]) -> tuple[list[ChainPart], TraceRow | None]:
    """The parts of a traced network a quiz can ask about: each run of layers that keep an
    image-shaped tensor, and inside a residual block each of its paths. They end at the first
    layer whose output is no longer an image (Flatten), returned as the second value."""
    parts: list[ChainPart] = []
    run: list[TraceRow] = []

    def close_run() -> None:
        if any(r.layer.type in SIZED_TYPES for r in run):  # ReLU alone asks nothing
            parts.append(ChainPart(run[0].in_shape, tuple(r.layer for r in run), run[0].path,
                                   run[-1].path))
            run.clear()

    for row in rows:
        if row.layer.type in CHAIN_TYPES:
            run.append(row)
            continue
        close_run()
        if not isinstance(row.layer, Residual):
            return parts, row
        for name in ("main", "shortcut"):
            inner, stop = chain_parts(row.paths[name])
            parts += inner
            if stop is not None:
                return parts, stop
    close_run()
    return parts, None


def _part_place(part: ChainPart) -> str:
    """``layers 1-4`` at the top level, ``layer 5, main path`` inside a residual block."""
    if len(part.first) > 1:
        block = path_text(part.first[:-2])
        return t(f"shapes_export.{part.first[-2]}_path", where=block)
    first, last = int(part.first[0]) + 1, int(part.last[0]) + 1
    if first == last:
        return path_text(part.first)
    return t("shapes_export.layers", first=first, last=last)


def to_puzzle_pack(
    input_shape: Sequence[int], layers: Sequence[Layer], puzzle_id: str = "my-chain",
    title: str = "My chain",
) -> str:
    """A puzzle pack that asks the network's shapes: one puzzle per part of the network that
    keeps an image-shaped tensor (``chain_parts``), each with its input, its layers in their
    dict form and the traced answer. A network that is one such part is one puzzle with the
    pack's id; the layers from Flatten on are left out, with a comment saying so."""
    result = _traced(input_shape, layers)
    parts, stop = chain_parts(result.rows)
    if not parts and stop is not None:
        raise ValueError(t("core.export.not_spatial", where=path_text(stop.path),
                           label=stop.label, types=", ".join(CHAIN_TYPES)))
    if not parts:
        raise ValueError(t("shapes_export.nothing_to_ask", types=", ".join(SIZED_TYPES)))
    text = (
        "[pack]\nversion = 1\n"
        f"id = {_toml_value(puzzle_id)}\ntitle = {_toml_value(title)}\n"
    )
    if stop is not None:
        text += "# " + t("shapes_export.chain_stops", where=path_text(stop.path),
                         label=stop.label) + "\n"
    for number, part in enumerate(parts, 1):
        answer = trace(part.input_shape, part.layers).output_shape or ()
        steps = "".join(f"    {_toml_value(layer_dict(layer))},\n" for layer in part.layers)
        where = _part_place(part)
        text += (
            "\n[[puzzles]]\n"
            + (f"# {where}\n" if len(parts) > 1 or stop is not None else "")
            + f"id = {_toml_value(puzzle_id if len(parts) == 1 else f'{puzzle_id}-{number}')}\n"
            f"input = {_toml_value(list(part.input_shape))}\n"
            f"layers = [\n{steps}]\n"
            f"answer = {_toml_value(list(answer))}\n"
        )
    return text

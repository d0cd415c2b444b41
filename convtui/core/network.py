"""Shape tracing through a stack of layers: what the Shapes panel and quiz chains show.

``parse_layer`` builds a layer from the dict form puzzle packs use (``{"type": "conv2d",
"kernel": 5, ...}``); ``trace`` pushes an input shape through a list of layers and records, per
layer, the output shape with the H and W derivations, parameters, multiply-accumulates and the
receptive field so far. It stops at the first layer PyTorch would refuse and says why, with a
fix.

The shape rules (board-form ``[H, W]`` inputs, channels, Flatten) are described in
``convtui.core.layers``. A residual block is a :class:`Residual` layer: a main path and a
shortcut path (empty for the identity), both fed the block's input and summed; its trace row
holds the paths' own rows. Counts cover the whole given input, batch included; MACs count the
weight multiply-adds of conv, transposed conv and Linear layers, and one per element for
BatchNorm (scale and shift); activations, pooling, dropout and the residual sum count 0.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from convtui.core.conv import unknown_padding_mode
from convtui.core.errors import ArgumentError, refuse
from convtui.core.geometry import PADDING_MODES, Explanation, below_minimum, check_int, conv_padding
from convtui.core.layers import (
    AdaptiveAvgPool2d,
    Applied,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    IntPair,
    Layer,
    LayerError,
    Linear,
    MaxPool2d,
    ReLU,
    Shape,
    Tensor,
    show_shape,
)
from convtui.i18n import t

Path = tuple[int | str, ...]


@dataclass(frozen=True)
class Residual(Layer):
    """``main(x) + shortcut(x)``; an empty shortcut is the identity. An activation after the
    sum (ResNet's final ReLU) is the next layer in the stack, not part of the block."""

    main: tuple[Layer, ...]
    shortcut: tuple[Layer, ...] = ()
    type: ClassVar[str] = "residual"

    @property
    def paths(self) -> tuple[tuple[str, tuple[Layer, ...]], ...]:
        return (("main", self.main), ("shortcut", self.shortcut))

    def apply(self, tensor: Tensor) -> Applied:
        result = _trace_block(self, tensor, (1, 1), (1, 1), ())
        if isinstance(result, TraceError):
            raise LayerError(result.message, result.fix)
        return result[0]

    def describe(self, in_channels: int | None = None) -> str:
        def names(layers: tuple[Layer, ...]) -> str:
            return " → ".join(layer.describe().split("(")[0] for layer in layers) or "identity"

        return f"Residual(main: {names(self.main)}; shortcut: {names(self.shortcut)})"

    @property
    def label(self) -> str:
        if self.shortcut:
            return t("core.network.residual_projection")
        return t("core.network.residual_identity")


def path_text(path: Path) -> str:
    """``(3, "main", 0)`` as ``layer 4, main path layer 1`` (counting from 1)."""
    text = t("core.network.layer", number=int(path[0]) + 1)
    for i in range(1, len(path) - 1, 2):
        key = ("core.network.main_path_layer" if path[i] == "main"
               else "core.network.shortcut_path_layer")
        text += t(key, number=int(path[i + 1]) + 1)
    return text


@dataclass(frozen=True)
class TraceRow:
    """One layer that went through: its shapes and the numbers the Shapes panel shows.

    ``receptive_field`` is the (h, w) window of network input pixels one output cell sees
    (the theoretical size, which may exceed the input), ``jump`` the distance in input pixels
    between neighbouring output cells; both None where the output has no uniform grid (after
    Flatten, Linear, a transposed convolution or uneven adaptive pooling). ``paths`` holds a
    residual block's main and shortcut rows; ``notes`` warn about what PyTorch does only in
    some modes (BatchNorm on one value per channel fails in training)."""

    index: int
    path: Path
    layer: Layer
    in_shape: Shape
    out_shape: Shape
    in_width: int
    explanations: dict[str, Explanation]
    params: int
    macs: int
    receptive_field: IntPair | None
    jump: IntPair | None
    paths: dict[str, tuple[TraceRow, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        """The layer's PyTorch repr with its real input channels / features."""
        return self.layer.describe(self.in_width)

    @property
    def label(self) -> str:
        return self.layer.label


@dataclass(frozen=True)
class TraceError:
    """Where and why a trace stopped: ``index`` is the top-level layer, ``path`` the full
    position (``(3, "main", 0)`` inside a residual block), ``message`` the engine's words and
    ``fix`` a suggestion."""

    index: int
    path: Path
    layer: Layer
    in_shape: Shape
    message: str
    fix: str

    @property
    def where(self) -> str:
        return path_text(self.path)

    @property
    def text(self) -> str:
        text = t("core.network.stopped", where=self.where, label=self.layer.label,
                 shape=show_shape(self.in_shape), message=self.message)
        return f"{text}\n{t('core.network.fix', fix=self.fix)}" if self.fix else text


@dataclass(frozen=True)
class NetworkTrace:
    input_shape: Shape
    rows: tuple[TraceRow, ...]
    error: TraceError | None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def output_shape(self) -> Shape | None:
        """The last layer's output shape; None when the trace stopped at an error."""
        if self.error is not None:
            return None
        return self.rows[-1].out_shape if self.rows else self.input_shape

    @property
    def params(self) -> int:
        return sum(row.params for row in self.rows)

    @property
    def macs(self) -> int:
        return sum(row.macs for row in self.rows)


def leaf_rows(rows: Sequence[TraceRow]) -> list[TraceRow]:
    """Rows with residual blocks opened up into their paths' rows (main path first)."""
    leaves: list[TraceRow] = []
    for row in rows:
        if isinstance(row.layer, Residual):
            leaves += leaf_rows(row.paths["main"]) + leaf_rows(row.paths["shortcut"])
        else:
            leaves.append(row)
    return leaves


def check_input_shape(input_shape: Sequence[int]) -> Shape:
    """An input is [H, W], [C, H, W] or [N, C, H, W] of positive ints."""
    shape = tuple(input_shape) if isinstance(input_shape, (list, tuple)) else None
    if shape is None or not 2 <= len(shape) <= 4 or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in shape
    ):
        raise refuse("input", "core.network.input_form", value=repr(input_shape))
    if min(shape) < 1:
        raise refuse("input", "core.network.input_empty", shape=list(shape))
    return shape


def trace(input_shape: Sequence[int], layers: Sequence[Layer]) -> NetworkTrace:
    """Push ``input_shape`` through ``layers``; stop at the first layer that fails.

    Raises ValueError (``input: ...``) only for a malformed input shape; layer problems are
    reported in the trace's ``error``."""
    shape = check_input_shape(input_shape)
    rows, _, error = _trace_sequence(Tensor(shape), tuple(layers), (1, 1), (1, 1), ())
    return NetworkTrace(shape, rows, error)


def _trace_sequence(
    tensor: Tensor, layers: tuple[Layer, ...], rf: IntPair | None, jump: IntPair | None,
    prefix: Path,
) -> tuple[tuple[TraceRow, ...], Tensor, TraceError | None]:
    rows: list[TraceRow] = []
    for i, layer in enumerate(layers):
        path = (*prefix, i)
        if isinstance(layer, Residual):
            result = _trace_block(layer, tensor, rf, jump, path)
            if isinstance(result, TraceError):
                return tuple(rows), tensor, result
            applied, paths, rf, jump = result
        else:
            try:
                applied = layer.apply(tensor)
            except LayerError as err:
                return tuple(rows), tensor, TraceError(
                    path[0], path, layer, tensor.shape, err.message, err.fix)
            paths = {}
            rf, jump = layer.receptive(rf, jump, tensor, applied.tensor)
        rows.append(TraceRow(
            index=path[0], path=path, layer=layer, in_shape=tensor.shape,
            out_shape=applied.tensor.shape, in_width=layer.in_width(tensor),
            explanations=applied.explanations, params=applied.params, macs=applied.macs,
            receptive_field=rf, jump=jump, paths=paths, notes=applied.notes,
        ))
        tensor = applied.tensor
    return tuple(rows), tensor, None


def _trace_block(
    block: Residual, tensor: Tensor, rf: IntPair | None, jump: IntPair | None, path: Path,
) -> tuple[Applied, dict[str, tuple[TraceRow, ...]], IntPair | None, IntPair | None] | TraceError:
    """Trace both paths of a residual block from the same input and check they can be
    summed."""
    outs: dict[str, tuple[tuple[TraceRow, ...], Tensor]] = {}
    for name, layers in block.paths:
        rows, out, error = _trace_sequence(tensor, layers, rf, jump, (*path, name))
        if error is not None:
            return error
        outs[name] = (rows, out)
    (main_rows, main_out), (short_rows, short_out) = outs["main"], outs["shortcut"]
    if main_out.shape != short_out.shape or main_out.is_map != short_out.is_map:
        return TraceError(
            path[0], path, block, tensor.shape,
            str(refuse("residual", "core.network.residual_mismatch",
                       main=show_shape(main_out.shape), shortcut=show_shape(short_out.shape))),
            _projection_fix(block, tensor, main_out),
        )
    rows_all = main_rows + short_rows
    applied = Applied(main_out, {}, sum(r.params for r in rows_all), sum(r.macs for r in rows_all))
    main_rf, main_jump = (main_rows[-1].receptive_field, main_rows[-1].jump) if main_rows else (
        rf, jump)
    short_rf = short_rows[-1].receptive_field if short_rows else rf
    if main_rf is None or short_rf is None:
        new_rf, new_jump = None, None
    else:
        new_rf = (max(main_rf[0], short_rf[0]), max(main_rf[1], short_rf[1]))
        new_jump = main_jump
    return applied, {"main": main_rows, "shortcut": short_rows}, new_rf, new_jump


def _projection_fix(block: Residual, tensor: Tensor, main_out: Tensor) -> str:
    """How to make the shortcut match the main path: a 1x1 conv with the main path's channels
    and stride (or, if the shortcut has one already, those settings on it)."""
    if not (main_out.is_map and len(main_out.shape) == len(tensor.shape) >= 3):
        return t("core.network.same_shape_fix")
    channels = main_out.shape[-3]
    stride = tensor.shape[-1] // max(main_out.shape[-1], 1)
    existing = next((i for i, layer in enumerate(block.shortcut)
                     if isinstance(layer, Conv2d) and layer.kernel == (1, 1)), None)
    if existing is not None:
        return t("core.network.change_projection_fix", number=existing + 1, channels=channels,
                 stride=stride)
    key = "core.network.projection_stride_fix" if stride > 1 else "core.network.projection_fix"
    return t(key, channels=channels, stride=stride)


# ---- the dict (TOML) form -------------------------------------------------------------------

_KEYS: dict[str, tuple[str, ...]] = {
    "conv2d": ("kernel", "stride", "padding", "dilation", "out_channels", "groups", "bias",
               "padding_mode"),
    "conv_transpose2d": ("kernel", "stride", "padding", "output_padding", "dilation",
                         "out_channels", "groups", "bias"),
    "maxpool2d": ("kernel", "stride", "padding", "dilation", "ceil_mode"),
    "avgpool2d": ("kernel", "stride", "padding", "ceil_mode", "count_include_pad"),
    "adaptiveavgpool2d": ("output_size",),
    "relu": (),
    "dropout": ("p",),
    "batchnorm2d": ("num_features",),
    "flatten": (),
    "linear": ("out_features", "in_features", "bias"),
    "residual": ("main", "shortcut"),
}

LAYER_TYPES: tuple[str, ...] = tuple(_KEYS)

#: PyTorch argument names people type out of habit, and the key this form uses instead.
_TORCH_NAMES = {"kernel_size": "kernel"}

_REQUIRED = {
    "conv2d": ("kernel",), "conv_transpose2d": ("kernel",), "maxpool2d": ("kernel",),
    "avgpool2d": ("kernel",), "adaptiveavgpool2d": ("output_size",),
    "linear": ("out_features",), "residual": ("main",),
}


def parse_layer(spec: Mapping[str, object]) -> Layer:
    """Build a layer from its dict form, e.g. ``{"type": "conv2d", "kernel": 5,
    "out_channels": 5}``. Raises ValueError starting with the offending key."""
    if not isinstance(spec, Mapping):
        raise refuse("layer", "core.network.layer_table", value=repr(spec))
    kind = spec.get("type")
    known = ", ".join(LAYER_TYPES)
    if kind is None:
        raise refuse("type", "core.network.type_missing", known=known)
    if kind not in _KEYS:
        raise refuse("type", "core.network.type_unknown", kind=repr(kind), known=known)
    allowed = _KEYS[str(kind)]
    for key in spec:
        if key != "type" and key not in allowed:
            close = [_TORCH_NAMES[key]] if key in _TORCH_NAMES else difflib.get_close_matches(
                str(key), allowed, n=1)
            if close:
                raise refuse(str(key), "core.network.key_unknown_close", kind=kind,
                             close=repr(close[0]))
            if allowed:
                raise refuse(str(key), "core.network.key_unknown", kind=kind,
                             allowed=", ".join(allowed))
            raise refuse(str(key), "core.network.key_unknown_none", kind=kind)
    for key in _REQUIRED.get(str(kind), ()):
        if key not in spec:
            raise refuse(key, "core.network.key_required", kind=kind)
    return _BUILDERS[str(kind)](spec)


def _int(spec: Mapping[str, object], key: str, default: int | None, minimum: int) -> int | None:
    value = spec.get(key, default)
    if value is None:
        return None
    check_int(key, value, minimum)
    return value  # type: ignore[return-value]


def _as_pair(value: object) -> IntPair | None:
    """An int or an [h, w] list of ints as a pair; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return (int(value[0]), int(value[1]))
    return None


def _pair(spec: Mapping[str, object], key: str, default: IntPair, minimum: int) -> IntPair:
    value = spec.get(key, default)
    pair = _as_pair(value)
    if pair is None:
        raise refuse(key, "core.network.int_or_hw", value=repr(value))
    if min(pair) < minimum:
        raise below_minimum(key, pair[0] if pair[0] == pair[1] else list(pair), minimum)
    return pair


def _bool(spec: Mapping[str, object], key: str, default: bool) -> bool:
    value = spec.get(key, default)
    if not isinstance(value, bool):
        raise refuse(key, "core.args.bool", value=repr(value))
    return value


def _conv(spec: Mapping[str, object]) -> Conv2d:
    kernel = _pair(spec, "kernel", (1, 1), 1)
    stride = _pair(spec, "stride", (1, 1), 1)
    dilation = _pair(spec, "dilation", (1, 1), 1)
    raw = spec.get("padding", 0)
    padding: IntPair | str
    if isinstance(raw, str) and raw in ("same", "valid"):
        conv_padding(raw, kernel, stride, dilation)  # 'same' with a stride: PyTorch refuses
        padding = raw
    elif _as_pair(raw) is None:
        raise refuse("padding", "core.network.padding_word", value=repr(raw))
    else:
        padding = _pair(spec, "padding", (0, 0), 0)
    mode = spec.get("padding_mode", "zeros")
    if mode not in PADDING_MODES:
        raise unknown_padding_mode(mode)
    return Conv2d(
        kernel=kernel, out_channels=_int(spec, "out_channels", None, 1), stride=stride,
        padding=padding, dilation=dilation, groups=_int(spec, "groups", 1, 1) or 1,
        bias=_bool(spec, "bias", True), padding_mode=str(mode),
    )


def _conv_transpose(spec: Mapping[str, object]) -> ConvTranspose2d:
    return ConvTranspose2d(
        kernel=_pair(spec, "kernel", (1, 1), 1),
        out_channels=_int(spec, "out_channels", None, 1),
        stride=_pair(spec, "stride", (1, 1), 1), padding=_pair(spec, "padding", (0, 0), 0),
        output_padding=_pair(spec, "output_padding", (0, 0), 0),
        dilation=_pair(spec, "dilation", (1, 1), 1), groups=_int(spec, "groups", 1, 1) or 1,
        bias=_bool(spec, "bias", True),
    )


def _pool_args(spec: Mapping[str, object]) -> dict[str, object]:
    kernel = _pair(spec, "kernel", (1, 1), 1)
    stride = _pair(spec, "stride", kernel, 1) if "stride" in spec else None
    return {"kernel": kernel, "stride": stride, "padding": _pair(spec, "padding", (0, 0), 0),
            "ceil_mode": _bool(spec, "ceil_mode", False)}


def _maxpool(spec: Mapping[str, object]) -> MaxPool2d:
    return MaxPool2d(**_pool_args(spec), dilation=_pair(spec, "dilation", (1, 1), 1))


def _avgpool(spec: Mapping[str, object]) -> AvgPool2d:
    return AvgPool2d(**_pool_args(spec),
                     count_include_pad=_bool(spec, "count_include_pad", True))


def _dropout(spec: Mapping[str, object]) -> Dropout:
    p = spec.get("p", 0.5)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise refuse("p", "core.network.probability", value=repr(p))
    return Dropout(float(p))


def _residual(spec: Mapping[str, object]) -> Residual:
    paths = {}
    for key in ("main", "shortcut"):
        value = spec.get(key, [])
        if not isinstance(value, (list, tuple)):
            raise refuse(key, "core.network.layer_list", value=repr(value))
        layers = []
        for i, item in enumerate(value):
            try:
                layers.append(parse_layer(item))
            except ArgumentError as err:
                raise ArgumentError(f"{key}[{i}].{err.argument}", err.reason) from None
        paths[key] = tuple(layers)
    if not paths["main"]:
        raise refuse("main", "core.network.main_empty")
    return Residual(paths["main"], paths["shortcut"])


_BUILDERS = {
    "conv2d": _conv,
    "conv_transpose2d": _conv_transpose,
    "maxpool2d": _maxpool,
    "avgpool2d": _avgpool,
    "adaptiveavgpool2d": lambda s: AdaptiveAvgPool2d(_pair(s, "output_size", (1, 1), 1)),
    "relu": lambda s: ReLU(),
    "dropout": _dropout,
    "batchnorm2d": lambda s: BatchNorm2d(_int(s, "num_features", None, 1)),
    "flatten": lambda s: Flatten(),
    "linear": lambda s: Linear(
        out_features=_int(s, "out_features", None, 1) or 1,
        in_features=_int(s, "in_features", None, 1), bias=_bool(s, "bias", True),
    ),
    "residual": _residual,
}

__all__ = [
    "LAYER_TYPES",
    "Layer",
    "NetworkTrace",
    "Residual",
    "TraceError",
    "TraceRow",
    "leaf_rows",
    "parse_layer",
    "trace",
]

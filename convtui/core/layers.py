"""The layers a traced network is built from, and what each does to a tensor's shape.

Each layer is a frozen dataclass holding exactly the arguments its ``torch.nn`` module takes.
``apply`` works out the output shape with PyTorch's rules (reusing ``convtui.core.geometry`` for
every spatial size), the parameter and multiply-accumulate counts, and how the receptive field
grows; a layer PyTorch would refuse raises :class:`LayerError` with the engine's message and a
suggested fix. ``describe`` gives the module's PyTorch ``repr`` and ``label`` a short tag for
tables.

Shapes: an image-like tensor is ``[H, W]`` (the lecture's board form: one channel, no batch),
``[C, H, W]`` or ``[N, C, H, W]``. After ``Flatten`` it is ``[N, F]`` (or ``[C, F]`` for an
unbatched input: ``nn.Flatten`` starts at dimension 1). Convolutions and pooling keep the rank.
A board-form ``[H, W]`` input has one implicit channel, so a convolution on it must leave
``out_channels`` out or set it to 1; a ``[C, H, W]`` or ``[N, C, H, W]`` input needs it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import MISSING, dataclass, fields
from typing import ClassVar

from convtui.core.conv import conv_geometry, groups_not_dividing
from convtui.core.errors import ArgumentError, refuse
from convtui.core.geometry import (
    Explanation,
    effective_kernel,
    explain_output_size,
    explain_transposed_output_size,
)
from convtui.core.pool import pool_geometry
from convtui.i18n import t, tn

IntPair = tuple[int, int]
Shape = tuple[int, ...]
#: One argument of a layer: (name, value, default). The name is both the dict-form key and
#: PyTorch's keyword (``kernel`` is ``kernel_size`` there).
Option = tuple[str, object, object]
#: The arguments that size a layer; the spec and the exported code write them first, their own
#: way (positionally, or as the real channel counts), and the rest as keywords.
SIZES = frozenset({"kernel", "out_channels", "output_size", "num_features", "out_features",
                   "in_features"})


class LayerError(ValueError):
    """A layer cannot take its input: ``message`` as the engine words it, ``fix`` a
    suggestion a student can act on."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Tensor:
    """The shape flowing between layers, and whether it is still an image-like map.

    ``flat_from`` remembers the dimensions ``Flatten`` merged (e.g. ``(64, 7, 7)``) so a
    mismatched ``Linear`` can say where its feature count comes from; ``unbatched`` that
    Flatten kept an unbatched input's channels apart, as ``nn.Flatten`` does."""

    shape: Shape
    is_map: bool = True
    flat_from: Shape = ()
    unbatched: bool = False

    @property
    def board_form(self) -> bool:
        return self.is_map and len(self.shape) == 2


@dataclass(frozen=True)
class Applied:
    """What one layer did: the new tensor and the numbers a trace row shows."""

    tensor: Tensor
    explanations: dict[str, Explanation]
    params: int
    macs: int
    notes: tuple[str, ...] = ()  # things PyTorch does differently in some mode, worth knowing


def show_shape(shape: Shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def label_pair(value: IntPair) -> str:
    """``3`` for a square pair, ``3x5`` otherwise: the spec grammar's and labels' form."""
    return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"


def compact_pair(value: IntPair) -> int | IntPair:
    """An ``int or tuple`` argument as convtui passes it to PyTorch (so reprs match): an int
    if square."""
    return value[0] if value[0] == value[1] else value


def channel_count(channels: int) -> str:
    """``1 channel``, ``3 channels``: in words, in the current language."""
    return tn("core.layers.channels", channels)


def _tuple_text(value: IntPair) -> str:
    return f"({value[0]}, {value[1]})"


def _span(kernel: IntPair, dilation: IntPair) -> IntPair:
    """The (h, w) input cells a dilated window covers."""
    return (effective_kernel(kernel[0], dilation[0]), effective_kernel(kernel[1], dilation[1]))


def _spatial(tensor: Tensor, name: str) -> tuple[Shape, int | None, int, int]:
    """Split an image-like shape into (batch prefix, channels or None for board form, H, W)."""
    shape = tensor.shape
    if not tensor.is_map:
        raise _refused("input", "core.layers.flattened", t("core.layers.flattened_fix", name=name),
                       name=name, shape=show_shape(shape))
    if len(shape) == 2:
        return (), None, shape[0], shape[1]
    if len(shape) == 3:
        return (), shape[0], shape[1], shape[2]
    return (shape[0],), shape[1], shape[2], shape[3]


def _map_shape(prefix: Shape, channels: int | None, h: int, w: int) -> Shape:
    return (*prefix, h, w) if channels is None else (*prefix, channels, h, w)


def _out_channels(
    name: str, out_channels: int | None, in_channels: int | None, shape: Shape
) -> int | None:
    """Apply the channel rule: board form has one implicit channel, a real channel dimension
    needs ``out_channels``."""
    if in_channels is None:
        if out_channels not in (None, 1):
            raise _refused("out_channels", "core.layers.board_out_channels",
                           t("core.layers.board_out_channels_fix", h=shape[0], w=shape[1]),
                           shape=show_shape(shape), name=name, value=out_channels)
        return None
    if out_channels is None:
        raise _refused("out_channels", "core.layers.needs_out_channels",
                       t("core.layers.needs_out_channels_fix", name=name),
                       name=name, shape=show_shape(shape), channels=channel_count(in_channels))
    return out_channels


def _groups_check(groups: int, c_in: int, c_out: int) -> None:
    if c_in % groups:
        divisors = ", ".join(str(g) for g in range(1, c_in + 1) if c_in % g == 0)
        raise LayerError(str(groups_not_dividing("in_channels", c_in, groups)),
                         t("core.layers.groups_in_fix", channels=c_in, divisors=divisors))
    if c_out % groups:
        raise LayerError(str(groups_not_dividing("out_channels", c_out, groups)),
                         t("core.layers.groups_out_fix", groups=groups))


def _refused(argument: str, key: str, fix: str, /, **params: object) -> LayerError:
    """A LayerError reading ``argument: reason`` (the reason the catalogue string ``key``)."""
    return LayerError(str(refuse(argument, key, **params)), fix)


def _engine(call, *args, fixes: dict[str, str]):
    """Run a geometry check; turn its refusal (``argument: reason``) into a LayerError whose
    fix is ``fixes[argument]``."""
    try:
        return call(*args)
    except ArgumentError as err:
        raise LayerError(str(err), fixes.get(err.argument, "")) from None


def _fit_fix(size: IntPair, pad_total: IntPair, span: IntPair) -> str:
    """What to change when a window does not fit its (padded) input."""
    return t("core.layers.fit_fix", span_h=span[0], span_w=span[1],
             padded_h=size[0] + pad_total[0], padded_w=size[1] + pad_total[1])


def grow_receptive_field(
    rf: IntPair | None, jump: IntPair | None, span: IntPair, stride: IntPair
) -> tuple[IntPair | None, IntPair | None]:
    """A window of ``span`` input cells stepped by ``stride``: rf grows by (span-1)*jump,
    the jump (distance in input pixels between neighbouring output cells) multiplies by
    stride."""
    if rf is None or jump is None:
        return None, None
    return (
        (rf[0] + (span[0] - 1) * jump[0], rf[1] + (span[1] - 1) * jump[1]),
        (jump[0] * stride[0], jump[1] * stride[1]),
    )


class Layer(ABC):
    """One step of a network. Subclasses are frozen dataclasses of the module's arguments."""

    type: ClassVar[str]

    @abstractmethod
    def apply(self, tensor: Tensor) -> Applied:
        """The output tensor and counts, or LayerError if PyTorch would refuse the input."""

    @abstractmethod
    def describe(self, in_channels: int | None = None) -> str:
        """The module's PyTorch repr, e.g. ``Conv2d(1, 5, kernel_size=(5, 5), stride=(1, 1))``.

        ``in_channels`` is the input's channel count (``in_features`` for Linear); 1 if
        left out for layers that need one."""

    @property
    @abstractmethod
    def label(self) -> str:
        """A short plain tag, e.g. ``conv 5x5 s1 p0``."""

    def arguments(self) -> tuple[Option, ...]:
        """Every argument, in the order the spec, the dict form and the exported code write
        them (each leaves one at its default out); a required one has the default None."""
        return tuple((f.name, getattr(self, f.name), None if f.default is MISSING else f.default)
                     for f in fields(self))  # type: ignore[arg-type]

    def in_width(self, tensor: Tensor) -> int:
        """The input size the layer's constructor takes: channels, or features for Linear."""
        shape = tensor.shape
        if not tensor.is_map:
            return shape[-1]
        return 1 if len(shape) == 2 else shape[-3]

    def receptive(
        self, rf: IntPair | None, jump: IntPair | None, before: Tensor, after: Tensor
    ) -> tuple[IntPair | None, IntPair | None]:
        """Receptive field and jump after this layer; element-wise layers keep them."""
        return rf, jump


class _Convolution(Layer):
    """What Conv2d and ConvTranspose2d share: the channel and groups rules, the repr and the
    tag. Subclasses are dataclasses with kernel, out_channels, stride, padding, dilation,
    groups and bias fields."""

    NAME: ClassVar[str]  # the torch.nn class
    TAG: ClassVar[str]  # the label's first word

    def _channels(self, tensor: Tensor) -> tuple[Shape, int | None, int, int, int | None]:
        """(batch prefix, in channels, H, W, out channels), None channels for board form."""
        prefix, c_in, h, w = _spatial(tensor, self.type)
        c_out = _out_channels(self.type, self.out_channels, c_in, tensor.shape)
        if c_in is not None and c_out is not None:
            _groups_check(self.groups, c_in, c_out)
        elif self.groups != 1:
            raise _refused("groups", "core.layers.board_groups",
                           t("core.layers.board_groups_fix"),
                           shape=show_shape(tensor.shape), value=self.groups)
        return prefix, c_in, h, w, c_out

    def _repr_extras(self) -> tuple[Option, ...]:
        """What the repr adds after the stride, in PyTorch's order."""
        return ()

    def _label_extras(self) -> tuple[Option, ...]:
        """What the tag adds after the padding."""
        return ()

    def describe(self, in_channels: int | None = None) -> str:
        text = (f"{self.NAME}({in_channels or 1}, {self.out_channels or 1}, "
                f"kernel_size={_tuple_text(self.kernel)}, stride={_tuple_text(self.stride)}")
        for name, value, default in self._repr_extras():
            if value != default:
                shown = _tuple_text(value) if isinstance(value, tuple) else value
                text += f", {name}={shown}"
        return text + ")"

    @property
    def label(self) -> str:
        pad = self.padding if isinstance(self.padding, str) else label_pair(self.padding)
        text = (f"{self.TAG} {self.kernel[0]}x{self.kernel[1]} s{label_pair(self.stride)} "
                f"p{pad}")
        for tag, value, default in self._label_extras():
            if value != default:
                text += f" {tag}{label_pair(value) if isinstance(value, tuple) else value}"
        return text


@dataclass(frozen=True)
class Conv2d(_Convolution):
    kernel: IntPair
    out_channels: int | None = None
    stride: IntPair = (1, 1)
    padding: IntPair | str = (0, 0)
    dilation: IntPair = (1, 1)
    groups: int = 1
    bias: bool = True
    padding_mode: str = "zeros"
    type: ClassVar[str] = "conv2d"
    NAME: ClassVar[str] = "Conv2d"
    TAG: ClassVar[str] = "conv"

    def apply(self, tensor: Tensor) -> Applied:
        prefix, c_in, h, w, c_out = self._channels(tensor)
        pad_total = ((0, 0) if isinstance(self.padding, str)
                     else (2 * self.padding[0], 2 * self.padding[1]))
        geom = _engine(conv_geometry, (h, w), self.kernel, self.stride, self.padding,
                       self.dilation, self.padding_mode, fixes={
                           "kernel": _fit_fix((h, w), pad_total,
                                              _span(self.kernel, self.dilation)),
                           "padding": t("core.layers.padding_mode_fix"),
                       })
        explanations = _conv_explanations(geom.in_size, self.kernel, self.stride, geom.pads,
                                          self.dilation, geom.out_size)
        oh, ow = geom.out_size
        cin, cout = c_in or 1, c_out or 1
        params = cout * (cin // self.groups) * self.kernel[0] * self.kernel[1]
        params += cout if self.bias else 0
        batch = math.prod(prefix)
        macs = batch * cout * oh * ow * (cin // self.groups) * self.kernel[0] * self.kernel[1]
        out = Tensor(_map_shape(prefix, c_out, oh, ow))
        return Applied(out, explanations, params, macs)

    def receptive(self, rf, jump, before, after):
        return grow_receptive_field(rf, jump, _span(self.kernel, self.dilation), self.stride)


    def _repr_extras(self) -> tuple[Option, ...]:
        return (("padding", self.padding, (0, 0)), ("dilation", self.dilation, (1, 1)),
                ("groups", self.groups, 1), ("bias", self.bias, True),
                ("padding_mode", self.padding_mode, "zeros"))

    def _label_extras(self) -> tuple[Option, ...]:
        return (("d", self.dilation, (1, 1)), ("g", self.groups, 1))


def _conv_explanations(
    in_size: IntPair, kernel: IntPair, stride: IntPair, pads: tuple[int, int, int, int],
    dilation: IntPair, out_size: IntPair,
) -> dict[str, Explanation]:
    """H and W derivations; ``padding="same"`` with an odd total pads one more cell after,
    which the symmetric formula cannot show, so that case says what 'same' does."""
    result = {}
    for axis, name in enumerate("HW"):
        before, after = pads[2 * axis], pads[2 * axis + 1]
        if before == after:
            result[name] = explain_output_size(in_size[axis], kernel[axis], stride[axis],
                                               before, dilation[axis])
        else:
            result[name] = Explanation(out_size[axis], (
                t("core.layers.same_padding", before=before, after=after,
                  dilation=dilation[axis], kernel=kernel[axis], total=before + after,
                  size=out_size[axis]),
            ))
    return result


@dataclass(frozen=True)
class ConvTranspose2d(_Convolution):
    kernel: IntPair
    out_channels: int | None = None
    stride: IntPair = (1, 1)
    padding: IntPair = (0, 0)
    output_padding: IntPair = (0, 0)
    dilation: IntPair = (1, 1)
    groups: int = 1
    bias: bool = True
    type: ClassVar[str] = "conv_transpose2d"
    NAME: ClassVar[str] = "ConvTranspose2d"
    TAG: ClassVar[str] = "convT"

    def apply(self, tensor: Tensor) -> Applied:
        prefix, c_in, h, w, c_out = self._channels(tensor)
        explanations = {}
        for axis, (name, size) in enumerate((("H", h), ("W", w))):
            explanations[name] = _engine(
                explain_transposed_output_size, size, self.kernel[axis], self.stride[axis],
                self.padding[axis], self.output_padding[axis], self.dilation[axis], fixes={
                    "output_padding": t("core.layers.output_padding_fix"),
                    "padding": t("core.layers.transposed_padding_fix"),
                },
            )
        oh, ow = explanations["H"].value, explanations["W"].value
        cin, cout = c_in or 1, c_out or 1
        per_cell = (cout // self.groups) * self.kernel[0] * self.kernel[1]
        params = cin * per_cell + (cout if self.bias else 0)
        macs = math.prod(prefix) * cin * h * w * per_cell
        return Applied(Tensor(_map_shape(prefix, c_out, oh, ow)), explanations, params, macs)

    def receptive(self, rf, jump, before, after):
        # Neighbouring output cells see different numbers of input cells (the kernel's taps
        # land on the stride's grid unevenly), so there is no single receptive field.
        return None, None


    def _repr_extras(self) -> tuple[Option, ...]:
        return (("padding", self.padding, (0, 0)), ("dilation", self.dilation, (1, 1)),
                ("output_padding", self.output_padding, (0, 0)), ("groups", self.groups, 1),
                ("bias", self.bias, True))

    def _label_extras(self) -> tuple[Option, ...]:
        return (("op", self.output_padding, (0, 0)), ("d", self.dilation, (1, 1)),
                ("g", self.groups, 1))


@dataclass(frozen=True)
class _Pool2d(Layer):
    """Max and average pooling. Each subclass adds ``ceil_mode`` (and its own arguments) in the
    order PyTorch's signature has them, the order the spec and exports write them in."""

    kernel: IntPair
    stride: IntPair | None = None  # None: the kernel size, as in PyTorch
    padding: IntPair = (0, 0)
    kind: ClassVar[str]  # "max" or "avg", as convtui.core.pool names them

    @property
    def step(self) -> IntPair:
        return self.kernel if self.stride is None else self.stride

    @property
    def window_dilation(self) -> IntPair:
        return (1, 1)

    def apply(self, tensor: Tensor) -> Applied:
        prefix, c_in, h, w = _spatial(tensor, self.type)
        dilation = self.window_dilation
        pad_total = (2 * self.padding[0], 2 * self.padding[1])
        geom = _engine(pool_geometry, (h, w), self.kind, self.kernel, self.step, self.padding,
                       dilation, self.ceil_mode, fixes={
                           "kernel": _fit_fix((h, w), pad_total, _span(self.kernel, dilation)),
                           "padding": t("core.layers.pool_padding_fix",
                                        most=min(self.kernel) // 2),
                       })
        explanations = {
            name: explain_output_size((h, w)[axis], self.kernel[axis], self.step[axis],
                                      self.padding[axis], dilation[axis], self.ceil_mode)
            for axis, name in enumerate("HW")
        }
        out = Tensor(_map_shape(prefix, c_in, *geom.out_size))
        return Applied(out, explanations, 0, 0)

    def receptive(self, rf, jump, before, after):
        return grow_receptive_field(rf, jump, _span(self.kernel, self.window_dilation),
                                    self.step)

    def _pool_label(self, name: str) -> str:
        text = f"{name} {self.kernel[0]}x{self.kernel[1]} s{label_pair(self.step)}"
        if self.padding != (0, 0):
            text += f" p{label_pair(self.padding)}"
        if self.ceil_mode:
            text += " ceil"
        return text


@dataclass(frozen=True)
class MaxPool2d(_Pool2d):
    dilation: IntPair = (1, 1)
    ceil_mode: bool = False
    type: ClassVar[str] = "maxpool2d"
    kind: ClassVar[str] = "max"

    @property
    def window_dilation(self) -> IntPair:
        return self.dilation


    def describe(self, in_channels: int | None = None) -> str:
        return (f"MaxPool2d(kernel_size={compact_pair(self.kernel)}, "
                f"stride={compact_pair(self.step)}, padding={compact_pair(self.padding)}, "
                f"dilation={compact_pair(self.dilation)}, ceil_mode={self.ceil_mode})")

    @property
    def label(self) -> str:
        text = self._pool_label("maxpool")
        return text + (f" d{label_pair(self.dilation)}" if self.dilation != (1, 1) else "")


@dataclass(frozen=True)
class AvgPool2d(_Pool2d):
    ceil_mode: bool = False
    count_include_pad: bool = True
    type: ClassVar[str] = "avgpool2d"
    kind: ClassVar[str] = "avg"


    def describe(self, in_channels: int | None = None) -> str:
        return (f"AvgPool2d(kernel_size={compact_pair(self.kernel)}, "
                f"stride={compact_pair(self.step)}, padding={compact_pair(self.padding)})")

    @property
    def label(self) -> str:
        return self._pool_label("avgpool")


@dataclass(frozen=True)
class AdaptiveAvgPool2d(Layer):
    output_size: IntPair
    type: ClassVar[str] = "adaptiveavgpool2d"

    def apply(self, tensor: Tensor) -> Applied:
        prefix, c_in, h, w = _spatial(tensor, "adaptiveavgpool2d")
        explanations = {}
        for axis, (name, size) in enumerate((("H", h), ("W", w))):
            out = self.output_size[axis]
            sizes = sorted({b - a for a, b in _adaptive_windows(size, out)})
            detail = (t("core.layers.adaptive_even", cells=sizes[0]) if len(sizes) == 1
                      else t("core.layers.adaptive_uneven", low=sizes[0], high=sizes[-1]))
            explanations[name] = Explanation(out, (
                t("core.layers.adaptive", size=size, out=out, detail=detail),
            ))
        out_t = Tensor(_map_shape(prefix, c_in, *self.output_size))
        return Applied(out_t, explanations, 0, 0)

    def receptive(self, rf, jump, before, after):
        h, w = before.shape[-2:]
        oh, ow = self.output_size
        if h % oh or w % ow:
            return None, None  # uneven windows: no single receptive field
        kernel = (h // oh, w // ow)
        return grow_receptive_field(rf, jump, kernel, kernel)

    def describe(self, in_channels: int | None = None) -> str:
        return f"AdaptiveAvgPool2d(output_size={compact_pair(self.output_size)})"

    @property
    def label(self) -> str:
        return f"adaptive avgpool →{self.output_size[0]}x{self.output_size[1]}"


def _adaptive_windows(size: int, out: int) -> list[IntPair]:
    """PyTorch's adaptive windows: [floor(i*size/out), ceil((i+1)*size/out))."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


@dataclass(frozen=True)
class ReLU(Layer):
    type: ClassVar[str] = "relu"

    def apply(self, tensor: Tensor) -> Applied:
        return Applied(tensor, {}, 0, 0)

    def describe(self, in_channels: int | None = None) -> str:
        return "ReLU()"

    @property
    def label(self) -> str:
        return "relu"


@dataclass(frozen=True)
class Dropout(Layer):
    p: float = 0.5
    type: ClassVar[str] = "dropout"

    def apply(self, tensor: Tensor) -> Applied:
        return Applied(tensor, {}, 0, 0)

    def describe(self, in_channels: int | None = None) -> str:
        return f"Dropout(p={self.p}, inplace=False)"

    @property
    def label(self) -> str:
        return f"dropout {self.p}"


@dataclass(frozen=True)
class BatchNorm2d(Layer):
    num_features: int | None = None  # checked against the input's channels when given
    type: ClassVar[str] = "batchnorm2d"

    def apply(self, tensor: Tensor) -> Applied:
        shape = tensor.shape
        if not tensor.is_map or len(shape) != 4:
            fix = (t("core.layers.batchnorm_add_batch", dims=", ".join(map(str, shape)))
                   if tensor.is_map and len(shape) == 3 else
                   t("core.layers.batchnorm_after_conv"))
            raise _refused("input", "core.layers.batchnorm_rank", fix, ndim=len(shape),
                           shape=show_shape(shape))
        channels = shape[1]
        if self.num_features is not None and self.num_features != channels:
            raise _refused("num_features", "core.layers.batchnorm_features",
                           t("core.layers.batchnorm_features_fix", channels=channels),
                           channels=channels, expected=self.num_features)
        notes = ()
        if shape[0] * shape[2] * shape[3] == 1:
            notes = (t("core.layers.batchnorm_one_value"),)
        # Scale and shift per channel are trained; running mean/var are buffers, not params.
        return Applied(tensor, {}, 2 * channels, math.prod(shape), notes)

    def describe(self, in_channels: int | None = None) -> str:
        features = self.num_features or in_channels or 1
        return (f"BatchNorm2d({features}, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                "track_running_stats=True)")

    @property
    def label(self) -> str:
        return "batchnorm"


@dataclass(frozen=True)
class Flatten(Layer):
    type: ClassVar[str] = "flatten"

    def apply(self, tensor: Tensor) -> Applied:
        shape = tensor.shape
        if tensor.board_form:
            raise _refused("input", "core.layers.flatten_board",
                           t("core.layers.flatten_board_fix", h=shape[0], w=shape[1]),
                           shape=show_shape(shape))
        merged = shape[1:]
        features = math.prod(merged)
        product = "×".join(map(str, merged))
        lines = [f"{product} = {features}"] if len(merged) > 1 else [f"{features}"]
        if len(shape) == 3 and tensor.is_map:
            lines.append(t("core.layers.flatten_unbatched", channels=shape[0]))
        out = Tensor((shape[0], features), is_map=False, flat_from=merged,
                     unbatched=len(shape) == 3 and tensor.is_map)
        return Applied(out, {"features": Explanation(features, tuple(lines))}, 0, 0)

    def receptive(self, rf, jump, before, after):
        return None, None

    def describe(self, in_channels: int | None = None) -> str:
        return "Flatten(start_dim=1, end_dim=-1)"

    @property
    def label(self) -> str:
        return "flatten"


@dataclass(frozen=True)
class Linear(Layer):
    out_features: int
    in_features: int | None = None  # checked against the input when given
    bias: bool = True
    type: ClassVar[str] = "linear"

    def apply(self, tensor: Tensor) -> Applied:
        shape = tensor.shape
        if tensor.board_form:
            raise _refused("input", "core.layers.linear_board",
                           t("core.layers.linear_board_fix", h=shape[0], w=shape[1]),
                           shape=show_shape(shape))
        last = shape[-1]
        if tensor.is_map and self.in_features != last:
            features = math.prod(shape[-3:]) if len(shape) == 4 else math.prod(shape[-2:])
            raise _refused("input", "core.layers.linear_map",
                           t("core.layers.linear_map_fix", features=features,
                             out=self.out_features),
                           shape=show_shape(shape), last=last)
        if self.in_features is not None and self.in_features != last:
            fix = t("core.layers.use_linear", features=last, out=self.out_features)
            if tensor.unbatched:
                batched = ", ".join(map(str, (1, shape[0], *tensor.flat_from)))
                fix = t("core.layers.linear_unbatched_fix", channels=shape[0], shape=batched,
                        features=shape[0] * last, out=self.out_features)
            key = ("core.layers.linear_features_from" if len(tensor.flat_from) > 1
                   else "core.layers.linear_features")
            raise _refused("in_features", key, fix, features=last, expected=self.in_features,
                           dims="*".join(map(str, tensor.flat_from)))
        params = last * self.out_features + (self.out_features if self.bias else 0)
        batch = math.prod(shape[:-1])
        out = Tensor((*shape[:-1], self.out_features), is_map=tensor.is_map)
        return Applied(out, {}, params, batch * last * self.out_features)

    def receptive(self, rf, jump, before, after):
        return None, None


    def describe(self, in_channels: int | None = None) -> str:
        features = self.in_features or in_channels or 1
        return f"Linear(in_features={features}, out_features={self.out_features}, " \
               f"bias={self.bias})"

    @property
    def label(self) -> str:
        return f"linear →{self.out_features}"

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
from dataclasses import dataclass
from typing import ClassVar

from convtui.core.conv import conv_geometry
from convtui.core.geometry import (
    Explanation,
    effective_kernel,
    explain_output_size,
    explain_transposed_output_size,
)
from convtui.core.pool import pool_geometry

IntPair = tuple[int, int]
Shape = tuple[int, ...]


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


def show_pair(value: IntPair) -> str:
    """``3`` for a square pair, ``3x5`` otherwise: the spec grammar's and labels' form."""
    return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"


def compact_pair(value: IntPair) -> int | IntPair:
    """An ``int or tuple`` argument as convtui passes it to PyTorch (so reprs match): an int
    if square."""
    return value[0] if value[0] == value[1] else value


def _tuple_text(value: IntPair) -> str:
    return f"({value[0]}, {value[1]})"


def _spatial(tensor: Tensor, name: str) -> tuple[Shape, int | None, int, int]:
    """Split an image-like shape into (batch prefix, channels or None for board form, H, W)."""
    shape = tensor.shape
    if not tensor.is_map:
        raise LayerError(
            f"input: {name} needs an image-like [C, H, W] or [N, C, H, W] input, but Flatten "
            f"already turned it into {show_shape(shape)}",
            f"move {name} before the flatten",
        )
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
            raise LayerError(
                f"out_channels: a 2-D {show_shape(shape)} input has no channel dimension, so "
                f"{name} can only give one channel, got out_channels={out_channels}",
                f"give the input a channel dimension: [1, {shape[0]}, {shape[1]}]",
            )
        return None
    if out_channels is None:
        plural = "s" if in_channels != 1 else ""
        raise LayerError(
            f"out_channels: {name} on a {show_shape(shape)} input ({in_channels} "
            f"channel{plural}) needs out_channels",
            f"set out_channels, the number of filters {name} learns (e.g. out_channels=16)",
        )
    return out_channels


def _groups_check(groups: int, c_in: int, c_out: int) -> None:
    if c_in % groups:
        raise LayerError(
            f"groups: in_channels ({c_in}) must be divisible by groups ({groups})",
            "use a groups value that divides "
            f"{c_in}: {', '.join(str(g) for g in range(1, c_in + 1) if c_in % g == 0)}",
        )
    if c_out % groups:
        raise LayerError(
            f"groups: out_channels ({c_out}) must be divisible by groups ({groups})",
            f"use out_channels that is a multiple of {groups}",
        )


def _engine(call, *args, fixes: dict[str, str]):
    """Run a geometry check; turn its ValueError (``key: reason``) into a LayerError whose fix
    is ``fixes[key]``."""
    try:
        return call(*args)
    except ValueError as err:
        key = str(err).split(":", 1)[0]
        raise LayerError(str(err), fixes.get(key, "")) from None


def _fit_fix(size: IntPair, pad_total: IntPair, span: IntPair) -> str:
    """What to change when a window does not fit its (padded) input."""
    padded = (size[0] + pad_total[0], size[1] + pad_total[1])
    return (f"the window spans {span[0]}x{span[1]} cells but the padded input is only "
            f"{padded[0]}x{padded[1]}: use a smaller kernel or dilation, add padding, or "
            "downsample less before this layer")


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


@dataclass(frozen=True)
class Conv2d(Layer):
    kernel: IntPair
    out_channels: int | None = None
    stride: IntPair = (1, 1)
    padding: IntPair | str = (0, 0)
    dilation: IntPair = (1, 1)
    groups: int = 1
    bias: bool = True
    padding_mode: str = "zeros"
    type: ClassVar[str] = "conv2d"

    def apply(self, tensor: Tensor) -> Applied:
        prefix, c_in, h, w = _spatial(tensor, "conv2d")
        c_out = _out_channels("conv2d", self.out_channels, c_in, tensor.shape)
        if c_in is not None and c_out is not None:
            _groups_check(self.groups, c_in, c_out)
        elif self.groups != 1:
            raise LayerError(
                f"groups: a 2-D {show_shape(tensor.shape)} input has one channel, so groups "
                f"must be 1, got {self.groups}",
                "use groups=1",
            )
        spans = (effective_kernel(self.kernel[0], self.dilation[0]),
                 effective_kernel(self.kernel[1], self.dilation[1]))
        pad_total = ((0, 0) if isinstance(self.padding, str)
                     else (2 * self.padding[0], 2 * self.padding[1]))
        geom = _engine(conv_geometry, (h, w), self.kernel, self.stride, self.padding,
                       self.dilation, self.padding_mode, fixes={
                           "kernel": _fit_fix((h, w), pad_total, spans),
                           "padding": "use padding_mode='zeros' or less padding",
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
        span = (effective_kernel(self.kernel[0], self.dilation[0]),
                effective_kernel(self.kernel[1], self.dilation[1]))
        return grow_receptive_field(rf, jump, span, self.stride)

    def describe(self, in_channels: int | None = None) -> str:
        text = (f"Conv2d({in_channels or 1}, {self.out_channels or 1}, "
                f"kernel_size={_tuple_text(self.kernel)}, stride={_tuple_text(self.stride)}")
        if isinstance(self.padding, str):
            text += f", padding={self.padding}"
        elif self.padding != (0, 0):
            text += f", padding={_tuple_text(self.padding)}"
        if self.dilation != (1, 1):
            text += f", dilation={_tuple_text(self.dilation)}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if not self.bias:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text + ")"

    @property
    def label(self) -> str:
        pad = self.padding if isinstance(self.padding, str) else show_pair(self.padding)
        text = f"conv {self.kernel[0]}x{self.kernel[1]} s{show_pair(self.stride)} p{pad}"
        if self.dilation != (1, 1):
            text += f" d{show_pair(self.dilation)}"
        if self.groups != 1:
            text += f" g{self.groups}"
        return text


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
                f"padding='same': {before} cell(s) before and {after} after "
                f"(total {dilation[axis]}×({kernel[axis]} - 1) = {before + after}), so the "
                f"size stays {out_size[axis]}",
            ))
    return result


@dataclass(frozen=True)
class ConvTranspose2d(Layer):
    kernel: IntPair
    out_channels: int | None = None
    stride: IntPair = (1, 1)
    padding: IntPair = (0, 0)
    output_padding: IntPair = (0, 0)
    dilation: IntPair = (1, 1)
    groups: int = 1
    bias: bool = True
    type: ClassVar[str] = "conv_transpose2d"

    def apply(self, tensor: Tensor) -> Applied:
        prefix, c_in, h, w = _spatial(tensor, "conv_transpose2d")
        c_out = _out_channels("conv_transpose2d", self.out_channels, c_in, tensor.shape)
        if c_in is not None and c_out is not None:
            _groups_check(self.groups, c_in, c_out)
        elif self.groups != 1:
            raise LayerError(
                f"groups: a 2-D {show_shape(tensor.shape)} input has one channel, so groups "
                f"must be 1, got {self.groups}",
                "use groups=1",
            )
        explanations = {}
        for axis, (name, size) in enumerate((("H", h), ("W", w))):
            explanations[name] = _engine(
                explain_transposed_output_size, size, self.kernel[axis], self.stride[axis],
                self.padding[axis], self.output_padding[axis], self.dilation[axis], fixes={
                    "output_padding": "use an output_padding smaller than the stride",
                    "padding": "use less padding or a bigger kernel",
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

    def describe(self, in_channels: int | None = None) -> str:
        text = (f"ConvTranspose2d({in_channels or 1}, {self.out_channels or 1}, "
                f"kernel_size={_tuple_text(self.kernel)}, stride={_tuple_text(self.stride)}")
        if self.padding != (0, 0):
            text += f", padding={_tuple_text(self.padding)}"
        if self.dilation != (1, 1):
            text += f", dilation={_tuple_text(self.dilation)}"
        if self.output_padding != (0, 0):
            text += f", output_padding={_tuple_text(self.output_padding)}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if not self.bias:
            text += ", bias=False"
        return text + ")"

    @property
    def label(self) -> str:
        text = (f"convT {self.kernel[0]}x{self.kernel[1]} s{show_pair(self.stride)} "
                f"p{show_pair(self.padding)}")
        if self.output_padding != (0, 0):
            text += f" op{show_pair(self.output_padding)}"
        if self.dilation != (1, 1):
            text += f" d{show_pair(self.dilation)}"
        if self.groups != 1:
            text += f" g{self.groups}"
        return text


@dataclass(frozen=True)
class _Pool2d(Layer):
    kernel: IntPair
    stride: IntPair | None = None  # None: the kernel size, as in PyTorch
    padding: IntPair = (0, 0)
    ceil_mode: bool = False

    @property
    def step(self) -> IntPair:
        return self.kernel if self.stride is None else self.stride

    def _pool_apply(self, tensor: Tensor, kind: str, dilation: IntPair) -> Applied:
        prefix, c_in, h, w = _spatial(tensor, self.type)
        spans = (effective_kernel(self.kernel[0], dilation[0]),
                 effective_kernel(self.kernel[1], dilation[1]))
        pad_total = (2 * self.padding[0], 2 * self.padding[1])
        geom = _engine(pool_geometry, (h, w), kind, self.kernel, self.step, self.padding,
                       dilation, self.ceil_mode, fixes={
                           "kernel": _fit_fix((h, w), pad_total, spans),
                           "padding": (f"use padding at most {min(self.kernel) // 2} "
                                       "(half the kernel) or a bigger kernel"),
                       })
        explanations = {
            name: explain_output_size((h, w)[axis], self.kernel[axis], self.step[axis],
                                      self.padding[axis], dilation[axis], self.ceil_mode)
            for axis, name in enumerate("HW")
        }
        out = Tensor(_map_shape(prefix, c_in, *geom.out_size))
        return Applied(out, explanations, 0, 0)

    def _pool_label(self, name: str) -> str:
        text = f"{name} {self.kernel[0]}x{self.kernel[1]} s{show_pair(self.step)}"
        if self.padding != (0, 0):
            text += f" p{show_pair(self.padding)}"
        if self.ceil_mode:
            text += " ceil"
        return text


@dataclass(frozen=True)
class MaxPool2d(_Pool2d):
    dilation: IntPair = (1, 1)
    type: ClassVar[str] = "maxpool2d"

    def apply(self, tensor: Tensor) -> Applied:
        return self._pool_apply(tensor, "max", self.dilation)

    def receptive(self, rf, jump, before, after):
        span = (effective_kernel(self.kernel[0], self.dilation[0]),
                effective_kernel(self.kernel[1], self.dilation[1]))
        return grow_receptive_field(rf, jump, span, self.step)

    def describe(self, in_channels: int | None = None) -> str:
        return (f"MaxPool2d(kernel_size={compact_pair(self.kernel)}, "
                f"stride={compact_pair(self.step)}, padding={compact_pair(self.padding)}, "
                f"dilation={compact_pair(self.dilation)}, ceil_mode={self.ceil_mode})")

    @property
    def label(self) -> str:
        text = self._pool_label("maxpool")
        return text + (f" d{show_pair(self.dilation)}" if self.dilation != (1, 1) else "")


@dataclass(frozen=True)
class AvgPool2d(_Pool2d):
    count_include_pad: bool = True
    type: ClassVar[str] = "avgpool2d"

    def apply(self, tensor: Tensor) -> Applied:
        return self._pool_apply(tensor, "avg", (1, 1))

    def receptive(self, rf, jump, before, after):
        return grow_receptive_field(rf, jump, self.kernel, self.step)

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
            windows = _adaptive_windows(size, out)
            sizes = sorted({b - a for a, b in windows})
            detail = (f"every window covers {sizes[0]} cell(s)" if len(sizes) == 1
                      else f"windows cover {sizes[0]} to {sizes[-1]} cells")
            explanations[name] = Explanation(out, (
                f"adaptive pooling always gives the requested size: {size} → {out} "
                f"({detail})",
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
            fix = (f"add a batch dimension: input [1, {', '.join(map(str, shape))}]"
                   if tensor.is_map and len(shape) == 3 else
                   "put batchnorm2d right after a conv, on an [N, C, H, W] tensor")
            raise LayerError(
                f"input: BatchNorm2d expects a 4-D [N, C, H, W] input, got {len(shape)}-D "
                f"{show_shape(shape)}",
                fix,
            )
        channels = shape[1]
        if self.num_features is not None and self.num_features != channels:
            raise LayerError(
                f"num_features: the input has {channels} channels but the layer expects "
                f"num_features={self.num_features}",
                f"use BatchNorm2d({channels})",
            )
        notes = ()
        if shape[0] * shape[2] * shape[3] == 1:
            notes = ("in training mode PyTorch refuses this: a batch of 1 at 1x1 gives one "
                     "value per channel, too few to normalise; train with a batch of 2 or more "
                     "(evaluation mode, model.eval(), is fine)",)
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
            raise LayerError(
                f"input: a 2-D {show_shape(shape)} input has no batch or channel dimension "
                "to keep, so Flatten (which starts at dimension 1) would leave it as it is",
                f"give the input as [1, 1, {shape[0]}, {shape[1]}]",
            )
        merged = shape[1:]
        features = math.prod(merged)
        product = "×".join(map(str, merged))
        lines = [f"{product} = {features}"] if len(merged) > 1 else [f"{features}"]
        if len(shape) == 3 and tensor.is_map:
            lines.append(
                f"the input has no batch dimension, so the first one ({shape[0]} channels) "
                "is kept: nn.Flatten starts at dimension 1"
            )
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
            raise LayerError(
                f"input: a 2-D {show_shape(shape)} input is an image; Linear needs features",
                f"give the input as [1, 1, {shape[0]}, {shape[1]}] and add flatten first",
            )
        last = shape[-1]
        if tensor.is_map and self.in_features != last:
            features = math.prod(shape[-3:]) if len(shape) == 4 else math.prod(shape[-2:])
            raise LayerError(
                f"input: Linear on the feature map {show_shape(shape)} would only act on its "
                f"last dimension ({last}); flatten it first",
                f"add flatten before linear, then use Linear({features}, {self.out_features})",
            )
        if self.in_features is not None and self.in_features != last:
            where = (f" ({'*'.join(map(str, tensor.flat_from))})"
                     if len(tensor.flat_from) > 1 else "")
            fix = f"use Linear({last}, {self.out_features})"
            if tensor.unbatched:
                batched = ", ".join(map(str, (1, shape[0], *tensor.flat_from)))
                fix = (f"the input has no batch dimension, so Flatten kept its {shape[0]} "
                       f"channels apart; give the input as [{batched}] and use "
                       f"Linear({shape[0] * last}, {self.out_features})")
            raise LayerError(
                f"in_features: the input has {last} features{where} but Linear expects "
                f"in_features={self.in_features}",
                fix,
            )
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

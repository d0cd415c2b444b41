"""Which ``torch.nn`` module a layer is and which arguments build it: the one table that both
the code convtui writes (``convtui.core.export`` formats it) and the modules it checks against
(``convtui.pytorch.network`` instantiates it) read, so the two cannot drift apart.

Plain values only, no torch: the engine computes with numpy. Pairs are handed over the way
convtui passes them to PyTorch (an int when square, so the reprs match), and an argument at
PyTorch's default is left out, as the exported code leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from convtui.core.layers import (
    SIZES,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    IntPair,
    Layer,
    Linear,
    MaxPool2d,
    ReLU,
    compact_pair,
)

#: What a module is built with: a count, a compact pair, a padding word, a flag or a rate.
Value = int | IntPair | str | bool | float
Keywords = tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class ModuleCall:
    """``getattr(torch.nn, name)(*args, **dict(kwargs))``: one layer's constructor call,
    keywords in the order the exported code writes them."""

    name: str
    args: tuple[Value, ...] = ()
    kwargs: Keywords = ()

    def kernel_by_position(self) -> ModuleCall:
        """The same call with ``kernel_size`` passed by position (``nn.Conv2d(1, 1, 3)``), the
        short form the Transposed panel writes; PyTorch takes it right after the sizes."""
        kernel = dict(self.kwargs)["kernel_size"]
        rest = tuple(item for item in self.kwargs if item[0] != "kernel_size")
        return ModuleCall(self.name, (*self.args, kernel), rest)


def _sizes(layer: Layer, in_width: int) -> tuple[tuple[Value, ...], Keywords]:
    """The arguments that size the layer (``SIZES``), written first: by position, but the
    kernel by name."""
    if isinstance(layer, (Conv2d, ConvTranspose2d)):
        return (in_width, layer.out_channels or 1), (("kernel_size", compact_pair(layer.kernel)),)
    if isinstance(layer, (MaxPool2d, AvgPool2d)):
        return (), (("kernel_size", compact_pair(layer.kernel)),)
    if isinstance(layer, AdaptiveAvgPool2d):
        return (compact_pair(layer.output_size),), ()
    if isinstance(layer, BatchNorm2d):
        return (in_width,), ()
    if isinstance(layer, Linear):
        return (in_width, layer.out_features), ()
    if isinstance(layer, (Dropout, ReLU, Flatten)):
        return (), ()
    raise TypeError(f"no torch.nn module for {type(layer).__name__}")


def module_call(layer: Layer, in_width: int = 1) -> ModuleCall:
    """The ``nn.`` call of one layer taking ``in_width`` channels (features for Linear):
    its sizes, then every other argument that is not at its default."""
    args, keywords = _sizes(layer, in_width)
    options: list[tuple[str, Value]] = []
    for key, value, default in layer.arguments():
        if key == "stride" and isinstance(layer, (MaxPool2d, AvgPool2d)):
            value, default = layer.step, layer.kernel  # PyTorch's default: the kernel size
        if key not in SIZES and value != default:
            plain = compact_pair(value) if isinstance(value, tuple) else value
            options.append((key, plain))  # type: ignore[arg-type]
    return ModuleCall(type(layer).__name__, args, (*keywords, *options))

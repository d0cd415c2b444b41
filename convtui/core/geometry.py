"""Output-size arithmetic for convolution, pooling and transposed convolution.

Every shape convtui shows comes from here, with PyTorch's own formulas and argument checks, and
each answer can be explained step by step the way the lecture does it on the board.
"""

from __future__ import annotations

from dataclasses import dataclass

from convtui.core.errors import ArgumentError, refuse
from convtui.i18n import t

IntPair = tuple[int, int]
Padding = int | tuple[int, int] | str

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def pair(value: int | tuple[int, int] | list[int], name: str) -> IntPair:
    """Normalise an int or a 2-sequence of ints to an (h, w) pair, as ``nn.Conv2d`` does."""
    if isinstance(value, bool):
        raise refuse(name, "core.args.int_or_pair", value=repr(value))
    if isinstance(value, int):
        return (value, value)
    if (
        isinstance(value, (tuple, list)) and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return (int(value[0]), int(value[1]))
    raise refuse(name, "core.args.int_or_pair", value=repr(value))


def check_positive(value: IntPair, name: str) -> None:
    """Stride, dilation and kernel sizes must be at least 1 (PyTorch refuses 0 and below)."""
    if min(value) < 1:
        raise below_minimum(name, _show(value), 1)


def check_non_negative(value: IntPair, name: str) -> None:
    if min(value) < 0:
        raise below_minimum(name, _show(value), 0)


def check_extent(shape: tuple[int, ...], name: str, batched: bool = False) -> None:
    """Every axis must hold at least one cell; only a batch axis may be empty, as in PyTorch."""
    axes = tuple(shape[1:] if batched else shape)
    if min(axes) < 1:
        key = "core.geometry.empty_axis_batched" if batched else "core.geometry.empty_axis"
        raise refuse(name, key, shape=tuple(shape))


def _show(value: IntPair) -> str:
    return str(value[0]) if value[0] == value[1] else f"({value[0]}, {value[1]})"


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """The span a dilated kernel covers: d*(k-1)+1 cells."""
    return dilation * (kernel - 1) + 1


def same_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """Padding before/after for ``padding="same"``; an odd total puts the extra cell after,
    as PyTorch does."""
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def conv_padding(
    padding: Padding, kernel: IntPair, stride: IntPair, dilation: IntPair
) -> tuple[int, int, int, int]:
    """Resolve a conv ``padding`` argument to (top, bottom, left, right)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if stride != (1, 1):
                raise refuse("padding", "core.geometry.same_with_stride", stride=_show(stride))
            top, bottom = same_padding(kernel[0], dilation[0])
            left, right = same_padding(kernel[1], dilation[1])
            return (top, bottom, left, right)
        raise refuse("padding", "core.geometry.padding_word", value=repr(padding))
    ph, pw = pair(padding, "padding")
    check_non_negative((ph, pw), "padding")
    return (ph, ph, pw, pw)


def conv_output_size(
    size: int, kernel: int, stride: int = 1, pad_before: int = 0, pad_after: int = 0,
    dilation: int = 1, dim: str = "",
) -> int:
    """One dimension of a convolution's output, padding given per side."""
    padded = size + pad_before + pad_after
    span = effective_kernel(kernel, dilation)
    if span > padded:
        raise kernel_too_big(span, dilation, padded, dim)
    return (padded - span) // stride + 1


def kernel_too_big(span: int, dilation: int, padded: int, dim: str = "") -> ArgumentError:
    """The window does not fit: ``dim`` is ``height``, ``width`` or empty (one dimension)."""
    where = {"": "", "height": t("core.geometry.in_height"),
             "width": t("core.geometry.in_width")}[dim]
    dilated = t("core.geometry.dilated") if dilation > 1 else ""
    return refuse("kernel", "core.geometry.kernel_too_big", span=span, dilated=dilated,
                  padded=padded, where=where)


def output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """``(size - F + 2P) / S + 1``, floored (or ceiled for pooling's ``ceil_mode``), with
    F the dilated kernel span. Raises ValueError for arguments PyTorch would refuse."""
    return explain_output_size(size, kernel, stride, padding, dilation, ceil_mode).value


def transposed_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
    dilation: int = 1,
) -> int:
    """``(size - 1)*S - 2P + d*(k-1) + output_padding + 1``, as ``nn.ConvTranspose2d``."""
    return explain_transposed_output_size(
        size, kernel, stride, padding, output_padding, dilation
    ).value


@dataclass(frozen=True)
class Explanation:
    """An answer and the lines that derive it, for the quiz and the Shapes panel."""

    value: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def check_int(name: str, value: object, minimum: int) -> None:
    """A plain int (not a bool) of at least ``minimum`` (1, or 0 for paddings)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(name, "core.args.int", value=repr(value))
    if value < minimum:
        raise below_minimum(name, value, minimum)


def below_minimum(name: str, shown: object, minimum: int) -> ArgumentError:
    """``must be at least 1`` (sizes, strides, dilations) or ``must not be negative``."""
    key = "core.args.at_least_one" if minimum == 1 else "core.args.not_negative"
    return refuse(name, key, value=shown)


def explain_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
    ceil_mode: bool = False,
) -> Explanation:
    """Derive one output dimension step by step, e.g. for 64, 7, stride 2, padding 0:
    ``(64 - 7 + 2×0) / 2 + 1 = 29.5``, then ``floor → 29``."""
    check_int("size", size, 1)
    check_int("kernel", kernel, 1)
    check_int("stride", stride, 1)
    check_int("padding", padding, 0)
    check_int("dilation", dilation, 1)
    span = effective_kernel(kernel, dilation)
    lines: list[str] = []
    if dilation > 1:
        lines.append(t("core.explain.dilated_kernel", dilation=dilation, kernel=kernel,
                       span=span))
    numerator = size - span + 2 * padding
    if numerator < 0 and not ceil_mode:
        raise kernel_too_big(span, dilation, size + 2 * padding)
    exact = numerator / stride + 1
    lines.append(
        f"({size} - {span} + 2×{padding}) / {stride} + 1 = {numerator} / {stride} + 1 = "
        f"{_num(exact)}"
    )
    if not ceil_mode:
        value = numerator // stride + 1
        if numerator % stride:
            lines.append(t("core.explain.floor", exact=_num(exact), value=value))
        return Explanation(value, tuple(lines))
    value = -(-numerator // stride) + 1
    if numerator % stride:
        # starts with "ceil_mode=True:" in every language: views may leave the line out
        lines.append(t("core.explain.ceil", value=value))
    # PyTorch drops a last window that starts in the right padding, rounded up or not.
    if (value - 1) * stride >= size + padding:
        lines.append(t("core.explain.drop_last", start=(value - 1) * stride,
                       limit=size + padding, value=value - 1))
        value -= 1
    if value < 1:
        raise kernel_too_big(span, dilation, size + 2 * padding)
    return Explanation(value, tuple(lines))


def explain_transposed_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
    dilation: int = 1,
) -> Explanation:
    """Derive one transposed-convolution output dimension step by step."""
    check_int("size", size, 1)
    check_int("kernel", kernel, 1)
    check_int("stride", stride, 1)
    check_int("padding", padding, 0)
    check_int("output_padding", output_padding, 0)
    check_int("dilation", dilation, 1)
    if output_padding >= stride and output_padding >= dilation:
        raise refuse("output_padding", "core.geometry.output_padding_too_big", stride=stride,
                     dilation=dilation, value=output_padding)
    span = effective_kernel(kernel, dilation)
    value = (size - 1) * stride - 2 * padding + span + output_padding
    lines = [
        f"({size} - 1)×{stride} - 2×{padding} + {span} + {output_padding} = {value}"
        if dilation == 1
        else f"({size} - 1)×{stride} - 2×{padding} + {dilation}×({kernel} - 1) + 1 + "
        f"{output_padding} = {value}"
    ]
    if value < 1:
        raise refuse("padding", "core.geometry.transposed_too_small", value=value,
                     padding=padding)
    return Explanation(value, tuple(lines))


def pool_output_size(
    size: int, kernel: int, stride: int, padding: int = 0, dilation: int = 1,
    ceil_mode: bool = False, dim: str = "",
) -> int:
    """One dimension of a pooling output, with PyTorch's pooling checks."""
    if padding > kernel // 2:
        raise refuse("padding", "core.geometry.pool_padding", kernel=kernel,
                     most=kernel // 2, value=padding)
    try:
        return output_size(size, kernel, stride, padding, dilation, ceil_mode)
    except ArgumentError as err:
        if err.argument == "kernel" and dim:
            raise kernel_too_big(effective_kernel(kernel, dilation), dilation,
                                 size + 2 * padding, dim) from None
        raise


def _num(x: float) -> str:
    """Show 29.0 as 29 and 29.5 as 29.5, never a float artefact."""
    if x == int(x):
        return str(int(x))
    return f"{x:.4f}".rstrip("0")

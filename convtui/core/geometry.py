"""Output-size arithmetic for convolution, pooling and transposed convolution.

Every shape convtui shows comes from here, with PyTorch's own formulas and argument checks, and
each answer can be explained step by step the way the lecture does it on the board.
"""

from __future__ import annotations

from dataclasses import dataclass

IntPair = tuple[int, int]
Padding = int | tuple[int, int] | str

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def pair(value: int | tuple[int, int] | list[int], name: str) -> IntPair:
    """Normalise an int or a 2-sequence of ints to an (h, w) pair, as ``nn.Conv2d`` does."""
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected an int or a pair of ints, got {value!r}")
    if isinstance(value, int):
        return (value, value)
    if (
        isinstance(value, (tuple, list)) and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return (int(value[0]), int(value[1]))
    raise ValueError(f"{name}: expected an int or a pair of ints, got {value!r}")


def check_positive(value: IntPair, name: str) -> None:
    """Stride, dilation and kernel sizes must be at least 1 (PyTorch refuses 0 and below)."""
    if min(value) < 1:
        raise ValueError(f"{name}: must be at least 1, got {_show(value)}")


def check_non_negative(value: IntPair, name: str) -> None:
    if min(value) < 0:
        raise ValueError(f"{name}: must not be negative, got {_show(value)}")


def check_extent(shape: tuple[int, ...], name: str, batched: bool = False) -> None:
    """Every axis must hold at least one cell; only a batch axis may be empty, as in PyTorch."""
    axes = tuple(shape[1:] if batched else shape)
    if min(axes) < 1:
        but = " but the batch" if batched else ""
        raise ValueError(
            f"{name}: every dimension{but} must be at least 1, got shape {tuple(shape)}"
        )


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
                raise ValueError(
                    "padding: 'same' is not supported for strided convolutions "
                    f"(stride={_show(stride)}); use stride 1 or a number"
                )
            top, bottom = same_padding(kernel[0], dilation[0])
            left, right = same_padding(kernel[1], dilation[1])
            return (top, bottom, left, right)
        raise ValueError(f"padding: expected an int, a pair, 'same' or 'valid', got {padding!r}")
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
        where = f" in {dim}" if dim else ""
        raise ValueError(
            f"kernel: the kernel ({span} cells{', dilated' if dilation > 1 else ''}) is larger "
            f"than the padded input ({padded} cells){where}"
        )
    return (padded - span) // stride + 1


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


def _validate_scalar(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: expected an int, got {value!r}")
    if value < minimum:
        rule = "must be at least 1" if minimum == 1 else "must not be negative"
        raise ValueError(f"{name}: {rule}, got {value}")


def explain_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
    ceil_mode: bool = False,
) -> Explanation:
    """Derive one output dimension step by step, e.g. for 64, 7, stride 2, padding 0:
    ``(64 - 7 + 2×0) / 2 + 1 = 29.5``, then ``floor → 29``."""
    _validate_scalar("size", size, 1)
    _validate_scalar("kernel", kernel, 1)
    _validate_scalar("stride", stride, 1)
    _validate_scalar("padding", padding, 0)
    _validate_scalar("dilation", dilation, 1)
    span = effective_kernel(kernel, dilation)
    lines: list[str] = []
    if dilation > 1:
        lines.append(f"dilated kernel: {dilation}×({kernel} - 1) + 1 = {span}")
    numerator = size - span + 2 * padding
    too_big = ValueError(
        f"kernel: the kernel ({span} cells{', dilated' if dilation > 1 else ''}) is larger "
        f"than the padded input ({size + 2 * padding} cells)"
    )
    if numerator < 0 and not ceil_mode:
        raise too_big
    exact = numerator / stride + 1
    lines.append(
        f"({size} - {span} + 2×{padding}) / {stride} + 1 = {numerator} / {stride} + 1 = "
        f"{_num(exact)}"
    )
    if not ceil_mode:
        value = numerator // stride + 1
        if numerator % stride:
            lines.append(f"{_num(exact)} is not whole: floor it → {value}")
        return Explanation(value, tuple(lines))
    value = -(-numerator // stride) + 1
    if numerator % stride:
        lines.append(f"ceil_mode=True: round up → {value}")
    # PyTorch drops a last window that starts in the right padding, rounded up or not.
    if (value - 1) * stride >= size + padding:
        lines.append(
            f"the last window would start at {(value - 1) * stride}, past the input and "
            f"its left padding ({size + padding}), so it is dropped → {value - 1}"
        )
        value -= 1
    if value < 1:
        raise too_big
    return Explanation(value, tuple(lines))


def explain_transposed_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
    dilation: int = 1,
) -> Explanation:
    """Derive one transposed-convolution output dimension step by step."""
    _validate_scalar("size", size, 1)
    _validate_scalar("kernel", kernel, 1)
    _validate_scalar("stride", stride, 1)
    _validate_scalar("padding", padding, 0)
    _validate_scalar("output_padding", output_padding, 0)
    _validate_scalar("dilation", dilation, 1)
    if output_padding >= stride and output_padding >= dilation:
        raise ValueError(
            f"output_padding: must be smaller than either stride ({stride}) or dilation "
            f"({dilation}), got {output_padding}"
        )
    span = effective_kernel(kernel, dilation)
    value = (size - 1) * stride - 2 * padding + span + output_padding
    lines = [
        f"({size} - 1)×{stride} - 2×{padding} + {span} + {output_padding} = {value}"
        if dilation == 1
        else f"({size} - 1)×{stride} - 2×{padding} + {dilation}×({kernel} - 1) + 1 + "
        f"{output_padding} = {value}"
    ]
    if value < 1:
        raise ValueError(
            f"padding: the output would have size {value}; reduce padding ({padding}) or "
            "increase stride or kernel"
        )
    return Explanation(value, tuple(lines))


def pool_output_size(
    size: int, kernel: int, stride: int, padding: int = 0, dilation: int = 1,
    ceil_mode: bool = False, dim: str = "",
) -> int:
    """One dimension of a pooling output, with PyTorch's pooling checks."""
    if padding > kernel // 2:
        raise ValueError(
            f"padding: pooling padding must be at most half the kernel size "
            f"(kernel {kernel} allows at most {kernel // 2}), got {padding}"
        )
    try:
        value = output_size(size, kernel, stride, padding, dilation, ceil_mode)
    except ValueError as err:
        if str(err).startswith("kernel:") and dim:
            raise ValueError(f"{err} in {dim}") from None
        raise
    return value


def _num(x: float) -> str:
    """Show 29.0 as 29 and 29.5 as 29.5, never a float artefact."""
    if x == int(x):
        return str(int(x))
    return f"{x:.4f}".rstrip("0")

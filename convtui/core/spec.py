"""A compact text form for a layer stack, typed in the Shapes panel and printed back.

Grammar (whitespace separates layers; ``->`` between layers is allowed and ignored)::

    spec    := [shape ":"] layer*
    shape   := INT ("x" INT)+               e.g. 1x1x28x28, 3x32x32, 28x28
    layer   := NAME ["(" [arg ("," arg)*] ")"]
             | "res(" layer* ["|" layer*] ")"      main path | shortcut (none: identity)
    arg     := value | KEY "=" value
    value   := INT | INT "x" INT | NUMBER | WORD    (3x5 is a [h, w] pair; true/false)

Layers, with their positional arguments in brackets and keywords after:

    conv(out, k, s, p)      d= g= bias= mode=     nn.Conv2d        p may be same / valid
    convT(out, k, s, p)     op= d= g= bias=       nn.ConvTranspose2d
    maxpool(k, s, p)        d= ceil=              nn.MaxPool2d     s defaults to k
    avgpool(k, s, p)        ceil= cip=            nn.AvgPool2d     cip: count_include_pad
    adaptiveavgpool(size)                         nn.AdaptiveAvgPool2d
    bn([channels])                                nn.BatchNorm2d
    linear([in,] out)       bias=                 nn.Linear
    relu  flatten  dropout([p])

Keywords may also be spelled as in PyTorch (stride=, padding=, dilation=, groups=,
output_padding=, ceil_mode=, count_include_pad=, padding_mode=, kernel=, out_channels=, ...).
Example: ``1x1x28x28: conv(16,3,p=1) relu maxpool(2) flatten linear(10)``.

Each layer is parsed into the dict form and built by ``parse_layer``, so the checks and
messages are the same as for puzzle packs; errors carry the column they point at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from convtui.core.layers import (
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
    Shape,
    show_pair,
)
from convtui.core.network import Residual, check_input_shape, parse_layer

#: spec name -> (dict-form type, positional keys, keyword spellings -> dict-form keys)
_LAYERS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "conv": ("conv2d", ("out_channels", "kernel", "stride", "padding"),
             {"d": "dilation", "g": "groups", "mode": "padding_mode"}),
    "convT": ("conv_transpose2d", ("out_channels", "kernel", "stride", "padding"),
              {"op": "output_padding", "d": "dilation", "g": "groups"}),
    "maxpool": ("maxpool2d", ("kernel", "stride", "padding"),
                {"d": "dilation", "ceil": "ceil_mode"}),
    "avgpool": ("avgpool2d", ("kernel", "stride", "padding"),
                {"ceil": "ceil_mode", "cip": "count_include_pad"}),
    "adaptiveavgpool": ("adaptiveavgpool2d", ("output_size",), {"size": "output_size"}),
    "bn": ("batchnorm2d", ("num_features",), {}),
    "linear": ("linear", ("out_features",), {"in": "in_features", "out": "out_features"}),
    "relu": ("relu", (), {}),
    "flatten": ("flatten", (), {}),
    "dropout": ("dropout", ("p",), {}),
}
_USAGE = {
    "conv": "conv(out, k), e.g. conv(16,3)", "convT": "convT(out, k), e.g. convT(16,2,s=2)",
    "maxpool": "maxpool(k), e.g. maxpool(2)", "avgpool": "avgpool(k), e.g. avgpool(2)",
    "adaptiveavgpool": "adaptiveavgpool(size), e.g. adaptiveavgpool(1)",
    "linear": "linear(out) or linear(in, out), e.g. linear(10)",
}
_COMMON_KEYS = {"k": "kernel", "s": "stride", "p": "padding", "out": "out_channels"}

SPEC_NAMES: tuple[str, ...] = (*_LAYERS, "res")

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<arrow>->|→)
  | (?P<dims>\d+(?:x\d+)+(?![A-Za-z_0-9]))
  | (?P<number>\d+\.\d*|\.\d+|\d+)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>[(),=|:\[\]])
""", re.VERBOSE)


class SpecError(ValueError):
    """A spec that does not parse: ``position`` is the 0-based column it points at."""

    def __init__(self, text: str, position: int, message: str) -> None:
        super().__init__(f"column {position + 1}: {message}")
        self.text = text
        self.position = position
        self.message = message

    @property
    def pointer(self) -> str:
        """The spec with a caret under the offending column."""
        return f"{self.text}\n{' ' * self.position}^"


@dataclass(frozen=True)
class Spec:
    """A parsed spec: the input shape if it gave one, and the layers."""

    input_shape: Shape | None
    layers: tuple[Layer, ...]


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise SpecError(text, position, f"unexpected character {text[position]!r}")
        kind = match.lastgroup or ""
        if kind not in ("space", "arrow"):
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.at = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def error(self, message: str, token: _Token | None = None) -> SpecError:
        return SpecError(self.text, (token or self.token).position, message)

    def take(self, text: str) -> bool:
        if self.token.kind == "punct" and self.token.text == text:
            self.at += 1
            return True
        return False

    def expect(self, text: str, context: str) -> None:
        if not self.take(text):
            found = self.token.text or "the end"
            raise self.error(f"expected {text!r} {context}, found {found!r}")

    def spec(self) -> Spec:
        shape = None
        if self.token.kind in ("dims", "number") and self.tokens[self.at + 1].text == ":":
            shape = self.shape()
        return Spec(shape, self.layers(stop=()))

    def shape(self) -> Shape:
        token = self.token
        self.at += 2  # the dims and the colon
        dims = tuple(int(d) for d in token.text.split("x"))
        try:
            return check_input_shape(dims)
        except ValueError as err:
            raise self.error(str(err), token) from None

    def layers(self, stop: tuple[str, ...]) -> tuple[Layer, ...]:
        layers = []
        while self.token.kind != "end" and not (
            self.token.kind == "punct" and self.token.text in stop
        ):
            layers.append(self.layer())
        return tuple(layers)

    def layer(self) -> Layer:
        token = self.token
        if token.kind != "name":
            hint = (f" (an input shape goes first, with a colon: {token.text}: ...)"
                    if token.kind == "dims" else "")
            raise self.error(f"expected a layer name, found {token.text!r}{hint}")
        self.at += 1
        if token.text == "res":
            return self.residual(token)
        if token.text not in _LAYERS:
            raise self.error(
                f"unknown layer {token.text!r}; known: {', '.join(SPEC_NAMES)}", token)
        kind, positional, keywords = _LAYERS[token.text]
        spec: dict[str, object] = {"type": kind}
        spots: dict[str, _Token] = {}
        args: list[tuple[_Token, str | None, object]] = []
        if self.take("("):
            while not self.take(")"):
                if self.token.kind == "end":
                    raise self.error(f"missing ')' to close {token.text}(")
                if args:
                    self.expect(",", "between arguments")
                args.append(self.argument())
        if token.text == "linear" and sum(a[1] is None for a in args) == 2:
            positional = ("in_features", "out_features")
        seen_keyword = False
        for i, (at, key, value) in enumerate(args):
            if key is None:
                if seen_keyword:
                    raise self.error("a positional argument cannot follow a keyword one", at)
                if i >= len(positional):
                    most = f"at most {len(positional)}" if positional else "no"
                    raise self.error(
                        f"{token.text} takes {most} positional arguments, got {len(args)}", at)
                name = positional[i]
            else:
                seen_keyword = True
                name = keywords.get(key) or _COMMON_KEYS.get(key) or key
            if name in spec:
                raise self.error(f"{name} is given twice", at)
            spec[name] = value
            spots[name] = at
        try:
            return parse_layer(spec)
        except ValueError as err:
            key, reason = str(err).split(": ", 1)
            if reason.startswith("required for"):
                raise self.error(f"{token.text} needs {key}; write {_USAGE[token.text]}",
                                 token) from None
            raise self.error(str(err), spots.get(key, token)) from None

    def argument(self) -> tuple[_Token, str | None, object]:
        start = self.token
        key = None
        if start.kind == "name" and self.tokens[self.at + 1].text == "=":
            key = start.text
            self.at += 2
        token = self.token
        self.at += 1
        if token.kind == "dims":
            dims = [int(d) for d in token.text.split("x")]
            if len(dims) != 2:
                raise self.error(f"expected a pair like 3x5, found {token.text!r}", token)
            return start, key, dims
        if token.kind == "number":
            return start, key, float(token.text) if "." in token.text else int(token.text)
        if token.kind == "name":
            words = {"true": True, "false": False}
            return start, key, words.get(token.text.lower(), token.text)
        raise self.error(f"expected a value, found {token.text or 'the end'!r}", token)

    def residual(self, token: _Token) -> Residual:
        self.expect("(", "after res")
        main = self.layers(stop=("|", ")"))
        shortcut: tuple[Layer, ...] = ()
        if self.take("|"):
            shortcut = self.layers(stop=(")",))
        self.expect(")", "to close res(")
        if not main:
            raise self.error("res( needs at least one layer on its main path", token)
        return Residual(main, shortcut)


def parse_spec(text: str) -> Spec:
    """Parse a spec like ``1x1x28x28: conv(5,5) maxpool(2)``; raises SpecError."""
    return _Parser(text).spec()


def _value(value: IntPair | int | float | bool | str) -> str:
    if isinstance(value, tuple):
        return show_pair(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def format_layer(layer: Layer) -> str:
    """The canonical spec text of one layer (defaults left out)."""
    args: list[str] = []

    def keyword(name: str, value: object, default: object) -> None:
        if value != default:
            args.append(f"{name}={_value(value)}")  # type: ignore[arg-type]

    if isinstance(layer, (Conv2d, ConvTranspose2d)):
        name = "conv" if isinstance(layer, Conv2d) else "convT"
        if layer.out_channels is None:
            args.append(f"k={_value(layer.kernel)}")
        else:
            args += [str(layer.out_channels), _value(layer.kernel)]
        keyword("s", layer.stride, (1, 1))
        keyword("p", layer.padding, (0, 0))
        if isinstance(layer, ConvTranspose2d):
            keyword("op", layer.output_padding, (0, 0))
        keyword("d", layer.dilation, (1, 1))
        keyword("g", layer.groups, 1)
        keyword("bias", layer.bias, True)
        if isinstance(layer, Conv2d):
            keyword("mode", layer.padding_mode, "zeros")
    elif isinstance(layer, (MaxPool2d, AvgPool2d)):
        name = "maxpool" if isinstance(layer, MaxPool2d) else "avgpool"
        args.append(_value(layer.kernel))
        if layer.stride is not None:
            keyword("s", layer.stride, None)
        keyword("p", layer.padding, (0, 0))
        if isinstance(layer, MaxPool2d):
            keyword("d", layer.dilation, (1, 1))
        keyword("ceil", layer.ceil_mode, False)
        if isinstance(layer, AvgPool2d):
            keyword("cip", layer.count_include_pad, True)
    elif isinstance(layer, AdaptiveAvgPool2d):
        name, args = "adaptiveavgpool", [_value(layer.output_size)]
    elif isinstance(layer, BatchNorm2d):
        name = "bn"
        if layer.num_features is not None:
            args.append(str(layer.num_features))
    elif isinstance(layer, Linear):
        name = "linear"
        if layer.in_features is not None:
            args.append(str(layer.in_features))
        args.append(str(layer.out_features))
        keyword("bias", layer.bias, True)
    elif isinstance(layer, Dropout):
        name = "dropout"
        if layer.p != 0.5:
            args.append(str(layer.p))
    elif isinstance(layer, Residual):
        main = format_layers(layer.main)
        if layer.shortcut:
            return f"res({main} | {format_layers(layer.shortcut)})"
        return f"res({main})"
    elif isinstance(layer, (ReLU, Flatten)):
        name = layer.type
    else:
        raise TypeError(f"no spec form for {type(layer).__name__}")
    return f"{name}({','.join(args)})" if args else name


def format_layers(layers: Sequence[Layer]) -> str:
    return " ".join(format_layer(layer) for layer in layers)


def format_spec(layers: Sequence[Layer], input_shape: Sequence[int] | None = None) -> str:
    """Print a stack back as a spec: ``parse_spec(format_spec(l, s))`` gives ``l`` and ``s``."""
    body = format_layers(layers)
    if input_shape is None:
        return body
    shape = "x".join(str(d) for d in input_shape)
    return f"{shape}: {body}" if body else f"{shape}:"

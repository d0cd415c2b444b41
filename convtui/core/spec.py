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

from convtui.core.errors import ArgumentError
from convtui.core.layers import (
    SIZES,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    IntPair,
    Layer,
    Linear,
    MaxPool2d,
    Shape,
    label_pair,
)
from convtui.core.network import Residual, check_input_shape, parse_layer
from convtui.i18n import plural_key, t

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
#: spec name -> (the ways to write a layer that needs arguments, an example)
_USAGE: dict[str, tuple[tuple[str, ...], str]] = {
    "conv": (("conv(out, k)",), "conv(16,3)"), "convT": (("convT(out, k)",), "convT(16,2,s=2)"),
    "maxpool": (("maxpool(k)",), "maxpool(2)"), "avgpool": (("avgpool(k)",), "avgpool(2)"),
    "adaptiveavgpool": (("adaptiveavgpool(size)",), "adaptiveavgpool(1)"),
    "linear": (("linear(out)", "linear(in, out)"), "linear(10)"),
}
_COMMON_KEYS = {"k": "kernel", "s": "stride", "p": "padding", "out": "out_channels"}
#: How format_layer writes a keyword: the short spelling the grammar reads (``s=``, ``op=``).
_SHORT = {key: short for short, key in (
    *_COMMON_KEYS.items(), *(item for _, _, words in _LAYERS.values() for item in words.items()))}
#: The spec name of each dict-form type (residual blocks are written as ``res(...)``).
_SPEC_NAME = {kind: name for name, (kind, _, _) in _LAYERS.items()}

SPEC_NAMES: tuple[str, ...] = (*_LAYERS, "res")

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<arrow>->|→)
  | (?P<dims>\d+(?:x\d+)+(?![A-Za-z_0-9]))
  | (?P<number>\d+\.\d*|\.\d+|\d+)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>[(),=|:\[\]])
""", re.VERBOSE | re.ASCII)  # ASCII: \d would also match "٣", which int() reads as 3


class SpecError(ValueError):
    """A spec that does not parse: ``position`` is the 0-based column it points at."""

    def __init__(self, text: str, position: int, message: str) -> None:
        super().__init__(t("core.spec.column", column=position + 1, message=message))
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
            raise SpecError(text, position,
                            t("core.spec.unexpected_character", character=repr(text[position])))
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
        """Take ``text`` or say that ``context`` (a finished phrase) wanted it."""
        if not self.take(text):
            raise self.error(t("core.spec.expected", text=repr(text), context=context,
                               found=self.found()))

    def found(self, token: _Token | None = None) -> str:
        """The token as an error quotes it."""
        text = (token or self.token).text
        return repr(text) if text else t("core.spec.the_end")

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
        except ArgumentError as err:
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
            if token.kind == "dims":
                raise self.error(t("core.spec.shape_not_first", found=repr(token.text),
                                   dims=token.text))
            raise self.error(t("core.spec.layer_name", found=self.found(token)))
        self.at += 1
        if token.text == "res":
            return self.residual(token)
        if token.text not in _LAYERS:
            raise self.error(t("core.spec.unknown_layer", name=repr(token.text),
                               known=", ".join(SPEC_NAMES)), token)
        kind, positional, keywords = _LAYERS[token.text]
        spec: dict[str, object] = {"type": kind}
        spots: dict[str, _Token] = {}
        args: list[tuple[_Token, str | None, object]] = []
        if self.take("("):
            while not self.take(")"):
                if self.token.kind == "end":
                    raise self.error(t("core.spec.unclosed", name=token.text))
                if args:
                    self.expect(",", t("core.spec.between_arguments"))
                args.append(self.argument())
        if token.text == "linear" and sum(a[1] is None for a in args) == 2:
            positional = ("in_features", "out_features")
        seen_keyword = False
        for i, (at, key, value) in enumerate(args):
            if key is None:
                if seen_keyword:
                    raise self.error(t("core.spec.positional_after_keyword"), at)
                if i >= len(positional):
                    key = (plural_key("core.spec.too_many_positional", len(positional))
                           if positional else "core.spec.no_positional")
                    raise self.error(t(key, name=token.text, most=len(positional),
                                       count=len(args)), at)
                name = positional[i]
            else:
                seen_keyword = True
                name = keywords.get(key) or _COMMON_KEYS.get(key) or key
            if name in spec:
                raise self.error(t("core.spec.given_twice", name=name), at)
            spec[name] = value
            spots[name] = at
        try:
            return parse_layer(spec)
        except ArgumentError as err:
            if err.argument not in spec:  # only a required argument can be missing
                forms, example = _USAGE[token.text]
                raise self.error(t("core.spec.needs", name=token.text, key=err.argument,
                                   forms=t("core.spec.or").join(forms), example=example),
                                 token) from None
            raise self.error(str(err), spots.get(err.argument, token)) from None

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
                raise self.error(t("core.spec.pair", found=repr(token.text)), token)
            return start, key, dims
        if token.kind == "number":
            return start, key, float(token.text) if "." in token.text else int(token.text)
        if token.kind == "name":
            words = {"true": True, "false": False}
            return start, key, words.get(token.text.lower(), token.text)
        raise self.error(t("core.spec.value", found=self.found(token)), token)

    def residual(self, token: _Token) -> Residual:
        self.expect("(", t("core.spec.after_res"))
        main = self.layers(stop=("|", ")"))
        shortcut: tuple[Layer, ...] = ()
        if self.take("|"):
            shortcut = self.layers(stop=(")",))
        self.expect(")", t("core.spec.to_close_res"))
        if not main:
            raise self.error(t("core.spec.res_empty"), token)
        return Residual(main, shortcut)


def parse_spec(text: str) -> Spec:
    """Parse a spec like ``1x1x28x28: conv(5,5) maxpool(2)``; raises SpecError."""
    return _Parser(text).spec()


def _value(value: IntPair | int | float | bool | str) -> str:
    if isinstance(value, tuple):
        return label_pair(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def format_layer(layer: Layer) -> str:
    """The canonical spec text of one layer (defaults left out)."""
    if isinstance(layer, Residual):
        main = format_layers(layer.main)
        if layer.shortcut:
            return f"res({main} | {format_layers(layer.shortcut)})"
        return f"res({main})"
    name = _SPEC_NAME.get(layer.type)
    if name is None:
        raise TypeError(f"no spec form for {type(layer).__name__}")
    args: list[str] = []
    if isinstance(layer, (Conv2d, ConvTranspose2d)):
        if layer.out_channels is None:
            args.append(f"k={_value(layer.kernel)}")
        else:
            args += [str(layer.out_channels), _value(layer.kernel)]
    elif isinstance(layer, (MaxPool2d, AvgPool2d)):
        args.append(_value(layer.kernel))
    elif isinstance(layer, AdaptiveAvgPool2d):
        args.append(_value(layer.output_size))
    elif isinstance(layer, BatchNorm2d) and layer.num_features is not None:
        args.append(str(layer.num_features))
    elif isinstance(layer, Linear):
        if layer.in_features is not None:
            args.append(str(layer.in_features))
        args.append(str(layer.out_features))
    elif isinstance(layer, Dropout) and layer.p != 0.5:
        args.append(str(layer.p))
    for key, value, default in layer.arguments():
        if key not in SIZES and key != "p" and value != default:
            args.append(f"{_SHORT.get(key, key)}={_value(value)}")  # type: ignore[arg-type]
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

"""Networks the Shapes panel can load: the lecture's example, the course's MNIST CNNs and a few
classic architectures, each with the input it is meant for.

They are written in the spec grammar (``convtui.core.spec``), so what the panel prints back is
what is defined here. The tests build each one in PyTorch and compare every shape and
parameter count (VGG-16: 138,357,544; ResNet-18: 11,689,512).
"""

from __future__ import annotations

from dataclasses import dataclass

from convtui.core.layers import Layer, Shape
from convtui.core.spec import parse_spec
from convtui.i18n import t


@dataclass(frozen=True)
class Preset:
    """A named network; its title and one-line description are in the catalogue under
    ``core.presets.<name>``, in the user's language."""

    name: str
    spec: str

    @property
    def title(self) -> str:
        return t(f"core.presets.{self.name}.title")

    @property
    def about(self) -> str:
        return t(f"core.presets.{self.name}.about")

    @property
    def input_shape(self) -> Shape:
        shape = parse_spec(self.spec).input_shape
        assert shape is not None, f"preset {self.name} gives its input shape"
        return shape

    @property
    def layers(self) -> tuple[Layer, ...]:
        return parse_spec(self.spec).layers


def _vgg16() -> str:
    blocks = []
    for channels, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        blocks.append(" ".join([f"conv({channels},3,p=1) relu"] * convs) + " maxpool(2)")
    return ("1x3x224x224: " + " ".join(blocks) + " adaptiveavgpool(7) flatten "
            "linear(25088,4096) relu dropout linear(4096,4096) relu dropout linear(4096,1000)")


def _basic_block(channels: int, stride: int) -> str:
    """torchvision's BasicBlock: two 3x3 convs (the first may stride), BN after each, a 1x1
    conv + BN shortcut when the shape changes, ReLU after the sum."""
    s = f",s={stride}" if stride > 1 else ""
    main = f"conv({channels},3{s},p=1,bias=false) bn relu conv({channels},3,p=1,bias=false) bn"
    if stride == 1:
        return f"res({main}) relu"
    return f"res({main} | conv({channels},1{s},bias=false) bn) relu"


def _resnet18_body() -> str:
    stages = []
    for channels, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        stages += [_basic_block(channels, stride), _basic_block(channels, 1)]
    return " ".join(stages) + " adaptiveavgpool(1) flatten"


_IMAGENET_STEM = "conv(64,7,s=2,p=3,bias=false) bn relu maxpool(3,s=2,p=1)"
# The CIFAR first layer of the ResNet paper's CIFAR experiments and most CIFAR code: a 3x3
# stride-1 conv and no max pooling, so the 32x32 image is not shrunk to 8x8 straight away.
_CIFAR_STEM = "conv(64,3,p=1,bias=false) bn relu"

PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("lecture", "1x1x28x28: conv(5,5) maxpool(2)"),
    Preset("tiny", "1x1x28x28: conv(5,5) relu maxpool(2) flatten linear(720,10)"),
    Preset("lab", "1x1x28x28: conv(32,3,p=1) relu maxpool(2) conv(64,3,p=1) relu maxpool(2) "
                  "flatten linear(3136,10)"),
    Preset("deep", "1x1x28x28: conv(32,3,p=1) relu maxpool(2) conv(64,3,p=1) relu maxpool(2) "
                   "conv(128,3,p=1) relu maxpool(2,p=1) flatten linear(2048,625) relu dropout "
                   "linear(625,10)"),
    Preset("lenet5", "1x1x32x32: conv(6,5) relu maxpool(2) conv(16,5) relu maxpool(2) flatten "
                     "linear(400,120) relu linear(120,84) relu linear(84,10)"),
    Preset("vgg16", _vgg16()),
    Preset("resnet18", f"1x3x224x224: {_IMAGENET_STEM} {_resnet18_body()} linear(512,1000)"),
    Preset("resnet18-tv-cifar",
           f"1x3x32x32: {_IMAGENET_STEM} {_resnet18_body()} linear(512,10)"),
    Preset("resnet18-cifar", f"1x3x32x32: {_CIFAR_STEM} {_resnet18_body()} linear(512,10)"),
)}

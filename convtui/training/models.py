"""The networks convtui trains, registered by name (names and blurbs live in ``config``).

``lab`` and ``deep`` follow the course: 3x3 convolutions with padding 1, ReLU, 2x2 max pooling,
and Xavier-initialised linear layers, as the lab code does.
"""

from __future__ import annotations

from torch import nn


def conv_block(in_channels: int, out_channels: int, pool_padding: int = 0) -> nn.Sequential:
    """Conv 3x3 (padding 1, size kept) -> ReLU -> MaxPool 2x2 (size halved, rounded down)."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=1, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2, padding=pool_padding),
    )


def xavier_linear(in_features: int, out_features: int) -> nn.Linear:
    layer = nn.Linear(in_features, out_features, bias=True)
    nn.init.xavier_uniform_(layer.weight)
    return layer


class LabCNN(nn.Module):
    """1x28x28 -> 32x14x14 -> 64x7x7 -> 3136 -> 10 class scores."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = conv_block(1, 32)
        self.layer2 = conv_block(32, 64)
        self.fc = nn.Sequential(nn.Flatten(), xavier_linear(7 * 7 * 64, 10))

    def forward(self, x):
        return self.fc(self.layer2(self.layer1(x)))


class DeepCNN(nn.Module):
    """1x28x28 -> 32x14x14 -> 64x7x7 -> 128x4x4 (the last pool pads 1) -> 625 -> 10."""

    def __init__(self, dropout: float = 0.5) -> None:
        super().__init__()
        self.layer1 = conv_block(1, 32)
        self.layer2 = conv_block(32, 64)
        self.layer3 = conv_block(64, 128, pool_padding=1)
        self.layer4 = nn.Sequential(
            nn.Flatten(), xavier_linear(4 * 4 * 128, 625), nn.ReLU(), nn.Dropout(p=dropout)
        )
        self.fc = xavier_linear(625, 10)

    def forward(self, x):
        return self.fc(self.layer4(self.layer3(self.layer2(self.layer1(x)))))


class TinyCNN(nn.Module):
    """1x28x28 -> 5x24x24 (5x5 conv, no padding) -> 5x12x12 -> 720 -> 10."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Sequential(nn.Conv2d(1, 5, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(5 * 12 * 12, 10))

    def forward(self, x):
        return self.fc(self.layer1(x))


MODELS: dict[str, type[nn.Module]] = {"lab": LabCNN, "deep": DeepCNN, "tiny": TinyCNN}


def build_model(name: str) -> nn.Module:
    return MODELS[name]()


def first_conv(model: nn.Module) -> nn.Conv2d:
    """The layer that looks at the pixels: its filters and outputs are what the panel draws."""
    return next(m for m in model.modules() if isinstance(m, nn.Conv2d))

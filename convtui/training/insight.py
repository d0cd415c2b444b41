"""What a trained network has learned, as numpy arrays for the Train panel to draw.

From a run's checkpoint: the test-set confusion matrix, example predictions with their top-3
classes, the first convolution's filters, and every convolution's output for one test digit.
The panel calls ``compute_learned`` and ``compute_digit`` in its thread workers (importing this
module, and so torch, only there) and draws the frozen results.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from convtui.i18n import t
from convtui.training.checkpoint import load_checkpoint
from convtui.training.dataset import MnistDataset, batch_loader, normalise
from convtui.training.errors import TrainingError
from convtui.training.idx import NUM_CLASSES, load_split
from convtui.training.mnist_source import ensure_mnist
from convtui.training.models import build_model, first_conv
from convtui.training.runs import CHECKPOINT_FILE, read_config
from convtui.training.trainer import EVAL_BATCH

#: Test digits the Learned view shows, and at most as many of the network's mistakes.
EXAMPLES = 8


@dataclass(frozen=True)
class Prediction:
    """One test digit: its pixels (uint8 28x28), true label, and the 3 likeliest classes."""

    index: int
    image: np.ndarray
    label: int
    top3: tuple[tuple[int, float], ...]

    @property
    def predicted(self) -> int:
        return self.top3[0][0]

    @property
    def correct(self) -> bool:
        return self.predicted == self.label


@dataclass(frozen=True)
class LayerMaps:
    """One convolution's output for a digit: the layer's name in the model (``layer2.0``) and
    its values before the activation, (out_channels, H_out, W_out)."""

    name: str
    maps: np.ndarray


@dataclass(frozen=True)
class ConfusionReport:
    """``confusion[true, predicted]`` counts over the test set, and example predictions: the
    first ``examples`` test digits and the first ``examples`` the network gets wrong."""

    confusion: np.ndarray
    examples: tuple[Prediction, ...]
    mistakes: tuple[Prediction, ...]

    @property
    def test_count(self) -> int:
        return int(self.confusion.sum())

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / self.confusion.sum())

    @property
    def predictions(self) -> tuple[Prediction, ...]:
        """The examples, then the mistakes not among them."""
        shown = {p.index for p in self.examples}
        return (*self.examples, *(p for p in self.mistakes if p.index not in shown))


@dataclass(frozen=True)
class Learned:
    """A run's newest checkpoint as the Learned view draws it."""

    run_dir: Path
    epoch: int  # epochs the checkpoint holds
    layer: str  # the first convolution's name in the model
    filters: np.ndarray  # (out_channels, in_channels, kH, kW)
    bias: np.ndarray | None
    report: ConfusionReport  # over the run's (limited) test set
    model: nn.Module  # for another digit's maps


@dataclass(frozen=True)
class DigitMaps:
    """One test digit as the network sees it and every convolution's output for it."""

    guess: Prediction
    network_input: np.ndarray  # (28, 28) float: scaled and standardised, as in training
    layers: tuple[LayerMaps, ...]


def load_trained(run_dir: Path) -> nn.Module:
    """The run's network with its last checkpoint's weights, on the CPU, in eval mode."""
    return trained_model(run_dir)[0]


def trained_model(run_dir: Path) -> tuple[nn.Module, int]:
    """``load_trained``'s network and the number of epochs its checkpoint holds (the Train
    panel says which epoch it is looking at)."""
    config = read_config(run_dir)
    checkpoint = load_checkpoint(run_dir / CHECKPOINT_FILE)
    if checkpoint is None:
        raise TrainingError(t("training.runs.no_checkpoint", run=str(run_dir)))
    model = build_model(config.model)
    model.load_state_dict(checkpoint["model_state"])
    return model.eval(), int(checkpoint["epochs_completed"])


@torch.inference_mode()
def confusion_report(run_dir: Path, examples: int = 8) -> ConfusionReport:
    """Evaluate the run's checkpoint on its test set (``limit_test`` respected)."""
    config = read_config(run_dir)
    model = load_trained(run_dir)
    arrays = load_split(ensure_mnist(config.data_dir), "test")
    data = MnistDataset(arrays, config.limit_test)
    probabilities = torch.cat([
        torch.softmax(model(images), dim=1) for images, _ in batch_loader(data, EVAL_BATCH)
    ])
    predicted = probabilities.argmax(dim=1).numpy()
    labels = data.labels.numpy()
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    top_p, top_class = probabilities.topk(3, dim=1)

    def prediction(i: int) -> Prediction:
        top3 = tuple((int(c), float(p)) for c, p in zip(top_class[i], top_p[i], strict=True))
        return Prediction(int(i), arrays.images[i], int(labels[i]), top3)

    wrong = np.flatnonzero(predicted != labels)[:examples]
    return ConfusionReport(
        confusion=confusion,
        examples=tuple(prediction(i) for i in range(min(examples, len(data)))),
        mistakes=tuple(prediction(int(i)) for i in wrong),
    )


def compute_learned(run_dir: Path, examples: int = EXAMPLES) -> Learned:
    """Load the run's checkpoint and evaluate it on its test set (slow: seconds)."""
    model, epoch = trained_model(run_dir)
    conv = first_conv(model)
    assert isinstance(conv, nn.Conv2d)
    return Learned(
        run_dir=run_dir, epoch=epoch,
        layer=next(name for name, module in model.named_modules() if module is conv),
        filters=first_layer_filters(model),
        bias=conv.bias.detach().cpu().numpy().copy() if conv.bias is not None else None,
        report=confusion_report(run_dir, examples), model=model,
    )


def compute_digit(learned: Learned, guess: Prediction) -> DigitMaps:
    """What ``learned``'s network makes of one test digit, layer by layer."""
    return DigitMaps(
        guess=guess,
        network_input=network_input(guess.image).numpy().astype(np.float64),
        layers=tuple(conv_feature_maps(learned.model, guess.image)),
    )


def first_layer_filters(model: nn.Module) -> np.ndarray:
    """The first convolution's weights, (out_channels, in_channels, kH, kW)."""
    return first_conv(model).weight.detach().cpu().numpy().copy()


@torch.inference_mode()
def feature_maps(model: nn.Module, image: np.ndarray) -> np.ndarray:
    """The first convolution's output for one uint8 28x28 digit (normalised as in training),
    before the activation: (out_channels, H_out, W_out)."""
    pixels = normalise(np.asarray(image, dtype=np.uint8)[None])
    return first_conv(model)(pixels)[0].cpu().numpy()


@torch.inference_mode()
def conv_feature_maps(model: nn.Module, image: np.ndarray) -> list[LayerMaps]:
    """Every convolution's output for one uint8 28x28 digit, in the order the network runs
    them, each before its activation (the first is ``feature_maps``)."""
    captured: list[LayerMaps] = []

    def keep(name: str):
        def hook(module: nn.Module, inputs: object, output: torch.Tensor) -> None:
            captured.append(LayerMaps(name, output[0].cpu().numpy().copy()))
        return hook

    hooks = [module.register_forward_hook(keep(name)) for name, module in model.named_modules()
             if isinstance(module, nn.Conv2d)]
    try:
        model(network_input(image)[None, None])
    finally:
        for handle in hooks:
            handle.remove()
    return captured


def network_input(image: np.ndarray) -> torch.Tensor:
    """A uint8 28x28 digit as the first layer sees it: scaled to 0-1 and standardised."""
    return normalise(np.asarray(image, dtype=np.uint8)[None])[0, 0]

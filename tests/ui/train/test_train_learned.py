"""The Learned view of a real run: its filters, feature maps, predictions and confusion matrix
are what its checkpoint computes, and "Open in Stepper" hands the Stepper that very filter and
digit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convtui.training.dataset import normalise
from convtui.training.idx import load_split
from convtui.training.insight import load_trained
from convtui.training.models import first_conv
from convtui.ui.app import ConvtuiApp
from convtui.ui.numbers import fmt
from convtui.ui.stepper.screen import StepperScreen
from convtui.ui.train.learned import LearnedView
from convtui.ui.train.screen import TrainScreen
from convtui.ui.widgets.grid import HeatGrid
from convtui.ui.widgets.montage import Montage
from tests.ui import train_fixtures
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import (
    MNIST,
    SIZE,
    launch,
    wait_for,
)

finished_run = train_fixtures.finished_run


@pytest.fixture(autouse=True)
def one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def learned_view(app: ConvtuiApp) -> LearnedView:
    return app.screen.query_one(LearnedView)


def montage(app: ConvtuiApp, selector: str) -> Montage:
    return app.screen.query_one(selector, Montage)


async def open_learned(pilot, run_dir: Path) -> None:
    """Open the run from the command line, then its Learned view, and wait for it."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, TrainScreen)
                   and app.screen.run is not None, "the run to open")
    await pilot.press("l")
    await wait_for(pilot, lambda: learned_view(app).digit is not None, "what it learned")
    await pilot.pause()


def network_outputs(run_dir: Path) -> tuple[torch.nn.Module, np.ndarray, np.ndarray,
                                             torch.Tensor]:
    """The trained model, the 500 test digits and labels, and its class probabilities."""
    model = load_trained(run_dir)
    split = load_split(MNIST, "test")
    images, labels = split.images[:500], split.labels[:500]
    with torch.inference_mode():
        probabilities = torch.softmax(model(normalise(images)), dim=1)
    return model, images, labels, probabilities


async def test_filters_maps_predictions_and_confusion_come_from_the_checkpoint(
    finished_run: Path,
) -> None:
    model, images, labels, probabilities = network_outputs(finished_run)
    conv = first_conv(model)
    weight, bias = conv.weight.detach(), conv.bias.detach()
    predicted = probabilities.argmax(dim=1).numpy()
    app = ConvtuiApp("train", launch(resume=str(finished_run)))
    async with app.run_test(size=SIZE) as pilot:
        await open_learned(pilot, finished_run)
        assert "After epoch 2" in text_of(app, "#learned-note")
        # filters: one heat map per output channel of the first convolution
        bank = montage(app, "#filter-bank")
        assert len(bank.tiles) == conv.out_channels == 5
        for tile, w in zip(bank.tiles, weight, strict=True):
            np.testing.assert_array_equal(tile.values, w[0].numpy())
        grid = app.screen.query_one("#filter-grid", HeatGrid).view
        np.testing.assert_array_equal(grid.values, weight[0, 0].numpy())
        assert grid.title == f"filter #0, bias {fmt(float(bias[0]))}"
        assert "layer1.0: 5 filters 5×5 after epoch 2" in text_of(app, "#filters-title")
        # feature maps of test digit 0 after the (only) convolution, before ReLU
        expected = F.conv2d(normalise(images[:1]), weight, bias)[0].numpy()
        maps = montage(app, "#layer-maps-0")
        assert len(maps.tiles) == 5
        for tile, channel in zip(maps.tiles, expected, strict=True):
            np.testing.assert_allclose(tile.values, channel, rtol=1e-5, atol=1e-6)
        assert "layer1.0: 5 feature maps 24×24" in text_of(app, "#layer-title-0")
        assert "Test digit #0 (a 7)" in text_of(app, "#maps-title")
        # predictions: the first 8 test digits, then the first mistakes not among them
        guesses = montage(app, "#guesses").tiles
        wrong = [int(i) for i in np.flatnonzero(predicted != labels)[:8]]
        indices = list(range(8)) + [i for i in wrong if i >= 8]
        assert len(guesses) == len(indices)
        for tile, index in zip(guesses, indices, strict=True):
            right = predicted[index] == labels[index]
            first, top3 = tile.caption.plain.split("\n")
            assert first == (f"{'✓' if right else '✗'} {predicted[index]} "
                             f"(true {labels[index]}) #{index}")
            assert tile.caption.style == ("bold green" if right else "bold red")
            top_p, top_c = probabilities[index].topk(3)
            assert top3 == " ".join(f"{c}:{p * 100:.1f}%" for c, p in
                                    zip(top_c.tolist(), top_p.tolist(), strict=True))
            np.testing.assert_array_equal(tile.values, images[index])
        # the confusion matrix over the 500 test digits
        confusion = np.zeros((10, 10), dtype=int)
        np.add.at(confusion, (labels, predicted), 1)
        shown = app.screen.query_one("#confusion-grid", HeatGrid).view
        np.testing.assert_array_equal(shown.values, confusion)
        assert shown.values.sum() == 500
        right = int(np.trace(confusion))
        assert text_of(app, "#confusion-title").startswith(
            f"500 test digits: {right} right (diagonal), {500 - right} wrong.")
        assert shown.marks == {(d, d) for d in range(10)}


async def test_choosing_a_filter_and_a_digit_then_opening_them_in_the_stepper(
    finished_run: Path,
) -> None:
    model, images, labels, _ = network_outputs(finished_run)
    conv = first_conv(model)
    weight, bias = conv.weight.detach(), conv.bias.detach()
    app = ConvtuiApp("train", launch(resume=str(finished_run)))
    async with app.run_test(size=SIZE) as pilot:
        await open_learned(pilot, finished_run)
        view = learned_view(app)
        await pilot.press("f", "f", "F")  # filter 1
        assert view.filter_index == 1 and montage(app, "#filter-bank").selected == 1
        np.testing.assert_array_equal(
            app.screen.query_one("#filter-grid", HeatGrid).view.values, weight[1, 0].numpy())
        await pilot.press("d", "d")  # test digit 2
        await wait_for(pilot, lambda: view.digit.guess.index == 2, "digit 2's maps")
        await pilot.pause()
        assert montage(app, "#guesses").selected == 2
        assert f"Test digit #2 (a {labels[2]})" in text_of(app, "#maps-title")
        on_digit = montage(app, "#filter-map").tiles[0]
        expected = F.conv2d(normalise(images[2:3]), weight, bias)[0, 1].numpy()
        np.testing.assert_allclose(on_digit.values, expected, rtol=1e-5, atol=1e-6)
        assert on_digit.caption == "#1 on test #2"
        await pilot.press("o")
        await pilot.pause()
        stepper = app.screen
        assert isinstance(stepper, StepperScreen)
        digit = normalise(images[2:3])[0, 0].numpy().astype(np.float64)
        np.testing.assert_array_equal(stepper.lesson.x[0], digit)
        np.testing.assert_array_equal(stepper.lesson.kernel[0],
                                      weight[1, 0].numpy().astype(np.float64))
        assert stepper.loaded.label == (
            f"filter #1 of {finished_run.name} (epoch 2) on MNIST test #2, a {labels[2]}")
        assert "normalised as in training: (pixel / 255 − 0.1307) / 0.3081" in \
            text_of(app, "#source")
        # the Stepper's output is the feature map without the bias
        output = np.asarray(stepper.lesson.trace.output)
        assert output.shape == (24, 24)
        np.testing.assert_allclose(output, expected - float(bias[1]), rtol=1e-4, atol=1e-5)


async def test_clicking_a_filter_and_a_prediction_selects_them(finished_run: Path) -> None:
    app = ConvtuiApp("train", launch(resume=str(finished_run)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_learned(pilot, finished_run)
        view = learned_view(app)
        bank = montage(app, "#filter-bank")
        await pilot.click("#filter-bank", offset=(3 * 11 + 2, 1))  # 10-cell tiles, 1 apart
        assert view.filter_index == 3 and bank.selected == 3
        await pilot.press("l", "l")  # the Predictions view
        await pilot.pause()
        await pilot.click("#guesses", offset=(30 + 5, 3))  # the second digit (28 + gap 2)
        await wait_for(pilot, lambda: view.digit.guess.index == 1, "digit 1's maps")
        assert montage(app, "#guesses").selected == 1


async def test_before_the_first_checkpoint_the_view_says_so(finished_run: Path) -> None:
    from convtui.training.config import TrainConfig
    from convtui.training.runs import create_run, runs_root

    create_run(TrainConfig(model="tiny", epochs=1, seed=0), runs_root() / "20250105-tiny")
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert "Open a run first" in text_of(app, "#learned-note")
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query_one("#runs-table").row_count == 1,
                       "the runs list")
        await pilot.press("enter", "l")
        await wait_for(pilot, lambda: app.screen.run is not None, "the run to open")
        await pilot.pause()
        assert text_of(app, "#learned-note") == (
            "20250105-tiny has no checkpoint yet: the first one is saved after the first "
            "epoch.")
        await pilot.press("o")
        assert "Nothing learned to send yet" in text_of(app, "#status")
        assert isinstance(app.screen, TrainScreen)


def test_feature_maps_come_from_every_convolution_of_a_deeper_model() -> None:
    from convtui.training.insight import conv_feature_maps
    from convtui.training.models import build_model

    torch.manual_seed(0)
    model = build_model("lab").eval()
    digit = load_split(MNIST, "test").images[3]
    layers = conv_feature_maps(model, digit)
    assert [layer.name for layer in layers] == ["layer1.0", "layer2.0"]
    with torch.inference_mode():
        x = normalise(digit[None])
        first = model.layer1[0](x)
        second = model.layer2[0](model.layer1(x))
    assert layers[0].maps.shape == (32, 28, 28) and layers[1].maps.shape == (64, 14, 14)
    np.testing.assert_allclose(layers[0].maps, first[0].numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layers[1].maps, second[0].numpy(), rtol=1e-5, atol=1e-6)

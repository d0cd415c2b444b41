"""The Stepper's output-size chain never breaks inside a term: at 80 columns with the settings
open it read "(5 - 3 + 2×0) / 1 + 1 = 2" on one line and "/ 1 + 1 = 3" on the next, a wrong
answer on the first line."""

from __future__ import annotations

import random

import pytest

from convtui.core.geometry import explain_output_size
from convtui.ui.app import ConvtuiApp
from convtui.ui.panel.conv_views import EquationNote, output_size_note
from tests.ui.conftest import open_settings


def random_chains(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    chains = []
    while len(chains) < count:
        size, kernel = rng.randint(1, 300), rng.randint(1, 11)
        stride, padding, dilation = rng.randint(1, 5), rng.randint(0, 6), rng.randint(1, 3)
        if (kernel - 1) * dilation + 1 > size + 2 * padding:
            continue
        chains.append(explain_output_size(size, kernel, stride, padding, dilation).lines[-1])
    return chains


@pytest.mark.parametrize("seed", range(5))
def test_a_chain_breaks_only_before_an_equals_sign(seed: int) -> None:
    rng = random.Random(seed)
    for chain in random_chains(200, seed):
        width = rng.randint(20, 90)
        label = rng.choice(["  height and width: ", "  높이와 너비: ", "  width: "])
        lines = EquationNote("", ((label, chain),)).lines(width)
        assert lines[0].startswith(label)
        rest = [line.strip() for line in lines[1:]]
        assert all(line.startswith("= ") for line in rest), lines
        assert " ".join([lines[0][len(label):], *rest]) == chain  # nothing lost or changed
        terms = chain.split(" = ")
        for line in lines:  # a line is too wide only when one term alone is
            assert len(line) <= width or any(len(term) + 2 + len(label) > width
                                              for term in terms), (width, lines)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("preset", ["lecture", "stride-padding"])
async def test_the_chain_is_drawn_as_laid_out(size: tuple[int, int], preset: str) -> None:
    app = ConvtuiApp("stepper")
    async with app.run_test(size=size) as pilot:
        app.screen.show_preset(preset)
        await open_settings(pilot)  # the settings take 32 columns from the Arithmetic tab
        notes = app.screen.query_one("#arith-notes")
        notes.scroll_visible(animate=False)  # where it ends up, not on its way there
        await pilot.pause()
        rows = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
        region = notes.content_region
        shown = [row[region.x:region.right].rstrip() for row in rows]
        note = output_size_note(app.screen.lesson)
        assert note is not None
        for line in note.lines(region.width):
            assert line.rstrip() in shown, (line, shown)

"""Every grid of every stepping panel, at 80x24 and 120x40 in both languages and through its
examples, is either whole on screen or in a container whose scrollbar a student can see; grids
side by side keep a gap wider than the one between a row label and its cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.geometry import Region
from textual.widget import Widget

from convtui import i18n
from convtui.ui.app import ConvtuiApp
from convtui.ui.widgets.grid import HeatGrid
from tests.ui.conftest import settle

SIZES = ((80, 24), (120, 40))
#: WCAG's least contrast for a part of the interface that must be seen (1.4.11).
MIN_CONTRAST = 3.0
#: Between two grids: more than the two spaces between a row label and its first cell.
MIN_GAP = 3
#: The keys that walk each panel through its examples and input kinds; a state is checked
#: after each key.
WALKS = {
    "stepper": ("r", "k", "m"),
    "flip": ("e", "e", "e", "e", "e", "e"),
    "pool": ("k", "r"),
}


def _luminance(color: Color) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _scrollbar_problem(box: Widget, horizontal: bool) -> str | None:
    shown = box.show_horizontal_scrollbar if horizontal else box.show_vertical_scrollbar
    size = (box.styles.scrollbar_size_horizontal if horizontal
            else box.styles.scrollbar_size_vertical)
    if not shown or not size:
        return "no scrollbar"
    styles = box.styles
    thumb = styles.scrollbar_color
    track = styles.scrollbar_background
    if contrast(thumb, track) < MIN_CONTRAST:
        return f"a scrollbar too faint to see (contrast {contrast(thumb, track):.1f})"
    return None


def clipping_problems(app: App) -> list[str]:
    """Each grid cut by a container that does not visibly scroll, named with why."""
    problems = []
    for grid in app.screen.query(HeatGrid):
        if not grid.display or not grid.view.values.size or not grid.is_on_screen:
            continue
        content = grid.content_region
        node = grid.parent
        while isinstance(node, Widget) and node is not app.screen:
            room = node.scrollable_content_region
            for horizontal, cut in ((True, content.x < room.x or content.right > room.right),
                                    (False, content.y < room.y or content.bottom > room.bottom)):
                if cut and (why := _scrollbar_problem(node, horizontal)):
                    axis = "wide" if horizontal else "tall"
                    problems.append(f"#{grid.id} too {axis} for {node!r}: {why}")
            content = content.intersection(room)  # what is left to show, one level up
            node = node.parent
    return problems


def visible_part(grid: HeatGrid) -> Region:
    """What of the grid's content the containers around it leave on screen."""
    region, node = grid.content_region, grid.parent
    while isinstance(node, Widget) and node is not grid.screen:
        region, node = region.intersection(node.scrollable_content_region), node.parent
    return region


def crowding_problems(app: App) -> list[str]:
    """Grids drawn side by side with too little room between them."""
    grids = [g for g in app.screen.query(HeatGrid) if g.display and g.is_on_screen]
    problems = []
    for left in grids:
        for right in grids:
            a, b = visible_part(left), visible_part(right)
            overlap = a.y < b.bottom and b.y < a.bottom
            if overlap and a.area and b.area and a.x < b.x and b.x - a.right < MIN_GAP:
                problems.append(f"#{left.id} and #{right.id} are {b.x - a.right} apart")
    return problems


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("panel", sorted(WALKS))
async def test_every_grid_is_whole_or_visibly_scrolls(
    panel: str, lang: str, mnist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))
    i18n.set_language(lang)
    for size in SIZES:
        app = ConvtuiApp(panel)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in ("", *WALKS[panel]):
                if key:
                    await pilot.press(key)
                await settle(pilot)
                state = f"{panel} {size} {lang} after {key!r}"
                assert clipping_problems(app) == [], state
                assert crowding_problems(app) == [], state


def box_lines(app: App, box_id: str) -> list[str]:
    """What the screen shows inside a GridBox, line by line (the first line whole: a Korean
    title is two cells a syllable, so only lines without it are cut to the box)."""
    box = app.screen.query_one(box_id)
    room = box.scrollable_content_region
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return [lines[room.y], *(line[room.x:room.right] for line in lines[room.y + 1:room.bottom])]


def assert_headers_in_sight(app: App, box_id: str, grid_id: str) -> None:
    grid = app.screen.query_one(grid_id, HeatGrid)
    title, columns, *rows = box_lines(app, box_id)
    assert grid.view.title in title
    assert re.fullmatch(r" +(\d+ *)+", columns), columns
    labels = [int(m.group(1)) for line in rows if (m := re.match(r" *(\d+) ", line))]
    assert len(labels) == len(rows), rows
    assert labels == list(range(labels[0], labels[0] + len(rows)))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", SIZES)
async def test_a_big_grid_keeps_its_headers_wherever_it_scrolls(
    size: tuple[int, int], lang: str, mnist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVTUI_MNIST_DIR", str(mnist_dir))
    i18n.set_language(lang)
    app = ConvtuiApp("stepper")
    async with app.run_test(size=size) as pilot:
        await pilot.press("m")
        await app.workers.wait_for_complete()
        for key in ("end", "home", "end"):
            await pilot.press(key)
            await pilot.pause()
            for box, grid in (("#input-box", "#input-grid"), ("#output-box", "#output-grid")):
                assert_headers_in_sight(app, box, grid)
        box = app.screen.query_one("#input-box")
        assert box.scroll_y > 0  # the digit did scroll at the end

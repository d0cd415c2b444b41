"""The Quiz panel driven as a student would: pick a pack, type answers, read what comes back."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from convtui.ui.app import ConvtuiApp
from tests.ui.conftest import SIZE, text_of
from tests.ui.quiz.helpers import (
    answer,
    entries,
    entry,
    focused_field,
    open_entry,
    quiz_app,
    to_exercise_2,
    write_pack,
)

SHIPPED_TITLES = (
    "Lab 10: the lecture's exercises", "Padding and stride", "Dilation",
    "Non-square inputs and kernels", "Pooling", "Transposed convolution",
    "Layer chains from real networks",
)


async def test_the_first_lecture_exercise_answered_right_shows_the_worked_formula() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Score 0 · Streak 0 · Best streak 0" in text_of(app, "#status")
        await pilot.press("enter")  # the lecture pack is first in the list
        await pilot.pause()
        assert "227×227 image with an 11×11 filter" in text_of(app, "#prompt")
        diagram = app.screen.query_one("#diagram").render().plain
        assert "[227, 227]" in diagram and "conv 11x11 s4 p0" in diagram
        assert "[?, ?]" in diagram
        assert focused_field(app) == "answer-H"
        await answer(pilot, "55", "55")
        assert "✓ Right: [55, 55]  +1 point" in text_of(app, "#verdict")
        worked = text_of(app, "#explanation")
        assert "Conv2d(1, 1, kernel_size=(11, 11), stride=(4, 4)): [227, 227] → [55, 55]" in worked
        assert "H and W: (227 - 11 + 2×0) / 4 + 1 = 216 / 4 + 1 = 55" in worked
        assert "Output shape: [55, 55]" in worked
        assert "[55, 55]" in app.screen.query_one("#diagram").render().plain
        assert "Score 1 · Streak 1 · Best streak 1" in text_of(app, "#status")
        assert "1/6  ✓ ○ ○ ○ ○ ○  ✓ solved" in text_of(app, "#puzzle-header")
        # the fields are done with; Enter on the focused Next button goes on
        assert app.focused is not None and app.focused.id == "next"
        assert app.screen.query_one("#answer-H", Input).disabled


async def test_a_wrong_answer_gets_the_hint_and_the_wrong_dimension_then_the_floor() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_exercise_2(pilot)
        assert "64×64 image, a 7×7 filter, stride 2" in text_of(app, "#prompt")
        await answer(pilot, "28", "29")
        verdict = text_of(app, "#verdict")
        assert "✗ Not yet: H is wrong (attempt 1)" in verdict
        assert "Hint: (64 - 7) / 2 = 28.5 is not a whole number" in verdict
        assert app.screen.query_one("#answer-H").has_class("wrong")
        assert app.screen.query_one("#answer-W").has_class("right")
        assert not app.screen.query_one("#explanation").display
        assert "Score 1 · Streak 0 · Best streak 1" in text_of(app, "#status")
        assert focused_field(app) == "answer-H"  # the wrong field, its text selected
        await pilot.press("2", "9", "enter")
        await pilot.pause()
        assert "✓ Right: [29, 29]" in text_of(app, "#verdict")
        worked = text_of(app, "#explanation")
        assert "H and W: (64 - 7 + 2×0) / 2 + 1 = 57 / 2 + 1 = 29.5" in worked
        assert "29.5 is not whole: floor it → 29" in worked
        assert "Score 2 · Streak 1 · Best streak 1" in text_of(app, "#status")


async def test_letters_are_explained_next_to_the_field_and_cost_nothing(
        user_dirs: dict[str, Path]) -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await answer(pilot, "5x", "")
        errors = text_of(app, "#field-errors")
        assert "H: '5x' is not a number; type digits only, e.g. 28" in errors
        assert "W: enter a number" in errors
        assert app.screen.query_one("#answer-H").has_class("unread")
        assert not app.screen.query_one("#verdict").display  # no verdict: not graded
        assert "Score 0 · Streak 0 · Best streak 0 · not graded" in text_of(app, "#status")
        assert not (user_dirs["data"] / "progress.json").exists()
        await answer(pilot, "55.5", "[/b]")
        errors = text_of(app, "#field-errors")
        assert "H: '55.5' is not a whole number" in errors
        assert "W: '[/b]' is not a number" in errors  # shown as typed, not read as markup
        await answer(pilot, "55", "55")
        assert not app.screen.query_one("#field-errors").display
        assert "✓ Right" in text_of(app, "#verdict")
        saved = json.loads((user_dirs["data"] / "progress.json").read_text())
        assert saved["puzzles"]["lab10-exercises/alexnet-conv1"]["attempts"] == 1


async def test_reveal_shows_the_answer_without_a_point_and_stays_revealed() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "The answer is [55, 55] (revealed, so no point)" in text_of(app, "#verdict")
        assert "216 / 4 + 1 = 55" in text_of(app, "#explanation")
        assert "Score 0 · Streak 0" in text_of(app, "#status")
        await pilot.press("n")
        await pilot.pause()
        assert "64×64" in text_of(app, "#prompt")
        assert focused_field(app) == "answer-H"
        await pilot.press("ctrl+r")  # p is a letter while in a field: reveal, then go back
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert "227×227" in text_of(app, "#prompt")
        assert "The answer is [55, 55]" in text_of(app, "#verdict")
        assert app.screen.query_one("#answer-H", Input).disabled  # no free point after
        await pilot.press("p")
        await pilot.pause()
        assert "this is the first puzzle" in text_of(app, "#status")


async def test_reveal_ends_the_streak_as_a_wrong_answer_does(
        user_dirs: dict[str, Path]) -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_exercise_2(pilot)
        assert "Score 1 · Streak 1 · Best streak 1" in text_of(app, "#status")
        await pilot.press("ctrl+r")
        await pilot.pause()
        status = text_of(app, "#status")
        assert "Score 1 · Streak 0 · Best streak 1" in status
        assert "revealed: no point, and the streak starts again at 0" in status
        saved = json.loads((user_dirs["data"] / "progress.json").read_text())
        assert (saved["streak"], saved["best_streak"]) == (0, 1)


async def test_progress_and_score_survive_a_restart() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await answer(pilot, "55", "55")
        await pilot.press("escape")
        await pilot.pause()
        assert "1/6 solved" in entry(app, "pack:lab10-exercises")
    again = quiz_app()
    async with again.run_test(size=SIZE) as pilot:
        assert "Score 1 · Streak 1 · Best streak 1" in text_of(again, "#status")
        assert "Lab 10: the lecture's exercises  1/6 solved" in entry(
            again, "pack:lab10-exercises")
        assert "0/9 solved" in entry(again, "pack:padding-stride")
        await pilot.press("enter")  # resumes at the first puzzle not solved yet
        await pilot.pause()
        assert "64×64" in text_of(again, "#prompt")
        assert "2/6  ✓ ○ ○ ○ ○ ○" in text_of(again, "#puzzle-header")
        await pilot.press("ctrl+r", "p")
        await pilot.pause()
        assert "1/6  ✓ ○ ○ ○ ○ ○  ✓ solved" in text_of(again, "#puzzle-header")
        # solved in an earlier session: open to answer again, for no new point
        assert not again.screen.query_one("#answer-H", Input).disabled
        await answer(pilot, "55", "55")
        assert "(solved before, so no new point)" in text_of(again, "#verdict")
        # the reveal ended the streak carried over from the first session
        assert "Score 1 · Streak 1 · Best streak 1" in text_of(again, "#status")


async def test_a_broken_pack_file_is_reported_and_the_shipped_packs_still_load(
        tmp_path: Path) -> None:
    broken = write_pack(tmp_path, "broken.toml", """
        [pack]
        id = "broken"
        title = "Broken pack"

        [[puzzles]]
        id = "too-big"
        input = [5, 5]
        layers = [{ type = "conv2d", kernel = 7 }]
        """)
    missing = tmp_path / "missing.toml"
    app = quiz_app(broken, missing)
    async with app.run_test(size=SIZE):
        notice = text_of(app, "#notice")
        assert "2 pack files skipped" in notice
        assert f"{broken}:8: puzzle 'too-big', layer 1 (conv 7x7 s1 p0) on [5, 5]: kernel:" \
            in notice
        assert f"{missing}: cannot read: No such file or directory" in notice
        titles = [text.splitlines()[0] for text in entries(app)]
        assert [t.split("  ")[0] for t in titles[:7]] == list(SHIPPED_TITLES)
        assert not any("Broken pack" in t for t in titles)


async def test_a_long_warning_keeps_to_a_quarter_of_the_screen_and_scrolls(tmp_path: Path) -> None:
    """At 80x24 the skipped packs' problems take at most 5 lines; the rest scrolls, with a
    scrollbar, and the pack list keeps the room."""
    broken = [write_pack(tmp_path, f"broken{i}.toml", f"""
        [pack]
        id = "broken{i}"
        title = "Broken pack"

        [[puzzles]]
        id = "too-big"
        input = [5, 5]
        layers = [{{ type = "conv2d", kernel = 7 }}]
        """) for i in range(3)]
    app = quiz_app(*broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#notice-box")
        assert box.display and box.size.height <= 5
        assert box.max_scroll_y > 0 and box.show_vertical_scrollbar
        assert app.screen.query_one("#packs").size.height >= 10


async def test_a_valid_pack_file_appears_in_the_list_and_plays(tmp_path: Path) -> None:
    mine = write_pack(tmp_path, "mine.toml", """
        [pack]
        id = "mine"
        title = "My pack"
        description = "One conv and pool chain."

        [[puzzles]]
        id = "mine-1"
        input = [3, 10, 10]
        layers = [{ type = "conv2d", kernel = 3, out_channels = 8 },
                  { type = "maxpool2d", kernel = 2 }]
        """)
    app = quiz_app(mine)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.query_one("#notice").display
        text = entry(app, "pack:mine")
        assert text.splitlines() == [
            "My pack  0/1 solved",
            f"1 puzzle · --pack file: {mine}",
            "One conv and pool chain.",
        ]
        await open_entry(pilot, "pack:mine")
        assert "What is the output shape [C, H, W]?" in text_of(app, "#prompt")
        diagram = app.screen.query_one("#diagram").render().plain
        assert "conv 3x3 s1 p0, 8 filters" in diagram and "[?, ?, ?]" in diagram
        labels = [d for d in "NCHW" if app.screen.query_one(f"#field-{d}").display]
        assert labels == ["C", "H", "W"]
        await answer(pilot, "8", "4", "4")
        assert "✓ Right: [8, 4, 4]" in text_of(app, "#verdict")
        worked = text_of(app, "#explanation")
        assert "1. Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)): [3, 10, 10] → [8, 8, 8]" \
            in worked
        assert "2. MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False): " \
            "[8, 8, 8] → [8, 4, 4]" in worked
        await pilot.press("n")
        await pilot.pause()
        assert "last puzzle of this pack" in text_of(app, "#status")
        await pilot.press("escape")
        await pilot.pause()
        assert "✓ 1/1 solved" in entry(app, "pack:mine")


async def test_random_practice_accepts_the_engines_answer(user_dirs: dict[str, Path]) -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, "practice:medium")
        puzzle = app.screen.round.puzzle
        assert puzzle.difficulty == "medium"
        assert "Random practice · medium · puzzle 1" in text_of(app, "#puzzle-header")
        await answer(pilot, *(str(v) for v in puzzle.answer))
        assert "✓ Right" in text_of(app, "#verdict")
        assert "Score 1 · Streak 1" in text_of(app, "#status")
        assert "1/1 right so far" in text_of(app, "#puzzle-header")
        await pilot.press("n")
        await pilot.pause()
        assert "puzzle 2" in text_of(app, "#puzzle-header")
        assert app.screen.round.puzzle is not puzzle
        await pilot.press("escape")
        await pilot.pause()
        assert "1/1 right so far" in entry(app, "practice:medium")
    saved = json.loads((user_dirs["data"] / "progress.json").read_text())
    assert saved["practice"]["medium"] == {"attempts": 1, "solved": 1}


async def test_practice_option_opens_straight_into_four_dimension_puzzles() -> None:
    app = quiz_app(practice="hard")
    async with app.run_test(size=SIZE) as pilot:
        assert "Random practice · hard" in text_of(app, "#puzzle-header")
        shown = [d for d in "NCHW" if app.screen.query_one(f"#field-{d}").display]
        assert shown == ["N", "C", "H", "W"]
        await pilot.press("tab")
        assert focused_field(app) == "answer-C"


async def test_a_damaged_progress_file_is_reported_and_kept(user_dirs: dict[str, Path]) -> None:
    user_dirs["data"].mkdir(parents=True)
    (user_dirs["data"] / "progress.json").write_text("{not json", encoding="utf-8")
    app = quiz_app()
    async with app.run_test(size=SIZE):
        notice = text_of(app, "#notice")
        assert "Your progress file was damaged (it is not valid JSON (line 1))" in notice
        assert "progress.json.corrupt-" in notice


async def test_the_mouse_picks_a_pack_and_presses_the_buttons() -> None:
    app = quiz_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#packs", offset=(5, 1))
        await pilot.pause()
        assert "227×227" in text_of(app, "#prompt")
        await pilot.click("#reveal")
        await pilot.pause()
        assert "The answer is [55, 55]" in text_of(app, "#verdict")
        await pilot.click("#next")
        await pilot.pause()
        assert "64×64" in text_of(app, "#prompt")
        await pilot.click("#answer-W")
        await pilot.press("2", "9")
        await pilot.click("#answer-H")
        await pilot.press("2", "9")
        await pilot.click("#check")
        await pilot.pause()
        assert "✓ Right: [29, 29]" in text_of(app, "#verdict")
        await pilot.click("#to-packs")
        await pilot.pause()
        assert "1/6 solved" in entry(app, "pack:lab10-exercises")


async def test_the_quiz_opens_from_another_panel_with_its_number_key() -> None:
    app = ConvtuiApp("stepper")  # options of another subcommand: no --pack, no --practice
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert "Score 0 · Streak 0" in text_of(app, "#status")
        assert entries(app)[0].startswith("Lab 10: the lecture's exercises  0/6 solved")
        await pilot.press("enter")
        await pilot.pause()
        assert "227×227" in text_of(app, "#prompt")


def test_a_long_chain_diagram_wraps_to_the_width_and_asks_only_the_last_shape() -> None:
    from convtui.quiz.loader import load_packs
    from convtui.ui.quiz.views import arrange, diagram_pieces

    packs, _ = load_packs(include_user_dir=False)
    chain = next(p for p in packs if p.id == "networks").puzzles[6]  # VGG-16's first blocks
    assert len(chain.layers) == 10
    lines = arrange(diagram_pieces(chain, shown=False), 60).plain.splitlines()
    assert len(lines) % 3 == 0 and len(lines) > 3  # rows of boxes, three lines each
    assert all(len(line) <= 60 for line in lines)
    text = "\n".join(lines)
    assert text.count("│ ? │") == 9 and "[?, ?, ?, ?]" in text
    assert "conv 3x3 s1 p1, 64 filters" in text and "maxpool 2x2 s2" in text
    shown = arrange(diagram_pieces(chain, shown=True), 60).plain
    assert "?" not in shown and "[1, 64, 112, 112]" in shown and "[1, 256, 28, 28]" in shown

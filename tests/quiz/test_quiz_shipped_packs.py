"""The packs convtui ships: all valid, enough of them, the lecture's exercises answered as the
lecture (and PyTorch) answers them, and every answer equal to torch's real output shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from quiz_torch import torch_output_shape

from convtui.quiz.loader import check_sources, load_packs, shipped_sources

REPO = Path(__file__).resolve().parents[2]


def shipped_puzzles():
    packs, problems = check_sources(shipped_sources())
    assert problems == []
    return [puzzle for pack in packs for puzzle in pack.puzzles]


def test_shipped_packs_load_without_problems() -> None:
    packs, problems = check_sources(shipped_sources())
    assert [str(p) for p in problems] == []
    assert len(packs) == len(shipped_sources()) >= 5
    assert sum(len(pack.puzzles) for pack in packs) >= 40
    for pack in packs:
        assert pack.origin == "shipped"
        assert pack.title and pack.description
        for puzzle in pack.puzzles:
            assert puzzle.prompt.strip() and puzzle.hint, puzzle.key


def test_puzzles_check_command_passes_on_the_shipped_packs() -> None:
    files = sorted(str(p) for p in (REPO / "puzzles").glob("*.toml"))
    result = subprocess.run(
        [sys.executable, "-m", "convtui", "puzzles", "check", *files],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    total = len(shipped_puzzles())
    assert lines[-1] == f"OK: {total} puzzles in {len(files)} packs"
    assert len(lines) == len(files) + 1
    assert lines[0].startswith(f"{files[0]}: ")


def test_the_packs_folder_is_what_the_package_ships() -> None:
    names = sorted(Path(str(source.name)).name for source in shipped_sources())
    assert names == sorted(p.name for p in (REPO / "puzzles").glob("*.toml"))


LECTURE = {
    # The lecture's five board exercises and its conv + pool example (torch.Size printed there).
    "alexnet-conv1": ([227, 227], (55, 55)),
    "conv-64-k7-s2": ([64, 64], (29, 29)),
    "conv-32-k5-p2": ([32, 32], (32, 32)),
    "conv-32x64-k5": ([32, 64], (28, 60)),
    "conv-64x32-k3-p1": ([64, 32], (64, 32)),
    "first-cnn-conv-pool": ([1, 1, 28, 28], (1, 5, 12, 12)),
}


def test_lecture_exercises_have_the_lectures_answers() -> None:
    packs, _ = load_packs(include_user_dir=False)
    lab = next(pack for pack in packs if pack.id == "lab10-exercises")
    got = {p.id: (list(p.input_shape), p.answer) for p in lab.puzzles}
    assert got == LECTURE


@pytest.mark.parametrize(
    ("puzzle_id", "expected"),
    [
        ("lab-mnist-cnn", (1, 64, 7, 7)),
        ("resnet18-stem", (64, 56, 56)),
        ("vgg16-block1", (1, 64, 112, 112)),
        ("lenet5", (1, 120, 1, 1)),
    ],
)
def test_named_networks_reach_their_well_known_shapes(puzzle_id: str, expected) -> None:
    puzzle = next(p for p in shipped_puzzles() if p.id == puzzle_id)
    assert puzzle.answer == expected


@pytest.mark.parametrize("puzzle", shipped_puzzles(), ids=lambda p: p.key)
def test_every_shipped_answer_is_torchs_output_shape(puzzle) -> None:
    assert torch_output_shape(puzzle) == puzzle.answer

"""Broken packs: every kind of mistake is reported as FILE:LINE: message, with the line an
author needs to look at, and the pack is not loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from convtui.quiz.loader import check_files

GOOD = """\
[pack]
id = "demo"
title = "A demo pack"

[[puzzles]]
id = "p1"
input = [28, 28]
layers = [
  { type = "conv2d", kernel = 3 },
  { type = "maxpool2d", kernel = 2 },
]
answer = [13, 13]
hint = "26 after the conv, then halve it."
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


SECOND_PUZZLE = GOOD + """
[[puzzles]]
id = "p1"
input = [8, 8]
layers = [{ type = "avgpool2d", kernel = 2 }]
"""

TABLE_LAYERS = """\
[pack]
id = "demo"
title = "A demo pack"

[[puzzles]]
id = "tables"
input = [3, 16, 16]

[[puzzles.layers]]
type = "conv2d"
out_channels = 8
kernel = 3

[[puzzles.layers]]
type = "maxpool2d"
kernel = 2
ceil_mode = "yes"
"""

# (case id, pack text, expected line, text the message must contain)
CASES = [
    ("toml-syntax", broken('title = "A demo pack"', 'title = "A demo pack'), 3,
     "TOML syntax error: Illegal character"),
    ("toml-duplicate-key", broken('id = "p1"\n', 'id = "p1"\nid = "p2"\n'), 7,
     "TOML syntax error: Cannot overwrite a value"),
    ("toml-unclosed-array-at-end", GOOD + "extra = [1,\n", 14,
     "TOML syntax error: Invalid value (at end of file)"),
    ("unknown-top-level-key", "version = 1\n" + GOOD, 1,
     "unknown top-level key 'version'"),
    ("missing-pack-table", GOOD.replace('[pack]\nid = "demo"\ntitle = "A demo pack"\n', ""), 1,
     "missing [pack] table"),
    ("unknown-pack-key", broken('title = "A demo pack"', 'titel = "A demo pack"'), 3,
     "pack: unknown key 'titel' (did you mean 'title'?)"),
    ("missing-pack-title", broken('title = "A demo pack"\n', ""), 1,
     "pack: missing required key 'title'"),
    ("pack-id-wrong-type", broken('id = "demo"', "id = 7"), 2,
     "pack.id: expected a string, got 7"),
    ("pack-id-invalid", broken('id = "demo"', 'id = "my pack"'), 2,
     "pack.id: 'my pack' is not a valid id"),
    ("pack-version", broken('[pack]\n', "[pack]\nversion = 2\n"), 2,
     "pack.version: this convtui reads version 1 packs, got 2"),
    ("empty-pack", GOOD[: GOOD.index("[[puzzles]]")], 1,
     "empty pack: it has no [[puzzles]] entries"),
    ("unknown-puzzle-key", broken("answer = [13, 13]", "anwser = [13, 13]"), 12,
     "puzzle 'p1': unknown key 'anwser' (did you mean 'answer'?)"),
    ("missing-input", broken("input = [28, 28]\n", ""), 5,
     "puzzle 'p1': missing required key 'input'"),
    ("missing-puzzle-id", broken('id = "p1"\n', ""), 5,
     "puzzle #1: missing required key 'id'"),
    ("input-wrong-type", broken("input = [28, 28]", 'input = "28x28"'), 7,
     "puzzle 'p1': input: expected [H, W], [C, H, W] or [N, C, H, W]"),
    ("input-zero", broken("input = [28, 28]", "input = [0, 28]"), 7,
     "input: every dimension must be at least 1"),
    ("layers-not-a-list", broken(GOOD[GOOD.index("layers = ["):GOOD.index("answer")],
                                 'layers = "conv2d"\n'), 8,
     "puzzle 'p1': layers: expected a list of layer tables"),
    ("layers-empty", broken(GOOD[GOOD.index("layers = ["):GOOD.index("answer")],
                            "layers = []\n"), 8,
     "puzzle 'p1': layers: a puzzle needs at least one layer"),
    ("unknown-layer-type", broken('type = "conv2d"', 'type = "conv3d"'), 9,
     "puzzle 'p1', layer 1: type: unknown layer type 'conv3d' (did you mean 'conv2d'?)"),
    ("layer-type-not-for-puzzles", broken('{ type = "maxpool2d", kernel = 2 }',
                                          '{ type = "flatten" }'), 10,
     "puzzle 'p1', layer 2: type: 'flatten' layers are not used in puzzles"),
    ("unknown-layer-key", broken("kernel = 3 }", "kernal = 3 }"), 9,
     "puzzle 'p1', layer 1: kernal: unknown key for conv2d; did you mean 'kernel'?"),
    ("layer-key-wrong-type", broken("kernel = 3 }", 'kernel = "3" }'), 9,
     "puzzle 'p1', layer 1: kernel: expected an int or [h, w], got '3'"),
    ("layer-missing-kernel", broken('{ type = "maxpool2d", kernel = 2 }',
                                    '{ type = "maxpool2d" }'), 10,
     "puzzle 'p1', layer 2: kernel: required for maxpool2d"),
    ("layer-not-a-table", broken('{ type = "maxpool2d", kernel = 2 }', '"maxpool2d"'), 10,
     "puzzle 'p1', layer 2: expected a table"),
    ("same-padding-with-stride", broken("kernel = 3 }", 'kernel = 3, stride = 2, '
                                        'padding = "same" }'), 9,
     "padding: 'same' is not supported for strided convolutions"),
    ("impossible-geometry", broken("kernel = 3 }", "kernel = 30 }"), 9,
     "puzzle 'p1', layer 1 (conv 30x30 s1 p0) on [28, 28]: kernel: the kernel (30 cells) is "
     "larger than the padded input (28 cells)"),
    ("impossible-geometry-later-layer", broken('{ type = "maxpool2d", kernel = 2 }',
                                               '{ type = "maxpool2d", kernel = 27 }'), 10,
     "layer 2 (maxpool 27x27 s27) on [26, 26]: kernel: the kernel (27 cells) is larger"),
    ("channels-on-board-input", broken("kernel = 3 }", "kernel = 3, out_channels = 4 }"), 9,
     "out_channels: a 2-D [28, 28] input has no channel dimension"),
    ("wrong-stated-answer", broken("answer = [13, 13]", "answer = [14, 13]"), 12,
     "puzzle 'p1': answer [14, 13] is wrong; the layers give [13, 13]"),
    ("answer-wrong-length", broken("answer = [13, 13]", "answer = [1, 13, 13]"), 12,
     "puzzle 'p1': answer: expected 2 whole numbers [H, W] like the input, got [1, 13, 13]"),
    ("hint-wrong-type", broken('hint = "26 after the conv, then halve it."', "hint = 26"), 13,
     "puzzle 'p1': hint: expected a string, got 26"),
    ("prompt-empty", broken('hint = "26', 'prompt = "  "\nhint = "26'), 13,
     "puzzle 'p1': prompt: is empty"),
    ("duplicate-puzzle-id", SECOND_PUZZLE, 16,
     "duplicate puzzle id 'p1' (first used at line 6)"),
    ("layer-tables-form", TABLE_LAYERS, 17,
     "puzzle 'tables', layer 2: ceil_mode: expected true or false, got 'yes'"),
]


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_breakage_is_reported_at_its_line(write_pack, text, line, message) -> None:
    path = write_pack(text)
    packs, problems = check_files([path])
    assert packs == []
    shown = [str(p) for p in problems]
    assert any(s.startswith(f"{path}:{line}: ") and message in s for s in shown), shown


def test_the_good_pack_really_is_good(write_pack) -> None:
    packs, problems = check_files([write_pack(GOOD)])
    assert problems == []
    assert [p.answer for p in packs[0].puzzles] == [(13, 13)]


def test_all_problems_of_a_file_are_reported_in_line_order(write_pack) -> None:
    text = broken("kernel = 3 }", "kernal = 3 }").replace("answer = [13, 13]", "answr = 1")
    path = write_pack("junk = true\n" + text)
    _, problems = check_files([path])
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (1, "unknown top-level key 'junk'; a pack file has a [pack] table and [[puzzles]] "
            "entries"),
        (10, "puzzle 'p1', layer 1"),
        (13, "puzzle 'p1'"),
    ]


def test_duplicate_ids_across_files_checked_together(write_pack) -> None:
    first = write_pack(GOOD, "first.toml")
    second = write_pack(GOOD.replace('id = "p1"', 'id = "p2"'), "second.toml")
    third = write_pack(GOOD.replace('id = "demo"', 'id = "other"'), "third.toml")
    packs, problems = check_files([first, second, third])
    assert [str(p) for p in problems] == [
        f"{second}:2: duplicate pack id 'demo': also in {first}:2",
        f"{third}:6: duplicate puzzle id 'p1': also in {first}:6",
    ]
    assert [pack.source for pack in packs] == [str(first)]


def test_non_utf8_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace("A demo pack", "Caf\xe9").encode("latin-1"))
    _, problems = check_files([path])
    assert [str(p) for p in problems] == [f"{path}:3: not UTF-8 text; save the file as UTF-8"]


def test_missing_file_and_empty_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    folder = tmp_path / "empty"
    folder.mkdir()
    _, problems = check_files([missing, folder])
    assert sorted(str(p) for p in problems) == sorted([
        f"{missing}: cannot read: No such file or directory",
        f"{folder}: no .toml files in this folder",
    ])


def test_check_command_prints_problems_and_exits_1(write_pack) -> None:
    bad = write_pack(broken("answer = [13, 13]", "answer = [14, 14]"), "bad.toml")
    good = write_pack(GOOD.replace('"demo"', '"fine"').replace('"p1"', '"q1"'), "good.toml")
    result = subprocess.run(
        [sys.executable, "-m", "convtui", "puzzles", "check", str(good), str(bad)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{bad}:12: puzzle 'p1': answer [14, 14] is wrong; the layers give [13, 13]",
        "1 problem in 1 file",
    ]
    assert "Traceback" not in result.stderr


def test_check_command_counts_puzzles_per_file_and_in_total(write_pack) -> None:
    one = write_pack(SECOND_PUZZLE.replace('id = "p1"\ninput = [8, 8]', 'id = "p9"\ninput = '
                                           "[8, 8]"), "one.toml")
    two = write_pack(GOOD.replace('"demo"', '"two"').replace('"p1"', '"q1"'), "two.toml")
    result = subprocess.run(
        [sys.executable, "-m", "convtui", "puzzles", "check", str(one), str(two)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{one}: 2 puzzles (pack 'demo')",
        f"{two}: 1 puzzle (pack 'two')",
        "OK: 3 puzzles in 2 packs",
    ]

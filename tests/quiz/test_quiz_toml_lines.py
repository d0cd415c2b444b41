"""The line locator: keys, tables and array elements in every TOML form packs may use."""

from __future__ import annotations

import tomllib

import pytest

from convtui.quiz.toml_lines import TomlLines, syntax_error_location

DOC = '''\
# comment with [brackets] and "quotes"
[pack]
id = "x"  # trailing comment
title = """multi
line with = and [[puzzles]] inside
still title"""
'quoted.key' = 'literal # not a comment'

[[puzzles]]
id = "a"
input = [
  227, # first
  227,
]
layers = [
  { type = "conv2d", kernel = [3,
    5], "odd key" = 1 },
  { type = 'maxpool2d', kernel = 2 },
]

[[puzzles]]
id = "b"
[[puzzles.layers]]
type = "conv2d"
kernel = 3
[[puzzles.layers]]
type = "relu"
[puzzles.extra]
a.b.c = 1979-05-27 07:32:00
text = "escaped \\" quote, # not a comment"
z = 1
'''


@pytest.fixture(scope="module")
def lines() -> TomlLines:
    tomllib.loads(DOC)  # the locator is only ever used on text tomllib accepted
    return TomlLines(DOC)


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("pack",), 2),
        (("pack", "id"), 3),
        (("pack", "title"), 4),
        (("pack", "quoted.key"), 7),
        (("puzzles", 0), 9),
        (("puzzles", 0, "id"), 10),
        (("puzzles", 0, "input", 1), 13),
        (("puzzles", 0, "layers"), 15),
        (("puzzles", 0, "layers", 0, "kernel"), 16),
        (("puzzles", 0, "layers", 0, "kernel", 1), 17),
        (("puzzles", 0, "layers", 0, "odd key"), 17),
        (("puzzles", 0, "layers", 1), 18),
        (("puzzles", 0, "layers", 1, "kernel"), 18),
        (("puzzles", 1), 21),
        (("puzzles", 1, "layers", 0), 23),
        (("puzzles", 1, "layers", 0, "kernel"), 25),
        (("puzzles", 1, "layers", 1, "type"), 27),
        (("puzzles", 1, "extra", "a", "b", "c"), 29),
        (("puzzles", 1, "extra", "z"), 31),
    ],
)
def test_every_path_has_its_line(lines: TomlLines, path, line: int) -> None:
    assert lines.line_of(path) == line


def test_missing_key_falls_back_to_its_table(lines: TomlLines) -> None:
    assert not lines.has(("puzzles", 1, "answer"))
    assert lines.line_of(("puzzles", 1, "answer")) == 21
    assert lines.line_of(("puzzles", 0, "layers", 1, "stride")) == 18
    assert lines.line_of(("nothing",)) == 1


def test_windows_line_endings() -> None:
    text = '[pack]\r\nid = "x"\r\n\r\n[[puzzles]]\r\nid = "a"\r\n'
    tomllib.loads(text)
    assert TomlLines(text).line_of(("puzzles", 0, "id")) == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('a = 1\nb = "open\n', 2, "Illegal character '\\n'"),
        ("a = 1\nb = [1,\n", 2, "Invalid value (at end of file)"),
        ("[t]\nx = 1\n[t]\n", 3, "Cannot declare ('t',) twice"),
    ],
)
def test_syntax_error_location(text: str, line: int, message: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    assert syntax_error_location(info.value, text) == (line, message)

"""Line numbers for TOML keys and array elements, which tomllib does not report.

A pack author needs ``FILE:LINE: message`` to find a problem, so after tomllib has parsed a file
this module scans the same text once more, this time only to note where every key, table header
and array element starts. The scan trusts that tomllib has accepted the text (it checks nothing)
and understands exactly as much TOML as it needs for that: comments, the four string forms,
arrays, inline tables, dotted and quoted keys, ``[table]`` and ``[[array.of.tables]]`` headers.

Paths are tuples of keys and indexes, the way the loader walks the parsed document:
``("puzzles", 2, "layers", 0, "kernel")`` is the ``kernel`` key of the first layer of the third
puzzle, whether the layers are written inline or as ``[[puzzles.layers]]`` tables.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence

from convtui.i18n import t

TomlPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")
_ERROR_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_ERROR_AT_END = re.compile(r"\s*\(at end of document\)$")


def syntax_error_location(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, str]:
    """The line of a TOML syntax error and its message without tomllib's position suffix.

    tomllib puts the position only in the message text ("... (at line 3, column 6)", or
    "(at end of document)", which we report as the last line)."""
    message = str(error)
    if match := _ERROR_AT.search(message):
        return int(match.group(1)), message[: match.start()]
    if match := _ERROR_AT_END.search(message):
        return max(1, len(text.splitlines())), message[: match.start()] + t("quiz.check.at_end")
    return 1, message


class TomlLines:
    """Where each key, table and array element of a (valid) TOML text starts."""

    def __init__(self, text: str) -> None:
        self._lines: dict[TomlPath, int] = {}
        _Scanner(text, self._lines).scan()

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of ``path``, or of its nearest recorded ancestor (1 if none is known).

        Falling back to the ancestor gives a missing key the line of the table it is missing
        from."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return 1

    def has(self, path: Sequence[str | int]) -> bool:
        return tuple(path) in self._lines


class _Scanner:
    """One pass over the text, recording the first line of every path it meets."""

    def __init__(self, text: str, lines: dict[TomlPath, int]) -> None:
        self.text = text
        self.pos = 0
        self.lines = lines
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        # Array-of-tables seen so far (resolved path -> number of elements), so that a header
        # such as [[puzzles.layers]] lands in the newest [[puzzles]] element.
        self.tables_in_array: dict[TomlPath, int] = {}

    # -- positions ------------------------------------------------------------------------
    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def record(self, path: TomlPath, pos: int) -> None:
        self.lines.setdefault(path, self.line_at(pos))

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces and tabs, and comments and newlines too if ``newlines``."""
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.pos += 1
            elif ch == "#" and newlines:
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    # -- document structure ---------------------------------------------------------------
    def scan(self) -> None:
        table: TomlPath = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek(2) == "[[":
                table = self.header(array=True)
            elif self.peek() == "[":
                table = self.header(array=False)
            else:
                self.key_value(table)

    def header(self, array: bool) -> TomlPath:
        start = self.pos
        self.pos += 2 if array else 1
        keys = self.keys()
        self.pos += 2 if array else 1
        path: TomlPath = ()
        for key in keys[:-1]:
            path += (key,)
            if path in self.tables_in_array:
                path += (self.tables_in_array[path] - 1,)
        path += (keys[-1],)
        self.record(path, start)
        if array:
            index = self.tables_in_array.get(path, 0)
            self.tables_in_array[path] = index + 1
            path += (index,)
            self.record(path, start)
        return path

    def key_value(self, table: TomlPath) -> None:
        start = self.pos
        keys = self.keys()
        path = table
        for key in keys:
            path += (key,)
            self.record(path, start)
        self.skip_blank(newlines=False)
        self.pos += 1  # "="
        self.skip_blank(newlines=False)
        self.value(path)

    def keys(self) -> list[str]:
        """A dotted key such as ``a."b.c".d``, returned as its parts."""
        parts = []
        while True:
            self.skip_blank(newlines=False)
            parts.append(self.key())
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.pos += 1

    def key(self) -> str:
        if self.peek() in ("'", '"'):
            start = self.pos
            self.string()
            raw = self.text[start : self.pos]
            return next(iter(tomllib.loads(f"{raw} = 0")))
        match = _BARE_KEY.match(self.text, self.pos)
        if match is None:  # tomllib accepted the text, so this cannot happen; stop scanning
            self.pos = len(self.text)
            return ""
        self.pos = match.end()
        return match.group()

    # -- values ---------------------------------------------------------------------------
    def value(self, path: TomlPath) -> None:
        ch = self.peek()
        if ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline_table(path)
        elif ch in ("'", '"'):
            self.string()
        else:
            match = _SCALAR_END.search(self.text, self.pos)
            self.pos = len(self.text) if match is None else match.start()

    def array(self, path: TomlPath) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in ("]", ""):
                self.pos += 1
                return
            self.record((*path, index), self.pos)
            self.value((*path, index))
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.pos += 1
            index += 1

    def inline_table(self, path: TomlPath) -> None:
        self.pos += 1
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in ("}", ""):
                self.pos += 1
                return
            self.key_value(path)
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.pos += 1

    def string(self) -> None:
        quote = self.peek()
        text = self.text
        if self.peek(3) == quote * 3:
            end = text.find(quote * 3, self.pos + 3)
            if quote == '"':
                while end > 0 and _escaped(text, end):
                    end = text.find(quote * 3, end + 1)
            end = len(text) if end < 0 else end + 3
            # A multi-line string may end with up to two extra quotes: """a""""" is 'a""'.
            while end < len(text) and text[end] == quote:
                end += 1
            self.pos = end
            return
        end = self.pos + 1
        while end < len(text) and text[end] != quote:
            end += 2 if quote == '"' and text[end] == "\\" else 1
        self.pos = end + 1


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1

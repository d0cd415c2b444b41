"""Reading puzzle packs from TOML, with every problem reported as ``FILE:LINE: message``.

A pack is checked completely (TOML syntax, keys and types, each layer, the geometry through the
engine, stated answers, duplicate ids) so an author sees all of its problems in one run of
``convtui puzzles check``. The app uses the same checks through :func:`load_packs`: a pack with
any problem is reported and skipped, and the other packs still load.

The schema is documented in docs/puzzles.md.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from convtui.core.layers import show_shape
from convtui.core.network import LAYER_TYPES, Layer, check_input_shape, parse_layer, trace
from convtui.paths import data_dir
from convtui.quiz.model import (
    PRACTICE_PACK_ID,
    PUZZLE_LAYER_TYPES,
    Pack,
    Puzzle,
    default_prompt,
    dims_text,
)
from convtui.quiz.toml_lines import TomlLines, TomlPath, syntax_error_location

SCHEMA_VERSION = 1
PACK_KEYS = ("id", "title", "description", "version")
PUZZLE_KEYS = ("id", "prompt", "input", "layers", "answer", "hint")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack; ``line`` is None when the file could not be read at all."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True)
class PackSource:
    """A pack file to read: ``name`` is how messages refer to it."""

    name: str
    origin: str  # "shipped", "user" or "extra"
    read: Callable[[], bytes]

    @classmethod
    def from_path(cls, path: Path, origin: str = "extra") -> PackSource:
        return cls(str(path), origin, path.read_bytes)

    @classmethod
    def from_resource(cls, resource: Traversable) -> PackSource:
        return cls(str(resource), "shipped", resource.read_bytes)


@dataclass
class _Parsed:
    """One file's result, plus the ids it declares for the cross-pack duplicate checks."""

    source: PackSource
    pack: Pack | None = None
    problems: list[Problem] = field(default_factory=list)
    pack_id: tuple[str, int] | None = None
    puzzle_ids: list[tuple[str, int]] = field(default_factory=list)


# ---- public API ------------------------------------------------------------------------------


def shipped_sources() -> list[PackSource]:
    """The packs installed with convtui, in file-name order (which is the menu order)."""
    folder = files("convtui.puzzles")
    found = [item for item in folder.iterdir() if item.name.endswith(".toml") and item.is_file()]
    return [PackSource.from_resource(item) for item in sorted(found, key=lambda i: i.name)]


def user_packs_dir() -> Path:
    return data_dir() / "packs"


def user_sources() -> list[PackSource]:
    folder = user_packs_dir()
    if not folder.is_dir():
        return []
    return [PackSource.from_path(path, "user") for path in sorted(folder.glob("*.toml"))]


def load_packs(
    extra_files: Iterable[Path | str] = (), include_user_dir: bool = True
) -> tuple[list[Pack], list[Problem]]:
    """Every pack the quiz offers: shipped, then the user's folder, then ``--pack`` files.

    A pack with any problem is left out and its problems returned; a pack whose id or one of
    whose puzzle ids is already taken by an earlier pack is left out too. An extra file that
    is already loaded (say, one in the user's folder) is not loaded twice."""
    sources = shipped_sources()
    if include_user_dir:
        sources += user_sources()
    loaded = {Path(source.name).resolve() for source in sources}
    for raw in extra_files:
        path = Path(raw)
        if path.resolve() not in loaded:
            loaded.add(path.resolve())
            sources.append(PackSource.from_path(path))
    return check_sources(sources)


def check_files(paths: Sequence[Path | str]) -> tuple[list[Pack], list[Problem]]:
    """``convtui puzzles check``: the given files checked together (duplicates across them
    included). A folder stands for the ``*.toml`` files in it."""
    sources: list[PackSource] = []
    empty: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                empty.append(Problem(str(path), None, "no .toml files in this folder"))
            sources += [PackSource.from_path(p) for p in found]
        else:
            sources.append(PackSource.from_path(path))
    packs, problems = check_sources(sources)
    return packs, empty + problems


def check_sources(sources: Sequence[PackSource]) -> tuple[list[Pack], list[Problem]]:
    """Parse and check each source, then check ids across them; return the good packs."""
    packs: list[Pack] = []
    problems: list[Problem] = []
    pack_ids: dict[str, str] = {}
    puzzle_ids: dict[str, str] = {}
    for source in sources:
        parsed = _parse_source(source)
        if parsed.pack_id is not None:
            pid, line = parsed.pack_id
            if pid in pack_ids:
                parsed.problems.append(Problem(
                    source.name, line, f"duplicate pack id '{pid}': also in {pack_ids[pid]}"))
            else:
                pack_ids[pid] = f"{source.name}:{line}"
        for qid, line in parsed.puzzle_ids:
            if qid in puzzle_ids:
                parsed.problems.append(Problem(
                    source.name, line, f"duplicate puzzle id '{qid}': also in {puzzle_ids[qid]}"
                ))
            else:
                puzzle_ids[qid] = f"{source.name}:{line}"
        problems += sorted(parsed.problems, key=lambda p: p.line or 0)
        if not parsed.problems and parsed.pack is not None:
            packs.append(parsed.pack)
    return packs, problems


# ---- one file --------------------------------------------------------------------------------


def _parse_source(source: PackSource) -> _Parsed:
    parsed = _Parsed(source)
    try:
        data = source.read()
    except OSError as err:
        parsed.problems.append(Problem(source.name, None, f"cannot read: {err.strerror or err}"))
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        parsed.problems.append(Problem(source.name, line, "not UTF-8 text; save the file as UTF-8"))
        return parsed
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, message = syntax_error_location(err, text)
        parsed.problems.append(Problem(source.name, line, f"TOML syntax error: {message}"))
        return parsed
    _PackChecker(parsed, document, TomlLines(text)).run()
    return parsed


class _PackChecker:
    """Walks one parsed document, collecting problems with their lines."""

    def __init__(self, parsed: _Parsed, document: dict[str, object], lines: TomlLines) -> None:
        self.parsed = parsed
        self.doc = document
        self.lines = lines

    def problem(self, path: TomlPath, message: str) -> None:
        self.parsed.problems.append(
            Problem(self.parsed.source.name, self.lines.line_of(path), message))

    def run(self) -> None:
        for key in self.doc:
            if key not in ("pack", "puzzles"):
                self.problem((key,), f"unknown top-level key '{key}'"
                             f"{_suggest(key, ('pack', 'puzzles'))}; a pack file has a [pack] "
                             "table and [[puzzles]] entries")
        header = self.check_header()
        puzzles = self.check_puzzles(header[0] if header else "?")
        if header is not None and puzzles is not None and not self.parsed.problems:
            pack_id, title, description = header
            self.parsed.pack = Pack(pack_id, title, description, tuple(puzzles),
                                    self.parsed.source.name, self.parsed.source.origin)

    # -- [pack] ---------------------------------------------------------------------------
    def check_header(self) -> tuple[str, str, str] | None:
        pack = self.doc.get("pack")
        if pack is None:
            self.problem((), "missing [pack] table (it needs at least id and title)")
            return None
        if not isinstance(pack, dict):
            self.problem(("pack",), f"pack: expected a [pack] table, got {_show(pack)}")
            return None
        for key in pack:
            if key not in PACK_KEYS:
                self.problem(("pack", key),
                             f"pack: unknown key '{key}'{_suggest(key, PACK_KEYS)}")
        version = pack.get("version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION or isinstance(version, bool):
            self.problem(("pack", "version"),
                         f"pack.version: this convtui reads version {SCHEMA_VERSION} packs, "
                         f"got {_show(version)}")
        pack_id = self.text(pack, ("pack",), "id", "pack", required=True, ident=True)
        title = self.text(pack, ("pack",), "title", "pack", required=True)
        description = self.text(pack, ("pack",), "description", "pack") or ""
        if pack_id is not None:
            if pack_id == PRACTICE_PACK_ID:
                self.problem(("pack", "id"), f"pack.id: '{PRACTICE_PACK_ID}' is reserved for "
                             "the generated practice puzzles; choose another id")
            else:
                self.parsed.pack_id = (pack_id, self.lines.line_of(("pack", "id")))
        if pack_id is None or title is None:
            return None
        return pack_id, title, description

    def text(
        self, table: Mapping[str, object], where: TomlPath, key: str, name: str,
        required: bool = False, ident: bool = False,
    ) -> str | None:
        """A string field: present when required, a non-blank string, an id if ``ident``."""
        if key not in table:
            if required:
                self.problem(where, f"{name}: missing required key '{key}'")
            return None
        value = table[key]
        path = (*where, key)
        label = f"{name}.{key}" if name == "pack" else f"{name}: {key}"
        if not isinstance(value, str):
            self.problem(path, f"{label}: expected a string, got {_show(value)}")
            return None
        if not value.strip():
            self.problem(path, f"{label}: is empty; leave the key out instead")
            return None
        if ident and not _ID.fullmatch(value):
            self.problem(path, f"{label}: {value!r} is not a valid id (use letters, digits, "
                         "'-', '_' and '.', starting with a letter or digit)")
            return None
        return value if ident else reflow(value)

    # -- [[puzzles]] ----------------------------------------------------------------------
    def check_puzzles(self, pack_id: str) -> list[Puzzle] | None:
        entries = self.doc.get("puzzles")
        if entries is None or entries == []:
            self.problem(("pack",), "empty pack: it has no [[puzzles]] entries")
            return None
        if not isinstance(entries, list):
            self.problem(("puzzles",), "puzzles: expected [[puzzles]] tables, got "
                         f"{_show(entries)}")
            return None
        puzzles: list[Puzzle] = []
        first_line: dict[str, int] = {}
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.problem(("puzzles", i), f"puzzle #{i + 1}: expected a table, got "
                             f"{_show(entry)}")
                continue
            puzzle_id = self.text(entry, ("puzzles", i), "id", f"puzzle #{i + 1}",
                                  required=True, ident=True)
            if puzzle_id is not None:
                line = self.lines.line_of(("puzzles", i, "id"))
                if puzzle_id in first_line:
                    self.problem(("puzzles", i, "id"), f"duplicate puzzle id '{puzzle_id}' "
                                 f"(first used at line {first_line[puzzle_id]})")
                else:
                    first_line[puzzle_id] = line
                    self.parsed.puzzle_ids.append((puzzle_id, line))
            puzzle = self.check_puzzle(entry, i, puzzle_id, pack_id)
            if puzzle is not None:
                puzzles.append(puzzle)
        return puzzles

    def check_puzzle(
        self, entry: dict[str, object], i: int, puzzle_id: str | None, pack_id: str
    ) -> Puzzle | None:
        where: TomlPath = ("puzzles", i)
        name = f"puzzle '{puzzle_id}'" if puzzle_id else f"puzzle #{i + 1}"
        for key in entry:
            if key not in PUZZLE_KEYS:
                self.problem((*where, key),
                             f"{name}: unknown key '{key}'{_suggest(key, PUZZLE_KEYS)}")
        prompt = self.text(entry, where, "prompt", name)
        hint = self.text(entry, where, "hint", name)
        input_shape = self.check_input(entry, where, name)
        layers = self.check_layers(entry, where, name)
        if input_shape is None or layers is None:
            if "answer" in entry and input_shape is not None:
                self.check_answer_form(entry["answer"], (*where, "answer"), name, input_shape)
            return None
        result = trace(input_shape, layers)
        if result.error is not None:
            err = result.error
            self.problem(
                self.layer_key_path((*where, "layers", err.index), entry, err.index,
                                    err.message),
                f"{name}, {err.where} ({err.layer.label}) on {show_shape(err.in_shape)}: "
                f"{err.message}" + (f"; fix: {err.fix}" if err.fix else ""),
            )
            return None
        computed = result.output_shape
        assert computed is not None
        if "answer" in entry:
            stated = self.check_answer_form(entry["answer"], (*where, "answer"), name,
                                            input_shape)
            if stated is not None and stated != computed:
                self.problem((*where, "answer"),
                             f"{name}: answer {show_shape(stated)} is wrong; the layers give "
                             f"{show_shape(computed)}")
                return None
        if puzzle_id is None:
            return None
        return Puzzle(
            id=puzzle_id, pack_id=pack_id,
            prompt=prompt or default_prompt(input_shape, result),
            input_shape=input_shape, layers=layers, trace=result, hint=hint,
            source=self.parsed.source.name, line=self.lines.line_of(where),
        )

    def check_input(
        self, entry: Mapping[str, object], where: TomlPath, name: str
    ) -> tuple[int, ...] | None:
        if "input" not in entry:
            self.problem(where, f"{name}: missing required key 'input' ([H, W], [C, H, W] "
                         "or [N, C, H, W])")
            return None
        try:
            return check_input_shape(entry["input"])  # type: ignore[arg-type]
        except ValueError as err:
            self.problem((*where, "input"), f"{name}: {err}")
            return None

    def check_layers(
        self, entry: Mapping[str, object], where: TomlPath, name: str
    ) -> tuple[Layer, ...] | None:
        if "layers" not in entry:
            self.problem(where, f"{name}: missing required key 'layers'")
            return None
        specs = entry["layers"]
        path = (*where, "layers")
        if not isinstance(specs, list):
            self.problem(path, f"{name}: layers: expected a list of layer tables like "
                         f'{{ type = "conv2d", kernel = 3 }}, got {_show(specs)}')
            return None
        if not specs:
            self.problem(path, f"{name}: layers: a puzzle needs at least one layer")
            return None
        layers: list[Layer] = []
        for j, spec in enumerate(specs):
            layer_path = (*path, j)
            label = f"{name}, layer {j + 1}"
            if not isinstance(spec, dict):
                self.problem(layer_path, f"{label}: expected a table like "
                             f'{{ type = "conv2d", kernel = 3 }}, got {_show(spec)}')
                continue
            kind = spec.get("type")
            if "type" in spec and kind not in PUZZLE_LAYER_TYPES:
                self.problem((*layer_path, "type"), f"{label}: type: {_type_message(kind)}")
                continue
            try:
                layers.append(parse_layer(spec))
            except ValueError as err:
                self.problem(self.layer_key_path(layer_path, entry, j, str(err)),
                             f"{label}: {err}")
        if len(layers) != len(specs):
            return None
        return tuple(layers)

    def layer_key_path(
        self, layer_path: TomlPath, entry: Mapping[str, object], j: int, message: str
    ) -> TomlPath:
        """Point at the key a layer message starts with ("kernel: ..."), if the layer has
        that key; otherwise at the layer itself."""
        key = message.split(":", 1)[0]
        specs = entry.get("layers")
        if isinstance(specs, list) and isinstance(specs[j], dict) and key in specs[j]:
            return (*layer_path, key)
        return layer_path

    def check_answer_form(
        self, value: object, path: TomlPath, name: str, input_shape: tuple[int, ...]
    ) -> tuple[int, ...] | None:
        rank = len(input_shape)
        if not (
            isinstance(value, list) and len(value) == rank
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            self.problem(path, f"{name}: answer: expected {rank} whole numbers "
                         f"[{dims_text(rank)}] like the input, got {_show(value)}")
            return None
        return tuple(value)


def reflow(text: str) -> str:
    """Join an author's wrapped lines into paragraphs (a blank line separates paragraphs), so
    the app can wrap text to its own width."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _type_message(kind: object) -> str:
    known = ", ".join(PUZZLE_LAYER_TYPES)
    if not isinstance(kind, str):
        return f"expected a layer type string, got {_show(kind)}; puzzles use {known}"
    if kind in LAYER_TYPES:
        return (f"'{kind}' layers are not used in puzzles (the answer must stay an image-like "
                f"shape); puzzles use {known}")
    return f"unknown layer type '{kind}'{_suggest(kind, PUZZLE_LAYER_TYPES)}; puzzles use {known}"


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show(value: object) -> str:
    """A value as the author wrote it in TOML, roughly: strings quoted, lists in brackets."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


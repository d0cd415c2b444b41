"""Reading puzzle packs from TOML, with every problem reported as ``FILE:LINE: message``.

A pack is checked completely (TOML syntax, keys and types, each layer, the geometry through the
engine, stated answers, duplicate ids) so an author sees all of its problems in one run of
``convtui puzzles check``. The app uses the same checks through :func:`load_packs`: a pack with
any problem is reported and skipped, and the other packs still load.

Texts a student reads (pack ``title``/``description``, puzzle ``prompt``/``hint``) may carry
translations next to them, named with the language code: ``prompt_ko``. A translation needs its
English original (the fallback for every other language), and a suffix that is not a language
convtui speaks, or a translation of a key that is not text, is reported like any other mistake.
Messages are written in the current language.

The schema is documented in convtui/quiz/pack_format.md (shown at the end of the Quiz help).
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
from convtui.i18n import DEFAULT, LANGUAGES, t
from convtui.paths import data_dir
from convtui.quiz.model import (
    PRACTICE_PACK_ID,
    PUZZLE_LAYER_TYPES,
    Pack,
    Puzzle,
    dims_text,
)
from convtui.quiz.texts import Translated
from convtui.quiz.toml_lines import TomlLines, TomlPath, syntax_error_location

SCHEMA_VERSION = 1
#: Languages a pack may translate into; English is the original, written without a suffix.
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != DEFAULT)
PACK_TEXTS = ("title", "description")
PUZZLE_TEXTS = ("prompt", "hint")


def _with_translations(keys: tuple[str, ...], texts: tuple[str, ...]) -> tuple[str, ...]:
    return keys + tuple(f"{key}_{lang}" for key in texts for lang in TRANSLATIONS)


PACK_KEYS = _with_translations(("id", "title", "description", "version"), PACK_TEXTS)
PUZZLE_KEYS = _with_translations(("id", "prompt", "input", "layers", "answer", "hint"),
                                 PUZZLE_TEXTS)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: A key that looks like ``<key>_<language code>``: ``prompt_ko``, ``hint_kr``, ``title_en``.
_SUFFIXED = re.compile(r"(?P<key>[a-z]+)_(?P<lang>[A-Za-z]{2,3})")


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
                empty.append(Problem(str(path), None, t("quiz.check.empty_folder")))
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
                parsed.problems.append(Problem(source.name, line, t(
                    "quiz.check.duplicate_pack", id=pid, where=pack_ids[pid])))
            else:
                pack_ids[pid] = f"{source.name}:{line}"
        for qid, line in parsed.puzzle_ids:
            if qid in puzzle_ids:
                parsed.problems.append(Problem(source.name, line, t(
                    "quiz.check.duplicate_puzzle_elsewhere", id=qid, where=puzzle_ids[qid])))
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
        parsed.problems.append(Problem(source.name, None,
                                       t("quiz.check.cannot_read", error=err.strerror or err)))
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        parsed.problems.append(Problem(source.name, line, t("quiz.check.not_utf8")))
        return parsed
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, message = syntax_error_location(err, text)
        parsed.problems.append(Problem(source.name, line,
                                       t("quiz.check.toml_syntax", message=message)))
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
                self.problem((key,), t("quiz.check.unknown_top_key", key=key,
                                       suggest=_suggest(key, ("pack", "puzzles"))))
        header = self.check_header()
        puzzles = self.check_puzzles(header[0] if header else "?")
        if header is not None and puzzles is not None and not self.parsed.problems:
            pack_id, title, description = header
            self.parsed.pack = Pack(pack_id, title, description, tuple(puzzles),
                                    self.parsed.source.name, self.parsed.source.origin)

    def check_keys(
        self, table: Mapping[str, object], where: TomlPath, name: str, known: tuple[str, ...],
        texts: tuple[str, ...],
    ) -> None:
        """Report unknown keys, telling translation mistakes (``prompt_kr``, ``input_ko``, a
        ``[puzzles.ko]`` table) apart from plain typos."""
        for key in table:
            if key in known:
                continue
            path = (*where, key)
            suffixed = _SUFFIXED.fullmatch(key)
            if key in LANGUAGES:
                self.problem(path, t("quiz.check.language_table", name=name, key=key,
                                     examples=_translated_names(texts)))
            elif suffixed and suffixed["key"] in texts and suffixed["lang"] == DEFAULT:
                self.problem(path, t("quiz.check.english_suffix", name=name, key=key,
                                     original=suffixed["key"]))
            elif suffixed and suffixed["key"] in texts:
                self.problem(path, t("quiz.check.unknown_language", name=name, key=key,
                                     lang=suffixed["lang"], languages=", ".join(LANGUAGES),
                                     suggest=_suggest_language(suffixed["key"],
                                                               suffixed["lang"])))
            elif suffixed and suffixed["key"] in known:
                self.problem(path, t("quiz.check.not_translatable", name=name, key=key,
                                     texts=_join_names(texts)))
            else:
                self.problem(path, t("quiz.check.unknown_key", name=name, key=key,
                                     suggest=_suggest(key, known)))

    def translated(
        self, table: Mapping[str, object], where: TomlPath, key: str, name: str,
        required: bool = False,
    ) -> Translated | None:
        """A text field and its translations (``key_ko`` ...). A translation whose English
        original is missing is a problem: English is what every other language falls back
        to. (A missing required original is reported once, as missing.)"""
        english = self.text(table, where, key, name, required=required)
        translations: list[tuple[str, str]] = []
        for lang in TRANSLATIONS:
            value = self.text(table, where, f"{key}_{lang}", name)
            if value is None:
                continue
            if key not in table and not required:
                self.problem((*where, f"{key}_{lang}"), t(
                    "quiz.check.no_original", name=name, key=f"{key}_{lang}", original=key))
            translations.append((lang, value))
        return None if english is None else Translated(english, tuple(translations))

    # -- [pack] ---------------------------------------------------------------------------
    def check_header(self) -> tuple[str, Translated, Translated | None] | None:
        pack = self.doc.get("pack")
        if pack is None:
            self.problem((), t("quiz.check.missing_pack"))
            return None
        if not isinstance(pack, dict):
            self.problem(("pack",), t("quiz.check.pack_not_table", value=_show(pack)))
            return None
        self.check_keys(pack, ("pack",), "pack", PACK_KEYS, PACK_TEXTS)
        version = pack.get("version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION or isinstance(version, bool):
            self.problem(("pack", "version"), t("quiz.check.version", version=SCHEMA_VERSION,
                                                value=_show(version)))
        pack_id = self.text(pack, ("pack",), "id", "pack", required=True, ident=True)
        title = self.translated(pack, ("pack",), "title", "pack", required=True)
        description = self.translated(pack, ("pack",), "description", "pack")
        if pack_id is not None:
            if pack_id == PRACTICE_PACK_ID:
                self.problem(("pack", "id"), t("quiz.check.reserved_id", id=PRACTICE_PACK_ID))
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
                self.problem(where, t("quiz.check.missing_key", name=name, key=key))
            return None
        value = table[key]
        path = (*where, key)
        label = f"{name}.{key}" if name == "pack" else f"{name}: {key}"
        if not isinstance(value, str):
            self.problem(path, t("quiz.check.not_string", label=label, value=_show(value)))
            return None
        if not value.strip():
            self.problem(path, t("quiz.check.empty_string", label=label))
            return None
        if ident and not _ID.fullmatch(value):
            self.problem(path, t("quiz.check.bad_id", label=label, value=repr(value)))
            return None
        return value if ident else reflow(value)

    # -- [[puzzles]] ----------------------------------------------------------------------
    def check_puzzles(self, pack_id: str) -> list[Puzzle] | None:
        entries = self.doc.get("puzzles")
        if entries is None or entries == []:
            self.problem(("pack",), t("quiz.check.empty_pack"))
            return None
        if not isinstance(entries, list):
            self.problem(("puzzles",), t("quiz.check.puzzles_not_tables", value=_show(entries)))
            return None
        puzzles: list[Puzzle] = []
        first_line: dict[str, int] = {}
        for i, entry in enumerate(entries):
            number = t("quiz.check.puzzle_number", n=i + 1)
            if not isinstance(entry, dict):
                self.problem(("puzzles", i), t("quiz.check.puzzle_not_table", name=number,
                                               value=_show(entry)))
                continue
            puzzle_id = self.text(entry, ("puzzles", i), "id", number, required=True,
                                  ident=True)
            if puzzle_id is not None:
                line = self.lines.line_of(("puzzles", i, "id"))
                if puzzle_id in first_line:
                    self.problem(("puzzles", i, "id"), t(
                        "quiz.check.duplicate_puzzle", id=puzzle_id,
                        line=first_line[puzzle_id]))
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
        name = (t("quiz.check.puzzle", id=puzzle_id) if puzzle_id
                else t("quiz.check.puzzle_number", n=i + 1))
        self.check_keys(entry, where, name, PUZZLE_KEYS, PUZZLE_TEXTS)
        prompt = self.translated(entry, where, "prompt", name)
        hint = self.translated(entry, where, "hint", name)
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
                t("quiz.check.geometry", name=name, where=err.where, layer=err.layer.label,
                  shape=show_shape(err.in_shape), message=err.message)
                + (t("quiz.check.fix", fix=err.fix) if err.fix else ""),
            )
            return None
        computed = result.output_shape
        assert computed is not None
        if "answer" in entry:
            stated = self.check_answer_form(entry["answer"], (*where, "answer"), name,
                                            input_shape)
            if stated is not None and stated != computed:
                self.problem((*where, "answer"), t(
                    "quiz.check.wrong_answer", name=name, stated=show_shape(stated),
                    computed=show_shape(computed)))
                return None
        if puzzle_id is None:
            return None
        return Puzzle(
            id=puzzle_id, pack_id=pack_id, input_shape=input_shape, layers=layers,
            trace=result, written_prompt=prompt, written_hint=hint,
            source=self.parsed.source.name, line=self.lines.line_of(where),
        )

    def check_input(
        self, entry: Mapping[str, object], where: TomlPath, name: str
    ) -> tuple[int, ...] | None:
        if "input" not in entry:
            self.problem(where, t("quiz.check.missing_input", name=name))
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
            self.problem(where, t("quiz.check.missing_key", name=name, key="layers"))
            return None
        specs = entry["layers"]
        path = (*where, "layers")
        if not isinstance(specs, list):
            self.problem(path, t("quiz.check.layers_not_list", name=name, value=_show(specs)))
            return None
        if not specs:
            self.problem(path, t("quiz.check.no_layers", name=name))
            return None
        layers: list[Layer] = []
        for j, spec in enumerate(specs):
            layer_path = (*path, j)
            label = t("quiz.check.layer", name=name, n=j + 1)
            if not isinstance(spec, dict):
                self.problem(layer_path, t("quiz.check.layer_not_table", label=label,
                                           value=_show(spec)))
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
            self.problem(path, t("quiz.check.answer_form", name=name, n=rank,
                                 dims=dims_text(rank), value=_show(value)))
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
        return t("quiz.check.type_not_string", value=_show(kind), known=known)
    if kind in LAYER_TYPES:
        return t("quiz.check.type_not_for_puzzles", type=kind, known=known)
    return t("quiz.check.unknown_type", type=kind, suggest=_suggest(kind, PUZZLE_LAYER_TYPES),
             known=known)


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return t("quiz.check.did_you_mean", word=close[0]) if close else ""


def _suggest_language(key: str, lang: str) -> str:
    """``prompt_ko`` for ``prompt_kr``, ``prompt_KO`` or ``prompt_kor``; nothing for a
    language convtui does not speak at all."""
    close = difflib.get_close_matches(lang.lower(), TRANSLATIONS, n=1, cutoff=0.5)
    return t("quiz.check.did_you_mean", word=f"{key}_{close[0]}") if close else ""


def _translated_names(texts: Sequence[str]) -> str:
    """``prompt_ko and hint_ko``: how a table's texts are translated, as examples."""
    return _join_names([f"{key}_{lang}" for key in texts for lang in TRANSLATIONS])


def _join_names(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    return t("quiz.and", first=", ".join(quoted[:-1]), last=quoted[-1])


def _show(value: object) -> str:
    """A value as the author wrote it in TOML, roughly: strings quoted, lists in brackets."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return t("quiz.check.a_table")
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


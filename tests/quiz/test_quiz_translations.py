"""Bilingual packs: ``title_ko``, ``description_ko``, ``prompt_ko`` and ``hint_ko`` next to their
English originals. A Korean student reads the Korean, English where a pack gives none; every
translation mistake is reported as FILE:LINE: message like the loader's other checks."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from convtui import i18n
from convtui.quiz.generator import PracticeGenerator
from convtui.quiz.loader import check_files, check_sources, shipped_sources
from convtui.quiz.model import Pack

BILINGUAL = """\
[pack]
id = "demo"
title = "A demo pack"
title_ko = "예제 팩"
description = "Two puzzles."
description_ko = "문제 두 개."

[[puzzles]]
id = "p1"
prompt = "A 28×28 image, a 3×3 filter. Output size [H, W]?"
prompt_ko = \"\"\"
28×28 이미지, 3×3 필터.
출력 크기 [H, W]는?\"\"\"
input = [28, 28]
layers = [{ type = "conv2d", kernel = 3 }]
hint = "28 - 3 + 1."
hint_ko = "28 - 3 + 1입니다."

[[puzzles]]
id = "p2"
input = [1, 8, 8]
layers = [{ type = "maxpool2d", kernel = 2 }]
hint = "Pooling halves it."
"""


def load(write_pack, text: str) -> Pack:
    packs, problems = check_files([write_pack(text)])
    assert [str(p) for p in problems] == []
    (pack,) = packs
    return pack


def broken(old: str, new: str) -> str:
    assert old in BILINGUAL, old
    return BILINGUAL.replace(old, new, 1)


def test_a_bilingual_pack_reads_in_the_current_language(write_pack) -> None:
    pack = load(write_pack, BILINGUAL)
    first, second = pack.puzzles
    assert (pack.title, pack.description) == ("A demo pack", "Two puzzles.")
    assert first.prompt == "A 28×28 image, a 3×3 filter. Output size [H, W]?"
    assert first.hint == "28 - 3 + 1."
    i18n.set_language("ko")
    assert (pack.title, pack.description) == ("예제 팩", "문제 두 개.")
    assert first.prompt == "28×28 이미지, 3×3 필터. 출력 크기 [H, W]는?"  # lines joined
    assert first.hint == "28 - 3 + 1입니다."
    # no Korean hint given: the English one; no prompt at all: written from the layers
    assert second.hint == "Pooling halves it."
    assert second.prompt == (
        "형태가 [1, 8, 8] (C, H, W)인 입력을 MaxPool2d(kernel_size=2, stride=2, padding=0, "
        "dilation=1, ceil_mode=False)에 통과시킵니다.\n출력 형태 [C, H, W]는 무엇일까요?")
    assert (first.answer, second.answer) == ((26, 26), (1, 4, 4))
    assert (pack.translated_puzzles("ko"), pack.speaks("ko")) == (1, True)


def test_an_english_only_pack_still_loads_and_reads_in_english(write_pack) -> None:
    english_only = re.sub(r"\n\w+_ko = (\"\"\"[^\"]*\"\"\"|\"[^\"\n]*\")", "", BILINGUAL)
    assert "_ko" not in english_only
    pack = load(write_pack, english_only)
    i18n.set_language("ko")
    assert pack.title == "A demo pack"
    assert pack.puzzles[0].prompt == "A 28×28 image, a 3×3 filter. Output size [H, W]?"
    assert pack.puzzles[0].hint == "28 - 3 + 1."
    assert not pack.speaks("ko")


# (case id, pack text, expected line, text the message must contain)
CASES = [
    ("translation-wrong-type", broken('hint_ko = "28 - 3 + 1입니다."', "hint_ko = 28"), 17,
     "puzzle 'p1': hint_ko: expected a string, got 28"),
    ("translation-empty", broken('title_ko = "예제 팩"', 'title_ko = " "'), 4,
     "pack.title_ko: is empty; leave the key out instead"),
    ("unknown-language", broken("hint_ko =", "hint_fr ="), 17,
     "puzzle 'p1': 'hint_fr': convtui has no language 'fr'; it speaks en, ko"),
    ("country-code-for-language", broken("prompt_ko =", "prompt_kr ="), 11,
     "puzzle 'p1': 'prompt_kr': convtui has no language 'kr' (did you mean 'prompt_ko'?)"),
    ("language-in-capitals", broken("description_ko =", "description_KO ="), 6,
     "pack: 'description_KO': convtui has no language 'KO' (did you mean 'description_ko'?)"),
    ("english-with-a-suffix", broken('hint = "Pooling halves it."', 'hint_en = "Halves."'), 23,
     "puzzle 'p2': 'hint_en': English is the original; write it as 'hint', without a suffix"),
    ("translating-the-input", broken("input = [28, 28]", "input = [28, 28]\ninput_ko = [1]"),
     15, "puzzle 'p1': 'input_ko': only 'prompt' and 'hint' can be translated"),
    ("translating-the-pack-id", broken('id = "demo"', 'id = "demo"\nid_ko = "데모"'), 3,
     "pack: 'id_ko': only 'title' and 'description' can be translated"),
    ("language-table-in-a-puzzle", BILINGUAL + '\n[puzzles.ko]\nhint = "절반"\n', 25,
     "puzzle 'p2': 'ko': translations are not a table of their own; write each next to its "
     "original, as 'prompt_ko' and 'hint_ko'"),
    ("language-table-in-the-pack", broken('description = "Two puzzles."',
                                          'ko = { title = "예제" }'), 5,
     "pack: 'ko': translations are not a table of their own"),
    ("hint-translation-without-original", broken('hint = "28 - 3 + 1."\n', ""), 16,
     "puzzle 'p1': hint_ko translates 'hint', which is missing; write the English 'hint' too"),
    ("prompt-translation-without-original", broken(
        'prompt = "A 28×28 image, a 3×3 filter. Output size [H, W]?"\n', ""), 10,
     "puzzle 'p1': prompt_ko translates 'prompt', which is missing"),
    ("description-translation-without-original", broken('description = "Two puzzles."\n', ""),
     5, "pack: description_ko translates 'description', which is missing"),
    ("title-translation-without-title", broken('title = "A demo pack"\n', ""), 1,
     "pack: missing required key 'title'"),
]


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_translation_mistake_is_reported_at_its_line(write_pack, text, line,
                                                          message) -> None:
    path = write_pack(text)
    packs, problems = check_files([path])
    assert packs == []
    shown = [str(p) for p in problems]
    assert any(s.startswith(f"{path}:{line}: ") and message in s for s in shown), shown


def test_a_missing_title_is_reported_once_even_with_its_translation(write_pack) -> None:
    _, problems = check_files([write_pack(broken('title = "A demo pack"\n', ""))])
    assert [p.message for p in problems] == ["pack: missing required key 'title'"]


def test_messages_come_in_korean_at_the_same_lines(write_pack) -> None:
    path = write_pack(broken("prompt_ko =", "prompt_kr =").replace(
        'hint = "28 - 3 + 1."\n', ""))
    i18n.set_language("ko")
    _, problems = check_files([path])
    assert [str(p) for p in problems] == [
        f"{path}:11: 문제 'p1': 'prompt_kr': 지원하지 않는 언어 코드 'kr' (혹시 'prompt_ko'?). "
        "convtui가 지원하는 언어: en, ko",
        f"{path}:16: 문제 'p1': hint_ko은(는) 'hint'의 번역인데 원문이 없습니다. 영어 'hint'도 "
        "쓰세요 (번역이 없는 언어에서는 원문을 보여 줍니다)",
    ]


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "convtui", *args], capture_output=True,
                          text=True, timeout=120)


def test_check_command_counts_translated_puzzles(write_pack) -> None:
    path = write_pack(BILINGUAL)
    result = run_check("puzzles", "check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{path}: 2 puzzles (pack 'demo'); ko: 1/2 translated",
        "OK: 2 puzzles in 1 pack",
    ]
    korean = run_check("--lang", "ko", "puzzles", "check", str(path))
    assert korean.stdout.splitlines() == [
        f"{path}: 문제 2개 (팩 'demo'); ko 번역: 1/2",
        "OK: 팩 1개, 문제 2개",
    ]


def test_check_command_speaks_korean_for_problems_too(write_pack) -> None:
    path = write_pack(broken("hint_ko =", "hint_kor ="))
    result = run_check("--lang=ko", "puzzles", "check", str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:17: 문제 'p1': 'hint_kor': 지원하지 않는 언어 코드 'kor' (혹시 'hint_ko'?). "
        "convtui가 지원하는 언어: en, ko",
        "오류 1개 (파일 1개)",
    ]


# ---- the shipped packs -----------------------------------------------------------------------

SHIPPED, _ = check_sources(shipped_sources())
HANGUL = re.compile("[가-힣]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def written(pack: Pack):
    """(name, text) for every text the pack's author wrote."""
    yield f"{pack.id} title", pack.written_title
    yield f"{pack.id} description", pack.written_description
    for puzzle in pack.puzzles:
        yield f"{puzzle.key} prompt", puzzle.written_prompt
        yield f"{puzzle.key} hint", puzzle.written_hint


@pytest.mark.parametrize("pack", SHIPPED, ids=lambda p: p.id)
def test_every_shipped_pack_is_in_korean_throughout(pack: Pack) -> None:
    assert pack.written_description is not None
    assert pack.translated_puzzles("ko") == len(pack.puzzles)
    for name, text in written(pack):
        if text is None:
            continue
        korean = text.text("ko")
        assert text.has("ko") and HANGUL.search(korean), name
        # the arithmetic is the English's: no number of it lost or mistyped
        assert set(NUMBER.findall(text.english)) <= set(NUMBER.findall(korean)), name


def test_every_shipped_puzzle_has_a_korean_hint_and_a_korean_prompt() -> None:
    i18n.set_language("ko")
    for pack in SHIPPED:
        assert HANGUL.search(pack.title) and HANGUL.search(pack.description), pack.id
        for puzzle in pack.puzzles:
            assert puzzle.hint and HANGUL.search(puzzle.hint), puzzle.key
            assert HANGUL.search(puzzle.prompt), puzzle.key  # written or generated


def test_practice_puzzles_are_asked_and_hinted_in_korean() -> None:
    generator = PracticeGenerator("hard", seed=5)
    english = [(p.prompt, p.hint) for p in [next(generator) for _ in range(5)]]
    i18n.set_language("ko")
    generator = PracticeGenerator("hard", seed=5)
    for (prompt_en, _), puzzle in zip(english, [next(generator) for _ in range(5)],
                                      strict=True):
        assert puzzle.prompt.endswith("출력 형태 [N, C, H, W]는 무엇일까요?")
        assert puzzle.hint is not None
        assert puzzle.hint.startswith("층마다 출력 = (I - F + 2P) / S + 1을 H와 W에 따로")
        # the same layers, as PyTorch prints them, in both languages
        assert prompt_en.splitlines()[1:-1] == puzzle.prompt.splitlines()[1:-1]

"""What the quiz panel gets from load_packs: shipped packs, the user's folder and --pack files,
with broken packs reported and skipped while the rest still load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from convtui import i18n
from convtui.quiz.loader import check_sources, load_packs, shipped_sources, user_packs_dir

USER_PACK = """
[pack]
id = "my-pack"
title = "My own puzzles"

[[puzzles]]
id = "mine-1"
input = [10, 10]
layers = [{ type = "conv2d", kernel = 3 }]
"""

BROKEN_PACK = """
[pack]
id = "broken"
title = "Broken"

[[puzzles]]
id = "broken-1"
input = [4, 4]
layers = [{ type = "conv2d", kernel = 5 }]
"""


def shipped_ids() -> list[str]:
    packs, _ = check_sources(shipped_sources())
    return [pack.id for pack in packs]


def test_user_dir_is_under_the_data_dir(user_dirs) -> None:
    assert user_packs_dir() == user_dirs["data"] / "packs"


def test_without_user_packs_only_the_shipped_ones_load() -> None:
    packs, problems = load_packs()
    assert problems == []
    assert [p.id for p in packs] == shipped_ids()


def test_broken_pack_is_skipped_and_the_others_still_load(write_pack) -> None:
    folder = user_packs_dir()
    write_pack(USER_PACK, "a-mine.toml", folder)
    bad = write_pack(BROKEN_PACK, "b-broken.toml", folder)
    packs, problems = load_packs()
    assert [p.id for p in packs] == [*shipped_ids(), "my-pack"]
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        f"{bad}:8: puzzle 'broken-1', layer 1 (conv 5x5 s1 p0) on [4, 4]: kernel: the kernel "
        "(5 cells) is larger than the padded input (4 cells)"
    )
    assert "; fix: " in problems[0].message
    mine = packs[-1]
    assert mine.origin == "user"
    assert mine.puzzles[0].key == "my-pack/mine-1"
    assert mine.puzzles[0].answer == (8, 8)


def test_include_user_dir_false_ignores_the_folder(write_pack) -> None:
    write_pack(USER_PACK, "mine.toml", user_packs_dir())
    packs, _ = load_packs(include_user_dir=False)
    assert "my-pack" not in [p.id for p in packs]


def test_extra_pack_files_load_last(write_pack, tmp_path: Path) -> None:
    extra = write_pack(USER_PACK, "extra.toml", tmp_path / "elsewhere")
    packs, problems = load_packs([extra])
    assert problems == []
    assert packs[-1].id == "my-pack"
    assert packs[-1].origin == "extra"
    assert packs[-1].source == str(extra)


def test_extra_file_already_in_the_user_folder_loads_once(write_pack) -> None:
    path = write_pack(USER_PACK, "mine.toml", user_packs_dir())
    packs, problems = load_packs([path, path])
    assert problems == []
    assert [p.id for p in packs].count("my-pack") == 1


def test_missing_extra_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    packs, problems = load_packs([missing])
    assert [p.id for p in packs] == shipped_ids()
    assert [str(p) for p in problems] == [f"{missing}: cannot read: No such file or directory"]


def test_user_pack_reusing_a_shipped_id_is_skipped(write_pack) -> None:
    taken = shipped_ids()[0]
    path = write_pack(USER_PACK.replace('"my-pack"', f'"{taken}"'), "clash.toml",
                      user_packs_dir())
    packs, problems = load_packs()
    assert [p.id for p in packs] == shipped_ids()
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{path}:2: duplicate pack id '{taken}': also in ")


def test_user_pack_reusing_a_shipped_puzzle_id_is_skipped(write_pack) -> None:
    path = write_pack(USER_PACK.replace('"mine-1"', '"alexnet-conv1"'), "clash.toml",
                      user_packs_dir())
    packs, problems = load_packs()
    assert "my-pack" not in [p.id for p in packs]
    assert str(problems[0]).startswith(f"{path}:6: duplicate puzzle id 'alexnet-conv1': also in ")


def test_practice_is_a_reserved_pack_id(write_pack) -> None:
    path = write_pack(USER_PACK.replace('"my-pack"', '"practice"'), "p.toml", user_packs_dir())
    packs, problems = load_packs()
    assert "practice" not in [p.id for p in packs]
    assert str(problems[0]).startswith(f"{path}:2: pack.id: 'practice' is reserved")


def test_generated_prompt_and_wrapped_text(write_pack) -> None:
    text = USER_PACK.replace('input = [10, 10]', 'hint = """\nline one\nline two\n\nnext"""\n'
                             "input = [1, 3, 10, 10]").replace(
        'kernel = 3 }', 'kernel = 3, out_channels = 8 }')
    packs, problems = load_packs([write_pack(text)], include_user_dir=False)
    assert problems == []
    puzzle = packs[-1].puzzles[0]
    assert puzzle.hint == "line one line two\n\nnext"
    assert puzzle.prompt == (
        "An input of shape [1, 3, 10, 10] (N, C, H, W) goes through Conv2d(3, 8, "
        "kernel_size=(3, 3), stride=(1, 1)).\nWhat is the output shape [N, C, H, W]?"
    )
    assert puzzle.dims == ("N", "C", "H", "W")
    assert puzzle.answer == (1, 8, 8, 8)


DOCS = Path(__file__).resolve().parents[2] / "convtui" / "quiz" / "pack_format.md"


def blocks(language: str) -> list[str]:
    """The docs' fenced code blocks in ``language``, in order."""
    docs = DOCS.read_text("utf-8")
    return [part.split("```", 1)[0] for part in docs.split(f"```{language}\n")[1:]]


def test_the_example_in_docs_is_a_valid_pack(write_pack) -> None:
    example = blocks("toml")[0]
    shown_prompt, shown_korean = (text.rstrip("\n") for text in blocks("text")[:2])
    packs, problems = load_packs([write_pack(example)], include_user_dir=False)
    assert problems == []
    pack = packs[-1]
    first, second = pack.puzzles
    assert first.answer == (55, 55)
    assert second.prompt == shown_prompt
    i18n.set_language("ko")
    assert second.prompt == shown_korean
    assert pack.title == "출력 크기 기초"
    assert first.hint == ("필터 크기를 빼고 스트라이드로 나눈 다음 1을 더합니다: "
                          "(227 - 11) / 4 + 1.")


def test_the_translations_example_in_docs_is_a_valid_puzzle(write_pack) -> None:
    section = DOCS.read_text("utf-8").split("## Translations", 1)[1]
    puzzle = section.split("```toml\n", 1)[1].split("```", 1)[0]
    text = '[pack]\nid = "docs"\ntitle = "Docs"\n\n' + puzzle
    packs, problems = load_packs([write_pack(text)], include_user_dir=False)
    assert problems == []
    (floor,) = packs[-1].puzzles
    assert floor.answer == (29, 29)
    i18n.set_language("ko")
    assert floor.prompt == ("64×64 이미지, 7×7 필터, 스트라이드 2, 패딩 없음. "
                            "출력 크기 [H, W]는 얼마일까요?")


def test_puzzles_format_prints_the_shipped_page() -> None:
    """``convtui puzzles format`` works from an installed copy: the page is package data."""
    result = subprocess.run([sys.executable, "-m", "convtui", "puzzles", "format"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("The pack format below ships with convtui")
    assert result.stdout.rstrip("\n").endswith(DOCS.read_text("utf-8").rstrip("\n"))
    korean = subprocess.run([sys.executable, "-m", "convtui", "--lang", "ko", "puzzles",
                             "format"], capture_output=True, text=True, timeout=120)
    assert korean.stdout.startswith("아래 팩 형식은 convtui와 함께")

"""A pack file deleted between listing the packs folder and reading it (issue 13): that pack
is reported by name and the others load; the quiz panel opens with the rest."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from convtui.quiz.loader import check_sources, user_packs_dir, user_sources
from convtui.ui.app import ConvtuiApp
from tests.ui.conftest import SIZE


def write_user_pack(name: str) -> Path:
    shipped = sorted(p for p in files("convtui.puzzles").iterdir() if p.name.endswith(".toml"))
    text = shipped[0].read_text(encoding="utf-8")
    folder = user_packs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    # the same puzzles under new ids, so the pack is a valid one of its own
    path.write_text(text.replace('id = "', f'id = "{path.stem}-'), encoding="utf-8")
    return path


def test_a_pack_deleted_after_listing_is_reported_and_the_rest_load() -> None:
    kept, gone = write_user_pack("kept.toml"), write_user_pack("gone.toml")
    sources = user_sources()
    assert [Path(s.name).name for s in sources] == ["gone.toml", "kept.toml"]
    gone.unlink()
    packs, problems = check_sources(sources)
    assert [Path(p.source).name for p in problems] == ["gone.toml"]
    assert "No such file" in str(problems[0])
    assert len(packs) == 1 and kept.exists()


async def test_the_quiz_panel_opens_when_a_listed_pack_has_gone() -> None:
    write_user_pack("kept.toml")
    gone = write_user_pack("gone.toml")
    app = ConvtuiApp("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        gone.unlink()
        await pilot.press("f2", "f2")  # the packs are checked again in each language
        await pilot.pause()
        assert app.current_mode == "quiz" and app.is_running

"""The tour's progress: how it moves, and the file that lets `convtui tour` resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convtui import atomic, i18n, tour
from convtui.paths import data_dir
from convtui.tour import STEPS, TourState, load_progress, progress_path, save_progress


def test_moving_on_ticks_the_step_and_going_back_keeps_the_ticks() -> None:
    state = TourState().forward().forward()
    assert state.current == 2
    assert state.done == {STEPS[0].name, STEPS[1].name}
    back = state.back()
    assert back.current == 1 and back.done == state.done
    assert TourState().back() == TourState()


def test_finishing_the_last_step_ticks_everything_and_starts_over() -> None:
    state = TourState()
    for _ in STEPS:
        state = state.forward()
    assert state.current == 0
    assert state.done == {step.name for step in STEPS}


def test_going_to_a_step_outside_the_tour_says_which_steps_exist() -> None:
    assert TourState().go(4).position == 5
    with pytest.raises(IndexError, match=f"steps 1 to {len(STEPS)}, not {len(STEPS) + 1}"):
        TourState().go(len(STEPS))


def test_no_file_is_a_fresh_start_in_the_user_data_dir(user_dirs: dict[str, Path]) -> None:
    assert progress_path() == data_dir() / "tour.json"
    assert progress_path().is_relative_to(user_dirs["data"])
    assert load_progress() == tour.Loaded(TourState())


def test_saved_progress_comes_back_and_is_readable_json() -> None:
    state = TourState().forward().forward().forward().back()
    save_progress(state)
    assert load_progress() == tour.Loaded(state)
    data = json.loads(progress_path().read_text(encoding="utf-8"))
    assert data == {"version": 1, "current": STEPS[2].name,
                    "done": [STEPS[0].name, STEPS[1].name, STEPS[2].name]}


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "not JSON (line 1, column 2)"),
    ("[1, 2]", "not a JSON object"),
    (b"\xff\xfe{}", "not UTF-8 text"),
    ('{"version": 7, "current": "welcome", "done": []}', "unknown version 7"),
    ('{"version": 1, "current": 3, "done": []}', "'current' must be a step name"),
    ('{"version": 1, "current": "welcome", "done": "all"}', "'done' must be a list"),
])
def test_a_damaged_file_gives_a_fresh_start_and_says_why(content: str | bytes,
                                                          reason: str) -> None:
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    loaded = load_progress()
    assert loaded.state == TourState()
    assert loaded.problem is not None
    assert str(path) in loaded.problem and reason in loaded.problem
    assert "starts from the beginning" in loaded.problem
    save_progress(TourState(3))  # the next save replaces the damaged file
    assert load_progress() == tour.Loaded(TourState(3))


def test_the_damage_is_reported_in_korean_too() -> None:
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_text("garbage", encoding="utf-8")
    i18n.set_language("ko")
    problem = load_progress().problem
    assert problem is not None
    assert "JSON 형식이 아닙니다 (1행 1열)" in problem and "처음부터 시작합니다" in problem


def test_a_folder_in_place_of_the_file_is_reported_not_raised() -> None:
    progress_path().mkdir(parents=True)
    loaded = load_progress()
    assert loaded.state == TourState()
    assert loaded.problem is not None and str(progress_path()) in loaded.problem


def test_steps_this_version_no_longer_has_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"version": 1, "current": "retired-step",
                                "done": ["welcome", "retired-step"]}), encoding="utf-8")
    assert load_progress(path) == tour.Loaded(TourState(0, frozenset({"welcome"})))


def test_a_failed_write_leaves_the_old_file_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    save_progress(TourState(2))
    before = progress_path().read_bytes()

    def disk_full(fd: int) -> None:  # the data reaches the disk at fsync: a full one refuses
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        save_progress(TourState(5))
    assert progress_path().read_bytes() == before
    assert sorted(p.name for p in progress_path().parent.iterdir()) == ["tour.json"]


def test_an_unwritable_data_dir_raises_oserror(user_dirs: dict[str, Path]) -> None:
    user_dirs["data"].parent.mkdir(parents=True, exist_ok=True)
    user_dirs["data"].write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(OSError):
        save_progress(TourState())

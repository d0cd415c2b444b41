"""The progress file: scoring rules, round trip, atomic saves, and damaged files kept aside."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from convtui import atomic, i18n
from convtui.quiz import progress as progress_module
from convtui.quiz.answers import check_answer
from convtui.quiz.generator import PracticeGenerator
from convtui.quiz.loader import load_packs
from convtui.quiz.progress import ProgressStore, default_path

T0 = datetime(2025, 3, 1, 9, 30, 5, tzinfo=UTC)


def fixed_clock() -> datetime:
    return T0


@pytest.fixture(scope="module")
def lab():
    """The lecture's pack: alexnet-conv1 is [55, 55], conv-64-k7-s2 is [29, 29]."""
    packs, _ = load_packs(include_user_dir=False)
    return next(pack for pack in packs if pack.id == "lab10-exercises")


def answer(store: ProgressStore, puzzle, fields):
    return store.record(puzzle, check_answer(puzzle, fields))


def test_default_path_is_in_the_data_dir(user_dirs) -> None:
    assert default_path() == user_dirs["data"] / "progress.json"


def test_missing_file_is_a_fresh_start_without_warnings() -> None:
    store, warnings = ProgressStore.load()
    assert warnings == []
    assert (store.score, store.streak, store.best_streak, store.puzzles) == (0, 0, 0, {})


def test_scoring_streaks_and_history(lab) -> None:
    alexnet, conv64 = lab.puzzles[0], lab.puzzles[1]
    store, _ = ProgressStore.load(clock=fixed_clock)
    wrong = answer(store, alexnet, [54, 54])
    assert (wrong.correct, wrong.points, wrong.score, wrong.streak) == (False, 0, 0, 0)
    right = answer(store, alexnet, ["55", "55"])
    assert (right.correct, right.points, right.score, right.streak) == (True, 1, 1, 1)
    again = answer(store, alexnet, [55, 55])
    assert (again.points, again.score, again.streak) == (0, 1, 2)  # no farming a solved one
    easy, hard = PracticeGenerator("easy", seed=1), PracticeGenerator("hard", seed=1)
    for puzzle in (next(easy), next(easy)):
        answer(store, puzzle, list(puzzle.answer))
    puzzle = next(hard)
    out = answer(store, puzzle, [n + 1 for n in puzzle.answer])
    assert (out.score, out.streak, out.best_streak) == (3, 0, 4)
    record = store.record_of(alexnet)
    assert record is not None
    assert (record.attempts, record.solved, record.last_answer) == (3, True, [55, 55])
    assert record.first_attempt_at == record.solved_at == "2025-03-01T09:30:05+00:00"
    assert [(k, v.attempts, v.solved) for k, v in sorted(store.practice.items())] == [
        ("easy", 2, 2), ("hard", 1, 0)]
    assert store.record_of(conv64) is None
    assert store.record_of(puzzle) is None  # practice puzzles keep no history


def test_revealing_resets_the_streak_and_is_saved(lab) -> None:
    store, _ = ProgressStore.load()
    answer(store, lab.puzzles[0], [55, 55])
    assert store.reveal() is None
    assert (store.score, store.streak, store.best_streak) == (1, 0, 1)
    again, _ = ProgressStore.load()
    assert (again.score, again.streak, again.best_streak) == (1, 0, 1)


def test_unreadable_answer_is_not_an_attempt(lab) -> None:
    store, _ = ProgressStore.load()
    with pytest.raises(ValueError, match="not an attempt"):
        answer(store, lab.puzzles[0], ["5S", "55"])
    assert store.puzzles == {} and not default_path().exists()


def test_pack_progress_counts_solved_puzzles(lab) -> None:
    store, _ = ProgressStore.load()
    answer(store, lab.puzzles[0], [55, 55])
    answer(store, lab.puzzles[1], [28, 28])
    progress = store.pack_progress(lab)
    assert (progress.solved, progress.total, progress.complete) == (1, 6, False)


def test_round_trip_through_the_file(lab) -> None:
    store, _ = ProgressStore.load(clock=fixed_clock)
    answer(store, lab.puzzles[0], [55, 55])
    answer(store, lab.puzzles[1], [1, 2])
    practice = next(PracticeGenerator("medium", seed=3))
    answer(store, practice, list(practice.answer))
    again, warnings = ProgressStore.load(clock=fixed_clock)
    assert warnings == []
    assert again.to_json() == store.to_json()
    assert again.puzzles == store.puzzles
    assert (again.score, again.streak, again.best_streak) == (2, 1, 1)
    saved = json.loads(default_path().read_text(encoding="utf-8"))
    assert saved["version"] == 1
    assert saved["puzzles"]["lab10-exercises/conv-64-k7-s2"]["last_answer"] == [1, 2]
    assert saved["practice"] == {"medium": {"attempts": 1, "solved": 1}}


def test_failed_save_keeps_the_old_file_and_leaves_no_temp_files(monkeypatch, lab) -> None:
    store, _ = ProgressStore.load()
    answer(store, lab.puzzles[0], [55, 55])
    path = default_path()
    before = path.read_bytes()

    def disk_full(fd):  # the data reaches the disk at fsync: a full one refuses
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    outcome = answer(store, lab.puzzles[1], [29, 29])
    assert str(outcome.warning) == (
        f"Could not save your progress to {path}: No space left on device")
    assert outcome.score == 2  # still counts this session
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json"]


def test_save_is_fsynced_and_renamed_into_place(monkeypatch, lab) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(progress_module.os, "fsync",
                        lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(progress_module.os, "replace",
                        lambda a, b: (calls.append(f"replace {Path(a).parent == Path(b).parent}"),
                                      real_replace(a, b))[1])
    store, _ = ProgressStore.load()
    answer(store, lab.puzzles[0], [55, 55])
    assert calls[:2] == ["fsync", "replace True"]  # file data durable before the rename


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"version": 1, "score": ', "it is not valid JSON (line 1)"),
        (b"[1, 2, 3]", "the file should be a JSON object"),
        (b'{"version": 99}', "unknown format version 99, expected 1"),
        (b'{"version": 1, "score": "lots"}', "score should be a whole number ≥ 0, got 'lots'"),
        (b'{"version": 1, "puzzles": {"a/b": {"solved": "yes"}}}',
         "puzzles.a/b.solved should be true or false"),
        (b"\xff\xfe garbage", "it is not UTF-8 text"),
    ],
)
def test_damaged_file_is_kept_aside_and_reported(content: bytes, reason: str, lab) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store, warnings = ProgressStore.load(clock=fixed_clock)
    backup = path.with_name("progress.json.corrupt-20250301-093005")
    assert [str(w) for w in warnings] == [
        f"Your progress file was damaged ({reason}); it was kept as {backup} and the quiz "
        "starts with fresh progress."
    ]
    assert backup.read_bytes() == content
    assert not path.exists()
    assert store.score == 0
    answer(store, lab.puzzles[0], [55, 55])
    assert ProgressStore.load()[0].score == 1


def test_second_backup_in_the_same_second_gets_its_own_name() -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    for content in (b"one", b"two"):
        path.write_bytes(content)
        ProgressStore.load(clock=fixed_clock)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["progress.json.corrupt-20250301-093005",
                     "progress.json.corrupt-20250301-093005-1"]
    assert (path.parent / names[1]).read_bytes() == b"two"


def test_unreadable_file_is_left_alone_and_not_overwritten(monkeypatch, lab) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "score": 5}', encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", denied)
        store, warnings = ProgressStore.load()
    assert [str(w) for w in warnings] == [
        f"Could not read your progress file {path} (Permission denied); "
        "progress will not be saved this session."]
    answer(store, lab.puzzles[0], [55, 55])
    assert json.loads(path.read_text(encoding="utf-8"))["score"] == 5


def test_a_warning_follows_the_language_it_is_shown_in() -> None:
    """Warnings are kept as messages, so a language switch after loading rewords them."""
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"version": 1, "score": -2}')
    _, (warning,) = ProgressStore.load(clock=fixed_clock)
    assert "score should be a whole number ≥ 0, got -2" in str(warning)
    i18n.set_language("ko")
    assert str(warning).startswith("진행 기록 파일이 손상되었습니다 (score: 0 이상의 정수여야 "
                                   "하는데 -2입니다).")
    assert "progress.json.corrupt-20250301-093005" in str(warning)

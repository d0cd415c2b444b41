"""Counts in the Train panel and the training commands read "1 epoch", "2 epochs" in English
(one form per count, from the catalogue: ``i18n.tn``); Korean has one form for every count."""

from __future__ import annotations

from pathlib import Path

import pytest

from convtui import i18n
from convtui.i18n import catalogue, tn
from convtui.ui.app import ConvtuiApp
from convtui.ui.train.quit import QuitTrainingScreen
from tests.ui.conftest import text_of
from tests.ui.train_fixtures import SIZE, launch


@pytest.mark.parametrize(("key", "count", "en", "ko"), [
    ("training.counts.threads", 1, "1 thread", "스레드 1개"),
    ("training.counts.threads", 2, "2 threads", "스레드 2개"),
    ("training.counts.epochs", 1, "1 epoch", "에폭 1개"),
    ("training.counts.epochs", 0, "0 epochs", "에폭 0개"),
])
def test_a_count_takes_the_form_its_number_asks_for(key: str, count: int, en: str,
                                                     ko: str) -> None:
    assert tn(key, count) == en
    i18n.set_language("ko")
    assert tn(key, count) == ko


def test_every_plural_has_both_forms_in_both_languages() -> None:
    for lang in i18n.LANGUAGES:
        keys = catalogue(lang)
        for key in keys:
            stem, _, form = key.rpartition(".")
            if form in ("one", "other") and stem.startswith(("train", "training", "runs_cli")):
                assert f"{stem}.one" in keys and f"{stem}.other" in keys, (lang, key)


@pytest.mark.parametrize(("runs", "start"), [
    (1, "A training job started here is still running:"),
    (2, "2 training jobs started here are still running:"),
])
async def test_the_quit_question_counts_its_jobs(tmp_path: Path, runs: int, start: str) -> None:
    app = ConvtuiApp("train", launch())
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuitTrainingScreen([tmp_path / f"run{i}" for i in range(runs)]))
        await pilot.pause()
        assert text_of(app, "#quit-text").startswith(start)
        app.action_switch_language("ko")  # F2 with the dialog open
        await pilot.pause()
        assert text_of(app, "#quit-text").startswith("여기서 시작한 학습 작업이 아직 실행 중입니다")
        await pilot.press("escape")

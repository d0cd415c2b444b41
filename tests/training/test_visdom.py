"""`--visdom`: a real Visdom server on 127.0.0.1 holds the plots the run's log describes; a
server that is not there is one warning, and training goes on."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from training_helpers import FAST, headless, unreachable_url

pytest.importorskip("visdom", reason="visdom is an optional extra: pip install 'convtui[visdom]'")
from visdom import Visdom

from convtui import i18n
from convtui.training.events import EVENTS_FILE, load_history, read_events

#: Runs the server without `python -m visdom.server`'s first step, downloading its web
#: page's scripts (there is no internet here; the API needs none of them).
SERVER = "import sys; from visdom.server.run_server import main; sys.exit(main())"


@pytest.fixture
def visdom_url(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, "-port", str(port), "--hostname", "127.0.0.1",
         "-env_path", str(tmp_path / "visdom-envs"), "-logging_level", "WARNING"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no Visdom"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def traces(viz: Visdom, window: str, env: str) -> dict[str, list[tuple[float, float]]]:
    data = json.loads(viz.get_window_data(window, env))
    return {trace["name"]: list(zip(trace["x"], trace["y"], strict=True))
            for trace in data["content"]["data"]}


def test_live_plots_hold_what_the_log_says(
    mnist_dir: Path, tmp_path: Path, visdom_url: str
) -> None:
    run_dir = tmp_path / "run"
    assert headless(*FAST, "--epochs", "2", "--log-every", "3", "--data-dir", str(mnist_dir),
                    "--run-dir", str(run_dir), "--visdom", visdom_url) == 0
    history = load_history(run_dir / EVENTS_FILE)
    batches = history.data["batches"]
    viz = Visdom(server="http://127.0.0.1", port=int(visdom_url.rsplit(":", 1)[1]),
                 env="run", raise_exceptions=True, use_incoming_socket=False)
    for window, prefix in (("loss", "loss"), ("accuracy", "accuracy")):
        lines = traces(viz, window, "run")
        assert lines["batch"] == [(e["step"], pytest.approx(e[prefix])) for e in history.batches]
        for name in ("train", "test"):
            assert lines[name] == [(e["epoch"] * batches, pytest.approx(e[f"{name}_{prefix}"]))
                                   for e in history.epochs]
    filters = json.loads(viz.get_window_data("filters", "run"))
    assert filters["type"] == "image"
    assert "after epoch 2" in filters["title"]
    assert not [e for e in read_events(run_dir / EVENTS_FILE)[0] if e["type"] == "warning"]


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Warning: the Visdom server at {url} cannot be reached"),
    ("ko", "경고: {url}의 Visdom 서버에 연결할 수 없습니다"),
])
def test_unreachable_server_is_one_warning_and_training_goes_on(
    mnist_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str,
    words: str,
) -> None:
    url = unreachable_url().rstrip("/")
    i18n.set_language(language)
    run_dir = tmp_path / "run"
    assert headless(*FAST, "--data-dir", str(mnist_dir), "--run-dir", str(run_dir),
                    "--visdom", url) == 0
    assert capsys.readouterr().out.count(words.format(url=url)) == 1
    warnings = [e for e in read_events(run_dir / EVENTS_FILE)[0] if e["type"] == "warning"]
    assert len(warnings) == 1 and url in warnings[0]["message"]
    assert load_history(run_dir / EVENTS_FILE).epochs_completed == 1

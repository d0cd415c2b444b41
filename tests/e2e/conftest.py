"""Drive the installed `convtui` command in a real terminal (tmux), as a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


class Terminal:
    """A tmux session running one command; type keys, read the screen."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} is still on screen:\n{self.screen()}")


@pytest.fixture
def terminal(user_dirs: dict[str, Path]) -> Iterator[callable]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the end-to-end tests (apt-get install tmux)")
    convtui = Path(sys.executable).with_name("convtui")
    sessions: list[str] = []

    def start(*args: str, env: dict[str, str] | None = None, width: int = 100,
              height: int = 32) -> Terminal:
        name = f"convtui-e2e-{uuid.uuid4().hex[:8]}"
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        exports = " ".join(f"{k}={_quote(v)}" for k, v in environment.items()
                           if k.startswith(("CONVTUI_", "NO_COLOR", "LANG", "LC_")))
        command = f"env {exports} {convtui} {' '.join(args)}; sleep 30"
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y",
                        str(height), command], check=True, env=environment)
        sessions.append(name)
        return Terminal(name)

    yield start
    for name in sessions:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"

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
    """A tmux session running one command; type keys, read the screen.

    Each terminal has a tmux server of its own (``-L name``): with one shared server, a test
    on another pytest worker that closes the last session stops the server while this one is
    connecting ("server exited unexpectedly")."""

    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """Run one tmux command against this terminal's own server."""
        return subprocess.run(["tmux", "-L", self.name, *args], **kwargs)

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys, check=True)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name, check=True,
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
    sessions: list[Terminal] = []

    def start(*args: str, env: dict[str, str] | None = None, width: int = 100,
              height: int = 32) -> Terminal:
        name = f"convtui-e2e-{uuid.uuid4().hex[:8]}"
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        exports = " ".join(f"{k}={_quote(v)}" for k, v in environment.items()
                           if k.startswith(("CONVTUI_", "NO_COLOR", "LANG", "LC_")))
        command = f"env {exports} {convtui} {' '.join(args)}; sleep 30"
        term = Terminal(name)
        term.tmux("-f", "/dev/null", "new-session", "-d", "-s", name, "-x", str(width), "-y",
                  str(height), command, check=True, env=environment)
        sessions.append(term)
        return term

    yield start
    for term in sessions:
        term.tmux("kill-server", capture_output=True)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"

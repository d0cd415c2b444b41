"""The engine and the command line start without torch (or, for the engine, Textual).

Importing torch costs seconds; students run ``convtui --help`` and the math panels on machines
where that matters. Each check runs in a fresh interpreter so nothing this test session has
already imported can hide a regression.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import convtui

CONSOLE_SCRIPT = Path(sys.executable).parent / "convtui"


def imported_modules(command: list[str]) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run ``command`` with Python's import profiler on; return it and every module it
    imported."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:") and line.count("|") == 2}
    return done, modules - {"imported package"}


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_importing_the_engine_loads_neither_torch_nor_textual() -> None:
    done, modules = imported_modules([sys.executable, "-c", "import convtui.core"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "convtui.core.conv" in modules  # the profiler really saw the import
    assert not top_level(modules) & {"torch", "textual"}


def test_main_help_and_version_never_import_torch() -> None:
    script = (
        "import sys\n"
        "from convtui.cli import main\n"
        "for argv in (['--help'], ['--version']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit as done:\n"
        "        assert done.code == 0, done.code\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage: convtui" in done.stdout
    assert f"convtui {convtui.__version__}" in done.stdout


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "convtui"], [str(CONSOLE_SCRIPT)]],
    ids=["python -m convtui", "console script"],
)
@pytest.mark.parametrize("flag, expected", [("--help", "usage: convtui"),
                                            ("--version", "convtui ")])
def test_help_and_version_commands_run_without_torch(
    command: list[str], flag: str, expected: str
) -> None:
    assert Path(command[0]).exists(), f"{command[0]} is missing: is convtui installed?"
    done, modules = imported_modules([*command, flag])
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout
    assert "convtui.cli" in modules
    assert "torch" not in top_level(modules)

"""Quiz mode's non-UI modules must load without torch or Textual (start-up time, and the
authoring command runs where neither is wanted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_quiz_modules_import_neither_torch_nor_textual() -> None:
    code = (
        "import sys\n"
        "import convtui.quiz.answers, convtui.quiz.cli, convtui.quiz.generator\n"
        "import convtui.quiz.loader, convtui.quiz.progress\n"
        "from convtui.cli import main\n"
        "assert main(['puzzles', 'check', 'puzzles']) == 0\n"
        "print(sorted(m for m in ('torch', 'textual') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"

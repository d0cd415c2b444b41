"""Launch-to-first-frame time of `convtui` against a minimal Textual app, in one run.

Each sample is a fresh Python process (interpreter start, imports, app start) that exits as soon
as its first screen has been painted, so the number is what a user waits for. The two apps are
sampled alternately and compared by their medians. Target: ratio at most 1.3.

convtui's modules are compiled to bytecode first, as ``pip install`` does for a user and as
Textual's already are: where PYTHONDONTWRITEBYTECODE is set (as on our CI machines) an editable
checkout would otherwise be compiled from source at every launch, about 150 ms that no user
waits for.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

import convtui

LAUNCH = r"""
import sys
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

which = sys.argv[1]
if which == "convtui":
    from convtui.ui.app import ConvtuiApp as Base
    from convtui.ui.panel.screen import PanelScreen
else:
    class Base(App):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()
    PanelScreen = None

class FirstFrame(Base):
    def on_mount(self) -> None:
        if hasattr(super(), "on_mount"):
            super().on_mount()
        self.set_interval(0.001, self._painted_yet)

    def _painted_yet(self) -> None:
        ready = PanelScreen is None or isinstance(self.screen, PanelScreen)
        if ready and self.screen.is_mounted:
            self.call_after_refresh(self.exit)

FirstFrame().run(headless=True, size=(80, 24))
"""


def sample(which: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", LAUNCH, which], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    compileall.compile_dir(Path(convtui.__file__).parent, quiet=1)
    sample("convtui")  # warm the file cache for both
    sample("minimal")
    times: dict[str, list[float]] = {"convtui": [], "minimal": []}
    for _ in range(args.runs):
        for which in times:
            times[which].append(sample(which))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"minimal Textual app: {med['minimal'] * 1000:.0f} ms (median of {args.runs})")
    print(f"convtui (Stepper):   {med['convtui'] * 1000:.0f} ms (median of {args.runs})")
    print(f"ratio convtui / minimal: {med['convtui'] / med['minimal']:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()

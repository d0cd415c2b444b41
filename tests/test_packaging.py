"""The wheel carries every package and the data files the app reads at run time."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts)
             for init in (REPO / "convtui").rglob("__init__.py")}
    assert found - listed == set(), "packages missing from pyproject.toml's [tool.setuptools]"


def test_the_catalogues_are_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "*.toml" in config["package-data"]["convtui.i18n"]
    assert sorted(p.name for p in (REPO / "convtui" / "i18n").glob("*.toml")) == ["en.toml",
                                                                                 "ko.toml"]


def test_the_pack_format_ships_with_the_quiz() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "*.md" in config["package-data"]["convtui.quiz"]
    assert (REPO / "convtui" / "quiz" / "pack_format.md").is_file()

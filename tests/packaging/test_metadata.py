"""Packaging metadata the package index shows: one version, the licence, links that work off GitHub."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest_cdcompat

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
HOME = "https://github.com/pytest-cdcompat/pytest-cdcompat"


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_one_version_source() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    assert "version" not in project, "the version is written once, in pytest_cdcompat/__init__.py"
    assert project["dynamic"] == ["version"]
    assert importlib.metadata.version("pytest-cdcompat") == pytest_cdcompat.__version__


def test_licence_metadata_and_file() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert importlib.metadata.metadata("pytest-cdcompat")["License-Expression"] == "MIT"


def test_readme_links_work_on_the_package_index() -> None:
    """The wheel's README is shown on the index page, where relative links to docs/ lead nowhere."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#", "mailto:"))]
    assert relative == [], f"README links must be absolute: {relative}"
    for target in targets:
        if target.startswith((f"{HOME}/blob/main/", f"{HOME}/tree/main/")):
            local = target.split("/main/", 1)[1].split("#", 1)[0]
            assert (ROOT / local).exists(), f"README links to a missing file: {local}"

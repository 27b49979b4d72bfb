"""hypothesis is loaded only when generation runs, and writes nothing into the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_cdcompat.proving import driver

ROOT = Path(__file__).resolve().parents[2]
BREAKING = ROOT / "tests" / "rules" / "schema" / "additional-properties-allowed" / "breaking"


def _python(code: str, cwd: Path, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_no_generation_never_imports_hypothesis(tmp_path: Path) -> None:
    # an error finding with an envelope and a minimal value, but no search
    code = (
        "import sys\n"
        "from pytest_cdcompat.api import compare\n"
        f"r = compare({str(BREAKING / 'old.json')!r}, {str(BREAKING / 'new.json')!r}, examples=0, seed=1)\n"
        "assert any(f.rule == 'additional-properties-allowed' for d in r.directions.values() for f in d.findings)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'hypothesis'))\n"
    )
    assert _python(code, tmp_path, {}) == "[]"


def test_generation_keeps_hypothesis_files_out_of_the_working_directory(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    code = (
        "from pytest_cdcompat.api import compare\n"
        f"r = compare({str(BREAKING / 'old.json')!r}, {str(BREAKING / 'new.json')!r}, examples=20, seed=1)\n"
        "import hypothesis.configuration as c\n"
        "print(c.storage_directory('x', intent_to_write=False).home_directory)\n"
    )
    env = {"CDCOMPAT_HYPOTHESIS_DIR": str(cache), "HYPOTHESIS_STORAGE_DIRECTORY": ""}
    assert _python(code, work, env) == str(cache)
    assert list(work.iterdir()) == []
    assert cache.is_dir() and any(cache.iterdir())  # the Unicode tables are kept there, once per machine


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CDCOMPAT_HYPOTHESIS_DIR": "/own", "HYPOTHESIS_STORAGE_DIRECTORY": "/theirs"}, "/own"),
        ({"CDCOMPAT_HYPOTHESIS_DIR": "", "HYPOTHESIS_STORAGE_DIRECTORY": "/theirs"}, "/theirs"),
        (
            {"CDCOMPAT_HYPOTHESIS_DIR": "", "HYPOTHESIS_STORAGE_DIRECTORY": "", "XDG_CACHE_HOME": "/xdg"},
            "/xdg/pytest-cdcompat/hypothesis",
        ),
    ],
)
def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    if sys.platform in ("win32", "darwin") and "XDG_CACHE_HOME" in env:
        pytest.skip("the XDG folder is the Linux cache folder")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert driver.cache_dir() == Path(expected)


def test_default_cache_dir_is_in_the_home_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for k in ("CDCOMPAT_HYPOTHESIS_DIR", "HYPOTHESIS_STORAGE_DIRECTORY", "XDG_CACHE_HOME"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    if sys.platform == "linux":
        assert driver.cache_dir() == tmp_path / ".cache" / "pytest-cdcompat" / "hypothesis"
    assert tmp_path in driver.cache_dir().parents


def test_cli_start_up_imports_no_generator(tmp_path: Path) -> None:
    # every command's parser is built at start-up; the live command's must not pull in its engine (hypothesis)
    code = (
        "import sys\n"
        "from pytest_cdcompat.cli import build_parser\n"
        "build_parser()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('hypothesis', 'jsonschema')))\n"
    )
    assert _python(code, tmp_path, {}) == "[]"

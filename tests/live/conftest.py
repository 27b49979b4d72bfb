"""Fixtures of the live tests: the example orders service (old and new), the fake server, and a process census."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_cdcompat.cli import main

REPO = Path(__file__).resolve().parents[2]
SERVICE = REPO / "examples" / "orders-service"
SPECS = REPO / "contracts" / "orders-api"
FAKES = Path(__file__).with_name("fakes.py")


def python_cmd(script: Path, *args: str) -> str:
    return " ".join([sys.executable, str(script), *args, "--port", "{port}"])


@pytest.fixture
def servers(tmp_path: Path) -> dict[str, Any]:
    """Copies of the two example servers under a folder unique to the test (so ``alive()`` can count them)."""
    folder = tmp_path / "svc"
    folder.mkdir()
    for name in ("server_v1.py", "server_v2.py"):
        shutil.copy(SERVICE / name, folder / name)
    return {
        "v1": python_cmd(folder / "server_v1.py"),
        "v2": python_cmd(folder / "server_v2.py"),
        "marker": str(folder),
    }


def alive(marker: str) -> list[int]:
    """Processes whose command line mentions ``marker``."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path("/proc", entry, "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            status = Path("/proc", entry, "status").read_text()
        except OSError:
            continue
        if marker in cmdline and "State:\tZ" not in status:
            pids.append(int(entry))
    return pids


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    from tests.live.fakes import SPEC

    path = tmp_path / "things.yaml"
    path.write_text(SPEC)
    return path


def fake_cmd(mode: str) -> str:
    return python_cmd(FAKES, mode)


@pytest.fixture
def run_live(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["live", *argv, "--seed", "1", "--live-examples", "15", "--examples", "0"])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def as_json(out: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(out)
    return doc

"""The database option reaches the SQL engine from the CLI and from the ini/command-line resolution."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pytest_cdcompat.cli import main
from pytest_cdcompat.run.options import resolve

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("CDCOMPAT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_db_option_resolves_to_settings() -> None:
    opts = resolve(lambda name: {"db": "postgresql://db.example:5432"}.get(name))
    assert opts.settings().db_url == "postgresql://db.example:5432"
    assert resolve(lambda name: None).settings().db_url is None


def test_cli_db_option_runs_the_dynamic_check_on_postgresql(capsys: pytest.CaptureFixture[str]) -> None:
    from pytest_cdcompat.core.errors import DatabaseError
    from pytest_cdcompat.kinds.sql.database import Server

    try:
        with Server(PG):
            pass
    except DatabaseError as e:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {e}")
    code = main(
        [
            "compare",
            str(ROOT / "contracts/db/v1"),
            str(ROOT / "contracts/db/v2_copy_only"),
            "--db",
            PG,
            "--format",
            "json",
            "--examples",
            "10",
            "--seed",
            "1",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    rules = {f["rule"] for d in out["directions"].values() for f in d["findings"]}
    assert "write-lost-during-transition" in rules

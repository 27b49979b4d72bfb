"""A backfill declared in the settings (``table.new <- table.old``) drives the lost-write check like one in a migration.

Teams often copy the data with a job outside the migrations; the migration then only adds the column, and the
setting tells cdcompat which old column the new one is filled from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pytest_cdcompat import compare
from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.run.options import parse_backfills

ROOT = Path(__file__).resolve().parents[2]


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "v1", tmp_path / "v2"
    old.mkdir()
    shutil.copy(ROOT / "contracts/db/v1/0001_init.sql", old / "0001_init.sql")
    shutil.copytree(old, new)
    (new / "0002_contact_email.sql").write_text(
        "-- the copy is done by a job outside the migrations\n"
        "ALTER TABLE customers ADD COLUMN contact_email varchar(200);\n"
    )
    return old, new


def _rules(report) -> set[str]:
    return {f.rule for r in report.directions.values() for f in r.findings}


def test_declared_backfill_finds_the_lost_write(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    plain = compare(old, new, kind="sql", examples=10, seed=1)
    assert "write-lost-during-transition" not in _rules(plain)
    declared = compare(
        old, new, kind="sql", examples=10, seed=1, backfills=("customers.contact_email <- customers.email",)
    )
    lost = [f for r in declared.directions.values() for f in r.findings if f.rule == "write-lost-during-transition"]
    assert lost and lost[0].counterexample is not None


def test_backfill_declarations_are_validated() -> None:
    assert parse_backfills(["customers.contact_email<-customers.email", " "]) == (
        "customers.contact_email <- customers.email",
    )
    with pytest.raises(UsageError, match=r"table\.new_column <- table\.old_column"):
        parse_backfills(["customers.contact_email <- users.email"])

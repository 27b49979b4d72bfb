"""A contract compared with itself has no finding, in either direction, for any rule.

The cheapest guard against false positives: every rule fixture (each ``old`` and ``new`` file of
``tests/rules/schema``) and every example under ``contracts/`` is compared with itself, with the generator on, so a
rule that fires on identical schemas, or a generator that "proves" a break between two copies of one schema, fails
here. SQL contracts are folders of numbered migrations and are compared as folders (on SQLite).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.pact.pact_run import looks_like_pact
from pytest_cdcompat.release.toggles import DEFAULT_NAMES as TOGGLE_FILE_NAMES
from pytest_cdcompat.run.waivers import DEFAULT_WAIVERS_NAME

HERE = Path(__file__).parent
REPO = HERE.parent
SUFFIXES = {".json", ".yaml", ".yml", ".avsc", ".proto"}
MIGRATION = re.compile(r"^\d+_.*\.sql$")
# contract -> why comparing it with itself still reports something (an engine bug, owned elsewhere)
KNOWN: dict[str, str] = {}


# The waiver file and the feature-toggle file live beside the contracts but are not contracts.
NOT_CONTRACTS = (DEFAULT_WAIVERS_NAME, *TOGGLE_FILE_NAMES)


def _files() -> list[Path]:
    out = [p for p in (HERE / "rules" / "schema").rglob("*") if p.suffix in SUFFIXES and p.stem in ("old", "new")]
    out += [
        p
        for p in (REPO / "contracts").rglob("*")
        if p.suffix in SUFFIXES and p.name not in NOT_CONTRACTS and not looks_like_pact(p)
    ]  # consumers' Pact files are checked with their provider (tests/pact)
    out += sorted({p.parent for p in (REPO / "contracts").rglob("*.sql") if MIGRATION.match(p.name)})
    return sorted(out)


FILES = _files()


def _param(path: Path) -> object:
    rel = str(path.relative_to(REPO))
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[rel])] if rel in KNOWN else []
    return pytest.param(path, id=rel, marks=marks)


def test_there_is_something_to_compare() -> None:
    assert len(FILES) > 100
    assert any(p.is_relative_to(REPO / "contracts") for p in FILES)
    assert any(p.is_dir() for p in FILES), "no SQL migration folder found under contracts/"


@pytest.mark.parametrize("path", [_param(p) for p in FILES])
def test_contract_compared_with_itself_has_no_finding(path: Path) -> None:
    report = compare(path, path, examples=10, seed=1)
    for direction in Direction:
        result = report.directions[direction]
        assert result.compatible, f"{direction.value}: {result.findings}"
        assert not result.findings, f"{direction.value}: {result.findings}"

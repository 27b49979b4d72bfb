"""A contract compared with itself has no finding, in either direction, for any rule.

The cheapest guard against false positives: every rule fixture (each ``old`` and ``new`` file of
``tests/rules/schema``) and every example under ``contracts/`` is compared with itself, with the generator on, so a
rule that fires on identical schemas, or a generator that "proves" a break between two copies of one schema, fails
here. Only file-based kinds are listed (JSON Schema, OpenAPI, AsyncAPI, Avro, Protobuf).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare

HERE = Path(__file__).parent
REPO = HERE.parent
SUFFIXES = {".json", ".yaml", ".yml", ".avsc", ".proto"}


def _files() -> list[Path]:
    out = [p for p in (HERE / "rules" / "schema").rglob("*") if p.suffix in SUFFIXES and p.stem in ("old", "new")]
    out += [p for p in (REPO / "contracts").rglob("*") if p.suffix in SUFFIXES]
    return sorted(out)


FILES = _files()


def test_there_is_something_to_compare() -> None:
    assert len(FILES) > 100
    assert any(p.is_relative_to(REPO / "contracts") for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(REPO)) for p in FILES])
def test_contract_compared_with_itself_has_no_finding(path: Path) -> None:
    report = compare(path, path, examples=10, seed=1)
    for direction in Direction:
        result = report.directions[direction]
        assert result.compatible, f"{direction.value}: {result.findings}"
        assert not result.findings, f"{direction.value}: {result.findings}"

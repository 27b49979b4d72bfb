"""One fixture pair per SQL rule (breaking and safe), each run with only that rule enabled, static checks only."""

import json
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.catalogue import all_ids

RULES = Path(__file__).parent / "rules"
CASES = sorted((d.parent.name, d.name) for d in RULES.glob("*/*") if (d / "expected.json").exists())


@pytest.mark.parametrize(("rule_id", "variant"), CASES, ids=[f"{r}-{v}" for r, v in CASES])
def test_rule_fixture(rule_id, variant):
    case = RULES / rule_id / variant
    expected = json.loads((case / "expected.json").read_text())
    # a server URL only selects the dialect here: examples=0 never connects
    report = compare(
        case / "old",
        case / "new",
        kind="sql",
        examples=0,
        only=frozenset({rule_id}),
        db_url="postgresql://postgres@127.0.0.1:5432/postgres",
    )
    for direction, result in report.directions.items():
        got = [{"rule": f.rule, "location": f.location} for f in result.findings]
        assert got == expected[direction.value], direction.value
        assert all(f.advice for f in result.findings)


def test_every_static_sql_rule_has_a_fixture():
    from pytest_cdcompat.catalogue import rules_for

    ids = {rid.id for r in rules_for("sql", "sql") for rid in r.all_ids()}
    have = {r for r, _ in CASES}
    assert ids - have == {"migration-removed"}  # tested in test_migrations.py
    assert have <= ids | {"migration-edited"}
    assert all(all_ids()[i][1].advice for i in ids)

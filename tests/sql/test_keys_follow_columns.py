"""A renamed column keeps its primary key, unique keys, indexes, checks and the foreign keys that reference it; a
dropped column takes its keys and indexes along. The dynamic check generates rows from these keys, so a key left
under the old name was an internal error (``KeyError``) on a real history."""

import pytest
from sqltest_servers import PG_URL, reachable, unreachable

from pytest_cdcompat.api import compare
from pytest_cdcompat.kinds.sql.ops import parse_statement
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.tables import replay

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
BASE = (
    'CREATE TABLE "ledgerExports" ("exportId" integer PRIMARY KEY, code text NOT NULL, n integer CHECK (n > 0));\n'
    'CREATE UNIQUE INDEX exports_code ON "ledgerExports" (code);\n'
    'CREATE TABLE parts (id integer PRIMARY KEY, export_ref integer REFERENCES "ledgerExports" ("exportId"));\n'
)


def schema_after(sql: str):
    ops = [op for i, text in enumerate(sql.split(";\n")) if text.strip() for op in
           parse_statement(Statement("m.sql", i + 1, text), "postgres")]  # fmt: skip
    return replay(ops)


def test_keys_indexes_checks_and_references_follow_a_renamed_column():
    s = schema_after(BASE + 'ALTER TABLE "ledgerExports" RENAME COLUMN "exportId" TO id;\n'
                     'ALTER TABLE "ledgerExports" RENAME COLUMN n TO qty;\n'
                     'ALTER TABLE "ledgerExports" ADD CONSTRAINT c2 CHECK (qty < 100 AND id > 0);\n'
                     'ALTER TABLE "ledgerExports" RENAME COLUMN qty TO amount;\n')  # fmt: skip
    t = s.tables["ledgerExports"]
    assert t.primary_key == ("id",)
    assert t.columns["amount"].spec.checks == ("amount > 0",)
    assert [expr for expr, _, _ in t.checks] == ["amount < 100 AND id > 0"]
    assert t.indexes["exports_code"][0] == ("code",)
    assert s.tables["parts"].columns["export_ref"].spec.references == ("ledgerExports", "id")


def test_a_dropped_column_takes_its_keys_and_indexes_along():
    s = schema_after(BASE + 'ALTER TABLE "ledgerExports" DROP COLUMN code;\n')
    t = s.tables["ledgerExports"]
    assert "exports_code" not in t.indexes
    assert t.primary_key == ("exportId",)


@pytest.mark.parametrize("url", [None, PG_URL], ids=["sqlite", "postgres"])
def test_renaming_a_primary_key_column_is_a_rename_not_an_internal_error(tmp_path, url):
    if url and (why := reachable(url)):
        unreachable(f"server not reachable: {why}")
    base = BASE if url else BASE.replace('"', "")
    change = 'ALTER TABLE "ledgerExports" RENAME COLUMN "exportId" TO id;\n'
    change = change if url else change.replace('"', "")
    for v in ("old", "new"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=10, db_url=url, seed=4)
    name = "ledgerExports" if url else "ledgerexports"
    found = {d.value: {(f.rule, f.location) for f in r.findings} for d, r in report.directions.items()}
    assert ("column-renamed", "new/0002_change.sql:1") in found[OC]
    assert ("column-renamed", "new/0002_change.sql:1") in found[NC]
    (renamed,) = [f for f in report.directions[OC].findings if f.rule == "column-renamed"]
    old = "exportId" if url else "exportid"
    assert renamed.message == f"column {name}.{old} was renamed to id; the old application still uses {old}"

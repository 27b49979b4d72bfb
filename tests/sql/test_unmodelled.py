"""A statement the schema model cannot read is a note naming its file and line, and the check on a real database
reads the tables back from the database after it, so the model's stale view is not reported again at every step."""

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.kinds.sql.introspect import DbColumn, reconcile, unmodelled_notes
from pytest_cdcompat.kinds.sql.ops import ColumnSpec, Op
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.tables import Column, Schema, Table

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
BASE = "CREATE TABLE acc (id integer PRIMARY KEY, display_name text);\n"
DYNAMIC = "DO $$\nBEGIN\n  EXECUTE format('ALTER TABLE %I RENAME COLUMN display_name TO full_name', 'acc');\nEND $$;\n"


def _pg():
    from sqltest_servers import PG_URL, reachable, unreachable

    if why := reachable(PG_URL):
        unreachable(f"server not reachable: {why}")
    return PG_URL


def history(tmp_path, old, new):
    for version, files in (("old", old), ("new", new)):
        (tmp_path / version).mkdir()
        for i, text in enumerate(files, 1):
            (tmp_path / version / f"000{i}_m.sql").write_text(text)
    return compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=10, db_url=_pg(), seed=3)


def test_a_dynamic_rename_in_a_do_block_is_not_reported_again_on_a_later_step(tmp_path):
    report = history(tmp_path, [BASE, DYNAMIC], [BASE, DYNAMIC, "CREATE INDEX acc_id ON acc (id);\n"])
    found = {d.value: [(f.rule, f.location, f.message) for f in r.findings] for d, r in report.directions.items()}
    # before the database was read back, the model's display_name made both applications' SELECT fail
    assert found == {OC: [], NC: []}
    notes = [n for n in report.notes if "does not read" in n]
    assert len(notes) == 1, report.notes  # one note for the migration both versions share
    assert notes[0].startswith("0002_m.sql:1: a statement the schema model does not read (a DO block with dynamic")
    assert "EXECUTE format(" in notes[0]


def test_the_dynamic_rename_itself_is_found_on_the_database(tmp_path):
    report = history(tmp_path, [BASE], [BASE, DYNAMIC])
    old_app = {(f.rule, f.location) for f in report.directions[OC].findings}
    # the model cannot see the rename, the database can: the old application's SELECT of display_name fails
    assert ("select-failed", "acc.display_name") in old_app
    (msg,) = [f.message for f in report.directions[OC].findings if f.rule == "select-failed"]
    assert "the old application's SELECT from acc fails on the migrated schema" in msg


def _table(name, cols, pk=("id",)):
    t = Table(name, name)
    for c in cols:
        t.columns[c] = Column(ColumnSpec(c, "TEXT"), c)
    t.primary_key = pk
    return t


def test_reconcile_takes_the_columns_and_tables_the_database_holds():
    acc = _table("acc", ["id", "display_name"])
    acc.uniques = [(("display_name",), "u1", None), (("id",), "u2", None)]
    acc.checks = [("display_name <> ''", "c1", None), ("id > 0", "c2", None)]
    model = Schema(tables={"acc": acc, "gone": _table("gone", ["id"])})
    found = {
        "acc": [
            DbColumn("id", "integer", True, None, True),
            DbColumn("full_name", "text", False, None, False),
        ],
        "audit": [DbColumn("id", "bigint", True, "nextval('audit_id_seq'::regclass)", True)],
    }
    out = reconcile(model, found)
    assert sorted(out.tables) == ["acc", "audit"]
    assert list(out.tables["acc"].columns) == ["id", "full_name"]
    assert out.tables["acc"].uniques == [(("id",), "u2", None)]
    assert out.tables["acc"].checks == [("id > 0", "c2", None)]
    audit = out.tables["audit"]
    assert audit.primary_key == ("id",) and audit.columns["id"].spec.auto and audit.columns["id"].spec.not_null
    assert list(model.tables["acc"].columns) == ["id", "display_name"]  # the model itself is not changed
    same = {"acc": [DbColumn("ID", "integer", True, None, True), DbColumn("Display_Name", "text", False, None, False)]}
    assert reconcile(Schema(tables={"acc": acc}), same).tables["acc"] is acc  # names matched ignoring case


@pytest.mark.parametrize(
    ("data", "table", "reason"),
    [
        ({"parse_error": "Invalid expression"}, "", "sqlglot cannot parse it (Invalid expression)"),
        ({}, "acc", "an ALTER TABLE action on acc the schema model does not read"),
    ],
)
def test_unmodelled_notes_name_the_file_line_and_reason(data, table, reason):
    stmt = Statement("new/0007_x.sql", 4, "ALTER TABLE acc   SET\n  (fillfactor = 70)")
    (note,) = unmodelled_notes([Op("other", table, stmt, data=data), Op("other", table, stmt, data=data)])
    assert note.startswith(f"0007_x.sql:4: a statement the schema model does not read ({reason}): ")
    assert "'ALTER TABLE acc SET (fillfactor = 70)'" in note
    assert unmodelled_notes([Op("other", "", stmt)]) == []  # a statement that changes no table needs no note

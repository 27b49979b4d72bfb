"""Real-migration shapes read as what they mean: a column swap (add x_new, copy, drop x, rename x_new to x) is a type
change of x located at the rename, a table rebuilt under its own name is that table, the drop of a column named in
several tables points at the right table, and a quoted identifier keeps its case where the server keeps it."""

import pytest

from pytest_cdcompat.api import compare

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
BASE = (
    "CREATE TABLE a (id integer PRIMARY KEY, n integer, note text);\n"
    "CREATE TABLE b (id integer PRIMARY KEY, note text);\n"
)


def run(tmp_path, change, base=BASE, url=None, examples=0):
    for v in ("old", "new"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=examples, db_url=url, seed=2)
    return {d.value: {(f.rule, f.location) for f in r.findings} for d, r in report.directions.items()}


def test_column_swap_is_a_type_change_at_the_rename(tmp_path):
    swap = (
        "ALTER TABLE a ADD COLUMN n_new text;\nUPDATE a SET n_new = CAST(n AS TEXT);\n"
        "ALTER TABLE a DROP COLUMN n;\nALTER TABLE a RENAME COLUMN n_new TO n;\n"
    )
    found = run(tmp_path, swap)
    # on SQLite every integer the old application writes fits a TEXT column: a widening, for the new application
    assert found[NC] == {("column-type-widened", "new/0002_change.sql:4")}
    assert found[OC] == set()


def test_column_swap_to_an_incompatible_type_breaks_both_ways(tmp_path):
    swap = (
        "ALTER TABLE a ADD COLUMN note_new BLOB;\nUPDATE a SET note_new = CAST(note AS BLOB);\n"
        "ALTER TABLE a DROP COLUMN note;\nALTER TABLE a RENAME COLUMN note_new TO note;\n"
    )
    found = run(tmp_path, swap)
    for d in (OC, NC):
        assert ("column-type-changed", "new/0002_change.sql:4") in found[d]
        assert not {r for r, _ in found[d]} & {"column-dropped", "column-added", "column-renamed"}


def test_column_swap_to_the_same_type_is_no_change(tmp_path):
    swap = (
        "ALTER TABLE a ADD COLUMN n_new integer;\nUPDATE a SET n_new = n;\n"
        "ALTER TABLE a DROP COLUMN n;\nALTER TABLE a RENAME COLUMN n_new TO n;\n"
    )
    found = run(tmp_path, swap, examples=10)
    assert found == {OC: set(), NC: set()}


def test_table_rebuilt_under_its_own_name_is_that_table(tmp_path):
    rebuild = (
        "ALTER TABLE a RENAME TO a_old;\n"
        "CREATE TABLE a (id integer PRIMARY KEY, n integer, note text);\n"
        "INSERT INTO a (id, n, note) SELECT id, n, note FROM a_old;\n"
        "DROP TABLE a_old;\n"
    )
    found = run(tmp_path, rebuild, examples=10)
    assert found == {OC: set(), NC: set()}


def test_table_rebuilt_without_a_column_is_that_column_dropped(tmp_path):
    rebuild = (
        "ALTER TABLE a RENAME TO a_old;\n"
        "CREATE TABLE a (id integer PRIMARY KEY, n integer);\n"
        "INSERT INTO a (id, n) SELECT id, n FROM a_old;\n"
        "DROP TABLE a_old;\n"
    )
    found = run(tmp_path, rebuild)
    assert {r for r, _ in found[OC]} == {"column-dropped"}
    assert not {r for r, _ in found[OC] | found[NC]} & {"table-dropped", "table-added", "table-renamed"}


def test_drop_of_a_column_named_in_two_tables_points_at_each_table(tmp_path):
    found = run(tmp_path, "ALTER TABLE a DROP COLUMN note;\nALTER TABLE b DROP COLUMN note;\n")
    assert {(r, loc) for r, loc in found[OC] if r == "column-dropped"} == {
        ("column-dropped", "new/0002_change.sql:1"),
        ("column-dropped", "new/0002_change.sql:2"),
    }
    assert found[NC] == set()


def test_quoted_identifiers_keep_their_case_on_postgres(tmp_path):
    from sqltest_servers import PG_URL, reachable, unreachable

    if why := reachable(PG_URL):
        unreachable(f"postgres server not reachable: {why}")
    base = 'CREATE TABLE "Order Items" (id integer PRIMARY KEY, "Qty" integer);\n'
    found = run(tmp_path, 'CREATE INDEX ix_qty ON "Order Items" ("Qty");\n', base=base, url=PG_URL, examples=5)
    assert found == {OC: set(), NC: set()}
    # and a real change to the quoted table is reported under its own name
    (tmp_path / "more").mkdir()
    found = run(tmp_path / "more", 'ALTER TABLE "Order Items" DROP COLUMN "Qty";\n', base=base, url=PG_URL, examples=5)
    assert ("column-dropped", "new/0002_change.sql:1") in found[OC]
    assert any(r == "select-failed" and loc == "Order Items.Qty" for r, loc in found[OC]), found[OC]


@pytest.mark.parametrize("name", ["SP_LOCK", "Sp_Lock"])
def test_mysql_table_names_keep_their_case(tmp_path, name):
    from sqltest_servers import MY_URL, reachable, unreachable

    if why := reachable(MY_URL):
        unreachable(f"mysql server not reachable: {why}")
    base = f"CREATE TABLE {name} (id integer PRIMARY KEY, v integer);\n"
    found = run(tmp_path, f"CREATE INDEX ix_v ON {name} (v);\n", base=base, url=MY_URL, examples=5)
    assert found == {OC: set(), NC: set()}

"""Changes to the values a column holds: an enum value added or removed (MySQL ``ENUM``/``SET``, PostgreSQL
``ALTER TYPE ... ADD VALUE``) is judged by the values each side holds, and a data migration that rewrites a value
(``UPDATE ... SET status = 'done' WHERE status = 'closed'``) meets generated rows holding the value it rewrites."""

import pytest
from sqltest_servers import MY_URL, PG_URL, reachable, unreachable

from pytest_cdcompat.api import compare
from pytest_cdcompat.kinds.sql.tables import compare_types

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"


def need(url):
    if url and (why := reachable(url)):
        unreachable(f"server not reachable: {why}")
    return url


def run(tmp_path, base, change, url, examples=0):
    for v in ("old", "new"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=examples, db_url=url, seed=5)
    return {d.value: [(f.rule, f.location, f.message) for f in r.findings] for d, r in report.directions.items()}


@pytest.mark.parametrize(
    ("old", "new", "verdict"),
    [
        ("ENUM('open','closed')", "ENUM('open', 'closed', 'archived')", "widened"),
        ("ENUM('open','closed','archived')", "ENUM('open','closed')", "narrowed"),
        ("ENUM('open','closed')", "ENUM('open','done')", "changed"),
        ("ENUM('open','closed')", "ENUM('closed','open')", "same"),  # the same values in another order
        ("ENUM('it''s','b')", "ENUM('b','it''s')", "same"),
        ("SET('a','b')", "SET('a','b','c')", "widened"),
        ("SET('a')", "ENUM('a')", "changed"),
        ("ENUM('open','closed')", "VARCHAR(10)", "widened"),  # every value fits the text column
        ("ENUM('open','closed')", "VARCHAR(4)", "changed"),
        ("VARCHAR(10)", "ENUM('open')", "narrowed"),
    ],
)
def test_mysql_enum_types_are_judged_by_their_values(old, new, verdict):
    assert compare_types(old, new, "mysql") == verdict


def test_mysql_enum_value_added_breaks_the_new_application_on_the_old_schema(tmp_path):
    base = "CREATE TABLE tk (id int PRIMARY KEY, status ENUM('open','closed') NOT NULL DEFAULT 'open');\n"
    change = "ALTER TABLE tk MODIFY status ENUM('open','closed','archived') NOT NULL DEFAULT 'open';\n"
    found = run(tmp_path, base, change, need(MY_URL))
    assert found[OC] == []
    ((rule, location, message),) = found[NC]
    assert (rule, location) == ("column-type-widened", "new/0002_change.sql:1")
    assert "values the new application writes may not fit the old type" in message


def test_mysql_enum_value_removed_breaks_the_old_application(tmp_path):
    base = "CREATE TABLE tk (id int PRIMARY KEY, status ENUM('open','closed','archived'));\n"
    found = run(tmp_path, base, "ALTER TABLE tk MODIFY status ENUM('open','closed');\n", need(MY_URL))
    assert found[NC] == []
    assert [(r, loc) for r, loc, _ in found[OC]] == [("column-type-narrowed", "new/0002_change.sql:1")]


def test_postgres_enum_value_added_is_located_at_alter_type(tmp_path):
    base = "CREATE TYPE st AS ENUM ('open', 'closed');\nCREATE TABLE tk (id int PRIMARY KEY, status st);\n"
    found = run(tmp_path, base, "ALTER TYPE st ADD VALUE 'archived';\n", need(PG_URL))
    assert found[OC] == []
    ((rule, location, message),) = found[NC]
    assert (rule, location) == ("column-type-widened", "new/0002_change.sql:1")
    assert message.startswith("column tk.status of enum type st: value(s) 'archived' added;")


def test_postgres_enum_column_without_a_change_of_values_is_no_finding(tmp_path):
    base = "CREATE TYPE st AS ENUM ('open', 'closed');\nCREATE TABLE tk (id int PRIMARY KEY, status st);\n"
    found = run(tmp_path, base, "CREATE INDEX tk_status ON tk (status);\n", need(PG_URL))
    assert found == {OC: [], NC: []}


@pytest.mark.parametrize("url", [None, PG_URL, MY_URL], ids=["sqlite", "postgres", "mariadb"])
def test_an_update_that_rewrites_a_value_changes_existing_rows(tmp_path, url):
    base = "CREATE TABLE orders (id integer PRIMARY KEY, status varchar(20) NOT NULL);\n"
    change = "UPDATE orders SET status = 'done' WHERE status = 'closed';\n"
    found = run(tmp_path, base, change, need(url), examples=10)
    assert found[NC] == []
    ((rule, location, message),) = found[OC]
    assert (rule, location) == ("existing-row-changed", "new/0002_change.sql:1")
    assert message == "a row of orders that existed before the migration changed in status"


def test_an_update_of_another_value_than_the_rows_hold_changes_nothing(tmp_path):
    base = "CREATE TABLE orders (id integer PRIMARY KEY, status varchar(20) NOT NULL CHECK (status IN ('a', 'b')));\n"
    change = "UPDATE orders SET status = 'b' WHERE status = 'zz';\n"  # no valid old row holds 'zz'
    found = run(tmp_path, base, change, None, examples=10)
    assert found == {OC: [], NC: []}


def test_where_literals_are_read_from_the_update():
    from pytest_cdcompat.kinds.sql.ops import parse_statement
    from pytest_cdcompat.kinds.sql.split import Statement

    text = "UPDATE t SET s = 'x' WHERE s = 'closed' AND 3 = n OR kind IN ('a', 'b', 2) AND m = other"
    (op,) = parse_statement(Statement("m.sql", 1, text), "sqlite")
    assert op.data["where_values"] == {"s": ["closed"], "n": [3], "kind": ["a", "b", 2]}


def test_an_enum_value_rewrite_on_mariadb_changes_existing_rows(tmp_path):
    base = "CREATE TABLE products (id int PRIMARY KEY, status ENUM('active','discontinued','archived') NOT NULL);\n"
    change = "UPDATE products SET status = 'archived' WHERE status = 'discontinued';\n"
    found = run(tmp_path, base, change, need(MY_URL), examples=10)
    assert [(r, loc) for r, loc, _ in found[OC]] == [("existing-row-changed", "new/0002_change.sql:1")]


@pytest.mark.parametrize("url", [None, MY_URL], ids=["sqlite", "mariadb"])
def test_backfills_data_fixes_and_update_stamps_are_not_changed_rows(tmp_path, url):
    # the rows the migrations seeded predate the new column's trigger: the backfill fills them (NULL -> value), the
    # data fix sets one seeded row's zone by its code, and MariaDB stamps updated_at on both
    stamp = "DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)" if url else "TEXT"
    base = (
        f"CREATE TABLE sites (id integer PRIMARY KEY, code varchar(8) NOT NULL, zone varchar(40), qty integer NOT NULL,"
        f" qty_dec decimal(12,3), updated_at {stamp});\n"
        "INSERT INTO sites (id, code, zone, qty) VALUES (1, 'RTM1', '', 5), (2, 'LYS1', '', 7);\n"
    )
    change = (
        "UPDATE sites SET qty_dec = qty WHERE qty_dec IS NULL;\n"
        "UPDATE sites SET zone = 'Europe/Paris' WHERE code = 'LYS1';\n"
    )
    found = run(tmp_path, base, change, need(url), examples=10)
    assert found == {OC: [], NC: []}


def test_a_value_transformed_in_place_is_a_changed_row(tmp_path):
    base = "CREATE TABLE prices (id integer PRIMARY KEY, amount integer NOT NULL);\n"
    found = run(tmp_path, base, "UPDATE prices SET amount = amount * 100;\n", None, examples=10)
    rules = [(r, loc) for r, loc, _ in found[OC]]
    assert ("existing-row-changed", "new/0002_change.sql:1") in rules


@pytest.mark.parametrize(
    ("new_values", "breaks_old"),
    [("'enabled', 'disabled', 'active'", False), ("'enabled'", True), ("'active', 'disabled'", True)],
)
def test_a_check_dropped_and_added_again_is_judged_by_the_values_it_allows(tmp_path, new_values, breaks_old):
    base = (
        "CREATE TABLE clients (id integer PRIMARY KEY, status varchar(20) NOT NULL,\n"
        "  CONSTRAINT status_chk CHECK (status IN ('enabled', 'disabled')));\n"
    )
    change = (
        "ALTER TABLE clients DROP CONSTRAINT status_chk;\n"
        f"ALTER TABLE clients ADD CONSTRAINT status_chk CHECK (status IN ({new_values}));\n"
    )
    found = run(tmp_path, base, change, need(PG_URL))
    hits = [(r, loc) for r, loc, _ in found[OC] if r == "check-constraint-added"]
    assert hits == ([("check-constraint-added", "new/0002_change.sql:2")] if breaks_old else [])

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


FK_BASE = (
    "CREATE TABLE users (id integer PRIMARY KEY, email text, tenant integer, code integer UNIQUE);\n"
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer, qty integer,\n"
    "  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id));\n"
    "CREATE UNIQUE INDEX users_email ON users (email);\n"
)


def _servers():
    from sqltest_servers import MY_URL, PG_URL

    return [None, PG_URL, MY_URL]


def _need(url):
    from sqltest_servers import reachable, unreachable

    if url and (why := reachable(url)):
        unreachable(f"server not reachable: {why}")


@pytest.mark.parametrize("url", _servers(), ids=["sqlite", "postgres", "mariadb"])
def test_foreign_key_re_added_under_a_new_name_is_no_change(tmp_path, url):
    _need(url)
    drop = (
        "ALTER TABLE orders DROP FOREIGN KEY orders_user_fk;\n"
        if url and url.startswith("mysql")
        else ("ALTER TABLE orders DROP CONSTRAINT orders_user_fk;\n")
    )
    if url is None:  # SQLite cannot drop a constraint: the key is kept and a second one, of another name, is added
        drop = ""
    change = drop + "ALTER TABLE orders ADD CONSTRAINT fk_orders_users FOREIGN KEY (user_id) REFERENCES users (id);\n"
    if url is None:
        change = (
            "CREATE TABLE orders_new (id integer PRIMARY KEY, user_id integer, qty integer,\n"
            "  CONSTRAINT fk_orders_users FOREIGN KEY (user_id) REFERENCES users (id));\n"
            "INSERT INTO orders_new SELECT id, user_id, qty FROM orders;\n"
            "DROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;\n"
        )
    found = run(tmp_path, change, base=FK_BASE, url=url, examples=5)
    assert not {r for r, _ in found[OC] | found[NC]} & {"foreign-key-added", "table-dropped", "table-added"}, found


def test_foreign_key_to_other_columns_is_a_new_key(tmp_path):
    change = (
        "ALTER TABLE orders DROP CONSTRAINT orders_user_fk;\n"
        "ALTER TABLE orders ADD CONSTRAINT fk_orders_users FOREIGN KEY (user_id) REFERENCES users (code);\n"
    )
    from sqltest_servers import PG_URL

    _need(PG_URL)
    found = run(tmp_path, change, base=FK_BASE, url=PG_URL)
    assert ("foreign-key-added", "new/0002_change.sql:2") in found[OC]


@pytest.mark.parametrize("url", _servers(), ids=["sqlite", "postgres", "mariadb"])
def test_constraints_on_a_column_the_migration_adds_are_not_on_existing_rows(tmp_path, url):
    _need(url)
    change = (
        "ALTER TABLE orders ADD COLUMN buyer_id integer;\n"
        "ALTER TABLE orders ADD COLUMN price integer CHECK (price >= 0);\n"
    )
    if url is not None:  # SQLite cannot add a constraint to an existing table
        change += (
            "ALTER TABLE orders ADD CONSTRAINT fk_buyer FOREIGN KEY (buyer_id) REFERENCES users (id);\n"
            "ALTER TABLE orders ADD CONSTRAINT price_small CHECK (price < 1000);\n"
        )
    found = run(tmp_path, change, base=FK_BASE, url=url, examples=5)
    assert not {r for r, _ in found[OC]} & {"foreign-key-added", "check-constraint-added"}, found[OC]


@pytest.mark.parametrize("url", _servers()[1:], ids=["postgres", "mariadb"])
def test_constraints_on_existing_columns_or_rejecting_null_still_break(tmp_path, url):
    _need(url)
    change = (
        "ALTER TABLE orders ADD COLUMN price integer;\n"
        "ALTER TABLE orders ADD CONSTRAINT price_set CHECK (price IS NOT NULL);\n"
        "ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0);\n"
    )
    found = run(tmp_path, change, base=FK_BASE, url=url)
    checks = {loc for r, loc in found[OC] if r == "check-constraint-added"}
    assert checks == {"new/0002_change.sql:2", "new/0002_change.sql:3"}


@pytest.mark.parametrize("url", _servers(), ids=["sqlite", "postgres", "mariadb"])
def test_unique_key_widened_to_more_columns_breaks_only_the_new_application(tmp_path, url):
    _need(url)
    drop = "DROP INDEX users_email ON users;\n" if url and url.startswith("mysql") else "DROP INDEX users_email;\n"
    change = drop + "CREATE UNIQUE INDEX users_email_tenant ON users (email, tenant);\n"
    found = run(tmp_path, change, base=FK_BASE, url=url, examples=5)
    assert not {r for r, _ in found[OC]} & {"unique-constraint-added"}, found[OC]
    assert ("unique-index-dropped", "new/0002_change.sql:1") in found[NC]
    # narrowed the other way (fewer columns), the key is a real new constraint on the old application's rows
    (tmp_path / "narrow").mkdir()
    base = FK_BASE.replace("ON users (email)", "ON users (email, tenant)")
    found = run(tmp_path / "narrow", drop + "CREATE UNIQUE INDEX users_e ON users (email);\n", base=base, url=url)
    assert ("unique-constraint-added", "new/0002_change.sql:2") in found[OC]


@pytest.mark.parametrize(
    ("old", "new", "dialect", "verdict"),
    [
        ("BIT(1)", "TINYINT(1)", "mysql", "widened"),  # 0 and 1 fit: no break for the old application
        ("TINYINT(1)", "BIT(1)", "mysql", "narrowed"),
        ("BIT(8)", "TINYINT UNSIGNED", "mysql", "same"),
        ("BIT(8)", "TINYINT", "mysql", "changed"),  # 128..255 do not fit a signed byte
        ("UUID", "TEXT", "sqlite", "same"),  # SQLite stores the same text either way
        ("TEXT", "UUID", "sqlite", "same"),
        ("UUID", "TEXT", "postgres", "changed"),
        ("INTEGER", "TEXT", "sqlite", "widened"),
        ("INTEGER", "NUMERIC(12, 2)", "sqlite", "widened"),  # NUMERIC affinity keeps every integer
        ("INT", "DECIMAL(11, 2)", "postgres", "changed"),  # 2,147,483,647 needs 10 integer digits, this has 9
    ],
)
def test_type_changes_are_judged_by_the_values_the_old_type_holds(old, new, dialect, verdict):
    from pytest_cdcompat.kinds.sql.tables import compare_types

    assert compare_types(old, new, dialect) == verdict


def test_bit_to_tinyint_on_mariadb_breaks_no_old_application(tmp_path):
    from sqltest_servers import MY_URL

    _need(MY_URL)
    base = "CREATE TABLE flags (id integer PRIMARY KEY, active BIT(1) NOT NULL DEFAULT 0);\n"
    found = run(
        tmp_path, "ALTER TABLE flags MODIFY active TINYINT(1) NOT NULL DEFAULT 0;\n", base=base, url=MY_URL, examples=10
    )
    assert found[OC] == set(), found[OC]
    assert {r for r, _ in found[NC]} <= {"column-type-widened", "insert-rejected"}


def test_uuid_to_text_on_sqlite_is_no_change(tmp_path):
    base = "CREATE TABLE t (id integer PRIMARY KEY, ref UUID);\n"
    swap = (
        "ALTER TABLE t ADD COLUMN ref_new TEXT;\nUPDATE t SET ref_new = ref;\n"
        "ALTER TABLE t DROP COLUMN ref;\nALTER TABLE t RENAME COLUMN ref_new TO ref;\n"
    )
    found = run(tmp_path, swap, base=base, examples=10)
    assert found == {OC: set(), NC: set()}


def test_existing_rows_are_matched_by_the_whole_composite_key(tmp_path):
    base = (
        "CREATE TABLE orgs (id integer PRIMARY KEY);\n"
        "CREATE TABLE memberships (org integer NOT NULL REFERENCES orgs (id), member REAL NOT NULL, role text,\n"
        "  PRIMARY KEY (org, member));\n"
        "CREATE TABLE other (id integer PRIMARY KEY, v text);\n"
    )
    found = run(tmp_path, "ALTER TABLE other ADD COLUMN w text;\n", base=base, examples=20)
    assert "existing-row-changed" not in {r for r, _ in found[OC]}
    # a real change of an existing row of that table is still found
    (tmp_path / "real").mkdir()
    found = run(
        tmp_path / "real", "UPDATE memberships SET role = 'x' WHERE org > 0 OR org <= 0;\n", base=base, examples=20
    )
    assert "existing-row-changed" in {r for r, _ in found[OC]}


def test_swaps_in_two_tables_point_at_their_own_statements(tmp_path):
    swap = (
        "ALTER TABLE a ADD COLUMN note_new BLOB;\nALTER TABLE b ADD COLUMN note_new BLOB;\n"
        "ALTER TABLE a DROP COLUMN note;\nALTER TABLE b DROP COLUMN note;\n"
        "ALTER TABLE a RENAME COLUMN note_new TO note;\nALTER TABLE b RENAME COLUMN note_new TO note;\n"
    )
    found = run(tmp_path, swap)
    assert {loc for r, loc in found[OC] if r == "column-type-changed"} == {
        "new/0002_change.sql:5",
        "new/0002_change.sql:6",
    }


def test_rename_inside_a_do_block_is_read_and_not_repeated_on_later_steps(tmp_path):
    from sqltest_servers import PG_URL

    _need(PG_URL)
    base = "CREATE TABLE acc (id integer PRIMARY KEY, display_name text);\n"
    block = "DO $$ BEGIN ALTER TABLE acc RENAME COLUMN display_name TO full_name; END $$;\n"
    found = run(tmp_path, block, base=base, url=PG_URL)
    assert ("column-renamed", "new/0002_change.sql:1") in found[OC]
    # the next step, on top of the block, does not see the old name again
    (tmp_path / "later").mkdir()
    found = run(tmp_path / "later", "ALTER TABLE acc ADD COLUMN locale text;\n", base=base + block, url=PG_URL)
    assert not [f for f in found[OC] if "display_name" in f[1]], found[OC]
    assert found[OC] == set()


def test_a_guarded_add_column_in_a_do_block_is_that_column():
    from pytest_cdcompat.kinds.sql.ops import parse_statement
    from pytest_cdcompat.kinds.sql.split import Statement

    text = (
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'acc' "
        "AND column_name = 'locale') THEN ALTER TABLE acc ADD COLUMN locale text; END IF; END $$"
    )
    ops = parse_statement(Statement("m.sql", 3, text), "postgres")
    assert [(o.kind, o.table, o.column, o.stmt.location) for o in ops] == [("add_column", "acc", "locale", "m.sql:3")]
    dynamic = "DO $$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP EXECUTE 'SELECT 1'; END LOOP; END $$"
    assert [o.kind for o in parse_statement(Statement("m.sql", 1, dynamic), "postgres")] == ["other"]


@pytest.mark.parametrize(
    ("check", "harmless"),
    [
        ("ended_on IS NULL OR ended_on >= qty", True),  # holds while the new column is NULL
        ("currency <> ''", True),  # the default 'EUR' passes
        ("ended_on IS NOT NULL", False),
        ("COALESCE(ended_on, 0) > 0", False),
    ],
)
def test_a_check_on_new_columns_is_judged_with_their_default_or_null(tmp_path, check, harmless):
    from sqltest_servers import PG_URL

    _need(PG_URL)
    change = (
        "ALTER TABLE orders ADD COLUMN ended_on integer;\n"
        "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';\n"
        f"ALTER TABLE orders ADD CONSTRAINT c1 CHECK ({check});\n"
    )
    found = run(tmp_path, change, base=FK_BASE, url=PG_URL)
    hit = ("check-constraint-added", "new/0002_change.sql:3") in found[OC]
    assert hit is not harmless, found[OC]

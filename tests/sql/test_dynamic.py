"""The dynamic check on real databases (SQLite always, PostgreSQL and MariaDB when reachable): each application
version against the other schema, failing statements reported with the row and the database's own error."""

import pytest

from pytest_cdcompat.api import compare

BASE = """CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(100) NOT NULL,
    name varchar(50),
    age integer
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    user_id integer REFERENCES users (id),
    quantity integer NOT NULL
);
"""


def dialect(url):
    return "sqlite" if url is None else ("postgres" if url.startswith("postgres") else "mysql")


def pair(tmp_path, change, base=BASE):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    return tmp_path / "old", tmp_path / "new"


def dynamic(report):
    """{direction: {rule: finding}} for the findings of the database checks only."""
    out = {}
    for d, res in report.directions.items():
        out[d.value] = {f.rule: f for f in res.findings if f.engine == "generator"}
    return out


def run(tmp_path, url, change, base=BASE, examples=15):
    old, new = pair(tmp_path, change, base)
    return dynamic(compare(old, new, kind="sql", examples=examples, db_url=url, seed=7))


OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"


def test_identical_versions_pass(tmp_path, db_url):
    found = run(tmp_path, db_url, "CREATE TABLE audit (id integer PRIMARY KEY);\n")
    assert found[OC] == {}
    assert set(found[NC]) == {"insert-rejected", "select-failed"}  # the new app writes and reads audit
    f = found[NC]["insert-rejected"]
    assert f.location == "audit"
    assert f.counterexample["statement"].startswith("INSERT INTO")
    assert "audit" in f.counterexample["error"]


def test_drop_column_breaks_the_old_application(tmp_path, db_url):
    found = run(tmp_path, db_url, "ALTER TABLE users DROP COLUMN age;\n")
    assert set(found[OC]) == {"insert-rejected", "select-failed"}
    f = found[OC]["insert-rejected"]
    assert f.location == "users.age"
    assert "age" in f.counterexample["row"] and "age" in f.counterexample["error"]
    assert found[NC] == {}  # the new application simply stops using the column


def test_rename_column_breaks_both(tmp_path, db_url):
    change = (
        "ALTER TABLE users CHANGE name full_name varchar(50);\n"
        if dialect(db_url) == "mysql"
        else "ALTER TABLE users RENAME COLUMN name TO full_name;\n"
    )
    found = run(tmp_path, db_url, change)
    assert {"insert-rejected", "select-failed"} <= set(found[OC])
    assert {"insert-rejected", "select-failed"} <= set(found[NC])
    assert found[OC]["insert-rejected"].location == "users.name"
    assert found[NC]["insert-rejected"].location == "users.full_name"


def test_add_nullable_column_needs_the_migration_first(tmp_path, db_url):
    found = run(tmp_path, db_url, "ALTER TABLE users ADD COLUMN phone varchar(20);\n")
    assert found[OC] == {}
    assert set(found[NC]) == {"insert-rejected", "select-failed"}


def test_not_null_without_default_rejects_old_inserts(tmp_path, db_url):
    found = run(tmp_path, db_url, "ALTER TABLE orders ADD COLUMN price integer NOT NULL;\n")
    if dialect(db_url) != "mysql":  # existing rows have no value: the migration itself fails
        assert set(found[OC]) == {"migration-failed-on-existing-rows"}
        assert found[OC]["migration-failed-on-existing-rows"].counterexample["rows"]
    else:  # MariaDB fills existing rows with 0, then rejects every old insert that omits the column
        assert set(found[OC]) == {"insert-rejected"}
        assert "price" in found[OC]["insert-rejected"].counterexample["error"]


def test_narrowed_type_fails_on_existing_long_values(tmp_path, db_url):
    if dialect(db_url) == "sqlite":
        pytest.skip("SQLite has no ALTER COLUMN TYPE and does not enforce VARCHAR lengths (static rule only)")
    change = (
        "ALTER TABLE users MODIFY email varchar(10) NOT NULL;\n"
        if dialect(db_url) == "mysql"
        else "ALTER TABLE users ALTER COLUMN email TYPE varchar(10);\n"
    )
    found = run(tmp_path, db_url, change, examples=30)
    assert "migration-failed-on-existing-rows" in found[OC]
    f = found[OC]["migration-failed-on-existing-rows"]
    assert f.location == "new/0002_change.sql:1"
    assert any(len(r["email"]) > 10 for r in f.counterexample["rows"]) or "long" in f.counterexample["error"]


def test_widened_type_breaks_the_new_application_before_the_migration(tmp_path, db_url):
    if dialect(db_url) == "sqlite":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    change = (
        "ALTER TABLE users MODIFY name varchar(200);\n"
        if dialect(db_url) == "mysql"
        else "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n"
    )
    found = run(tmp_path, db_url, change, examples=30)
    assert found[OC] == {}
    f = found[NC]["insert-rejected"]
    assert len(f.counterexample["row"]["name"]) > 50


def test_existing_rows_must_keep_their_values(tmp_path, db_url):
    found = run(tmp_path, db_url, "UPDATE users SET age = age + 1 WHERE age IS NOT NULL AND age < 1000;\n")
    f = found[OC]["existing-row-changed"]
    assert "age" in f.counterexample["changes"]
    change = f.counterexample["changes"]["age"]
    assert int(change["after"]) == int(change["before"]) + 1


def test_failing_new_migration_on_empty_database_is_bad_input(tmp_path, db_url):
    from pytest_cdcompat.core.errors import DatabaseError

    with pytest.raises(DatabaseError) as e:
        run(tmp_path, db_url, "ALTER TABLE users ADD COLUMN x integer;\nALTER TABLE nosuchtable ADD y integer;\n")
    assert str(e.value).startswith("new/0002_change.sql:2: ")
    assert "nosuchtable" in str(e.value)


def test_values_a_trigger_set_on_insert_are_not_changes(tmp_path):
    base = BASE + (
        "ALTER TABLE users ADD COLUMN email_copy varchar(100);\n"
        "CREATE TRIGGER users_copy AFTER INSERT ON users\nBEGIN\n"
        "    UPDATE users SET email_copy = NEW.email WHERE id = NEW.id;\nEND;\n"
    )
    found = run(tmp_path, None, "CREATE INDEX users_name ON users (name);\n", base=base)
    assert found[OC] == {} and found[NC] == {}


def test_deleted_existing_rows_are_reported(tmp_path, db_url):
    found = run(tmp_path, db_url, "DELETE FROM orders WHERE quantity > 0;\n")
    f = found[OC]["existing-row-changed"]
    assert f.message == "a row of orders that existed before the migration is gone"
    assert f.counterexample["row"]["quantity"] > 0


def test_postgres_features_identity_and_an_additive_change(tmp_path, db_url):
    """Enums, identity columns, arrays, jsonb, partial indexes and schema-qualified names (separate databases)."""
    if dialect(db_url) != "postgres":
        pytest.skip("PostgreSQL syntax")
    from pathlib import Path

    init = (Path(__file__).parent / "pg_features" / "V1__init.sql").read_text()
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "V1__init.sql").write_text(init)
    same = compare(tmp_path / "old", tmp_path / "old", kind="sql", examples=15, db_url=db_url, seed=5)
    assert same.compatible, same.to_json()
    (tmp_path / "new" / "V2__more.sql").write_text("ALTER TABLE orders ADD COLUMN note varchar(200);\n")
    found = dynamic(compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=15, db_url=db_url, seed=5))
    assert found[OC] == {}
    assert set(found[NC]) == {"insert-rejected", "select-failed"}  # orders rows were generated (enum, array)


def test_mysql_features_identity_and_a_narrowing(tmp_path, db_url):
    """AUTO_INCREMENT, unsigned integers, inline ENUM, UNIQUE KEY / KEY, ENGINE options."""
    if dialect(db_url) != "mysql":
        pytest.skip("MySQL syntax")
    from pathlib import Path

    init = (Path(__file__).parent / "mysql_features" / "001_init.sql").read_text()
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "001_init.sql").write_text(init)
    same = compare(tmp_path / "old", tmp_path / "old", kind="sql", examples=15, db_url=db_url, seed=5)
    assert same.compatible, same.to_json()
    (tmp_path / "new" / "002_change.sql").write_text(
        "ALTER TABLE `posts` MODIFY `title` varchar(60) NOT NULL;\nALTER TABLE `users` DROP INDEX `users_email`;\n"
    )
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=15, db_url=db_url, seed=5)
    rules = {f.rule: f for r in report.directions.values() for f in r.findings}
    assert rules["migration-failed-on-existing-rows"].counterexample["error"].startswith("(1406) Data too long")
    assert rules["unique-index-dropped"].location == "new/002_change.sql:2"
    assert report.deploy_order == "deploy consumers first"  # the application first, then migrate


def test_snapshot_with_foreign_keys_compared_with_itself(tmp_path, db_url):
    (tmp_path / "schema.sql").write_text(BASE)
    (tmp_path / "copy.sql").write_text(BASE)
    report = compare(tmp_path / "schema.sql", tmp_path / "copy.sql", kind="sql", examples=20, db_url=db_url, seed=2)
    assert report.compatible, report.to_json()


def test_migrations_with_foreign_keys_compared_with_themselves(tmp_path, db_url):
    found = run(tmp_path, db_url, "CREATE INDEX orders_quantity ON orders (quantity);\n", examples=25)
    assert found[OC] == {} and found[NC] == {}


def test_transaction_control_in_migration_files(tmp_path, db_url):
    found = run(
        tmp_path,
        db_url,
        "BEGIN;\nALTER TABLE users ADD COLUMN phone varchar(20);\nCOMMIT;\n",
        base="BEGIN TRANSACTION;\n" + BASE + "COMMIT;\n",
    )
    assert found[OC] == {}
    assert set(found[NC]) == {"insert-rejected", "select-failed"}

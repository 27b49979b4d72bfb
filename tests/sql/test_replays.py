"""Where a throwaway database cannot be a copy of another (PostgreSQL with schemas, MariaDB/MySQL), B's replay of
the old migrations runs beside A's on its own connection: the verdicts are those of two replays one after the
other, a refused statement of the old migrations is reported once per direction, and a failing old migration is
one clear error."""

import pytest
from sqltest_servers import MY_URL, PG_URL, reachable, unreachable

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import DatabaseError

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
SERVERS = pytest.mark.parametrize("url", [PG_URL, MY_URL], ids=["postgres", "mariadb"])


def need(url):
    if why := reachable(url):
        unreachable(f"server not reachable: {why}")
    return url


def run(tmp_path, base, change, url):
    for v in ("old", "new"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    return compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=10, db_url=need(url), seed=6)


@SERVERS
def test_both_schemas_are_replayed_and_both_applications_meet_the_other(tmp_path, url):
    base = (
        "CREATE TABLE a (id integer PRIMARY KEY, n integer);\nCREATE TABLE b (id integer PRIMARY KEY, a_id integer);\n"
    )
    report = run(tmp_path, base, "ALTER TABLE a ADD COLUMN note varchar(20);\n", url)
    found = {d.value: sorted((f.rule, f.location) for f in r.findings) for d, r in report.directions.items()}
    # the new application's SELECT and INSERT fail on B, which holds the old schema: B was fully replayed
    assert found[NC] == [("column-added", "new/0002_change.sql:1"), ("insert-rejected", "a.note"),
                         ("select-failed", "a.note")]  # fmt: skip
    assert found[OC] == []


def test_a_refused_statement_of_the_old_migrations_is_reported_once_per_direction(tmp_path):
    base = "CREATE TABLE a (id integer PRIMARY KEY);\nSET GLOBAL max_connections = 3;\n"
    report = run(tmp_path, base, "CREATE INDEX a_id ON a (id);\n", MY_URL)
    for direction in report.directions.values():
        refused = [f.location for f in direction.findings if f.rule == "migration-statement-refused"]
        assert len(refused) == 1 and refused[0].endswith("0001_init.sql:2"), refused


@SERVERS
def test_an_old_migration_that_fails_is_one_clear_error(tmp_path, url):
    base = "CREATE TABLE a (id integer PRIMARY KEY);\nALTER TABLE nowhere ADD COLUMN x integer;\n"
    with pytest.raises(DatabaseError) as e:
        run(tmp_path, base, "CREATE INDEX a_id ON a (id);\n", url)
    assert "0001_init.sql:2: the migration fails on an empty" in str(e.value)

"""write-lost-during-transition: a column filled from another only by the migration loses the old application's
later writes; a trigger or a preemptive double write keeps them. On every engine."""

import shutil
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare

BASE = """CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(100) NOT NULL,
    name varchar(50)
);
"""
ADD = "ALTER TABLE users ADD COLUMN email_address varchar(100);\n"
COPY = "UPDATE users SET email_address = email;\n"
TRIGGER = {
    "sqlite": """CREATE TRIGGER users_sync AFTER INSERT ON users WHEN NEW.email_address IS NULL
BEGIN
    UPDATE users SET email_address = NEW.email WHERE id = NEW.id;
END;
""",
    "postgres": """CREATE FUNCTION users_sync() RETURNS trigger AS $$
BEGIN
    NEW.email_address := COALESCE(NEW.email_address, NEW.email);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER users_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync();
""",
    "mysql": """CREATE TRIGGER users_sync BEFORE INSERT ON users
FOR EACH ROW SET NEW.email_address = COALESCE(NEW.email_address, NEW.email);
""",
}
QUERIES = """-- name: create_user
INSERT INTO users (id, email, name) VALUES (:id, :email, :name);
-- name: mirror_email (optional)
UPDATE users SET email_address = :email WHERE id = :id;
-- name: get_user
SELECT id, email, name FROM users WHERE id = :id;
"""


def dialect(url):
    return "sqlite" if url is None else ("postgres" if url.startswith("postgres") else "mysql")


def versions(tmp_path, change, old_queries=None):
    old, new = tmp_path / "old", tmp_path / "new"
    for d in (old, new):
        d.mkdir()
        (d / "0001_init.sql").write_text(BASE)
    (new / "0002_email_address.sql").write_text(change)
    if old_queries is not None:
        (old / "queries").mkdir()
        (old / "queries" / "users.sql").write_text(old_queries)
    return old, new


def lost(report):
    return [f for d, r in report.directions.items() for f in r.findings if f.rule == "write-lost-during-transition"]


def test_copy_only_loses_the_old_applications_writes(tmp_path, db_url):
    old, new = versions(tmp_path, ADD + COPY)
    report = compare(old, new, kind="sql", examples=10, db_url=db_url, seed=3)
    [f] = lost(report)
    assert f.location == "new/0002_email_address.sql:2"  # the one-off backfill
    ce = f.counterexample
    row = ce["row written by the old application"]
    assert ce["read by the new application"]["email_address"] is None
    assert ce["read by the new application"]["email"] == row["email"]
    assert ce["insert"].startswith("INSERT INTO")
    assert "trigger" in f.advice and "double write" in f.advice
    assert not report.directions[next(iter(report.directions))].compatible


def test_a_trigger_keeps_the_columns_in_sync(tmp_path, db_url):
    old, new = versions(tmp_path, ADD + TRIGGER[dialect(db_url)] + COPY)
    report = compare(old, new, kind="sql", examples=10, db_url=db_url, seed=3)
    assert lost(report) == []
    assert report.directions[next(iter(report.directions))].compatible  # old app against the new schema


def test_a_preemptive_double_write_keeps_the_columns_in_sync(tmp_path, db_url):
    old, new = versions(tmp_path, ADD + COPY, old_queries=QUERIES)
    report = compare(old, new, kind="sql", examples=10, db_url=db_url, seed=3)
    assert lost(report) == []


def test_double_write_without_the_mirror_statement_still_loses(tmp_path, db_url):
    queries = QUERIES.replace("UPDATE users SET email_address = :email WHERE id = :id;", "SELECT 1;")
    old, new = versions(tmp_path, ADD + COPY, old_queries=queries)
    report = compare(old, new, kind="sql", examples=10, db_url=db_url, seed=3)
    assert len(lost(report)) == 1


def test_declared_backfill_is_checked_too(tmp_path):
    # the copy runs elsewhere (a batch job); the migration declares it
    old, new = versions(tmp_path, "-- cd-compat: backfill users.email_address <- users.email\n" + ADD)
    [f] = lost(compare(old, new, kind="sql", examples=10, seed=3))
    assert f.location == "new/0002_email_address.sql:1"


def test_inline_waiver_accepts_the_lost_write(tmp_path):
    old, new = versions(
        tmp_path, ADD + "-- cd-compat: allow write-lost-during-transition old app is drained first\n" + COPY
    )
    report = compare(old, new, kind="sql", examples=10, seed=3)
    [f] = lost(report)
    assert f.waived == "old app is drained first"
    assert report.directions[next(iter(report.directions))].compatible


REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("old", "new", "lost_write"),
    [("v1", "v2_copy_only", True), ("v1", "v2_trigger", False), ("v1_double_write", "v2_copy_only", False)],
)
def test_the_repository_example(tmp_path, old, new, lost_write):
    for name in (old, new):
        shutil.copytree(REPO / "contracts" / "db" / name, tmp_path / name)
    report = compare(tmp_path / old, tmp_path / new, kind="sql", examples=20)
    assert bool(lost(report)) is lost_write
    expected = "no safe order: expand and contract" if lost_write else "deploy the producer first"
    assert report.deploy_order == expected


def test_new_applications_declared_statements_against_the_old_schema(tmp_path, db_url):
    old, new = versions(tmp_path, ADD + COPY)
    (new / "queries").mkdir()
    (new / "queries" / "users.sql").write_text(
        "-- name: create_user\nINSERT INTO users (id, email, email_address, name) "
        "VALUES (:id, :email, :email_address, :name);\n"
        "-- name: touch (optional)\nUPDATE users SET nosuchcolumn = 1 WHERE id = :id;\n"
    )
    report = compare(old, new, kind="sql", examples=10, db_url=db_url, seed=3)
    ncop = {
        f.rule: f for d, r in report.directions.items() if d.value == "new_consumer_old_producer" for f in r.findings
    }
    f = ncop["query-failed"]
    assert f.location == "queries/users.sql:2"
    assert f.message.startswith("the new application's statement create_user fails: ")
    assert "email_address" in f.counterexample["error"]
    assert set(f.counterexample["params"]) == {"id", "email", "email_address", "name"}
    assert "touch" not in str(report.to_json())  # an optional statement's failure is tolerated


def test_concurrent_index_runs_outside_the_transaction(tmp_path, db_url):
    if dialect(db_url) != "postgres":
        pytest.skip("CREATE INDEX CONCURRENTLY is PostgreSQL syntax")
    old, new = versions(tmp_path, "CREATE INDEX CONCURRENTLY users_name ON users (name);\n")
    report = compare(old, new, kind="sql", examples=5, db_url=db_url, seed=3)
    assert report.compatible


def test_queries_beside_version_folders(tmp_path):
    """contracts/<db>/queries/<version>/*.sql serves the migrations folder contracts/<db>/<version>/."""
    root = tmp_path / "db"
    for version, extra in (("v1", ""), ("v2", ADD + COPY)):
        (root / version).mkdir(parents=True)
        (root / version / "0001_init.sql").write_text(BASE)
        if extra:
            (root / version / "0002_email_address.sql").write_text(extra)
    (root / "queries" / "v1").mkdir(parents=True)
    (root / "queries" / "v1" / "users.sql").write_text(QUERIES)
    report = compare(root / "v1", root / "v2", kind="sql", examples=10, seed=3)
    assert lost(report) == []  # v1's double write, found under queries/v1
    (root / "queries" / "v1" / "users.sql").write_text(QUERIES.replace("email_address = :email", "name = :name"))
    assert len(lost(compare(root / "v1", root / "v2", kind="sql", examples=10, seed=3))) == 1


def test_declared_statements_replace_the_read_everything_assumption(tmp_path):
    """The new application declares statements that do not touch the new column yet (a feature toggle): adding the
    column breaks nothing, so the migration and the application ship in any order."""
    old, new = versions(tmp_path, ADD)
    (new / "queries").mkdir()
    (new / "queries" / "users.sql").write_text(QUERIES.split("-- name: mirror_email")[0])
    report = compare(old, new, kind="sql", examples=10, seed=3)
    assert report.deploy_order == "any order", report.to_json()
    (new / "queries" / "users.sql").write_text(QUERIES)  # writes email_address, tolerating its absence
    report = compare(old, new, kind="sql", examples=10, seed=3)
    assert report.deploy_order == "any order", report.to_json()
    (new / "queries" / "users.sql").write_text(QUERIES.replace(" (optional)", ""))  # requires it
    report = compare(old, new, kind="sql", examples=10, seed=3)
    assert report.deploy_order == "deploy the producer first"
    assert {f.rule for r in report.directions.values() for f in r.findings} == {"column-added", "query-failed"}

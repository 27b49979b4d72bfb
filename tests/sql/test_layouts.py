"""Real migration layouts: Flyway baselines (B) and repeatables (R__), one file per dialect for one version (Ory's
popx: x.mysql.up.sql, x.postgres.up.sql, x.up.sql as the generic fallback), and a clear message for Go-template
placeholders."""

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.sql.sql_loader import load
from pytest_cdcompat.sources.source import file_source


def folder(path, files):
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def names(path, **settings):
    contract = load(file_source(path), Settings(**settings))
    return [m.name for m in contract.extras["migrations"]], contract


FLYWAY = {
    "V1__init.sql": "CREATE TABLE a (id integer PRIMARY KEY);",
    "V1_1__b.sql": "ALTER TABLE a ADD COLUMN b integer;",
    "B1_1_0__baseline.sql": "CREATE TABLE a (id integer PRIMARY KEY, b integer);",
    "V1_2__c.sql": "ALTER TABLE a ADD COLUMN c integer;",
    "R__view.sql": "CREATE VIEW a_view AS SELECT id, b, c FROM a;",
}


def test_flyway_baseline_replaces_the_versions_it_covers(tmp_path):
    got, contract = names(folder(tmp_path / "m", FLYWAY))
    assert got == ["B1_1_0__baseline.sql", "V1_2__c.sql", "R__view.sql"]
    assert list(contract.extras["schema"].tables["a"].columns) == ["id", "b", "c"]


def test_flyway_baseline_history_is_checked(tmp_path):
    old = folder(tmp_path / "old", FLYWAY)
    new = folder(tmp_path / "new", {**FLYWAY, "V1_3__d.sql": "ALTER TABLE a ADD COLUMN d integer NOT NULL DEFAULT 0;"})
    report = compare(old, new, kind="sql", examples=5)
    found = {(d.value[:3], f.rule, f.location) for d, r in report.directions.items() for f in r.findings}
    assert ("new", "column-added", "new/V1_3__d.sql:1") in found
    assert not any(rule == "column-dropped" or "baseline" in loc for _, rule, loc in found)


POPX = {
    "20210101000001_init.up.sql": "CREATE TABLE u (id integer PRIMARY KEY, flag integer);",
    "20210101000001_init.mysql.up.sql": "CREATE TABLE u (id integer PRIMARY KEY, flag tinyint(1));",
    "20210101000001_init.postgres.up.sql": "CREATE TABLE u (id integer PRIMARY KEY, flag boolean);",
    "20210101000001_init.cockroach.up.sql": "CREATE TABLE u (id INT8 PRIMARY KEY, flag BOOL);",
    "20210101000001_init.down.sql": "DROP TABLE u;",
    "20210101000001_init.mysql.down.sql": "DROP TABLE u;",
    "20210101000002_idx.sqlite3.up.sql": "CREATE INDEX u_flag ON u (flag);",
    "20210101000003_name.up.sql": "ALTER TABLE u ADD COLUMN name varchar(20);",
}


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (
            "sqlite",
            ["20210101000001_init.up.sql", "20210101000002_idx.sqlite3.up.sql", "20210101000003_name.up.sql"],
        ),
        ("mysql", ["20210101000001_init.mysql.up.sql", "20210101000003_name.up.sql"]),
        ("postgres", ["20210101000001_init.postgres.up.sql", "20210101000003_name.up.sql"]),
    ],
)
def test_per_dialect_files_follow_the_dialect(tmp_path, dialect, expected):
    got, contract = names(folder(tmp_path / "m", POPX), sql_settings=(f"dialect = {dialect}",))
    assert got == expected
    flag = {"sqlite": "INT", "mysql": "TINYINT(1)", "postgres": "BOOLEAN"}[dialect]
    assert contract.extras["schema"].tables["u"].columns["flag"].spec.type == flag


def test_per_dialect_files_follow_the_database_url(tmp_path):
    got, _ = names(folder(tmp_path / "m", POPX), db_url="postgresql://postgres@127.0.0.1:5432/postgres")
    assert got[0] == "20210101000001_init.postgres.up.sql"


def test_go_template_placeholder_is_a_clear_error(tmp_path):
    m = folder(
        tmp_path / "m",
        {
            "20210101000001_init.up.sql": 'CREATE TABLE u (id integer PRIMARY KEY, doc text DEFAULT \'{"a":{"b":1}}\');',
            "20210101000002_x.up.sql": "-- add a column\nALTER TABLE {{ identifier .TableName }} ADD COLUMN x integer;",
        },
    )
    with pytest.raises(ContractLoadError) as e:
        names(m)
    message = str(e.value)
    assert message.startswith("m/20210101000002_x.up.sql:2: template placeholder '{{ identifier .TableName }}'")
    assert "render the migrations" in message

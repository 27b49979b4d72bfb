"""Migration discovery and ordering (plain numbers, Flyway, up/down pairs, dbmate sections, snapshots, git
revisions), statement splitting with lines and inline waivers, and the loader's table model."""

import subprocess

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.sql.split import split
from pytest_cdcompat.kinds.sql.sql_loader import load
from pytest_cdcompat.sources.source import file_source, git_source


def folder(path, files):
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def names(path):
    contract = load(file_source(path), Settings())
    return [m.name for m in contract.extras["migrations"]], contract


def test_plain_numbers_sort_numerically(tmp_path):
    got, _ = names(folder(tmp_path / "m", {"10_c.sql": "SELECT 1;", "9_b.sql": "SELECT 1;", "8_a.sql": "SELECT 1;"}))
    assert got == ["8_a.sql", "9_b.sql", "10_c.sql"]


def test_flyway_versions_and_repeatables(tmp_path):
    got, _ = names(
        folder(
            tmp_path / "m",
            {
                "V1__init.sql": "SELECT 1;",
                "V1.1__fix.sql": "SELECT 1;",
                "V2__more.sql": "SELECT 1;",
                "R__views.sql": "SELECT 1;",
                "U2__undo.sql": "SELECT 1;",
            },
        )
    )
    assert got == ["V1__init.sql", "V1.1__fix.sql", "V2__more.sql", "R__views.sql"]


def test_up_down_pairs_run_only_up(tmp_path):
    got, c = names(
        folder(
            tmp_path / "m",
            {
                "20240101000000_users.up.sql": "CREATE TABLE users (id integer PRIMARY KEY);",
                "20240101000000_users.down.sql": "DROP TABLE users;",
                "20240201000000_email.up.sql": "ALTER TABLE users ADD COLUMN email text;",
                "20240201000000_email.down.sql": "ALTER TABLE users DROP COLUMN email;",
            },
        )
    )
    assert got == ["20240101000000_users.up.sql", "20240201000000_email.up.sql"]
    assert set(c.channels["table:users"].extras["columns"]) == {"id", "email"}


def test_dbmate_sections_keep_line_numbers(tmp_path):
    text = "-- migrate:up\nCREATE TABLE t (id integer);\n\n-- migrate:down\nDROP TABLE t;\n"
    _, c = names(folder(tmp_path / "m", {"20240101_t.sql": text}))
    [m] = c.extras["migrations"]
    assert [(s.line, s.text) for s in m.statements] == [(2, "CREATE TABLE t (id integer)")]
    assert "table:t" in c.channels


def test_table_model(tmp_path):
    _, c = names(
        folder(
            tmp_path / "m",
            {
                "0001_init.sql": """
        CREATE TABLE users (id integer PRIMARY KEY, email varchar(20) NOT NULL UNIQUE, age integer CHECK (age > 0));
        CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), qty integer DEFAULT 1);
    """
            },
        )
    )
    users = c.channels["table:users"]
    assert users.title == "users" and users.location == "users"
    assert {f.name: f.written_by.value for f in users.flows.values()} == {
        "row read": "producer",
        "row insert": "consumer",
    }
    cols = users.extras["columns"]
    assert cols["email"]["type"] == "VARCHAR(20)" and cols["email"]["not_null"] and cols["email"]["unique"]
    assert cols["age"]["checks"] == ["age > 0"]
    assert c.channels["table:orders"].extras["columns"]["user_id"]["references"] == ["users", "id"]
    assert c.channels["table:orders"].extras["columns"]["qty"]["default"] == "1"
    read = users.flows["row read"].bodies["row"].schema
    assert read["properties"]["email"] == {"type": ["string"], "maxLength": 20}
    assert read["properties"]["age"] == {"type": ["integer", "null"]}
    assert users.flows["row insert"].bodies["row"].schema["required"] == ["email", "id"]


def test_snapshots_pair_by_name(tmp_path):
    (tmp_path / "old.sql").write_text("CREATE TABLE t (id integer PRIMARY KEY, a text, b text);\n")
    (tmp_path / "new.sql").write_text("CREATE TABLE t (id integer PRIMARY KEY, a text, c text);\n")
    report = compare(tmp_path / "old.sql", tmp_path / "new.sql", kind="sql", examples=10)
    found = {(d.value, f.rule, f.location) for d, r in report.directions.items() for f in r.findings}
    assert ("old_consumer_new_producer", "column-dropped", "t.b") in found
    assert ("new_consumer_old_producer", "column-added", "t.c") in found
    assert ("old_consumer_new_producer", "insert-rejected", "t.b") in found  # old app against the new schema


def test_split_keeps_lines_waivers_and_trigger_bodies():
    text = (
        "-- first\nCREATE TABLE a (s text DEFAULT 'x;y');\n"
        "ALTER TABLE a DROP COLUMN s; -- cd-compat: allow column-dropped nobody reads it\n"
        "CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n  UPDATE a SET s = CASE WHEN 1 THEN 'a;' END;\nEND;\n"
        "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;\n"
    )
    got = split(text, "m.sql")
    assert [s.line for s in got] == [2, 3, 4, 7]
    assert got[1].waivers == {"column-dropped": "nobody reads it"}
    assert got[2].text.endswith("END")
    assert got[3].text.startswith("CREATE FUNCTION") and got[3].text.endswith("plpgsql")


def test_static_inline_waiver(tmp_path):
    base = "CREATE TABLE t (id integer PRIMARY KEY, a text);\n"
    old = folder(tmp_path / "old", {"0001_init.sql": base})
    new = folder(
        tmp_path / "new",
        {
            "0001_init.sql": base,
            "0002_drop.sql": "-- cd-compat: allow column-dropped unused since v3\nALTER TABLE t DROP COLUMN a;\n",
        },
    )
    report = compare(old, new, kind="sql", examples=0)
    [f] = report.directions[next(iter(report.directions))].findings
    assert (f.rule, f.waived) == ("column-dropped", "unused since v3")
    assert report.compatible


def test_inline_waiver_of_an_unknown_rule_is_an_error_at_its_line(tmp_path):
    import pytest

    from pytest_cdcompat.core.errors import ContractLoadError

    base = "CREATE TABLE t (id integer PRIMARY KEY, a text);\n"
    old = folder(tmp_path / "old", {"0001_init.sql": base})
    drop = "ALTER TABLE t ADD COLUMN b text;\n-- cd-compat: allow column-droped a typo waives nothing\nALTER TABLE t DROP COLUMN a;\n"
    new = folder(tmp_path / "new", {"0001_init.sql": base, "0002_drop.sql": drop})
    with pytest.raises(ContractLoadError) as error:
        compare(old, new, kind="sql", examples=0)
    assert "0002_drop.sql:2: cd-compat: allow: unknown rule id 'column-droped'" in str(error.value)


def test_versions_from_git(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    mig = folder(repo / "db", {"0001_init.sql": "CREATE TABLE t (id integer PRIMARY KEY, a text);\n"})

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "init")
    (mig / "0002_drop.sql").write_text("ALTER TABLE t DROP COLUMN a;\n")
    monkeypatch.chdir(repo)
    src = git_source("HEAD", "db")
    assert [m.name for m in load(src, Settings()).extras["migrations"]] == ["0001_init.sql"]
    report = compare("HEAD:db", "db", kind="sql", examples=5)
    rules = {f.rule for r in report.directions.values() for f in r.findings}
    assert {"column-dropped", "insert-rejected", "select-failed"} <= rules


def test_sqlite_table_rebuild_is_the_same_table(tmp_path):
    base = "CREATE TABLE t (id integer PRIMARY KEY, a varchar(10), b text);\n"
    rebuild = (
        "CREATE TABLE t_new (id integer PRIMARY KEY, a varchar(10) NOT NULL DEFAULT '', b text);\n"
        "INSERT INTO t_new (id, a, b) SELECT id, COALESCE(a, ''), b FROM t;\n"
        "DROP TABLE t;\n"
        "ALTER TABLE t_new RENAME TO t;\n"
    )
    old = folder(tmp_path / "old", {"0001_init.sql": base})
    new = folder(tmp_path / "new", {"0001_init.sql": base, "0002_rebuild.sql": rebuild})
    report = compare(old, new, kind="sql", examples=10)
    found = {(d.value[:3], f.rule, f.location) for d, r in report.directions.items() for f in r.findings}
    assert ("old", "column-set-not-null", "new/0002_rebuild.sql:1") in found
    assert not {rule for _, rule, _ in found} & {"table-dropped", "table-added", "table-renamed", "column-dropped"}


def test_declared_dialect_without_a_matching_server_runs_static_rules(tmp_path):
    base = "-- cd-compat: dialect postgres\nCREATE TABLE t (id serial PRIMARY KEY, a varchar(10));\n"
    old = folder(tmp_path / "old", {"0001_init.sql": base})
    new = folder(
        tmp_path / "new", {"0001_init.sql": base, "0002_x.sql": "ALTER TABLE t ALTER COLUMN a TYPE varchar(5);\n"}
    )
    report = compare(old, new, kind="sql", examples=10)  # no server: SQLite could not run ALTER COLUMN
    [f] = [f for r in report.directions.values() for f in r.findings]
    assert (f.rule, f.severity.value) == ("column-type-narrowed", "error")  # judged as PostgreSQL, not SQLite
    assert any("written for postgres" in n for n in report.notes)


def test_type_families_by_dialect():
    from pytest_cdcompat.kinds.sql.tables import compare_types, type_info

    assert type_info("FLOAT", "postgres").size == 4  # sqlglot's spelling of real
    assert type_info("TEXT", "mysql").size == float("inf")  # LONGTEXT reads as TEXT: never a false narrowing
    assert type_info("UINT", "mysql").size == 4.5  # unsigned
    assert compare_types("INT", "BIGINT", "postgres") == "widened"
    assert compare_types("INT", "BIGINT", "sqlite") == "same"  # every SQLite integer is 64-bit
    assert compare_types("DECIMAL(10, 2)", "DECIMAL(8, 2)", "postgres") == "narrowed"
    assert compare_types("VARCHAR(20)", "TEXT", "mysql") == "widened"
    assert compare_types("TIMESTAMP", "TIMESTAMPTZ", "postgres") == "changed"
    assert compare_types("INT", "UINT", "mysql") == "changed"  # negatives no longer fit, larger positives do
    assert compare_types("UINT", "BIGINT", "mysql") == "widened"
    assert compare_types("UINT", "INT", "mysql") == "changed"
    assert compare_types("BIGINT", "UINT", "mysql") == "narrowed"
    assert {type_info(t, "postgres").family for t in ("TIME", "INET", "MONEY", "CITEXT")} == {
        "time",
        "inet",
        "decimal",
        "text",
    }


def test_create_table_if_not_exists_on_an_existing_table_changes_nothing(tmp_path):
    base = "CREATE TABLE t (id integer PRIMARY KEY, a text);\n"
    old = folder(tmp_path / "old", {"0001_init.sql": base})
    new = folder(
        tmp_path / "new",
        {"0001_init.sql": base, "0002_again.sql": "CREATE TABLE IF NOT EXISTS t (id integer PRIMARY KEY);\n"},
    )
    assert compare(old, new, kind="sql", examples=5).compatible


def test_add_column_if_not_exists_on_an_existing_column_changes_nothing(tmp_path):
    from pytest_cdcompat.kinds.sql.change import build

    base = "CREATE TABLE t (id integer PRIMARY KEY, a text);\n"
    old = folder(tmp_path / "old", {"0001_init.sql": base})
    new = folder(
        tmp_path / "new", {"0001_init.sql": base, "0002_again.sql": "ALTER TABLE t ADD COLUMN IF NOT EXISTS a text;\n"}
    )
    settings = Settings(db_url="postgresql://x@127.0.0.1/postgres")  # parsed as PostgreSQL; nothing connects
    change = build(load(file_source(old), settings), load(file_source(new), settings))
    assert list(change.added_columns()) == [] and list(change.dropped_columns()) == []

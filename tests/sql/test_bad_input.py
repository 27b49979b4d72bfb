"""Bad input: one clear error each (file, line, the database's message), never a traceback."""

import subprocess
import sys

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import ContractLoadError, DatabaseError

BASE = "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL);\n"


def folder(path, files):
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def test_syntax_error_names_file_line_and_the_databases_message(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE})
    new = folder(
        tmp_path / "new",
        {"0001_init.sql": BASE, "0002_bad.sql": "-- a typo\nALTER TABLE users ADD COLUMN a text;\nALTR TABLE x;\n"},
    )
    with pytest.raises(DatabaseError) as e:
        compare(old, new, kind="sql", examples=5)
    assert str(e.value).startswith(
        'new/0002_bad.sql:3: the migration fails on an empty sqlite database: near "ALTR": syntax error (written for '
        "another database? pass --cd-compat-db"
    )


def test_released_migration_that_fails_is_bad_input(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE + "INSERT INTO users (id) VALUES (1);\n"})
    with pytest.raises(DatabaseError, match=r"old/0001_init.sql:2: .*NOT NULL constraint failed: users.email"):
        compare(old, old, kind="sql", examples=5)


def test_gap_in_numbering(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE, "0003_more.sql": "SELECT 1;\n"})
    with pytest.raises(
        ContractLoadError,
        match=r"gap in migration numbering: nothing numbered 2 between "
        r"0001_init.sql and 0003_more.sql",
    ):
        compare(old, old, kind="sql", examples=0)


def test_duplicate_version(tmp_path):
    old = folder(tmp_path / "old", {"V1__init.sql": BASE, "V2__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;"})
    with pytest.raises(ContractLoadError, match=r"duplicate migration version 2: V2__a\.sql and V2__b\.sql"):
        compare(old, old, kind="sql", examples=0)


def test_unordered_file_name(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE, "fix_users.sql": "SELECT 1;"})
    with pytest.raises(ContractLoadError, match=r"cannot tell where fix_users\.sql runs"):
        compare(old, old, kind="sql", examples=0)


def test_folder_without_migrations(tmp_path):
    old = folder(tmp_path / "old", {"notes.txt": "x"})
    with pytest.raises(ContractLoadError, match=r"no migration files \(\*\.sql\) in this folder"):
        compare(old, old, kind="sql", examples=0)


def test_edited_released_migration_is_a_finding(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE})
    new = folder(tmp_path / "new", {"0001_init.sql": BASE.replace("100", "200")})
    report = compare(old, new, kind="sql", examples=0)
    for result in report.directions.values():
        [f] = [f for f in result.findings if f.rule == "migration-edited"]
        assert f.location == "new/0001_init.sql:1"
        assert f.counterexample == {"released": BASE.strip(), "branch": BASE.replace("100", "200").strip()}


def test_removed_released_migration_is_a_finding(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE, "0002_more.sql": "CREATE TABLE t (id integer);\n"})
    new = folder(tmp_path / "new", {"0001_init.sql": BASE})
    report = compare(old, new, kind="sql", examples=0)
    rules = {f.rule for r in report.directions.values() for f in r.findings}
    assert "migration-removed" in rules


def test_unreachable_database_url(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE})
    with pytest.raises(DatabaseError, match=r"^postgres://postgres@127\.0\.0\.1:1/: cannot connect to the database"):
        compare(old, old, kind="sql", examples=5, db_url="postgresql://postgres:secret@127.0.0.1:1/")


def test_password_never_shown(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE})
    with pytest.raises(DatabaseError) as e:
        compare(old, old, kind="sql", examples=5, db_url="mysql://root:hunter2@127.0.0.1:1")
    assert "hunter2" not in str(e.value)


def test_url_naming_an_existing_database_is_refused(tmp_path):
    from sqltest_servers import PG_URL, reachable, unreachable

    if reachable(PG_URL):
        unreachable(f"PostgreSQL not reachable: {reachable(PG_URL)}")
    old = folder(tmp_path / "old", {"0001_init.sql": BASE})
    with pytest.raises(DatabaseError, match=r"refusing to use an existing database \('template0'\) that cdcompat did"):
        compare(old, old, kind="sql", examples=5, db_url=PG_URL.rsplit("/", 1)[0] + "/template0")


def test_cli_prints_one_line_and_exits_2(tmp_path):
    old = folder(tmp_path / "old", {"0001_init.sql": BASE, "0003_x.sql": "SELECT 1;"})
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pytest_cdcompat.cli import main; sys.exit(main())",
            "compare",
            str(old),
            str(old),
            "--kind",
            "sql",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2, out.stderr
    assert "gap in migration numbering" in out.stderr
    assert "Traceback" not in out.stderr

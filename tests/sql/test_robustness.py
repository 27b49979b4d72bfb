"""No traceback from the SQL check: every value in a report is plain JSON in every format (bytes as hex and base64,
with the type said), and an unexpected exception inside the check is one internal-error line naming the migrations
and the step, exit status 2."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.cli import main
from pytest_cdcompat.kinds.sql import dynamic_check, sql_engine
from pytest_cdcompat.kinds.sql.internal import SqlInternalError, jsonable

BLOB_BASE = "CREATE TABLE files (id integer PRIMARY KEY, data BLOB NOT NULL DEFAULT X'00FF', name text);\n"
BLOB_CHANGE = "ALTER TABLE files ADD COLUMN size integer NOT NULL DEFAULT 0;\n"


def folders(tmp_path, base, change):
    for v in ("old", "new"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    return str(tmp_path / "old"), str(tmp_path / "new")


def test_jsonable_says_the_type_of_binary_and_odd_values():
    assert jsonable(b"\x00\xff") == {"type": "bytes", "hex": "00ff", "base64": "AP8="}
    assert jsonable(memoryview(b"\x01")) == {"type": "bytes", "hex": "01", "base64": "AQ=="}
    assert jsonable({"d": Decimal("1.50"), "n": Decimal("NaN"), "f": float("inf")}) == {
        "d": "1.50",
        "n": {"type": "decimal", "value": "NaN"},
        "f": {"type": "float", "value": "inf"},
    }
    assert jsonable([datetime.date(2026, 1, 2), datetime.timedelta(seconds=90)]) == [
        "2026-01-02",
        {"type": "interval", "seconds": 90.0},
    ]
    u = uuid.UUID(int=1)
    assert jsonable({1: (u, {2, 1})}) == {"1": [str(u), [1, 2]]}
    json.dumps(jsonable({"x": object()}))  # anything else: its type name and text


@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_blob_rows_serialise_in_every_format(tmp_path, capsys, fmt):
    old, new = folders(tmp_path, BLOB_BASE, BLOB_CHANGE)
    status = main(["compare", old, new, "--kind", "sql", "--format", fmt, "--examples", "5"])
    out, err = capsys.readouterr()
    assert status == 1, err
    assert "Traceback" not in out + err
    if fmt == "json":
        doc = json.loads(out)
        rejected = [
            f for f in doc["directions"]["new_consumer_old_producer"]["findings"] if f["rule"] == "insert-rejected"
        ]
        assert rejected and rejected[0]["location"] == "files.size"
        data = rejected[0]["counterexample"]["row"]["data"]
        assert data["type"] == "bytes" and set(data) == {"type", "hex", "base64"}
    else:
        assert "insert-rejected" in out and '"type": "bytes"' in out


def _boom(*args, **kwargs):
    raise KeyError("email")


def test_an_exception_in_the_database_check_is_one_internal_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dynamic_check._Check, "check_existing", _boom)
    old, new = folders(tmp_path, BLOB_BASE, BLOB_CHANGE)
    with pytest.raises(SqlInternalError) as e:
        compare(old, new, kind="sql", examples=5)
    message = str(e.value)
    assert message.startswith(f"{old} -> {new}: internal error in the SQL check while comparing the existing rows")
    assert "KeyError: 'email'" in message and "bug in cdcompat" in message
    status = main(["compare", old, new, "--kind", "sql", "--examples", "5"])
    _out, err = capsys.readouterr()
    assert status == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "internal error in the SQL check while comparing the existing rows" in err


def test_an_exception_while_applying_names_the_statement(tmp_path, monkeypatch):
    real = dynamic_check.Database.try_execute

    def failing(self, sql, params=None):
        if "size" in sql:
            raise TypeError("unexpected")
        return real(self, sql, params)

    monkeypatch.setattr(dynamic_check.Database, "try_execute", failing)
    old, new = folders(tmp_path, BLOB_BASE, BLOB_CHANGE)
    with pytest.raises(SqlInternalError) as e:
        compare(old, new, kind="sql", examples=5)
    assert "while running the branch's migrations on those rows (at new/0002_change.sql:1): TypeError" in str(e.value)


def test_an_exception_in_the_static_rules_is_one_internal_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sql_engine, "static_findings", _boom)
    old, new = folders(tmp_path, BLOB_BASE, BLOB_CHANGE)
    with pytest.raises(SqlInternalError, match="internal error in the SQL check while running the static rules"):
        compare(old, new, kind="sql", examples=0)


# --- statement timeout ------------------------------------------------------------------------------------------

RUNAWAY = {
    "sqlite": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;\n",
    "postgres": "SELECT pg_sleep(1000);\n",
    "mysql": "SELECT SUM(a.seq * b.seq) FROM seq_1_to_1000000 a, seq_1_to_1000000 b;\n",  # MariaDB: SLEEP() ends without error
}


def test_a_runaway_statement_is_cancelled_with_a_clear_error(tmp_path, db_url):
    from pytest_cdcompat.core.errors import DatabaseError

    engine = "sqlite" if db_url is None else ("postgres" if db_url.startswith("postgres") else "mysql")
    base = "CREATE TABLE t (id integer PRIMARY KEY);\n"
    old, new = folders(tmp_path, base, "CREATE TABLE u (id integer PRIMARY KEY);\n" + RUNAWAY[engine])
    with pytest.raises(DatabaseError) as e:
        compare(old, new, kind="sql", examples=3, db_url=db_url, sql_settings=("statement_timeout = 1",))
    message = str(e.value)
    assert message.startswith("new/0002_change.sql:2: the migration cancelled after 1 s (statement_timeout"), message


def test_sql_settings_are_checked():
    from pytest_cdcompat.core.errors import UsageError
    from pytest_cdcompat.kinds.sql.sql_settings import parse_sql_settings

    s = parse_sql_settings(("statement_timeout = 2.5", "sql_mode = ''", "search_path = app, public", "dialect=mariadb"))
    assert (s.statement_timeout, s.sql_mode, s.search_path, s.dialect) == (2.5, "", "app, public", "mysql")
    assert parse_sql_settings(()).statement_timeout == 30
    for bad, fragment in [
        ("statement_timeout = soon", "not a number of seconds"),
        ("statement_timeout = 0", "positive"),
        ("sql_mode = x'; DROP", "mode names"),
        ("colour = blue", "unknown setting 'colour'"),
        ("just words", "is not 'name = value'"),
    ]:
        with pytest.raises(UsageError, match=fragment):
            parse_sql_settings((bad,))


def test_sql_settings_on_the_command_line(tmp_path, capsys):
    old, new = folders(tmp_path, BLOB_BASE, BLOB_CHANGE)
    assert main(["compare", old, new, "--kind", "sql", "--sql-settings", "statement_timeout = never"]) == 2
    assert "statement_timeout = 'never' is not a number of seconds" in capsys.readouterr().err


# --- session settings -------------------------------------------------------------------------------------------


def test_sql_mode_lets_a_history_written_for_a_lenient_server_run(tmp_path):
    from sqltest_servers import MY_URL, reachable, unreachable

    from pytest_cdcompat.core.errors import DatabaseError

    if why := reachable(MY_URL):
        unreachable(f"mysql server not reachable: {why}")
    base = "CREATE TABLE t (id integer PRIMARY KEY, s varchar(5));\n"
    change = "INSERT INTO t VALUES (1, 'longer than five');\nALTER TABLE t ADD COLUMN u integer;\n"
    old, new = folders(tmp_path, base, change)
    with pytest.raises(DatabaseError, match=r"0002_change.sql:1: .*Data too long"):
        compare(old, new, kind="sql", examples=3, db_url=MY_URL)
    report = compare(old, new, kind="sql", examples=3, db_url=MY_URL, sql_settings=("sql_mode = ''",))
    found = {f.rule for r in report.directions.values() for f in r.findings}
    assert "column-added" in found


def test_search_path_names_the_schemas_after_the_throwaway_one(tmp_path):
    from sqltest_servers import PG_URL, reachable, unreachable

    from pytest_cdcompat.core.errors import DatabaseError

    if why := reachable(PG_URL):
        unreachable(f"postgres server not reachable: {why}")
    base = "CREATE SCHEMA app;\nCREATE TABLE app.things (id integer PRIMARY KEY);\nCREATE TABLE t (id integer PRIMARY KEY);\n"
    change = "INSERT INTO things VALUES (1);\nALTER TABLE t ADD COLUMN u integer;\n"
    old, new = folders(tmp_path, base, change)
    with pytest.raises(DatabaseError, match=r"0002_change.sql:1: .*relation \"things\" does not exist"):
        compare(old, new, kind="sql", examples=3, db_url=PG_URL)
    report = compare(old, new, kind="sql", examples=3, db_url=PG_URL, sql_settings=("search_path = app",))
    found = {f.rule for r in report.directions.values() for f in r.findings}
    assert "column-added" in found

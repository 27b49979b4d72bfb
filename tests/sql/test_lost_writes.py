"""The lost-write check on SQLite: direction, rule, place, message and the counterexample a user reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.kinds.sql.lost_writes import plain_value, same_value

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
BASE = "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    email varchar(100) NOT NULL,\n    name varchar(50)\n);\n"
ADD = "ALTER TABLE users ADD COLUMN email_address varchar(100);\n"
COPY = "UPDATE users SET email_address = email;\n"
QUERIES = """-- name: create_user
INSERT INTO users (id, email, name) VALUES (:id, :email, :name);
-- name: get_user
SELECT id, email, name FROM users WHERE id = :id;
"""


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


def lost_by_direction(report):
    return {
        d: [f for f in r.findings if f.rule == "write-lost-during-transition"] for d, r in report.directions.items()
    }


def test_the_lost_write_is_an_old_application_error_with_its_evidence(tmp_path):
    old, new = versions(tmp_path, ADD + COPY)
    found = lost_by_direction(compare(old, new, kind="sql", examples=10, seed=3))
    assert found[Direction.NEW_CONSUMER_OLD_PRODUCER] == []  # the old application runs against the new schema
    [f] = found[ONP]
    assert f.location == "new/0002_email_address.sql:2" and f.severity.value == "error"
    assert f.message.startswith(
        "users.email_address is filled from email only once, by the migration: a row the old application wrote "
        "afterwards has email set and email_address empty, so the new application loses that write ("
    )
    assert f.message.endswith(" of 10 rows)")
    ce = f.counterexample
    row, read = ce["row written by the old application"], ce["read by the new application"]
    assert set(read) == {"email", "email_address"} and read["email_address"] is None and read["email"] == row["email"]
    assert ce["insert"] == "INSERT INTO `users` (`id`, `email`, `name`) VALUES (?, ?, ?)"
    assert ce["select"] == (
        "SELECT `email`, `email_address` FROM `users` WHERE `email_address` IS NULL AND `email` IS NOT NULL"
    )
    assert ce["backfill"] == "UPDATE users SET email_address = email" and ce["database"] == "sqlite"


def test_the_old_applications_own_statements_are_shown(tmp_path):
    old, new = versions(tmp_path, ADD + COPY, old_queries=QUERIES)
    [f] = lost_by_direction(compare(old, new, kind="sql", examples=10, seed=3))[ONP]
    assert f.counterexample["insert"] == [
        "INSERT INTO users (id, email, name) VALUES (:id, :email, :name)",
        "SELECT id, email, name FROM users WHERE id = :id",
    ]


def test_a_backfill_from_two_columns_names_both(tmp_path):
    change = "ALTER TABLE users ADD COLUMN label varchar(200);\nUPDATE users SET label = email || name;\n"
    old, new = versions(tmp_path, change)
    [f] = lost_by_direction(compare(old, new, kind="sql", examples=10, seed=3))[ONP]
    assert f.message.startswith(
        "users.label is filled from email, name only once, by the migration: a row the old application wrote "
        "afterwards has email, name set and label empty"
    )
    row = f.counterexample["row written by the old application"]
    assert row["email"] is not None and row["name"] is not None  # rows with a source left empty prove nothing
    assert f.counterexample["read by the new application"]["label"] is None
    assert f.counterexample["select"] == (
        "SELECT `email`, `name`, `label` FROM `users` WHERE `label` IS NULL AND `email` IS NOT NULL AND `name` IS NOT NULL"
    )


def test_a_backfilled_column_dropped_later_is_not_a_lost_write(tmp_path):
    old, new = versions(tmp_path, ADD + COPY + "ALTER TABLE users DROP COLUMN email_address;\n")
    assert lost_by_direction(compare(old, new, kind="sql", examples=10, seed=3))[ONP] == []


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (None, None),
        (7, "7"),
        (True, 1),
        (False, 0),
        ("1.50", Decimal("1.5")),
        (2.5, "2.50"),
        ("2026-12-02 10:00:00", dt.datetime(2026, 12, 2, 10, 0)),
        ("2026-12-02", dt.date(2026, 12, 2)),
        ("2026-12-02T10:00:00", dt.datetime(2026, 12, 2, 10, 0)),  # ISO separator written, a space read
        (dt.datetime(2026, 12, 2, 10, 0), "2026-12-02 10:00:00"),
        ("10:30:00", dt.time(10, 30)),  # a TIME column
        (dt.time(10, 30), "10:30:00"),
        ("ab", "ab   "),  # CHAR padding
        ("ab  ", "ab"),  # trailing spaces a CHAR column drops
        (True, "1"),
    ],
)
def test_values_a_driver_reads_back_differently_are_the_same(written, read):
    assert same_value(written, read)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (None, "x"),
        (None, "None"),
        ("x", None),
        (None, 0),
        (True, 0),
        ("1.5", Decimal("1.6")),
        ("2026-12-02 10:00:00", dt.datetime(2026, 12, 2, 11, 0)),
        ("2026-12-02", dt.date(2026, 12, 3)),
        ("2026-12-02T10:00:00", dt.datetime(2026, 12, 2, 11, 0)),
        ("10:30:00", dt.time(10, 31)),
        ("NoneX", None),
        ("x", "None"),  # the text None is a value like any other
        ("None", "x"),
        ("abc", "ab"),
        ("x", "y"),
    ],
)
def test_different_values_are_different(written, read):
    assert not same_value(written, read)


def test_values_are_shown_as_json_can():
    assert [plain_value(v) for v in (1, 1.5, "a", True, None)] == [1, 1.5, "a", True, None]
    assert plain_value(Decimal("1.50")) == "1.50" and plain_value(dt.date(2026, 12, 2)) == "2026-12-02"


def test_a_declared_backfill_of_a_column_that_does_not_exist_does_not_hide_the_next(tmp_path):
    change = (
        "-- cd-compat: backfill users.gone <- users.email\n"
        "-- cd-compat: backfill users.email_address <- users.email\n" + ADD
    )
    old, new = versions(tmp_path, change)
    [f] = lost_by_direction(compare(old, new, kind="sql", examples=10, seed=3))[ONP]
    assert f.location == "new/0002_email_address.sql:2" and f.message.startswith("users.email_address is filled")


def test_a_backfill_kept_in_sync_does_not_hide_the_next(tmp_path):
    trigger = (
        "CREATE TRIGGER users_sync AFTER INSERT ON users WHEN NEW.email_address IS NULL\n"
        "BEGIN\n    UPDATE users SET email_address = NEW.email WHERE id = NEW.id;\nEND;\n"
    )
    label = "ALTER TABLE users ADD COLUMN label varchar(200);\nUPDATE users SET label = name;\n"
    old, new = versions(tmp_path, ADD + trigger + COPY + label)
    [f] = lost_by_direction(compare(old, new, kind="sql", examples=10, seed=3))[ONP]
    assert f.message.startswith("users.label is filled from name only once")


# ``check_lost_writes`` alone, against a stand-in database that answers the lost-row SELECT with given rows: the
# cases the generated histories do not reach.
class _Answers:
    def __init__(self, *answers: list[tuple[object, ...]]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def quote(self, name: str) -> str:
        return f'"{name}"'

    def try_execute(self, sql: str) -> tuple[None, list[tuple[object, ...]]]:
        self.asked.append(sql)
        return None, self.answers.pop(0)


def _tables(col: str = "contact_email") -> tuple[object, object]:
    from pytest_cdcompat.kinds.sql.tables import Table

    old = Table("customers", None, columns={"id": None, "email": None})  # type: ignore[dict-item]
    new = Table("customers", None, columns={"id": None, "email": None, col: None})  # type: ignore[dict-item]
    return old, new


def _stmt(line: int) -> object:
    import types

    return types.SimpleNamespace(location=f"0002_contact.sql:{line}", text="UPDATE customers SET contact_email = email")


def _check(db: _Answers, written, backfills, old_queries=(), dialect="sqlite"):
    from pytest_cdcompat.kinds.sql.lost_writes import check_lost_writes

    return check_lost_writes(
        db, written, backfills, lambda t, c: c, lambda d, t, cols: "INSERT ...", list(old_queries), dialect
    )  # type: ignore[arg-type]


ROW = {"id": 1, "email": "a@x"}


def test_a_table_the_old_application_wrote_nothing_to_is_skipped():
    old, new = _tables()
    db = _Answers()
    assert _check(db, {}, [(old, new, "contact_email", ["email"], _stmt(5))]) == []
    assert db.asked == []


def test_a_backfill_of_a_column_the_new_table_does_not_have_is_skipped():
    old, _ = _tables()
    other = _tables("phone")[1]
    db = _Answers([("a@x", None)])
    assert _check(db, {"customers": [ROW]}, [(old, other, "contact_email", ["email"], _stmt(5))]) == []
    assert db.asked == []


def test_a_backfill_whose_empty_rows_all_predate_the_migration_does_not_stop_the_next():
    old, new = _tables()
    # the first backfill's empty row is not one the old application wrote (it existed before); the second's is
    db = _Answers([("old@x", None)], [("a@x", None)])
    backfills = [(old, new, "contact_email", ["email"], _stmt(5)), (old, new, "contact_email", ["email"], _stmt(9))]
    ((direction, finding),) = _check(db, {"customers": [ROW]}, backfills)
    assert (finding.rule, finding.location) == ("write-lost-during-transition", "0002_contact.sql:9")
    assert direction is Direction.OLD_CONSUMER_NEW_PRODUCER


def test_the_old_applications_own_insert_is_found_by_its_dialects_quoting():
    from pytest_cdcompat.kinds.sql.queries import Query

    old, new = _tables()
    mine = Query("add", "INSERT INTO `customers` (id, email) VALUES (:id, :email)", "q.sql", 1)
    other = Query("log", "INSERT INTO `audit` (id) VALUES (:id)", "q.sql", 3)
    db = _Answers([("a@x", None)])
    backfills = [(old, new, "contact_email", ["email"], _stmt(5))]
    ((_, finding),) = _check(db, {"customers": [ROW]}, backfills, [mine, other], "mysql")
    assert finding.counterexample["insert"] == [mine.text]

"""Verdicts for one change of each type, static and dynamic checks together, on every engine: which application
version breaks, and the deploy order that follows. These pairs are separate from the per-rule fixtures."""

import pytest

from pytest_cdcompat.api import compare

BASE = """CREATE TABLE accounts (
    id integer PRIMARY KEY,
    login varchar(40) NOT NULL,
    display varchar(80),
    credits integer DEFAULT 0
);
CREATE TABLE sessions (
    id integer PRIMARY KEY,
    account_id integer REFERENCES accounts (id),
    token varchar(64)
);
CREATE UNIQUE INDEX accounts_login ON accounts (login);
CREATE INDEX sessions_token ON sessions (token);
"""
ANY, MIGRATE_FIRST, APP_FIRST, EXPAND = (
    "any order",
    "deploy the producer first",
    "deploy consumers first",
    "no safe order: expand and contract",
)

# change id -> (sql per dialect or for all, expected deploy order)
CASES = {
    "create-index": ("CREATE INDEX accounts_display ON accounts (display);", ANY),
    "drop-plain-index": ({"mysql": "DROP INDEX sessions_token ON sessions;", "*": "DROP INDEX sessions_token;"}, ANY),
    "add-table": ("CREATE TABLE audit (id integer PRIMARY KEY, what varchar(20));", MIGRATE_FIRST),
    "add-nullable-column": ("ALTER TABLE accounts ADD COLUMN email varchar(100);", MIGRATE_FIRST),
    "add-defaulted-not-null": ("ALTER TABLE accounts ADD COLUMN tier integer NOT NULL DEFAULT 1;", MIGRATE_FIRST),
    "drop-column": ("ALTER TABLE accounts DROP COLUMN display;", APP_FIRST),
    "drop-table": ("DROP TABLE sessions;", APP_FIRST),
    "rename-column": (
        {
            "mysql": "ALTER TABLE sessions CHANGE token secret varchar(64);",
            "*": "ALTER TABLE sessions RENAME COLUMN token TO secret;",
        },
        EXPAND,
    ),
    "rename-table": (
        {"mysql": "RENAME TABLE sessions TO logins;", "*": "ALTER TABLE sessions RENAME TO logins;"},
        EXPAND,
    ),
    "widen-varchar": (
        {
            "mysql": "ALTER TABLE accounts MODIFY display varchar(200);",
            "postgres": "ALTER TABLE accounts ALTER COLUMN display TYPE varchar(200);",
        },
        MIGRATE_FIRST,
    ),
    "narrow-varchar": (
        {
            "mysql": "ALTER TABLE accounts MODIFY display varchar(20);",
            "postgres": "ALTER TABLE accounts ALTER COLUMN display TYPE varchar(20);",
        },
        APP_FIRST,
    ),
    "set-not-null": (
        {
            "mysql": "ALTER TABLE accounts MODIFY display varchar(80) NOT NULL;",
            "postgres": "ALTER TABLE accounts ALTER COLUMN display SET NOT NULL;",
        },
        APP_FIRST,
    ),
    "add-check": (
        {
            "mysql": "ALTER TABLE accounts ADD CONSTRAINT credits_min CHECK (credits >= 0);",
            "postgres": "ALTER TABLE accounts ADD CONSTRAINT credits_min CHECK (credits >= 0);",
        },
        APP_FIRST,
    ),
    "add-unique": ("CREATE UNIQUE INDEX accounts_display_key ON accounts (display);", APP_FIRST),
    "delete-all": ("DELETE FROM sessions;", APP_FIRST),
}


def dialect(url):
    return "sqlite" if url is None else ("postgres" if url.startswith("postgres") else "mysql")


@pytest.mark.parametrize("case", sorted(CASES))
def test_deploy_order(tmp_path, db_url, case):
    sql, expected = CASES[case]
    if isinstance(sql, dict):
        sql = sql.get(dialect(db_url), sql.get("*"))
        if sql is None:
            pytest.skip(f"{dialect(db_url)} cannot express {case} in a migration (SQLite has no ALTER COLUMN)")
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "0001_init.sql").write_text(BASE)
    (tmp_path / "new" / "0002_change.sql").write_text(sql + "\n")
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=20, db_url=db_url, seed=11)
    detail = {d.value: sorted({f.rule for f in r.findings if f.fails}) for d, r in report.directions.items()}
    assert report.deploy_order == expected, detail

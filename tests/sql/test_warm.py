"""Warm databases (``kinds/sql/pool.py``): inside one run (``api.run_session()``, entered by the CLI and the pytest
plugin) a history checked step by step takes each step's two old-schema databases from the step before, which
replayed them beside its own check. The verdicts are those of a fresh replay (the same findings, the same refused
statements), a stock that does not hold the step's old migrations statement for statement is never used, a failed
comparison leaves nothing behind, and at the end of the run every database and role is gone (the ``db_url``
fixture checks)."""

import pytest
from history import write_history
from sqltest_servers import MY_URL, our_databases

from pytest_cdcompat.api import compare, run_session
from pytest_cdcompat.core.errors import DatabaseError
from pytest_cdcompat.kinds.sql import pool

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
DIALECT = {None: "sqlite", MY_URL: "mysql"}


def dialect(url):
    return DIALECT.get(url, "postgres")


def verdicts(report):
    """Every finding as the user reads it (messages name no throwaway database: MariaDB's own name them)."""
    return sorted((d.value, f.rule, f.location, f.message) for d, r in report.directions.items() for f in r.findings)


def step(tmp_path, files, n, tag):
    """Folders holding the first n and n + 1 migrations (each step reads its own folders, as a commit walk does)."""
    out = []
    for name, count in (("old", n), ("new", n + 1)):
        d = tmp_path / f"{tag}{n}" / name
        d.mkdir(parents=True)
        for f in files[:count]:
            (d / f.name).write_bytes(f.read_bytes())
        out.append(d)
    return out


def run(old, new, url):
    return compare(old, new, kind="sql", examples=8, seed=3, db_url=url)


def test_a_history_walked_in_order_takes_each_step_from_the_one_before(tmp_path, db_url):
    files = write_history(tmp_path / "full", dialect(db_url), tables=6, migrations=14, seed=5)
    steps = range(8, 13)
    cold = [verdicts(run(*step(tmp_path, files, n, "cold"), db_url)) for n in steps]
    with run_session():
        warm = []
        for n in steps:
            warm.append(verdicts(run(*step(tmp_path, files, n, "warm"), db_url)))
            if db_url == MY_URL and n > steps[0]:
                # the next step's two databases, nothing else: what the step used is dropped when it ends (other
                # test processes may have databases of their own on the server meanwhile)
                (session,) = pool.active().warm.values()
                assert len(session.server.created) == 2
                assert set(session.server.created) <= set(our_databases(db_url))
        used = pool.active()
    assert warm == cold
    assert sum(map(len, cold)) > 0  # the history has findings to get right
    if db_url is None:  # SQLite copies a template file: nothing to keep
        assert (used.taken, used.replayed) == (0, 0)
    else:
        # the first step replays, the second sees a history walked in order and prepares the third, and so on
        assert (used.taken, used.replayed) == (3, 2)


REFUSED = {"mysql": "SET GLOBAL max_connections = 3;", "postgres": "CREATE ROLE cdcompat_test_evil_role SUPERUSER;"}


def linear(tmp_path, migrations):
    """A history of hand-written migrations, one step per migration after the first."""
    full = tmp_path / "full"
    full.mkdir(parents=True)
    for i, text in enumerate(migrations, 1):
        (full / f"{i:04d}_m{i}.sql").write_text(text)
    return sorted(full.glob("*.sql"))


def test_a_taken_database_reports_what_its_replay_refused_and_the_step_its_changes(tmp_path, db_url):
    if db_url is None:
        pytest.skip("SQLite keeps no server session")
    url = db_url
    files = linear(
        tmp_path,
        [
            f"CREATE TABLE a (id integer PRIMARY KEY, n integer);\n{REFUSED[dialect(url)]}\n",
            "CREATE TABLE b (id integer PRIMARY KEY, a_id integer);\n",
            "ALTER TABLE a ADD COLUMN note varchar(20);\n",
            "ALTER TABLE a DROP COLUMN n;\n",
        ],
    )
    with run_session():
        reports = [run(*step(tmp_path, files, n, "s"), url) for n in (1, 2, 3)]
        assert pool.active().taken == 1  # the last step took the databases the one before replayed
    last = reports[-1]
    for direction in (OC, NC):
        refused = [f.location for f in last.directions[direction].findings if f.rule == "migration-statement-refused"]
        assert len(refused) == 1 and refused[0].endswith("0001_m1.sql:2"), refused
    found = {(f.rule, f.location.rsplit("/", 1)[-1]) for f in last.directions[OC].findings}
    # the old application still writes n, which the migration drops: its INSERT fails on the migrated schema
    assert ("column-dropped", "0004_m4.sql:1") in found
    assert ("insert-rejected", "a.n") in found


def test_a_stock_that_differs_by_one_statement_is_not_used(tmp_path):
    from sqltest_servers import reachable, unreachable

    if why := reachable(MY_URL):
        unreachable(f"server not reachable: {why}")
    base = ["CREATE TABLE a (id integer PRIMARY KEY);\n", "CREATE TABLE b (id integer PRIMARY KEY);\n"]
    first = linear(tmp_path / "x", [*base, "CREATE TABLE c (id integer PRIMARY KEY, x integer);\n", "-- 4\n"])
    # the same history, except that its third migration creates d, not c
    other = linear(
        tmp_path / "y",
        [*base, "CREATE TABLE d (id integer PRIMARY KEY, x integer);\n", "CREATE INDEX d_x ON d (x);\n"],
    )
    cold = verdicts(run(*step(tmp_path, other, 3, "cold"), MY_URL))
    with run_session():
        run(*step(tmp_path, first, 1, "x"), MY_URL)
        run(*step(tmp_path, first, 2, "x"), MY_URL)  # continues the first: prepares [a, b, c with x integer]
        warm = verdicts(run(*step(tmp_path, other, 3, "y"), MY_URL))
        used = pool.active()
    assert warm == cold
    assert (used.taken, used.replayed) == (0, 3)
    # what the stock of the first history would show: no table d for the index, nor for the new application
    assert not any(rule in ("migration-failed-on-existing-rows", "select-failed") for _, rule, _, _ in warm)


def test_a_failed_comparison_leaves_nothing_and_the_next_one_starts_afresh(tmp_path, db_url):
    if db_url is None:
        pytest.skip("SQLite keeps no server session")
    good = linear(
        tmp_path / "g",
        ["CREATE TABLE a (id integer PRIMARY KEY);\n", "CREATE TABLE b (id integer PRIMARY KEY);\n", "-- 3\n"],
    )
    bad = linear(tmp_path / "b", ["ALTER TABLE nowhere ADD COLUMN x integer;\n", "-- 2\n"])
    with run_session():
        run(*step(tmp_path, good, 1, "g"), db_url)
        with pytest.raises(DatabaseError, match=r"0001_m1\.sql:1: the migration fails on an empty"):
            run(*step(tmp_path, bad, 1, "b"), db_url)
        assert pool.active().warm == {}  # the failure closed the session: nothing of it is carried on
        report = run(*step(tmp_path, good, 2, "g"), db_url)
        assert report.directions  # a fresh session served the next comparison

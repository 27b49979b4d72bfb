"""Throwaway databases: created under fresh names, always dropped (success, error, interrupt), URLs refused safely."""

import signal
import subprocess
import sys

import pytest
from sqltest_servers import MY_URL, PG_URL, our_databases, reachable, unreachable

from pytest_cdcompat.core.errors import DatabaseError, UsageError
from pytest_cdcompat.kinds.sql.database import Server


def test_create_clone_and_drop(db_url):
    with Server(db_url) as server:
        db = server.create()
        assert db.name.startswith("cdcompat_")
        db.execute("CREATE TABLE t (id integer PRIMARY KEY, s varchar(3))")
        db.execute(f"INSERT INTO t VALUES ({db.placeholder}, {db.placeholder})", (1, "ab"))
        db.commit()
        error, _ = db.try_execute(f"INSERT INTO t VALUES ({db.placeholder}, {db.placeholder})", (1, "cd"))
        assert error  # duplicate key: the database's own message
        assert db.execute("SELECT id, s FROM t") == [(1, "ab")]  # the failed insert left the transaction usable
        if server.can_clone:
            server.release(db)
            copy = server.create(template=db.name)
            assert copy.execute("SELECT id, s FROM t") == [(1, "ab")]
        assert len(server.list_ours()) >= 1
    # the fixture asserts that the server holds no cdcompat_ database any more


def test_a_server_drops_one_database_and_keeps_the_others(db_url):
    with Server(db_url) as server:
        kept, gone = server.create(), server.create()
        kept.execute("CREATE TABLE t (id integer PRIMARY KEY)")
        gone.execute("CREATE TABLE u (id integer PRIMARY KEY)")
        kept.commit()
        gone.commit()
        server.discard(gone.name)
        assert gone.name not in server.created and kept.name in server.created
        assert kept.execute("SELECT id FROM t") == []  # its connection is still open
        if db_url is not None:
            assert gone.name not in server.list_ours() + _schemas(kept)


def _schemas(db):
    if db.dialect != "postgres":
        return []
    return [r[0] for r in db.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cdcompat%'")]


def test_dropped_after_an_error(db_url):
    with pytest.raises(RuntimeError), Server(db_url) as server:
        server.create()
        server.create()
        raise RuntimeError("boom")
    assert server.created == []


def test_dropped_after_keyboard_interrupt(db_url):
    with pytest.raises(KeyboardInterrupt), Server(db_url) as server:
        server.create()
        raise KeyboardInterrupt
    assert server.created == []


SCRIPT = """
import sys, time
from pytest_cdcompat.kinds.sql.database import Server
url = sys.argv[1] if sys.argv[1] != "sqlite" else None
with Server(url) as s:
    s.create(); s.create()
    print("ready", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_dropped_when_the_process_is_interrupted(db_url, sig):
    before = set(our_databases(db_url))
    with subprocess.Popen(
        [sys.executable, "-c", SCRIPT, db_url or "sqlite"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout.readline().strip() == "ready"
            if db_url is not None:
                assert set(our_databases(db_url)) - before  # the databases exist while it runs
            proc.send_signal(sig)
            proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode != 0


def test_unreachable_server_is_one_clear_error():
    with pytest.raises(DatabaseError) as e, Server("postgresql://postgres@127.0.0.1:1/postgres"):
        pass
    assert "cannot connect to the database server" in str(e.value)
    assert "Traceback" not in str(e.value)


def test_unknown_scheme_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown scheme"):
        Server("oracle://x@y/z")


@pytest.mark.parametrize(("url", "existing"), [(PG_URL, "template0"), (MY_URL, "mysql_test_existing")])
def test_existing_database_in_url_is_refused(url, existing):
    why = reachable(url)
    if why:
        unreachable(f"server not reachable: {why}")
    if url.startswith("mysql"):
        import pymysql

        c = pymysql.connect(host="127.0.0.1", user="root", password="")
        c.cursor().execute(f"CREATE DATABASE IF NOT EXISTS {existing}")
        c.close()
    base = url.rsplit("/", 1)[0] if url.startswith("postgres") else url
    try:
        with (
            pytest.raises(DatabaseError, match="refusing to use an existing database") as e,
            Server(f"{base}/{existing}"),
        ):
            pass
        assert existing in str(e.value)
    finally:
        if url.startswith("mysql"):
            c = pymysql.connect(host="127.0.0.1", user="root", password="")
            c.cursor().execute(f"DROP DATABASE IF EXISTS {existing}")
            c.close()


def test_postgres_database_per_run_is_copied_from_its_template():
    """With a database per throwaway database (migrations naming schemas), B is a copy of A made by
    CREATE DATABASE ... TEMPLATE: the data migrations' rows come along, owned by the run's role, and both go."""
    if why := reachable(PG_URL):
        unreachable(f"postgres server not reachable: {why}")
    with Server(PG_URL, separate_databases=True) as server:
        assert server.can_clone
        a = server.create()
        a.execute("CREATE TABLE public.seeded (id integer PRIMARY KEY, s text)")
        a.execute("INSERT INTO public.seeded VALUES (1, 'from a data migration')")
        a.commit()
        server.release(a)
        b = server.create(template=a.name)
        assert b.name != a.name
        assert b.execute("SELECT id, s FROM public.seeded") == [(1, "from a data migration")]
        assert b.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'seeded'") == [(server.role,)]
        with pytest.raises(AssertionError, match="not created here"):
            server.create(template="postgres")
        assert {a.name, b.name} <= set(our_databases(PG_URL))
    assert not {a.name, b.name} & set(our_databases(PG_URL))


def test_postgres_copied_database_holds_the_old_schema(tmp_path):
    """End to end on a database per throwaway database: the new application meets the old schema in the copy."""
    from pytest_cdcompat.api import compare

    if why := reachable(PG_URL):
        unreachable(f"postgres server not reachable: {why}")
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "0001_init.sql").write_text(
            "CREATE TABLE public.items (id integer PRIMARY KEY, name text);\nINSERT INTO public.items VALUES (1, 'a');\n"
        )
    (tmp_path / "new" / "0002_note.sql").write_text("ALTER TABLE public.items ADD COLUMN note text;\n")
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=5, db_url=PG_URL, seed=1)
    errors = [(d.value, f) for d, r in report.directions.items() for f in r.findings if f.severity.value == "error"]
    assert sorted((d, f.rule, f.location) for d, f in errors) == [
        ("new_consumer_old_producer", "column-added", "new/0002_note.sql:1"),
        ("new_consumer_old_producer", "insert-rejected", "items.note"),
        ("new_consumer_old_producer", "select-failed", "items.note"),
    ], report.to_json()
    rejected = next(f for _, f in errors if f.rule == "insert-rejected")
    assert 'column "note" of relation "items" does not exist' in rejected.message

"""A migration reaches nothing outside its throwaway database: on SQLite no ATTACH / VACUUM INTO / DETACH /
load_extension(); on PostgreSQL and MariaDB the migrations run as a role or user the tool creates, with privileges on
its own databases only, dropped afterwards. A refused statement is an error finding naming the file and line, and
the rest of the migration is still checked. Every test plants a victim (a file, or a database the test creates) and
shows that it is untouched."""

import secrets

import pytest
from sqltest_servers import MY_URL, PG_URL, admin_connection, all_roles, reachable, unreachable

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import DatabaseError
from pytest_cdcompat.kinds.sql.database import Server

BASE = "CREATE TABLE t (id integer PRIMARY KEY, s varchar(20));\n"
OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
RULE = "migration-statement-refused"


def server_url(engine):
    url = {"postgres": PG_URL, "mysql": MY_URL}[engine]
    why = reachable(url)
    if why:
        unreachable(f"{engine} server not reachable: {why}")
    return url


def check(tmp_path, url, change):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "0001_init.sql").write_text(BASE)
    (tmp_path / "new" / "0001_init.sql").write_text(BASE)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    return compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=5, db_url=url, seed=3)


def refused(report):
    """{direction: {location: finding}} of the refused statements."""
    return {d.value: {f.location: f for f in res.findings if f.rule == RULE} for d, res in report.directions.items()}


def rules(report, direction):
    return {f.rule for d, res in report.directions.items() if d.value == direction for f in res.findings}


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- SQLite -------------------------------------------------------------------------------------------------------


def test_sqlite_attach_vacuum_into_and_extensions_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    attached = outside / "attached.db"
    change = (
        f"ATTACH DATABASE '{attached}' AS evil;\n"
        "DETACH DATABASE evil;\n"
        "SELECT load_extension('/nonexistent/libevil');\n"
        "ALTER TABLE t ADD COLUMN u text;\n"
    )
    report = check(tmp_path, None, change)
    found = refused(report)
    for needle, what in [("ATTACH", "ATTACH of"), ("DETACH", "DETACH of"),
                         ("load_extension", "load_extension()")]:  # fmt: skip
        loc = f"new/0002_change.sql:{line_of(change, needle)}"
        for direction in (OC, NC):
            assert loc in found[direction], (needle, sorted(found[direction]))
            f = found[direction][loc]
            assert f.severity.value == "error"
            assert what in f.message and "is denied" in f.message
    assert list(outside.iterdir()) == []
    # the rest of the migration was checked: the new column is found by the static rules and the database check
    assert "column-added" in rules(report, NC)
    assert "insert-rejected" in rules(report, NC)


def test_sqlite_vacuum_into_is_denied_even_outside_a_transaction(tmp_path):
    # the check runs every statement in a savepoint, where VACUUM cannot run at all; the authorizer denies it anyway
    target = tmp_path / "outside" / "copy.db"
    target.parent.mkdir()
    with Server(None) as server:
        db = server.create()
        db.execute("CREATE TABLE x (a integer)")
        db.commit()
        db.execute("COMMIT")
        with pytest.raises(Exception, match="authoriz"):
            db.execute(f"VACUUM INTO '{target}'")
        assert db.refusal() == f"ATTACH of {str(target)!r} (also used by VACUUM INTO) is denied"
        db.execute("BEGIN")
    assert not target.exists()


def test_sqlite_statement_needing_a_refused_one_is_a_clear_error(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    change = (
        f"ALTER TABLE t ADD COLUMN u text;\nATTACH DATABASE '{outside / 'a.db'}' AS evil;\nCREATE TABLE evil.x (a);\n"
    )
    with pytest.raises(DatabaseError) as e:
        check(tmp_path, None, change)
    message = str(e.value)
    assert message.startswith("new/0002_change.sql:3: ")
    assert "unknown database evil" in message and "after the refused statement at new/0002_change.sql:2" in message
    assert list(outside.iterdir()) == []


def test_sqlite_plain_migrations_are_not_refused(tmp_path):
    report = check(tmp_path, None, "CREATE TABLE u (id integer PRIMARY KEY);\nCREATE INDEX u_id ON u (id);\n")
    assert refused(report) == {OC: {}, NC: {}}


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


@pytest.fixture
def pg_victim():
    """A database of the test's own, holding one row and no settings; dropped at the end."""
    url = server_url("postgres")
    name = f"victim_{secrets.token_hex(4)}"
    admin = admin_connection(url)
    admin.autocommit = True
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with _pg(url, name) as c:
            c.execute("CREATE TABLE precious (id integer PRIMARY KEY, v text)")
            c.execute("INSERT INTO precious VALUES (1, 'keep me')")
        yield url, name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _pg(url, dbname):
    import psycopg

    from pytest_cdcompat.kinds.sql.urls import parse_url

    u = parse_url(url)
    return psycopg.connect(host=u.host, port=u.port or 5432, user=u.user or None, password=u.password or None,
                           dbname=dbname, autocommit=True)  # fmt: skip


def _pg_victim_state(url, name):
    with _pg(url, "postgres") as c:
        row = c.execute(
            "SELECT d.datname, pg_get_userbyid(d.datdba), s.setconfig FROM pg_database d "
            "LEFT JOIN pg_db_role_setting s ON s.setdatabase = d.oid WHERE d.datname = %s",
            (name,),
        ).fetchall()
    with _pg(url, name) as c:
        rows = c.execute("SELECT id, v FROM precious ORDER BY id").fetchall()
        cols = c.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'precious'").fetchall()
    return row, rows, sorted(cols)


def test_pg_migration_cannot_touch_another_database_or_the_server(tmp_path, pg_victim):
    url, victim = pg_victim
    before_state = _pg_victim_state(url, victim)
    roles_before = {r for r in all_roles(url) if not r.startswith("cdcompat_")}
    marker = tmp_path / "ran_a_program"
    change = (
        f'DROP DATABASE "{victim}" /* concurrently */;\n'
        f"ALTER DATABASE \"{victim}\" SET work_mem = '64MB';\n"
        f'ALTER DATABASE "{victim}" OWNER TO CURRENT_USER;\n'
        f"COPY (SELECT 1) TO PROGRAM 'touch {marker}';\n"
        "SELECT pg_read_file('/etc/passwd');\n"
        "COPY t TO '/tmp/cdcompat_victim_copy';\n"
        "CREATE EXTENSION IF NOT EXISTS dblink;\n"
        "CREATE ROLE cdcompat_test_evil_role SUPERUSER;\n"
        "CREATE USER cdcompat_test_evil_user;\n"
        "ALTER ROLE postgres NOSUPERUSER;\n"
        "ALTER TABLE t ADD COLUMN u text;\n"
    )
    report = check(tmp_path, url, change)
    found = refused(report)
    for needle in ["DROP DATABASE", "SET work_mem", "OWNER TO", "PROGRAM", "pg_read_file", "COPY t TO",
                   "dblink", "CREATE ROLE", "CREATE USER", "ALTER ROLE"]:  # fmt: skip
        loc = f"new/0002_change.sql:{line_of(change, needle)}"
        for direction in (OC, NC):
            assert loc in found[direction], (needle, sorted(found[direction]))
            assert "statement refused" in found[direction][loc].message
    assert "server administration" in found[OC][f"new/0002_change.sql:{line_of(change, 'DROP DATABASE')}"].message
    assert "pg_read_file" in found[OC][f"new/0002_change.sql:{line_of(change, 'pg_read_file')}"].message
    text = str(report.to_dict()) if hasattr(report, "to_dict") else repr(report)
    assert "root:x:0:0" not in text  # no server file content in the report
    assert not marker.exists()
    assert _pg_victim_state(url, victim) == before_state
    roles_after = {r for r in all_roles(url) if not r.startswith("cdcompat_")}
    assert roles_after == roles_before
    # the rest of the migration was checked
    assert "column-added" in rules(report, NC)
    assert "insert-rejected" in rules(report, NC)


def test_pg_writing_into_another_database_is_a_clear_error(tmp_path, pg_victim):
    url, victim = pg_victim
    before_state = _pg_victim_state(url, victim)
    with pytest.raises(DatabaseError) as e:
        check(tmp_path, url, f"INSERT INTO \"{victim}\".public.precious VALUES (2, 'x');\n")
    assert "0002_change.sql:1" in str(e.value)
    assert "cross-database references" in str(e.value)
    assert _pg_victim_state(url, victim) == before_state


def test_pg_role_has_no_privilege_beyond_its_databases():
    url = server_url("postgres")
    with Server(url, separate_databases=True) as server:
        db = server.create()
        other = server.create()
        assert server.role and server.role.startswith("cdcompat_")
        (user, sup, crole, cdb, repl, bypass) = db.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        )[0]
        assert user == server.role and (sup, crole, cdb, repl, bypass) == (False,) * 5
        assert db.execute("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                          "WHERE r.rolname = current_user") == [(0,)]  # fmt: skip
        for special in ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"):
            assert db.execute(f"SELECT pg_has_role(current_user, '{special}', 'USAGE')") == [(False,)]
        owned = db.execute("SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles "
                           "WHERE rolname = current_user) ORDER BY 1")  # fmt: skip
        assert [r[0] for r in owned] == sorted([db.name, other.name])
        # PUBLIC may not connect to the throwaway databases
        acl = db.execute("SELECT has_database_privilege('public', %s, 'CONNECT')", (db.name,))
        assert acl == [(False,)]
        role = server.role
    assert role not in all_roles(url)


# --- MariaDB / MySQL ----------------------------------------------------------------------------------------------


@pytest.fixture
def my_victim():
    url = server_url("mysql")
    name = f"victim_{secrets.token_hex(4)}"
    admin = admin_connection(url)
    cur = admin.cursor()
    cur.execute(f"CREATE DATABASE `{name}`")
    cur.execute(f"CREATE TABLE `{name}`.precious (id integer PRIMARY KEY, v text)")
    cur.execute(f"INSERT INTO `{name}`.precious VALUES (1, 'keep me')")
    admin.commit()
    try:
        yield url, name
    finally:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


def _my_victim_state(url, name):
    c = admin_connection(url)
    try:
        cur = c.cursor()
        cur.execute(f"SELECT id, v FROM `{name}`.precious ORDER BY id")
        rows = cur.fetchall()
        cur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s "
                    "ORDER BY 1, 2", (name,))  # fmt: skip
        return rows, cur.fetchall()
    finally:
        c.close()


def test_mysql_migration_cannot_touch_another_database_or_the_server(tmp_path, my_victim):
    url, victim = my_victim
    before_state = _my_victim_state(url, victim)
    users_before = {r for r in all_roles(url) if not r.startswith("cdcompat_")}
    outfile = f"/tmp/cdcompat_outfile_{secrets.token_hex(4)}.txt"
    change = (
        f"DROP DATABASE `{victim}`;\n"
        f"INSERT INTO `{victim}`.precious VALUES (2, 'x');\n"
        f"ALTER TABLE `{victim}`.precious ADD COLUMN z integer;\n"
        f"CREATE TABLE `{victim}`.planted (a integer);\n"
        f"SELECT 'x' INTO OUTFILE '{outfile}';\n"
        "CREATE USER cdcompat_test_evil_user;\n"
        "GRANT ALL PRIVILEGES ON *.* TO CURRENT_USER;\n"
        "SET GLOBAL max_connections = 3;\n"
        "ALTER TABLE t ADD COLUMN u text;\n"
    )
    report = check(tmp_path, url, change)
    found = refused(report)
    for needle in ["DROP DATABASE", "INSERT INTO", "ADD COLUMN z", "planted", "OUTFILE", "CREATE USER", "GRANT",
                   "SET GLOBAL"]:  # fmt: skip
        loc = f"new/0002_change.sql:{line_of(change, needle)}"
        for direction in (OC, NC):
            assert loc in found[direction], (needle, sorted(found[direction]))
            assert "statement refused" in found[direction][loc].message
    assert _my_victim_state(url, victim) == before_state
    assert {r for r in all_roles(url) if not r.startswith("cdcompat_")} == users_before
    c = admin_connection(url)
    try:
        cur = c.cursor()
        cur.execute("SELECT @@max_connections")
        assert cur.fetchone()[0] != 3
    finally:
        c.close()
    assert "column-added" in rules(report, NC)
    assert "insert-rejected" in rules(report, NC)


def test_mysql_user_has_privileges_on_its_databases_only():
    url = server_url("mysql")
    with Server(url) as server:
        db = server.create()
        other = server.create()
        grants = [r[0] for r in db.execute("SHOW GRANTS FOR CURRENT_USER")]
        assert db.execute("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)") == [(server.role,)]
        on_all = [g for g in grants if " ON *.* " in g]
        assert on_all and all(g.startswith("GRANT USAGE ON *.*") for g in on_all)
        assert not any("WITH GRANT OPTION" in g or "FILE" in g or "SUPER" in g for g in grants)
        databases = sorted(g.split(" ON ")[1].split(".")[0].strip("`").replace("\\_", "_") for g in grants
                           if " ON *.* " not in g)  # fmt: skip
        assert databases == sorted([db.name, other.name])
        role = server.role
    assert not any(r.startswith(f"{role}@") for r in all_roles(url))

"""Database servers for the SQL tests: SQLite always; PostgreSQL and MariaDB at 127.0.0.1 when reachable.

``CDCOMPAT_TEST_PG`` / ``CDCOMPAT_TEST_MYSQL`` override the URLs. A test that needs a server skips, naming the URL
and the connection error, only when that server cannot be reached.
"""

import os

PG_URL = os.environ.get("CDCOMPAT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
MY_URL = os.environ.get("CDCOMPAT_TEST_MYSQL", "mysql://root@127.0.0.1:3306")

_reachable: dict = {}


def reachable(url):
    if url not in _reachable:
        from pytest_cdcompat.core.errors import DatabaseError
        from pytest_cdcompat.kinds.sql.database import Server

        try:
            with Server(url):
                _reachable[url] = None
        except DatabaseError as e:
            _reachable[url] = str(e)
    return _reachable[url]


def our_databases(url):
    """cdcompat_ databases on the server, listed through a connection of the test's own."""
    if url is None:
        return []
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres") as c:
            return sorted(r[0] for r in c.execute("SELECT datname FROM pg_database WHERE datname LIKE 'cdcompat%'"))
    import pymysql

    c = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="")
    try:
        cur = c.cursor()
        cur.execute("SHOW DATABASES LIKE 'cdcompat%'")
        return sorted(r[0] for r in cur.fetchall())
    finally:
        c.close()


def unreachable(message):
    """Skip with the reason on a developer machine without the server; on CI the servers must be there: fail."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI runs with PostgreSQL and MariaDB started; the server must be reachable)")
    pytest.skip(message)

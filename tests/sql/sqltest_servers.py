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


def admin_connection(url):
    """A connection of the test's own to the server the URL names (host, port, user and password from the URL)."""
    from pytest_cdcompat.kinds.sql.urls import parse_url

    u = parse_url(url)
    if u.dialect == "postgres":
        import psycopg

        return psycopg.connect(
            host=u.host, port=u.port or 5432, user=u.user or None, password=u.password or None, dbname="postgres"
        )
    import pymysql

    return pymysql.connect(host=u.host, port=u.port or 3306, user=u.user or "root", password=u.password)


def _names(url, pg_sql, my_sql):
    c = admin_connection(url)
    try:
        cur = c.cursor()
        cur.execute(pg_sql if url.startswith("postgres") else my_sql)
        return sorted(r[0] for r in cur.fetchall())
    finally:
        c.close()


def our_databases(url):
    """cdcompat_ databases on the server, listed through a connection of the test's own."""
    if url is None:
        return []
    return _names(
        url,
        "SELECT datname FROM pg_database WHERE datname LIKE 'cdcompat%'",
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'cdcompat%'",
    )


def all_roles(url):
    """Every role (PostgreSQL) or user@host (MariaDB/MySQL) on the server."""
    if url is None:
        return []
    return _names(url, "SELECT rolname FROM pg_roles", "SELECT CONCAT(user, '@', host) FROM mysql.user")


def our_roles(url):
    return [r for r in all_roles(url) if r.startswith("cdcompat_")]


def unreachable(message):
    """Skip with the reason on a developer machine without the server; on CI the servers must be there: fail."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI runs with PostgreSQL and MariaDB started; the server must be reachable)")
    pytest.skip(message)

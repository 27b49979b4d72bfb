"""Fixtures for the SQL tests: each engine in turn, with a check that no database is left behind."""

import pytest
from sqltest_servers import MY_URL, PG_URL, our_databases, reachable


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def db_url(request):
    """Each engine in turn: None (SQLite), the PostgreSQL URL, the MariaDB URL; checks nothing is left behind."""
    url = {"sqlite": None, "postgres": PG_URL, "mysql": MY_URL}[request.param]
    if url is not None:
        why = reachable(url)
        if why:
            pytest.skip(f"{request.param} server not reachable: {why}")
    before = our_databases(url)
    yield url
    assert our_databases(url) == before, "a cdcompat_ database was left behind"

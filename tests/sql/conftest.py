"""Fixtures for the SQL tests: each engine in turn, with a check that no database is left behind."""

import time

import pytest
from sqltest_servers import MY_URL, PG_URL, our_databases, our_roles, reachable, unreachable

from pytest_cdcompat.kinds.sql.database import ROLES_MADE


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def db_url(request):
    """Each engine in turn: None (SQLite), the PostgreSQL URL, the MariaDB URL; checks that no database and no role or
    user is left behind."""
    url = {"sqlite": None, "postgres": PG_URL, "mysql": MY_URL}[request.param]
    if url is not None:
        why = reachable(url)
        if why:
            unreachable(f"{request.param} server not reachable: {why}")
    before = set(our_databases(url))
    made_before = len(ROLES_MADE)
    yield url
    # other test processes (pytest -n) create and drop their own databases meanwhile: a database that appeared
    # during this test must be gone, or go within a few seconds (then it was another process's, still running)
    deadline = time.monotonic() + 15
    while (left := set(our_databases(url)) - before) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, f"cdcompat_ databases left behind: {sorted(left)}"
    # roles: exactly the ones this process created during the test (other processes' runs make their own)
    made = set(ROLES_MADE[made_before:])
    left_roles = {r.split("@")[0] for r in our_roles(url)} & made
    assert not left_roles, f"cdcompat_ roles/users left behind: {sorted(left_roles)}"


SERVER_TESTS = ("tests/sql/", "tests/frontends/test_db_option.py")


def pytest_collection_modifyitems(config, items):
    """Tests that create databases on the shared servers run in one xdist group (``--dist loadgroup``: one worker,
    one after another), so a test's "nothing left behind" check never counts another test's databases."""
    for item in items:
        rel = item.path.as_posix()
        if any(part in rel for part in SERVER_TESTS):
            item.add_marker(pytest.mark.xdist_group("database-servers"))

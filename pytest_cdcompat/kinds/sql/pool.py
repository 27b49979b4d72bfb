"""Warm databases: what the SQL check keeps between the comparisons of one run (a CLI command, a pytest session).

A history checked step by step compares N migrations with N+1, then N+1 with N+2: each step starts where the one
before ended. Inside ``warm_databases()`` (``api.run_session()``, which the CLI and the pytest plugin enter) the
check keeps, per database server (URL, one database or several, SQL settings):

- the server session: the admin connection, the run's unprivileged role and, on PostgreSQL, the session database,
  opened once instead of once per comparison;
- when a comparison starts where the one before it ended (its old migrations are, statement for statement, the
  previous comparison's new migrations: a history walked in order), two databases holding its own new migrations on no
  data, replayed in the background while it checks rows: the next step's A and B. That step then replays nothing
  before its rows go in. A stocked database is a fresh replay of the same statements in the same session settings, so
  it holds what the step's own replay would hold; the statements its replay refused are reported again by the step
  that takes it. A stock the next comparison does not start from is dropped unused.

Every database a comparison used is dropped when it ends; the stock, the role and the session database when the run
ends, or at once when a comparison fails (the next one opens a new session). SQLite and PostgreSQL with a database
per throwaway database (migrations that name schemas or create extensions) copy a template file or database instead,
and keep no stock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat.kinds.sql.database import Database, Server, copies_databases
from pytest_cdcompat.kinds.sql.migration_files import Migration
from pytest_cdcompat.kinds.sql.sql_settings import SqlSettings
from pytest_cdcompat.kinds.sql.urls import dialect_for

# what a replay holds, by the text of each statement of each migration in order (file names do not matter: a history
# checked commit by commit reads each version from a folder of its own)
Fingerprint = tuple[tuple[str, ...], ...]
# a statement refused during a replay: (migration index, statement index, why, the database's error)
Refusal = tuple[int, int, str, str]
# replays ``migrations`` on a database: None, or raises / returns what failed; refusals are appended to the list
Replay = Callable[[Database, list[Migration], list[Refusal]], object]

_ACTIVE: list[Pool] = []


def fingerprint(migrations: Sequence[Migration]) -> Fingerprint:
    return tuple(tuple(st.text for st in m.statements) for m in migrations)


@contextmanager
def warm_databases() -> Iterator[Pool]:
    """Keep database sessions and the next step's databases across the comparisons run inside; drop all at the end."""
    pool = Pool()
    _ACTIVE.append(pool)
    try:
        yield pool
    finally:
        _ACTIVE.remove(pool)
        pool.close()


def active() -> Pool | None:
    return _ACTIVE[-1] if _ACTIVE else None


@dataclass
class _Stock:
    key: Fingerprint
    dbs: list[Database]
    refusals: list[Refusal]


@dataclass
class _Warm:
    server: Server
    stock: _Stock | None = None
    last_new: Fingerprint | None = None  # the new migrations of the last comparison that ended well


@dataclass
class Pool:
    warm: dict[tuple[Any, ...], _Warm] = field(default_factory=dict)
    taken: int = 0  # comparisons that started from a stock (tests and the benchmark read it)
    replayed: int = 0  # comparisons that replayed their old migrations themselves

    @staticmethod
    def serves(url: str | None, separate: bool) -> bool:
        """Servers without a cheap copy of a database: PostgreSQL schemas in one session database, MariaDB/MySQL."""
        return not copies_databases(dialect_for(url), separate)

    @contextmanager
    def lease(
        self, url: str, separate: bool, sql: SqlSettings, old: Sequence[Migration], new: Sequence[Migration]
    ) -> Iterator[Lease]:
        key = (url, separate, sql)
        warm = self.warm.get(key)
        if warm is None:
            server = Server(url, separate_databases=separate, sql=sql)
            server.__enter__()
            warm = self.warm[key] = _Warm(server)
        lease = Lease(self, warm, fingerprint(old), fingerprint(new))
        try:
            yield lease
        except BaseException:
            lease.abandon()
            self.warm.pop(key, None)
            # nothing carried past a failure: the next comparison opens a new session; the comparison's own error is
            # the one to report, not a failure to drop after it
            with suppress(Exception):
                warm.server.close()
            raise
        lease.finish()

    def close(self) -> None:
        """Close every server session (each drops what it made), all of them even when one fails."""
        failed: list[BaseException] = []
        for warm in reversed(list(self.warm.values())):
            try:
                warm.server.close()
            except Exception as e:  # the others are closed first; the first failure is raised after
                failed.append(e)
        self.warm.clear()
        if failed:
            raise failed[0]


class Lease:
    """One comparison's use of a warm server: the stock it takes, the stock it prepares for the next step."""

    def __init__(self, pool: Pool, warm: _Warm, old: Fingerprint, new: Fingerprint) -> None:
        self.pool, self.warm, self.old, self.new = pool, warm, old, new
        self.server = warm.server
        self._threads: list[threading.Thread] = []
        self._next: list[Database] = []
        self._next_refusals: list[Refusal] = []
        self._broken = False  # a background replay failed: its databases are not stocked

    def take(self) -> tuple[Database, Database, list[Refusal]] | None:
        """Two databases holding this comparison's old migrations on no data, with the statements refused while they
        were replayed; or None (then the comparison replays them itself)."""
        stock, self.warm.stock = self.warm.stock, None
        if stock is not None and stock.key == self.old:
            self.pool.taken += 1
            a, b = stock.dbs
            return a, b, stock.refusals
        if stock is not None:
            for db in stock.dbs:
                self.server.discard(db.name)
        self.pool.replayed += 1
        return None

    def prepare(self, replay: Replay, migrations: list[Migration]) -> None:
        """When this comparison continues the previous one (a history walked in order), replay its new migrations on
        two fresh databases in the background: the next step's stock."""
        if self.warm.last_new != self.old or self.new == self.old:
            return
        self._next = [self.server.create(), self.server.create()]
        for i, db in enumerate(self._next):
            found: list[Refusal] = self._next_refusals if i == 0 else []

            def work(db: Database = db, found: list[Refusal] = found) -> None:
                try:
                    if replay(db, migrations, found) is not None:
                        self._broken = True
                except BaseException:  # the step itself reports what is wrong with its migrations
                    self._broken = True

            thread = threading.Thread(target=work, name="cdcompat-next-step", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _join(self) -> None:
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def finish(self) -> None:
        """The comparison ended well: stock the next step's databases, drop every other one it created or took."""
        self._join()
        keep = {db.name for db in self._next} if self._next and not self._broken else set()
        if keep:
            self.warm.stock = _Stock(self.new, self._next, self._next_refusals)
        for name in [n for n in self.server.created if n not in keep and n != self.server.session]:
            self.server.discard(name)
        self.warm.last_new = self.new

    def abandon(self) -> None:
        """The comparison failed: wait for the background replays (the server is closed next)."""
        self._join()

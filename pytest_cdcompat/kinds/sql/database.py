"""Throwaway databases: create them, connect, and always drop them, on SQLite, PostgreSQL and MariaDB/MySQL.

Safety rules, enforced here and nowhere else:
- every database is created by this module under a fresh name ``cdcompat_<random hex>``;
- nothing runs in a database this module did not create: the URL's own database (if any) is only the place to
  connect for CREATE/DROP DATABASE, and it must be the server's maintenance database (``postgres``/``template1`` on
  PostgreSQL, none or ``mysql`` on MySQL); a URL naming any other database is refused;
- ``Server`` is a context manager whose exit drops every database it created, on success, failure, Ctrl-C
  (KeyboardInterrupt) and SIGTERM (turned into KeyboardInterrupt while a server is open).
SQLite needs no server: each database is a file in one temporary folder removed at exit.

On PostgreSQL one ``cdcompat_`` database is created per run and each throwaway "database" is a schema in it (the
connection's ``search_path``): CREATE/DROP DATABASE cost a checkpoint each (about half a second), a schema costs
nothing, and dropping the one database at the end removes everything at once.

What a migration may do (a branch's migrations are code anyone who opens a pull request controls):
- SQLite: an authorizer on every connection denies ``ATTACH`` (which ``VACUUM INTO`` uses too), ``DETACH`` and the
  ``load_extension()`` function, so a migration reaches no file but its own database;
- PostgreSQL: the URL's user only creates and drops; every throwaway database is owned by, and only ever used through,
  a login role created for the run (``cdcompat_<random hex>``, random password, NOSUPERUSER NOCREATEDB NOCREATEROLE
  NOREPLICATION NOBYPASSRLS, member of no role, so none of ``pg_read_server_files``/``pg_write_server_files``/
  ``pg_execute_server_program``), with CONNECT revoked from PUBLIC; the role is dropped with the databases;
- MariaDB/MySQL: likewise a user created for the run, ``GRANT ALL ON <throwaway>.*`` and nothing else (no global
  privilege: no FILE, SUPER, CREATE USER, GRANT OPTION), dropped at the end.
A statement the database refuses for lack of privilege is recognised by ``refusal()`` so that the check can report it
(file and line) and go on with the next statement.
"""

from __future__ import annotations

import re
import secrets
import shutil
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from pytest_cdcompat.core.errors import DatabaseError
from pytest_cdcompat.kinds.sql.sql_settings import SqlSettings
from pytest_cdcompat.kinds.sql.urls import DbUrl, parse_url

PREFIX = "cdcompat_"
ROLES_MADE: list[str] = []  # every role/user name this process created (tests check each one is gone afterwards)
_PG_MAINTENANCE = {"", "postgres", "template1"}
_MY_MAINTENANCE = {"", "mysql", "information_schema"}
# MySQL/MariaDB error codes meaning "you lack the privilege": database/table/column/routine access denied, "you need
# the SUPER/FILE/CREATE USER privilege", not allowed to create users or grant
_MY_DENIED = {1044, 1045, 1142, 1143, 1211, 1227, 1370, 1410, 1419, 3118}
_SQLITE_DENIED_FUNCTIONS = {"load_extension"}
_PG_SERVER_ADMIN = re.compile(
    r"^\s*(?:--[^\n]*\n\s*)*(create|drop|alter)\s+(database|tablespace|system|subscription)\b", re.I
)
REFUSED = (
    "cdcompat runs migrations with the privileges of their own throwaway database only: no other database, no server "
    "file, program, extension library or role"
)


def _sqlite_authorizer(db: Database) -> Any:
    def authorize(action: int, arg1: str | None, arg2: str | None, dbname: str | None, source: str | None) -> int:
        if action == sqlite3.SQLITE_ATTACH:
            db.denied = f"ATTACH of {arg1!r} (also used by VACUUM INTO)"
        elif action == sqlite3.SQLITE_DETACH:
            db.denied = f"DETACH of {arg1!r}"
        elif action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _SQLITE_DENIED_FUNCTIONS:
            db.denied = f"the function {arg2}()"
        else:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    return authorize


def copies_databases(dialect: str, separate: bool) -> bool:
    """Whether a server of ``dialect`` copies a database cheaply (SQLite: the file; PostgreSQL with a database per
    throwaway database: ``CREATE DATABASE ... TEMPLATE``); elsewhere migrations are replayed."""
    return dialect == "sqlite" or (dialect == "postgres" and separate)


def error_text(e: BaseException) -> str:
    """The database's own message, on one line, without the throwaway database's random name (MariaDB writes
    ``Table 'cdcompat_1f2e....t1' doesn't exist``): a report reads the same on every run."""
    return _THROWAWAY.sub("", _error_text(e))


_THROWAWAY = re.compile(r"[`\"]?" + PREFIX + r"[0-9a-f]{12}[`\"]?\.")


def _error_text(e: BaseException) -> str:
    diag = getattr(e, "diag", None)
    if diag is not None and getattr(diag, "message_primary", None):
        return str(diag.message_primary)
    args: tuple[Any, ...] = tuple(getattr(e, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL: (code, message)
        return f"({args[0]}) {args[1]}"
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


class Database:
    """One open connection to a database this tool created."""

    def __init__(self, server: Server, name: str, conn: Any) -> None:
        self.server = server
        self.name = name
        self.conn = conn
        self.dialect = server.url.dialect
        self._sp = 0
        self.denied: str | None = None  # SQLite: what the authorizer refused during the last statement
        self.last_error: BaseException | None = None
        self.last_sql = ""
        self.timeout = server.sql.statement_timeout
        self._deadline = 0.0  # SQLite: the progress handler interrupts the statement past this moment
        self.timed_out = False

    def _over_time(self) -> int:
        if time.monotonic() > self._deadline:
            self.timed_out = True
            return 1
        return 0

    def timeout_text(self, error: str) -> str | None:
        """After a failed statement: the message when it ran out of time (statement_timeout), else None."""
        e = self.last_error
        state = getattr(e, "sqlstate", None)
        code = getattr(e, "args", (None,))[0] if e is not None and getattr(e, "args", None) else None
        if not (
            self.timed_out
            or (self.dialect == "postgres" and state == "57014")
            or (self.dialect == "mysql" and code in (1969, 3024, 1205))
            or (self.dialect == "mysql" and code == 2013 and "timed out" in error)
        ):
            return None
        return (
            f"cancelled after {self.timeout:g} s (statement_timeout; raise it with --cd-compat-sql-settings "
            f"'statement_timeout = SECONDS'): {error}"
        )

    def refusal(self) -> str | None:
        """After a failed statement: why it was refused for lack of privilege, or None for any other failure."""
        e = self.last_error
        if self.dialect == "sqlite":
            return f"{self.denied} is denied" if self.denied else None
        if e is None:
            return None
        if self.dialect == "postgres":
            state = getattr(e, "sqlstate", None)
            if state == "25001" and _PG_SERVER_ADMIN.match(self.last_sql):
                # PostgreSQL says "cannot run inside a transaction block" before it checks the privilege
                return f"{' '.join(self.last_sql.split()[:2]).upper()} is server administration, not a change to the migration's own database"
            return error_text(e) if state == "42501" else None
        args = getattr(e, "args", ())
        return error_text(e) if args and args[0] in _MY_DENIED else None

    @property
    def placeholder(self) -> str:
        return "?" if self.dialect == "sqlite" else "%s"

    def quote(self, ident: str) -> str:
        # backticks on SQLite too: it reads an unknown "double-quoted" name as a string literal, hiding the error
        return f'"{ident}"' if self.dialect == "postgres" else f"`{ident}`"

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        self.denied = None
        self.last_error = None
        self.last_sql = sql
        self.timed_out = False
        self._deadline = time.monotonic() + self.timeout
        cur = self.conn.cursor()
        try:
            if params is None:
                cur.execute(sql)
            else:
                cur.execute(sql, params)
            if cur.description is None:
                return []
            return [tuple(r) for r in cur.fetchall()]
        except Exception as e:
            self.last_error = e
            raise
        finally:
            cur.close()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.timed_out = False
        self._deadline = time.monotonic() + self.timeout
        cur = self.conn.cursor()
        try:
            cur.executemany(sql, rows)
        finally:
            cur.close()

    def try_execute(self, sql: str, params: Any = None) -> tuple[str | None, list[tuple[Any, ...]]]:
        """Run one statement inside a savepoint: (error message or None, rows). A failure leaves the rest intact."""
        self._sp += 1
        sp = f"cdc_sp{self._sp}"
        self.execute(f"SAVEPOINT {sp}")
        try:
            rows = self.execute(sql, params)
        except Exception as e:  # any driver error is the database's verdict on the statement
            denied, failure, failed_sql, late = self.denied, self.last_error, self.last_sql, self.timed_out
            try:
                self.execute(f"ROLLBACK TO SAVEPOINT {sp}")
            except Exception:  # MySQL DDL ended the transaction; nothing to roll back
                pass
            self.denied, self.last_error, self.last_sql, self.timed_out = denied, failure, failed_sql, late
            text = error_text(e)
            return self.timeout_text(text) or text, []
        try:
            self.execute(f"RELEASE SAVEPOINT {sp}")
        except Exception:  # same: an implicit commit released it
            pass
        return None, rows

    def try_migration_statement(self, sql: str) -> tuple[str | None, list[tuple[Any, ...]]]:
        """``try_execute`` for a migration's statement. MariaDB/MySQL roll a failed statement back by themselves and
        end the transaction at every DDL statement, so there the savepoint is only three round trips instead of one
        (and its release fails after each DDL): the statement runs alone."""
        if self.dialect != "mysql":
            return self.try_execute(sql)
        try:
            rows = self.execute(sql)
        except Exception as e:  # any driver error is the database's verdict on the statement
            text = error_text(e)
            return self.timeout_text(text) or text, []
        return None, rows

    def savepoint(self) -> str:
        self._sp += 1
        sp = f"cdc_sp{self._sp}"
        self.execute(f"SAVEPOINT {sp}")
        return sp

    def rollback_to(self, sp: str) -> None:
        self.execute(f"ROLLBACK TO SAVEPOINT {sp}")

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # closing a broken connection must not hide the real error
            pass


class Server:
    """Creates, clones and drops throwaway databases on one server (or SQLite files in one folder)."""

    def __init__(self, url: str | None, separate_databases: bool = False, sql: SqlSettings | None = None) -> None:
        self.url: DbUrl = parse_url(url)
        self.sql = sql or SqlSettings()
        # PostgreSQL: a real database per throwaway database, for migrations that name schemas (public.x) or
        # create extensions, which schemas-in-one-database cannot isolate
        self.separate = separate_databases
        self.created: list[str] = []
        self.open: list[Database] = []
        self._tmp: Path | None = None
        self._admin: Any = None
        self._old_term: Any = None
        self._session: str | None = None  # PostgreSQL: the one database holding this run's schemas
        self._janitor: Any = None  # PostgreSQL: the connection that drops schemas one by one (``discard``)
        # the unprivileged role (PostgreSQL) or user (MariaDB/MySQL) every throwaway database is used through
        self.role: str | None = None
        self._role_host = ""
        self._role_password = ""

    # --- lifecycle -----------------------------------------------------------------------------------------------
    def __enter__(self) -> Server:
        if threading.current_thread() is threading.main_thread():
            self._old_term = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._connect_admin()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Drop every database created here. Runs to the end even when interrupted again."""
        try:
            for db in self.open:
                db.close()
            self.open.clear()
            if self._janitor is not None:
                self._janitor.close()
                self._janitor = None
            if self.url.dialect == "sqlite":
                if self._tmp is not None:
                    shutil.rmtree(self._tmp, ignore_errors=True)
                self.created.clear()
            else:
                try:
                    for name in reversed(list(self.created)):
                        self._drop(name)
                finally:
                    if self.role is not None and self._admin is not None:
                        self._drop_role()
                if self._admin is not None:
                    self._admin.close()
                    self._admin = None
        finally:
            if self._old_term is not None:
                signal.signal(signal.SIGTERM, self._old_term)
                self._old_term = None

    # --- server access -------------------------------------------------------------------------------------------
    def _connect_admin(self) -> None:
        u = self.url
        if u.dialect == "sqlite":
            self._tmp = Path(tempfile.mkdtemp(prefix=PREFIX))
            return
        if (u.dialect == "postgres" and u.database not in _PG_MAINTENANCE) or (
            u.dialect == "mysql" and u.database not in _MY_MAINTENANCE
        ):
            exists = self._exists_elsewhere(u.database)
            what = "an existing database" if exists else "a database"
            raise DatabaseError(
                f"refusing to use {what} ({u.database!r}) that cdcompat did not create: give a server URL without a "
                f"database (or with the maintenance database), e.g. {u.dialect}://{u.user or 'user'}@{u.host}"
                f"{':' + str(u.port) if u.port else ''}; cdcompat creates and drops its own databases",
                path=u.safe,
            )
        self._admin = self._raw_connect(u.database or ("postgres" if u.dialect == "postgres" else ""))
        if u.dialect == "postgres":
            self._admin.autocommit = True

    def _exists_elsewhere(self, name: str) -> bool:
        try:
            conn = self._raw_connect("postgres" if self.url.dialect == "postgres" else "")
        except DatabaseError:
            return False
        try:
            cur = conn.cursor()
            if self.url.dialect == "postgres":
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            else:
                cur.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (name,))
            return cur.fetchone() is not None
        finally:
            conn.close()

    def _raw_connect(self, database: str, as_role: bool = False) -> Any:
        """A connection as the URL's user, or (``as_role``) as this run's unprivileged role."""
        u = self.url
        user = self.role if as_role else None
        password = self._role_password if as_role else u.password
        try:
            if u.dialect == "postgres":
                import psycopg

                ms = int(self.sql.statement_timeout * 1000)
                options = f"-c statement_timeout={ms} -c lock_timeout={ms}" if as_role else None
                if as_role and self.separate and self.sql.search_path:
                    options = f"{options} -c search_path=public,{self.sql.search_path.replace(' ', '')}"
                return psycopg.connect(
                    host=u.host,
                    port=u.port or 5432,
                    user=user or u.user or None,
                    password=password or None,
                    dbname=database or "postgres",
                    connect_timeout=5,
                    options=options,
                )
            import pymysql

            conn = pymysql.connect(
                host=u.host,
                port=u.port or 3306,
                user=user or u.user or "root",
                password=password,
                database=database or None,
                connect_timeout=5,
                autocommit=False,
                # a last resort should the server ignore the session timeouts below
                read_timeout=int(self.sql.statement_timeout) + 30 if as_role else None,
            )
            if as_role:
                self._session_settings(conn)
            return conn
        except Exception as e:  # every driver failure to connect is one user-facing error
            raise DatabaseError(f"cannot connect to the database server: {error_text(e)}", path=u.safe) from None

    def _session_settings(self, conn: Any) -> None:
        """MariaDB/MySQL: time limits (MariaDB ``max_statement_time`` covers every statement, MySQL's
        ``max_execution_time`` only SELECT; lock waits on both) and the session ``sql_mode`` asked for."""
        seconds = self.sql.statement_timeout
        cur = conn.cursor()
        try:
            try:
                cur.execute(f"SET SESSION max_statement_time = {seconds:g}")
            except Exception:  # MySQL: no max_statement_time
                cur.execute(f"SET SESSION max_execution_time = {int(seconds * 1000)}")
            lock = max(1, int(seconds))
            cur.execute(f"SET SESSION lock_wait_timeout = {lock}, SESSION innodb_lock_wait_timeout = {lock}")
            if self.sql.sql_mode is not None:
                cur.execute("SET SESSION sql_mode = %s", (self.sql.sql_mode,))
        finally:
            cur.close()

    def _admin_exec(self, sql: str) -> None:
        cur = self._admin.cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()
        if self.url.dialect == "mysql":
            self._admin.commit()

    def _ensure_role(self) -> str:
        """Create this run's unprivileged login role (PostgreSQL) or user (MariaDB/MySQL), once."""
        if self.role is not None:
            return self.role
        name = self.new_name()
        ROLES_MADE.append(name)
        self._role_password = secrets.token_hex(16)
        try:
            if self.url.dialect == "postgres":
                self.role = name  # before CREATE: if it half-succeeds, close() still drops it
                self._admin_exec(
                    f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION '
                    f"NOBYPASSRLS PASSWORD '{self._role_password}'"
                )
            else:
                # the client host as the server sees this connection, so that the new user matches it
                cur = self._admin.cursor()
                cur.execute("SELECT SUBSTRING_INDEX(USER(), '@', -1)")
                row = cur.fetchone()
                cur.close()
                self._role_host = str(row[0]) if row and row[0] else "%"
                self.role = name
                self._admin_exec(f"CREATE USER '{name}'@'{self._role_host}' IDENTIFIED BY '{self._role_password}'")
        except Exception as e:  # the URL's user may lack CREATEROLE / CREATE USER: say what is needed
            raise DatabaseError(
                f"cannot create the unprivileged {'role' if self.url.dialect == 'postgres' else 'user'} that runs "
                f"the migrations ({error_text(e)}): the URL's user needs to create roles/users and databases",
                path=self.url.safe,
            ) from None
        return name

    def _drop_role(self) -> None:
        name, self.role = self.role, None
        if name is None or not name.startswith(PREFIX):
            return
        if self.url.dialect == "postgres":
            self._admin_exec(f'DROP ROLE IF EXISTS "{name}"')
        else:
            self._admin_exec(f"DROP USER IF EXISTS '{name}'@'{self._role_host}'")

    def _grant(self, database: str) -> None:
        """The role's privileges: everything on its own database, nothing anywhere else."""
        role = self._ensure_role()
        if self.url.dialect == "postgres":
            self._admin_exec(f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC')
        else:
            # in GRANT, _ and % in a database name are wildcards: escape them so the grant names this database only
            pattern = database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
            self._admin_exec(f"GRANT ALL PRIVILEGES ON `{pattern}`.* TO '{role}'@'{self._role_host}'")

    def _drop(self, name: str) -> None:
        if self.url.dialect == "postgres" and not self.separate and name != self._session:
            self.created.remove(name)  # a schema inside the session database: goes with it
            return
        self._closing(name)
        if self.url.dialect == "postgres":
            self._admin_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            self._admin_exec(f"DROP DATABASE IF EXISTS `{name}`")
        self.created.remove(name)

    def _closing(self, name: str) -> None:
        """Before dropping ``name``: it must be one of this server's own databases; its connections are closed."""
        if not name.startswith(PREFIX) or name not in self.created:
            raise AssertionError(f"refusing to drop {name!r}: not created here")
        for db in [db for db in self.open if db.name == name]:
            db.close()
            self.open.remove(db)

    def discard(self, name: str) -> None:
        """Drop one database now, the others staying: a server kept across comparisons (``pool.py``) drops what each
        comparison used. On PostgreSQL a schema of the session database goes with ``DROP SCHEMA ... CASCADE``."""
        schema = self.url.dialect == "postgres" and not self.separate and name != self._session
        if not schema and self.url.dialect != "sqlite":
            self._drop(name)
            return
        self._closing(name)
        if self.url.dialect == "sqlite":
            assert self._tmp is not None
            (self._tmp / f"{name}.db").unlink(missing_ok=True)
            self.created.remove(name)
            return
        if self._janitor is None:
            assert self._session is not None
            self._janitor = self._raw_connect(self._session, as_role=True)
            self._janitor.autocommit = True
        self._janitor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self.created.remove(name)

    # --- databases -----------------------------------------------------------------------------------------------
    def new_name(self) -> str:
        return PREFIX + secrets.token_hex(6)

    def create(self, template: str | None = None) -> Database:
        """A new empty database, or (where ``can_clone``) a copy of ``template``, which must be released first."""
        name = self.new_name()
        if self.url.dialect == "sqlite":
            assert self._tmp is not None
            path = self._tmp / f"{name}.db"
            if template is not None:
                shutil.copyfile(self._tmp / f"{template}.db", path)
            self.created.append(name)
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            # a throwaway file: no fsync at each commit and the rollback journal (savepoints) in memory, since the
            # durability they buy is never used
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("BEGIN")
            db: Database = _SqliteDatabase(self, name, conn)
            conn.set_authorizer(_sqlite_authorizer(db))
            conn.set_progress_handler(db._over_time, 10000)
        else:
            if self.url.dialect == "postgres" and self.separate:
                role = self._ensure_role()
                self.created.append(name)  # before CREATE: if it half-succeeds, close() still drops it
                if template is not None:
                    self._clone_pg(name, template, role)
                else:
                    self._admin_exec(f'CREATE DATABASE "{name}" OWNER "{role}"')
                self._grant(name)
                conn = self._raw_connect(name, as_role=True)
            elif self.url.dialect == "postgres":
                if self._session is None:
                    role = self._ensure_role()
                    session = self.new_name()
                    self.created.insert(0, session)  # before CREATE: if it half-succeeds, close() still drops it
                    self._admin_exec(f'CREATE DATABASE "{session}" OWNER "{role}"')
                    self._grant(session)
                    self._session = session
                self.created.append(name)
                conn = self._raw_connect(self._session, as_role=True)
                conn.execute(f'CREATE SCHEMA "{name}"')
                extra = f", {self.sql.search_path}" if self.sql.search_path else ""
                conn.execute(f'SET search_path TO "{name}"{extra}')
                conn.commit()
            else:
                self._ensure_role()
                self.created.append(name)
                self._admin_exec(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
                self._grant(name)
                conn = self._raw_connect(name, as_role=True)
            db = Database(self, name, conn)
        self.open.append(db)
        return db

    def _clone_pg(self, name: str, template: str, role: str) -> None:
        """PostgreSQL: a copy of one of this run's own databases (``CREATE DATABASE ... TEMPLATE``), which copies
        the files instead of replaying the migrations; the template must have no open connection."""
        if not template.startswith(PREFIX) or template not in self.created:
            raise AssertionError(f"refusing to copy {template!r}: not created here")
        for attempt in range(20):
            try:
                self._admin_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER "{role}"')
                return
            except Exception as e:  # the released connection's server process may take a moment to end
                if "being accessed by other users" not in str(e) or attempt == 19:
                    raise
                time.sleep(0.05)

    def release(self, db: Database) -> None:
        """Close a database's connection (it stays, e.g. to serve as a template) and forget the handle."""
        db.close()
        if db in self.open:
            self.open.remove(db)

    @property
    def session(self) -> str | None:
        """PostgreSQL: the database holding this server's schemas (None elsewhere, or before the first one)."""
        return self._session

    @property
    def can_clone(self) -> bool:
        """Whether ``create(template=...)`` copies a released database instead of the migrations being replayed."""
        return copies_databases(self.url.dialect, self.separate)

    def list_roles(self) -> list[str]:
        """Names of ``cdcompat_`` roles (PostgreSQL) or users (MariaDB/MySQL) on the server now."""
        if self.url.dialect == "sqlite":
            return []
        cur = self._admin.cursor()
        if self.url.dialect == "postgres":
            cur.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'cdcompat\\_%'")
        else:
            cur.execute("SELECT user FROM mysql.user WHERE user LIKE 'cdcompat\\_%'")
        return sorted(str(r[0]) for r in cur.fetchall())

    def list_ours(self) -> list[str]:
        """Names of ``cdcompat_`` databases present on the server now (tests use it to prove cleanup)."""
        if self.url.dialect == "sqlite":
            return sorted(p.stem for p in self._tmp.glob("*.db")) if self._tmp and self._tmp.exists() else []
        cur = self._admin.cursor()
        if self.url.dialect == "postgres":
            cur.execute("SELECT datname FROM pg_database WHERE datname LIKE 'cdcompat\\_%'")
        else:
            cur.execute("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'cdcompat\\_%'")
        return sorted(r[0] for r in cur.fetchall())


class _SqliteDatabase(Database):
    """SQLite in autocommit mode with an explicit transaction, so DDL is transactional as on PostgreSQL."""

    def commit(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("BEGIN")

    def close(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
        except sqlite3.Error:
            pass
        super().close()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")

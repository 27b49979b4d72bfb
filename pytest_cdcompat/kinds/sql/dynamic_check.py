"""The dynamic check: each application version against the other schema, on real throwaway databases.

Timeline (one ``Server``, every database dropped at the end):
1. A gets the OLD migrations (a failure there is bad input: file, line and the database's message); B is a copy
   (SQLite) or a replay (PostgreSQL, MariaDB) and stays at the old schema;
2. A: rows generated for the old schema go in ("existing rows"), more old-application rows are validated against
   the old schema and rolled back; then the branch's migrations run on the data. A failure there is a finding, unless
   they also fail on E, a database with the new migrations and no data (then it is bad input);
3. A: existing rows must read back unchanged, the OLD application's statements run (old app against the new
   schema), and rows it wrote are read as the NEW application reads them: a backfilled column left empty is a lost
   write;
4. B: rows generated for the new schema (validated on A and rolled back) go in through the NEW application's
   statements (new app against the old schema).
Two schema snapshots have no migration between them: each application meets the other schema as it is.
Every finding carries the row, the statement and the database's own error.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

from pytest_cdcompat.core.errors import DatabaseError
from pytest_cdcompat.core.findings import Direction, Finding
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction
from pytest_cdcompat.kinds.sql.database import REFUSED, Database, Server, error_text
from pytest_cdcompat.kinds.sql.internal import guard
from pytest_cdcompat.kinds.sql.introspect import read_tables, reconcile, unmodelled
from pytest_cdcompat.kinds.sql.lost_writes import check_lost_writes, plain_value, same_value
from pytest_cdcompat.kinds.sql.migration_files import Migration
from pytest_cdcompat.kinds.sql.pool import Lease, Refusal, active
from pytest_cdcompat.kinds.sql.queries import Query, driver_sql, target_table
from pytest_cdcompat.kinds.sql.rows import dependency_order, generate
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.sql_settings import parse_sql_settings
from pytest_cdcompat.kinds.sql.tables import Schema, Table, compare_types, enum_values, type_info

_BACKFILL_DECL = re.compile(r"--\s*cd-compat:\s*backfill\s+(\w+)\.(\w+)\s*<-\s*(\w+)\.(\w+)", re.I)
_BACKFILL_SETTING = re.compile(r"^\s*(\w+)\.(\w+)\s*<-\s*(\w+)\.(\w+)\s*$")
_NEEDS_DATABASE = re.compile(r"\bpublic\.|\bcreate\s+(schema|extension)\b|\bsearch_path\b", re.I)
# transaction control written in migration files: the check runs each migration set in its own transaction
_TX_CONTROL = re.compile(r"^\s*(begin|commit|end|start\s+transaction)(\s+(transaction|work))?\s*$", re.I)
# the statements PostgreSQL refuses inside a transaction block, which therefore run on their own in autocommit;
# matched on the statement itself (comments removed), never on a word anywhere in it
_CONCURRENTLY = re.compile(
    r"^\s*(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\s+\(?[^;]*\bconcurrently"
    r"|refresh\s+materialized\s+view\s+concurrently|alter\s+table\s[^;]*\bdetach\s+partition\s[^;]*\bconcurrently)\b",
    re.I,
)
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_PROBE = 20  # rows tried one by one before concluding that every row fails alike
_FK_ERROR = re.compile(r"foreign key", re.I)
_COMPARABLE = {"int", "decimal", "text", "bool", "uuid", "date", "timestamp"}


def run_dynamic(
    old: Contract, new: Contract, change: SqlChange, settings: Settings, seed: int
) -> list[tuple[Direction, Finding]]:
    texts = [st.text for c in (old, new) for m in c.extras["migrations"] for st in m.statements]
    separate = any(_NEEDS_DATABASE.search(t) for t in texts)
    check: _Check | None = None

    def step() -> tuple[str, str | None]:
        if check is None:
            return "setting up the throwaway databases", None
        return check.step, check.at

    sql = parse_sql_settings(settings.sql_settings)
    pool = active()
    with guard(f"{old.source} -> {new.source}", step), ExitStack() as stack:
        lease: Lease | None = None
        if pool is not None and settings.db_url is not None and pool.serves(settings.db_url, separate):
            # a run of many comparisons: the server session, and the databases a history's next step starts from,
            # stay (pool.py)
            old_migs, new_migs = old.extras["migrations"], new.extras["migrations"]
            lease = stack.enter_context(pool.lease(settings.db_url, separate, sql, old_migs, new_migs))
            server = lease.server
        else:
            server = stack.enter_context(Server(settings.db_url, separate_databases=separate, sql=sql))
        check = _Check(server, old, new, change, settings, seed, lease)
        return check.run()


def _finding(rule_id: str, location: str, message: str, counterexample: Any) -> Finding:
    from pytest_cdcompat.proving.loop import shown

    return shown(rule_id, location, message, counterexample)


class _Check:
    def __init__(
        self,
        server: Server,
        old: Contract,
        new: Contract,
        change: SqlChange,
        settings: Settings,
        seed: int,
        lease: Lease | None = None,
    ) -> None:
        self.server = server
        self.lease = lease
        self.old, self.new, self.change = old, new, change
        self.n = settings.examples
        self.declared_backfills = settings.backfills
        self.seed = seed
        self.dialect = server.url.dialect
        self.out: list[tuple[Direction, Finding]] = []
        self.refused: set[str] = set()
        self.step = "setting up the throwaway databases"  # for an internal error's message: where the check was
        self.at: str | None = None

    # --- databases -----------------------------------------------------------------------------------------------
    def apply(
        self, db: Database, migrations: list[Migration], track: bool = True, found: list[Refusal] | None = None
    ) -> tuple[Any, str] | None:
        """Run ``migrations`` on ``db``: ``None``, or the statement that failed and the database's error. ``track``
        keeps the place for an internal error's message and reports refused statements (off for a replay that runs
        beside another one of the same migrations, which reports them); ``found`` collects the refused statements
        by place (migration and statement index), for a replay whose database a later step takes (``pool.py``)."""
        index = (
            {}
            if found is None
            else {id(st): (i, j) for i, m in enumerate(migrations) for j, st in enumerate(m.statements)}
        )
        migrations = [
            replace(m, statements=tuple(st for st in m.statements if not _TX_CONTROL.match(st.text)))
            for m in migrations
        ]
        statements = [st.text for m in migrations for st in m.statements]
        if self.dialect == "postgres" and statements and not any(_outside_tx(t) for t in statements):
            # PostgreSQL runs a whole script in one round trip (simple query protocol, one transaction); only when it
            # fails are the statements replayed one by one, to name the failing file and line
            sp = db.savepoint()
            try:
                db.execute(";\n".join(statements))
                db.commit()
                return None
            except Exception:  # replayed below statement by statement for the exact location and message
                db.rollback_to(sp)
        for m in migrations:
            for s in m.statements:
                if track:
                    self.at = s.location
                if self.dialect == "postgres" and _outside_tx(s.text):
                    error = self.outside_transaction(db, s.text)
                else:
                    error, _ = db.try_migration_statement(s.text)
                if error:
                    if db.timeout_text(error) or "statement_timeout" in error:
                        # a runaway statement (pg_sleep, an endless recursive CTE): not something rows explain
                        raise DatabaseError(f"the migration {error}", path=s.file, line=s.line)
                    refusal = db.refusal()
                    if refusal is None:
                        return s, error
                    if track:
                        self.refuse(s, refusal, error)  # reported; the rest of the migration runs without it
                    if found is not None:
                        found.append((*index[id(s)], refusal, error))
            # one transaction per migration, as migration runners do: PostgreSQL lets a value added to an enum
            # (``ALTER TYPE ... ADD VALUE``) be used only once the transaction that added it has committed
            db.commit()
        return None

    def refuse(self, stmt: Statement, refusal: str, error: str) -> None:
        """A statement the throwaway database's privileges refused: an error in both directions, once."""
        if stmt.location in self.refused:
            return
        self.refused.add(stmt.location)
        for version in ("old", "new"):
            self.out.append(
                (
                    app_direction(version),
                    _finding(
                        "migration-statement-refused",
                        stmt.location,
                        f"statement refused: {refusal} ({REFUSED}); the rest of the migration was checked without it",
                        {"statement": stmt.text, "error": error, "database": self.dialect},
                    ),
                )
            )

    def outside_transaction(self, db: Database, sql: str) -> str | None:
        """PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction: run it on its own."""
        db.commit()
        db.conn.autocommit = True
        try:
            db.execute(sql)
            return None
        except Exception as e:  # the database's verdict on the statement
            return error_text(e)
        finally:
            db.conn.autocommit = False

    def must_apply(self, db: Database, migrations: list[Migration], what: str, track: bool = True) -> None:
        failed = self.apply(db, migrations, track)
        if failed:
            stmt, error = failed
            hint = ""
            if self.dialect == "sqlite" and re.search(r"syntax error|no such", error):
                hint = (
                    " (written for another database? pass --cd-compat-db with a PostgreSQL or MySQL server URL, "
                    "or --cd-compat-examples 0 for the static rules only)"
                )
            if self.refused:
                hint += f" (after the refused statement{'s' if len(self.refused) > 1 else ''} at " + (
                    ", ".join(sorted(self.refused)) + f": {REFUSED})"
                )
            raise DatabaseError(
                f"{what} fails on an empty {self.dialect} database: {error}{hint}", path=stmt.file, line=stmt.line
            )

    def replay_beside(self, db: Database, migrations: list[Migration]) -> Callable[..., Database]:
        """Start applying ``migrations`` to ``db`` in a thread; the function returned waits for it and gives ``db``
        (or raises what the replay raised; ``quiet=True`` waits and raises nothing, when the other replay failed)."""
        box: list[BaseException] = []

        def work() -> None:
            try:
                self.must_apply(db, migrations, "the migration", track=False)
            except BaseException as e:  # handed to the thread that waits
                box.append(e)

        thread = threading.Thread(target=work, name="cdcompat-replay", daemon=True)
        thread.start()

        def ready(quiet: bool = False) -> Database:
            thread.join()
            if box and not quiet:
                raise box[0]
            return db

        return ready

    def replay_found(self, db: Database, migrations: list[Migration], found: list[Refusal]) -> object:
        return self.apply(db, migrations, track=False, found=found)

    def old_schema_db(self, template: str | None, old_migs: list[Migration]) -> Database:
        if template is not None:
            return self.server.create(template=template)
        db = self.server.create()
        self.must_apply(db, old_migs, "the migration")
        return db

    # --- run -----------------------------------------------------------------------------------------------------
    def run(self) -> list[tuple[Direction, Finding]]:
        snapshot = self.change.snapshot
        old_migs = list(self.old.extras["migrations"]) if snapshot else self.change.base_migrations
        branch = list(self.new.extras["migrations"]) if snapshot else self.change.branch_migrations
        # A (the transition) and B (stays at the old schema): on SQLite copies of one template file, elsewhere
        # the old migrations replayed (the first replay is A itself)
        self.enter("applying the old migrations")
        taken = self.lease.take() if self.lease is not None else None
        b: Database | None
        template: str | None = None
        if taken is not None:
            # the step before this one (a history walked in order) replayed these migrations beside its own check
            a, b, refusals = taken
            for i, j, refusal, error in refusals:
                self.refuse(old_migs[i].statements[j], refusal, error)
        else:
            a = self.server.create()
            # without a copy of A, B's replay runs beside A's, on its own connection: the server works on both
            b_ready = None if self.server.can_clone else self.replay_beside(self.server.create(), old_migs)
            try:
                self.must_apply(a, old_migs, "the migration")
            except BaseException:
                if b_ready is not None:
                    b_ready(quiet=True)
                raise
            b = b_ready() if b_ready is not None else None
        if self.lease is not None:
            self.lease.prepare(self.replay_found, list(self.new.extras["migrations"]))
        old_s, new_s = self.change.old, self.change.new
        old_s = self.as_in_database(a, old_s, self.old)
        if b is None:
            self.server.release(a)
            template = a.name
            a = self.server.create(template=template)
            b = self.server.create(template=template)
        if snapshot:
            self.run_snapshots(a, b, branch, old_s, new_s)
            return self.out
        self.enter("inserting rows generated for the old schema")
        existing = self.fill(a, old_s, offset=0, salt=1, hinted=True)
        stored = self.read_stored(a, old_s)  # as the database holds them (triggers and defaults applied)
        later = self.valid_rows(a, old_s, existing, salt=2, offset=self.n)
        self.enter("running the branch's migrations on those rows")
        failed = self.apply(a, branch)
        if failed:
            # E, the new schema on no data, tells a broken migration (bad input) from one the data breaks (finding)
            e = self.old_schema_db(template, old_migs)
            self.must_apply(e, branch, "the migration")
            new_s = self.as_in_database(e, new_s, self.new)
            stmt, error = failed
            tbl = next((op.table for op in self.change.branch_ops if op.stmt == stmt), "")
            self.out.append(
                (
                    app_direction("old"),
                    _finding(
                        "migration-failed-on-existing-rows",
                        stmt.location,
                        f"the migration fails on a database holding rows the old application wrote: {error}",
                        {
                            "statement": stmt.text,
                            "error": error,
                            "rows": existing.get(tbl, [])[:3],
                            "database": self.dialect,
                        },
                    ),
                )
            )
            new_rows = self.valid_rows(e, new_s, {}, salt=3, offset=2 * self.n)
        else:
            new_s = self.as_in_database(a, new_s, self.new)
            self.enter("comparing the existing rows after the migration")
            self.check_existing(a, stored)
            self.enter("running the old application against the new schema")
            self.run_app("old", a, old_s, later, list(self.old.extras["queries"]))
            self.enter("looking for writes lost during the transition")
            self.check_lost_writes(a, later)
            new_rows = self.valid_rows(a, new_s, {}, salt=3, offset=2 * self.n)
        self.enter("running the new application against the old schema")
        self.run_app("new", b, new_s, new_rows, list(self.new.extras["queries"]))
        return self.out

    def as_in_database(self, db: Database, model: Schema, version: Contract) -> Schema:
        """``model`` corrected to what ``db`` holds when the version's migrations have a statement the model could
        not read (``introspect.py``); the model as it is otherwise (reading it back costs a query per table)."""
        if not any(unmodelled(op) for op in version.extras["ops"]):
            return model
        return reconcile(model, read_tables(db))

    def enter(self, step: str) -> None:
        self.step, self.at = step, None

    def run_snapshots(
        self, a: Database, b: Database, new_snapshot: list[Migration], old_s: Schema, new_s: Schema
    ) -> None:
        """Two schema snapshots: no migration between them, so each application meets the other schema as is."""
        e = self.server.create()
        self.must_apply(e, new_snapshot, "the new schema")
        new_s = self.as_in_database(e, new_s, self.new)
        self.fill(e, new_s, offset=0, salt=1)  # a populated new-schema database
        later = self.valid_rows(a, old_s, {}, salt=2, offset=self.n)
        self.run_app("old", e, old_s, later, list(self.old.extras["queries"]))
        # B is empty: the new rows reference only each other (parents are inserted first)
        new_rows = self.valid_rows(e, new_s, {}, salt=3, offset=2 * self.n)
        self.run_app("new", b, new_s, new_rows, list(self.new.extras["queries"]))

    # --- rows ----------------------------------------------------------------------------------------------------
    def insert_sql(self, db: Database, t: Table, cols: list[str]) -> str:
        return (
            f"INSERT INTO {db.quote(t.name)} ({', '.join(db.quote(c) for c in cols)}) "
            f"VALUES ({', '.join([db.placeholder] * len(cols))})"
        )

    def insert(self, db: Database, t: Table, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Any]:
        """Insert rows; (accepted rows, (first rejected row, error) or None)."""
        cols = list(t.columns)
        sql = self.insert_sql(db, t, cols)
        values = [[r.get(c) for c in cols] for r in rows]
        if not rows:
            return rows, None
        # first all rows in one multi-row INSERT (one round trip); only when that fails, row by row
        one = f"({', '.join([db.placeholder] * len(cols))})"
        many = sql[: sql.rindex(" VALUES ")] + " VALUES " + ", ".join([one] * len(rows))
        if len(rows) * len(cols) <= 30000 and db.try_execute(many, [v for row in values for v in row])[0] is None:
            return rows, None
        accepted: list[dict[str, Any]] = []
        failures: list[tuple[dict[str, Any], str]] = []
        for i, (r, v) in enumerate(zip(rows, values, strict=True)):
            if i >= _PROBE and not accepted:
                failures.extend((r2, failures[-1][1]) for r2 in rows[i:])  # every row fails: a schema mismatch
                break
            error, _ = db.try_execute(sql, v)
            if error:
                failures.append((r, error))
            else:
                accepted.append(r)
        # the smallest failing row is the easiest counterexample to read
        first = min(failures, key=lambda f: len(repr(f[0]))) if failures else None
        return accepted, first

    def fill(
        self, db: Database, schema: Schema, offset: int, salt: int, hinted: bool = False
    ) -> dict[str, list[dict[str, Any]]]:
        """Generate and insert rows for every table (parents first); keep the accepted ones. ``hinted``: the rows
        also hold the values the branch's ``UPDATE`` statements rewrite (``SET status = 'done' WHERE status =
        'closed'``), so a rewrite meets rows it rewrites."""
        kept: dict[str, list[dict[str, Any]]] = {}
        hints: dict[str, dict[str, list[Any]]] = {}
        for op in self.change.branch_ops if hinted else ():
            if op.kind == "update":
                for col, values in op.data.get("where_values", {}).items():
                    if col in op.data["sets"]:  # a value rewritten, not rows picked out by another column
                        hints.setdefault(op.table, {}).setdefault(col, []).extend(values)
        for i, t in enumerate(dependency_order(schema)):
            seed = self.seed + salt * 7919 + i
            rows = generate(t, self.dialect, self.n, seed, kept, offset, schema.enums, hints.get(t.name))
            kept[t.name], _ = self.insert(db, t, rows)
        db.commit()
        return kept

    def valid_rows(
        self, db: Database, schema: Schema, parents: dict[str, list[dict[str, Any]]], salt: int, offset: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Rows the writer's own schema accepts, found by inserting them into ``db`` and rolling back."""
        sp = db.savepoint()
        kept: dict[str, list[dict[str, Any]]] = {}
        pool = dict(parents)
        for i, t in enumerate(dependency_order(schema)):
            rows = generate(t, self.dialect, self.n, self.seed + salt * 7919 + i, pool, offset, schema.enums)
            kept[t.name], _ = self.insert(db, t, rows)
            pool[t.name] = list(parents.get(t.name, [])) + kept[t.name]
        db.rollback_to(sp)
        return kept

    # --- the application's statements ----------------------------------------------------------------------------
    def run_app(
        self, version: str, db: Database, schema: Schema, rows: dict[str, list[dict[str, Any]]], queries: list[Query]
    ) -> None:
        direction = app_direction(version)
        who = f"the {version} application"
        against = "the migrated schema" if version == "old" else "the old schema (before the migration)"
        if queries:
            self.run_queries(version, db, schema, rows, queries)
            return
        rejected: set[str] = set()
        for t in dependency_order(schema):
            cols = list(t.columns)
            sql = self.insert_sql(db, t, cols)
            accepted, first = self.insert(db, t, rows.get(t.name, []))
            if first and _FK_ERROR.search(first[1]) and _parents(t) & rejected:
                first = None  # a consequence of the parent rows that were rejected, already reported
            if first or len(accepted) < len(rows.get(t.name, [])):
                rejected.add(t.name)
            rows[t.name] = accepted
            if first:
                row, error = first
                self.out.append(
                    (
                        direction,
                        _finding(
                            "insert-rejected",
                            self.where(t, error),
                            f"{who}'s INSERT into {t.name} fails on {against}: {error}",
                            {"row": row, "statement": sql, "error": error, "database": self.dialect},
                        ),
                    )
                )
            select = f"SELECT {', '.join(db.quote(c) for c in cols)} FROM {db.quote(t.name)}"
            error, _ = db.try_execute(select)
            if error:
                self.out.append(
                    (
                        direction,
                        _finding(
                            "select-failed",
                            self.where(t, error),
                            f"{who}'s SELECT from {t.name} fails on {against}: {error}",
                            {"statement": select, "error": error, "database": self.dialect},
                        ),
                    )
                )
        db.commit()

    def run_queries(
        self, version: str, db: Database, schema: Schema, rows: dict[str, list[dict[str, Any]]], queries: list[Query]
    ) -> None:
        direction = app_direction(version)
        by_table: dict[str, list[Query]] = {}
        for q in queries:
            by_table.setdefault(target_table(q, self.dialect), []).append(q)
        failed: set[str] = set()
        written: dict[str, list[dict[str, Any]]] = {}
        for t in dependency_order(schema):
            for row in rows.get(t.name, []):
                ok = True
                for q in by_table.get(t.name, []):
                    params = {p: row.get(p) for p in q.params}
                    error, _ = db.try_execute(driver_sql(q.text, self.dialect), params)
                    if error and not q.optional:
                        ok = False
                        if q.name not in failed:
                            failed.add(q.name)
                            self.out.append(
                                (
                                    direction,
                                    _finding(
                                        "query-failed",
                                        f"{q.file}:{q.line}",
                                        f"the {version} application's statement {q.name} fails: {error}",
                                        {
                                            "row": row,
                                            "statement": q.text,
                                            "params": params,
                                            "error": error,
                                            "database": self.dialect,
                                        },
                                    ),
                                )
                            )
                if ok:
                    written.setdefault(t.name, []).append(row)
        rows.clear()
        rows.update(written)
        db.commit()

    def where(self, t: Table, error: str) -> str:
        for c in sorted(t.columns, key=len, reverse=True):
            if re.search(rf"\b{re.escape(c)}\b", error):
                return f"{t.name}.{c}"
        return t.name

    # --- existing rows and lost writes ---------------------------------------------------------------------------
    def read_stored(self, db: Database, schema: Schema) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for t in schema.tables.values():
            cols = list(t.columns)
            error, got = db.try_execute(f"SELECT {', '.join(db.quote(c) for c in cols)} FROM {db.quote(t.name)}")
            if not error:
                bits = {c for c in cols if type_info(t.columns[c].spec.type, self.dialect).family == "bit"}
                out[t.name] = [
                    {c: plain_value(_bits(v) if c in bits else v) for c, v in zip(cols, g, strict=True)} for g in got
                ]
        return out

    def check_existing(self, db: Database, existing: dict[str, list[dict[str, Any]]]) -> None:
        for ot, nt in self.change.table_pairs():
            pairs = [
                (oc, nc)
                for nc in nt.columns.values()
                if nc.origin is not None
                and (oc := ot.columns.get(nc.origin)) is not None
                and compare_types(oc.spec.type, nc.spec.type, self.dialect) in ("same", "widened")
                and (
                    type_info(nc.spec.type, self.dialect).family in _COMPARABLE or enum_values(nc.spec.type) is not None
                )
            ]
            excused = self.excused_changes(db, nt)
            # rows are matched by the whole primary key: part of a composite key matches several rows
            pk = list(ot.primary_key)
            kept = {c.origin for c in nt.columns.values()}
            rows = existing.get(ot.name, [])
            if not pairs or not pk or not rows or any(c not in kept for c in pk):
                continue
            new_pk = [nt.columns[self.new_name(nt, c)].name for c in pk]
            cols = [nc.name for _, nc in pairs]
            sql = f"SELECT {', '.join(db.quote(c) for c in [*new_pk, *cols])} FROM {db.quote(nt.name)}"
            error, got = db.try_execute(sql)
            if error:
                continue
            now_by_key = {tuple(str(v) for v in g[: len(pk)]): dict(zip(cols, g[len(pk) :], strict=True)) for g in got}
            for row in rows:
                now = now_by_key.get(tuple(str(row[c]) for c in pk))
                diff = (
                    None
                    if now is None
                    else {
                        oc.name: {"before": row.get(oc.name), "after": plain_value(now[nc.name])}
                        for oc, nc in pairs
                        if not same_value(row.get(oc.name), _bits(now[nc.name]))
                        and not excused(nc.name, row.get(oc.name))
                    }
                )
                if now is None or diff:
                    self.out.append(
                        (
                            app_direction("old"),
                            _finding(
                                "existing-row-changed",
                                self.rewritten_at(nt, set(diff or {})),
                                f"a row of {nt.name} that existed before the migration "
                                + ("is gone" if now is None else f"changed in {', '.join(sorted(diff or {}))}"),
                                {"row": row, "changes": diff, "statement": sql, "database": self.dialect},
                            ),
                        )
                    )
                    break

    def excused_changes(self, db: Database, nt: Table) -> Callable[[str, Any], bool]:
        """Which changes of an existing row's column the migration means and no application meets as a break:

        - a value filled where there was none (a backfill: ``SET new_col = old_col WHERE new_col IS NULL``) in a
          column the branch's ``UPDATE`` sets;
        - a column the branch's ``UPDATE`` sets from other columns or a literal, for rows it picks by the values of
          other columns (a data fix: ``SET timezone = 'Europe/Paris' WHERE code = 'LYS1'``; an ``UPDATE`` of every
          row, or of a range, rewrites data old applications read);
        - a column the database stamps on every update (MariaDB/MySQL ``ON UPDATE CURRENT_TIMESTAMP``).

        Not excused: an ``UPDATE`` that rewrites a column's own values (``SET status = 'done' WHERE status =
        'closed'``, ``SET price = price * 100``: old applications still write and read the old values), and any change
        no ``UPDATE`` of the branch explains (a type conversion, a trigger)."""
        fills: set[str] = set()
        fixes: set[str] = set()
        for op in self.change.branch_ops:
            if op.kind != "update" or op.table != nt.name:
                continue
            for col, info in op.data["sets"].items():
                fills.add(col)
                picked = bool(op.data.get("where_values"))  # rows picked by value (``code = 'LYS1'``), not all
                if picked and col not in info["reads"] and col not in op.data.get("where_columns", ()):
                    fixes.add(col)
        stamped = self.stamped_columns(db, nt) if fills else set()

        def excused(col: str, before: Any) -> bool:
            name = col.lower()
            return (before is None and name in fills) or name in fixes or name in stamped

        return excused

    def stamped_columns(self, db: Database, nt: Table) -> set[str]:
        if self.dialect != "mysql":
            return set()
        error, got = db.try_execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
            "AND table_name = %s AND LOWER(extra) LIKE %s",
            (nt.name, "%on update%"),
        )
        return set() if error else {str(g[0]).lower() for g in got}

    def rewritten_at(self, nt: Table, columns: set[str]) -> str:
        """Where a changed row was changed: the branch's ``UPDATE`` of the table that sets one of ``columns`` (its
        migration statement), else the table."""
        for op in self.change.branch_ops:
            if op.kind == "update" and op.table == nt.name and columns & set(op.data.get("sets", {})):
                return op.stmt.location
        return nt.name

    def new_name(self, nt: Table, old_col: str) -> str:
        for c in nt.columns.values():
            if c.origin == old_col:
                return c.name
        return old_col

    def backfills(self) -> list[tuple[Table, Table, str, list[str], Any]]:
        """(old table, new table, new column, old source columns, statement) for each column filled from others."""
        out = []
        added = {(nt.name, c.name) for _, nt, c in self.change.added_columns()}
        pairs = {nt.name: (ot, nt) for ot, nt in self.change.table_pairs()}
        for op in self.change.branch_ops:
            if op.kind != "update" or op.table not in pairs:
                continue
            ot, nt = pairs[op.table]
            for col, info in op.data["sets"].items():
                srcs = [s for s in info["reads"] if nt.columns.get(s) is not None and nt.columns[s].origin]
                if (nt.name, col) in added and srcs:
                    out.append((ot, nt, col, [nt.columns[s].origin or s for s in srcs], op.stmt))
        for decl in self.declared_backfills:  # from the settings: "table.new <- table.old"
            d = _BACKFILL_SETTING.match(decl)
            if d and d.group(1) in pairs and d.group(1) == d.group(3):
                ot, nt = pairs[d.group(1)]
                out.append((ot, nt, d.group(2), [d.group(4)], Statement("settings", 0, f"backfill {decl}")))
        for m in self.change.branch_migrations:
            for d in _BACKFILL_DECL.finditer(m.text):
                if d.group(1) in pairs and d.group(1) == d.group(3):
                    ot, nt = pairs[d.group(1)]
                    line = m.text.count("\n", 0, d.start()) + 1
                    out.append((ot, nt, d.group(2), [d.group(4)], Statement(m.path, line, d.group(0))))
        return out

    def check_lost_writes(self, db: Database, written: dict[str, list[dict[str, Any]]]) -> None:
        old_queries = list(self.old.extras["queries"])
        self.out += check_lost_writes(
            db, written, self.backfills(), self.new_name, self.insert_sql, old_queries, self.dialect
        )


def _outside_tx(sql: str) -> bool:
    return bool(_CONCURRENTLY.match(_COMMENTS.sub(" ", sql)))


def _parents(t: Table) -> set[str]:
    return {rt for _, rt, _, _, _ in t.fks} | {c.spec.references[0] for c in t.columns.values() if c.spec.references}


def _bits(v: Any) -> Any:
    """A BIT value as the number it holds (MariaDB returns BIT(n) as bytes, big-endian)."""
    return int.from_bytes(v, "big") if isinstance(v, (bytes, bytearray)) else v

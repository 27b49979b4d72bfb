"""The lost-write check: a column the migration backfills once, left empty in rows the old application wrote later.

Step 3 of the dynamic check (``dynamic_check``): after the branch's migrations ran on the data, the old application's
rows went in; a column the migration filled from other columns (a declared or detected backfill) must not be empty
in those rows where its sources are set, or the new application loses the write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pytest_cdcompat.core.findings import Direction, Finding
from pytest_cdcompat.kinds.sql.change import app_direction
from pytest_cdcompat.kinds.sql.database import Database
from pytest_cdcompat.kinds.sql.queries import Query, target_table
from pytest_cdcompat.kinds.sql.tables import Table

# (old table, new table, new column, old source columns, statement that fills it)
Backfill = tuple[Table, Table, str, list[str], Any]


def check_lost_writes(
    db: Database,
    written: dict[str, list[dict[str, Any]]],
    backfills: list[Backfill],
    new_name: Callable[[Table, str], str],
    insert_sql: Callable[[Database, Table, list[str]], str],
    old_queries: list[Query],
    dialect: str,
) -> list[tuple[Direction, Finding]]:
    """One ``write-lost-during-transition`` error (old application first) per backfill the old application defeats.

    ``written`` holds the rows the old application wrote after the migration, by old table name; ``new_name`` maps an
    old column to its name in the new table; the counterexample shows the old application's insert (its own
    statements when it has any, else the generated ``insert_sql``)."""
    from pytest_cdcompat.proving.loop import shown

    out: list[tuple[Direction, Finding]] = []
    for ot, nt, col, srcs, stmt in backfills:
        rows = [r for r in written.get(ot.name, []) if all(r.get(s) is not None for s in srcs)]
        if not rows or col not in nt.columns:
            continue
        src_new = [new_name(nt, s) for s in srcs]
        cols = [*src_new, col]
        sql = (
            f"SELECT {', '.join(db.quote(c) for c in cols)} FROM {db.quote(nt.name)} WHERE "
            f"{db.quote(col)} IS NULL AND " + " AND ".join(f"{db.quote(c)} IS NOT NULL" for c in src_new)
        )
        error, got = db.try_execute(sql)
        if error or not got:
            continue
        found = []
        for g in got:
            seen = dict(zip(cols, g, strict=True))
            for r in rows:
                if all(same_value(r.get(s), seen[n]) for s, n in zip(srcs, src_new, strict=True)):
                    found.append((r, seen))
                    break
        if not found:
            continue  # only rows that existed before the migration: existing-row checks cover them
        row, lost = min(found, key=lambda p: len(repr(p[0])))
        out.append(
            (
                app_direction("old"),
                shown(
                    "write-lost-during-transition",
                    stmt.location,
                    f"{nt.name}.{col} is filled from {', '.join(srcs)} only once, by the migration: a row the old "
                    f"application wrote afterwards has {', '.join(srcs)} set and {col} empty, so the new application "
                    f"loses that write ({len(got)} of {len(rows)} rows)",
                    {
                        "row written by the old application": row,
                        "insert": insert_sql(db, ot, list(ot.columns))
                        if not old_queries
                        else [q.text for q in old_queries if target_table(q, dialect) == ot.name],
                        "read by the new application": {k: plain_value(v) for k, v in lost.items()},
                        "select": sql,
                        "backfill": stmt.text,
                        "database": dialect,
                    },
                ),
            )
        )
    return out


def plain_value(v: Any) -> Any:
    """A value read from a database driver as JSON can show it (dates, decimals, UUIDs as text)."""
    return v if isinstance(v, (int, float, str, bool)) or v is None else str(v)


def same_value(a: Any, b: Any) -> bool:
    """Whether a value written and the value a driver reads back are the same (types and formats differ by driver)."""
    if a is None or b is None:
        return a is None and b is None
    if a == b or str(a) == str(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (InvalidOperation, ValueError):
        pass
    return _as_text(a) == _as_text(b)


def _as_text(value: Any) -> str:
    """A value as a driver's text shows it: dates and times in ISO form (a date and its time joined by a space,
    however it was written), CHAR padding dropped."""
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    if _ISO_T.match(text):
        text = text[:10] + " " + text[11:]
    return text.rstrip()


_ISO_T = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:")

"""Rows for a table, generated with hypothesis from the column types and constraints of one schema version.

Built by construction where the schema says how: values within each type's range with its boundaries mixed in
(the longest string a VARCHAR holds, the largest integer), NULL only where nullable, simple CHECKs (``IN``, ``>``,
``BETWEEN``) turned into bounds, foreign keys drawn from the parent rows already inserted (tables are generated in
dependency order), UNIQUE and primary-key columns made distinct by a per-row suffix. What cannot be expressed is
judged by the database itself: the caller inserts each row into a database of the writer's own schema version and
keeps only the rows it accepts. Generation is seeded and uses no example database, so runs are reproducible.
Hypothesis draws values once per column shape (``_column_pool``); rows are dealt from those pools.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from pytest_cdcompat.kinds.sql.tables import Schema, Table, enum_values, type_info, unique_sets
from pytest_cdcompat.proving.driver import collect

POOL = 30  # values drawn by hypothesis per column shape; rows deal these out
MAX_BATCH = 10  # values per hypothesis example: bigger batches overrun hypothesis' per-example data budget
_INT_RANGE = {
    1: 127,
    1.5: 255,
    2: 32767,
    2.5: 65535,
    3: 8388607,
    3.5: 16777215,
    4: 2**31 - 1,
    4.5: 2**32 - 1,
    8: 2**63 - 1,
    8.5: 2**64 - 1,
}
# mostly readable ASCII (counterexamples are read by people), with a few multi-byte characters to catch encodings
# (a plain string alphabet: hypothesis draws whole strings from it at once, per-character strategies are slow)
_ALPHABET = "".join(chr(c) for c in range(32, 127)) + "éüßøœ€漢"


def dependency_order(schema: Schema) -> list[Table]:
    """Tables with every referenced table first (cycles and self-references broken by name order)."""
    deps: dict[str, set[str]] = {}
    for t in schema.tables.values():
        refs = {rt for _, rt, _, _, _ in t.fks} | {
            c.spec.references[0] for c in t.columns.values() if c.spec.references
        }
        deps[t.name] = {r for r in refs if r in schema.tables and r != t.name}
    out: list[str] = []
    seen: set[str] = set()

    def visit(name: str, stack: frozenset[str]) -> None:
        if name in seen or name in stack:
            return
        for d in sorted(deps[name]):
            visit(d, stack | {name})
        seen.add(name)
        out.append(name)

    for name in sorted(deps):
        visit(name, frozenset())
    return [schema.tables[n] for n in out]


def _check_bounds(t: Table, column: str) -> dict[str, Any]:
    """Bounds from simple CHECK expressions on ``column``: {"in": [...], "min": x, "max": y}."""
    out: dict[str, Any] = {}
    exprs = [e for e, _, _ in t.checks] + list(t.columns[column].spec.checks)
    col = re.escape(column)
    for e in exprs:
        if m := re.fullmatch(rf"\(?\s*\"?{col}\"?\s+IN\s*\((.*)\)\s*\)?", e, re.I | re.S):
            out["in"] = [_literal(v) for v in re.findall(r"'(?:[^']|'')*'|-?\d+(?:\.\d+)?", m.group(1))]
        elif m := re.fullmatch(rf"\(?\s*\"?{col}\"?\s*(>=|>|<=|<)\s*(-?\d+(?:\.\d+)?)\s*\)?", e):
            op, v = m.group(1), Decimal(m.group(2))
            if op == ">":
                out["min"] = v + 1
            elif op == ">=":
                out["min"] = v
            elif op == "<":
                out["max"] = v - 1
            else:
                out["max"] = v
        elif m := re.fullmatch(rf"\(?\s*\"?{col}\"?\s+BETWEEN\s+(-?\d+)\s+AND\s+(-?\d+)\s*\)?", e, re.I):
            out["min"], out["max"] = Decimal(m.group(1)), Decimal(m.group(2))
    return out


def _literal(v: str) -> Any:
    if v.startswith("'"):
        return v[1:-1].replace("''", "'")
    return int(v) if re.fullmatch(r"-?\d+", v) else Decimal(v)


def value_strategy(
    t: Table, column: str, dialect: str, enums: dict[str, list[str]] | None = None
) -> st.SearchStrategy[Any]:
    spec = t.columns[column].spec
    info = type_info(spec.type, dialect)
    bounds = _check_bounds(t, column)
    if bounds.get("in"):
        return st.sampled_from(bounds["in"])
    enum_values = (enums or {}).get(spec.type.lower()) or _inline_enum(spec.type)
    if enum_values:
        return st.sampled_from(enum_values)
    if spec.type.endswith("[]"):
        return st.just("{}")  # an empty array literal: arrays are rare in migrations' shared columns
    if info.family == "int":
        hi = _INT_RANGE.get(info.size, 2**31 - 1)
        lo: int = 0 if info.size % 1 else -hi - 1  # x.5: unsigned
        lo = max(lo, int(bounds.get("min", lo)))
        hi = min(hi, int(bounds.get("max", hi)))
        return st.one_of(st.integers(lo, hi), st.sampled_from(sorted({lo, hi, max(lo, min(hi, 0))})))
    if info.family == "decimal":
        digits = int(info.size) if info.size != float("inf") else 12
        scale = info.scale
        top = Decimal(10) ** (digits - scale) - (Decimal(1) / (Decimal(10) ** scale) if scale else 1)
        dlo, dhi = Decimal(bounds.get("min", -top)), Decimal(bounds.get("max", top))
        return st.one_of(st.decimals(dlo, dhi, places=scale, allow_nan=False), st.sampled_from([dlo, dhi])).map(str)
    if info.family == "float":
        lo_f = float(bounds.get("min", -1e6))
        hi_f = float(bounds.get("max", 1e6))
        return st.integers(int(lo_f), int(hi_f)).map(float)  # exact in every float width: reads compare equal
    if info.family == "text":
        n = int(info.size) if info.size != float("inf") else 200
        if info.raw.startswith("CHAR") and dialect != "sqlite":
            return st.text(_ALPHABET, min_size=n, max_size=n).map(lambda s: s.rstrip() + "x" * (n - len(s.rstrip())))
        # long strings are a short drawn pattern repeated: the boundary lengths at the cost of a few draws
        short = st.text(_ALPHABET, max_size=min(n, 12))
        pattern = st.text(_ALPHABET, min_size=1, max_size=6)
        medium = st.tuples(pattern, st.integers(0, n)).map(lambda p: (p[0] * p[1])[: p[1]])
        full = pattern.map(lambda s: (s * n)[:n])
        return st.one_of(short, short, medium, full)
    if info.family == "bool":
        return st.booleans()
    if info.family == "date":
        from datetime import date

        return st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(lambda d: d.isoformat())
    if info.family in ("timestamp", "timestamptz"):
        from datetime import datetime

        return st.datetimes(datetime(1971, 1, 1), datetime(2037, 12, 31)).map(
            lambda d: d.replace(microsecond=0).isoformat(sep=" ")
        )
    if info.family == "time":
        from datetime import time

        return st.times().map(lambda v: time(v.hour, v.minute, v.second).isoformat())
    if info.family == "year":
        return st.integers(1901, 2155)
    if info.family == "bit":
        return st.integers(0, 2 ** min(int(info.size), 16) - 1)
    if info.family == "inet":
        return st.ip_addresses(v=4).map(str)
    if info.family == "json":
        return st.dictionaries(st.text("abcdef", min_size=1, max_size=5), st.integers(0, 100), max_size=3).map(
            json.dumps
        )
    if info.family == "uuid":
        return st.uuids().map(str)
    if info.family == "binary":
        n = int(info.size) if info.size != float("inf") else 32
        return st.binary(max_size=n)
    return st.text("abcdefghij", max_size=8)


def _inline_enum(type_sql: str) -> list[str]:
    """MySQL's ENUM('a', 'b') / SET(...) column types."""
    found = enum_values(type_sql)
    return found[1] if found is not None else []


# column shape -> values hypothesis drew for it; shared by every table, row set, direction and step of a process
_POOLS: dict[tuple[Any, ...], list[Any]] = {}
_POOLS_MAX = 4096


def _column_pool(t: Table, column: str, dialect: str, enums: dict[str, list[str]] | None) -> list[Any]:
    """``POOL`` values for a column, drawn by hypothesis once per column shape (type, nullability, CHECK bounds,
    enum values, dialect) and seeded by the shape alone, so the values do not depend on what was drawn before."""
    spec = t.columns[column].spec
    bounds = _check_bounds(t, column)
    enum_values = (enums or {}).get(spec.type.lower()) or _inline_enum(spec.type)
    key = (dialect, spec.type, spec.not_null, repr(sorted(bounds.items())), tuple(enum_values))
    pool = _POOLS.get(key)
    if pool is None:
        base = value_strategy(t, column, dialect, enums)
        if not spec.not_null:
            base = st.one_of(base, base, base, st.none())
        strategy = st.lists(base, min_size=MAX_BATCH, max_size=MAX_BATCH)
        drawn = collect(strategy, examples=-(-POOL // MAX_BATCH) + 1, seed=zlib.crc32(repr(key).encode()))
        # distinct values (a repeated one would collide in a column the other version keeps UNIQUE); hypothesis
        # starts with an all-minimal batch, whose values come last
        seen: set[tuple[type, Any]] = set()
        pool = []
        for v in (v for batch in drawn[1:] + drawn[:1] for v in batch):
            if (type(v), v) not in seen:
                seen.add((type(v), v))
                pool.append(v)
        del pool[POOL:]
        if len(_POOLS) < _POOLS_MAX:
            _POOLS[key] = pool
    return pool


def _order(pool: list[Any], rng: random.Random) -> list[Any]:
    """The pool shuffled, with its boundary values first (the longest value, the smallest and largest number), so
    that even a few rows carry the values a narrowed type or a new constraint rejects."""
    rest = list(pool)
    rng.shuffle(rest)
    first: list[Any] = []
    present = [v for v in rest if v is not None]
    if present:
        first.append(max(present, key=lambda v: len(str(v))))
        numbers = [v for v in present if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if numbers:
            first += [min(numbers), max(numbers)]
    for v in first:
        if v in rest:
            rest.remove(v)
    return first + rest


def generate(
    t: Table,
    dialect: str,
    n: int,
    seed_value: int,
    parents: dict[str, list[dict[str, Any]]],
    offset: int = 0,
    enums: dict[str, list[str]] | None = None,
    hints: dict[str, list[Any]] | None = None,
) -> list[dict[str, Any]]:
    """``n`` rows for ``t``; ``offset`` keeps unique values distinct from rows generated earlier for the same table;
    ``hints`` are values a column's first rows take (the values a migration's ``UPDATE ... WHERE`` looks for).

    Each column's values come from its shape's pool (hypothesis draws cost about 50 µs each, and drawing every row
    of every table of a 100-table schema took most of a check); a seeded generator deals them into rows, each
    column going through its pool in its own order (then drawing from it at random), and foreign keys take values of the parent rows."""
    if n <= 0:
        return []
    rng = random.Random(seed_value)
    fk_cols: dict[str, tuple[str, str]] = {}
    for cols, rt, rc, _, _ in t.fks:
        if len(cols) == 1:
            fk_cols[cols[0]] = (rt, rc)
    for c in t.columns.values():
        if c.spec.references:
            fk_cols[c.name] = c.spec.references
    dealt: dict[str, list[Any]] = {}
    for c in t.columns.values():
        if c.name in fk_cols:
            rt, rc = fk_cols[c.name]
            refs = [r.get(rc or "id") for r in parents.get(rt, []) if r.get(rc or "id") is not None]
            dealt[c.name] = [
                None if not refs or (not c.spec.not_null and rng.random() < 0.25) else rng.choice(refs)
                for _ in range(n)
            ]
        else:
            order = _order(_column_pool(t, c.name, dialect, enums), rng) or [None]
            wanted = (hints or {}).get(c.name.lower(), [])
            order = [*wanted, *(v for v in order if v not in wanted)]
            dealt[c.name] = [order[i] if i < len(order) else rng.choice(order) for i in range(n)]
    rows = [{c: dealt[c][i] for c in t.columns} for i in range(n)]
    _make_unique(t, rows, dialect, offset)
    return rows


AUTO_GAP = 20_000  # fits every auto-numbered type from SMALLINT (32,767) up


def _make_unique(t: Table, rows: list[dict[str, Any]], dialect: str, offset: int) -> None:
    fk = {cols[0] for cols, _, _, _, _ in t.fks if len(cols) == 1} | {
        c.name for c in t.columns.values() if c.spec.references
    }
    cols = sorted({c for s in unique_sets(t) for c in s[:1]} - fk)
    for name in cols:
        info = type_info(t.columns[name].spec.type, dialect)
        # an auto-numbered key: rows written later (offset > 0) take numbers far past those the database hands out
        # meanwhile (a trigger's own INSERTs during the migration), which an application never chooses itself
        past = AUTO_GAP if offset and t.columns[name].spec.auto and info.family == "int" and info.size >= 2 else 0
        for i, row in enumerate(rows):
            k = offset + i + 1 + past
            v = row.get(name)
            if info.family == "int":
                row[name] = k
            elif info.family == "text":
                suffix = f"~{k}"
                limit = int(info.size) if info.size != float("inf") else 200
                row[name] = (str(v or "") if v is not None else "")[: max(0, limit - len(suffix))] + suffix
            elif info.family == "decimal":
                row[name] = str(k)
            elif info.family == "uuid":
                row[name] = f"00000000-0000-4000-8000-{k:012d}"

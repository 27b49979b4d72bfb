"""Replay schema operations into tables, and compare column types by dialect.

The replay is what both the loader (the schema each version ends at) and the rules (what the branch changed) read.
Each table and column remembers its ``origin``: its name when the branch started, carried through renames, ``None``
when the branch created it. Pairing old and new by origin is how a rename is told from a drop plus an add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pytest_cdcompat.kinds.sql.ops import ColumnSpec, Op, quoted_values
from pytest_cdcompat.kinds.sql.split import Statement


@dataclass
class Column:
    spec: ColumnSpec
    origin: str | None
    changed_by: dict[str, Statement] = field(default_factory=dict)  # fact -> the statement that last changed it

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class Table:
    name: str
    origin: str | None
    columns: dict[str, Column] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    uniques: list[tuple[tuple[str, ...], str, Statement | None]] = field(default_factory=list)  # (cols, name, stmt)
    checks: list[tuple[str, str, Statement | None]] = field(default_factory=list)  # (expr, name, stmt)
    fks: list[tuple[tuple[str, ...], str, str, str, Statement | None]] = field(default_factory=list)
    indexes: dict[str, tuple[tuple[str, ...], bool, Statement | None]] = field(default_factory=dict)
    triggers: list[str] = field(default_factory=list)
    created_by: Statement | None = None


@dataclass
class Schema:
    tables: dict[str, Table] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # ops naming tables/columns that do not exist
    dropped: dict[str, Table] = field(default_factory=dict)  # tables of the base dropped by the branch, by name
    enums: dict[str, list[str]] = field(default_factory=dict)  # PostgreSQL enum types: name -> values

    def copy_as_base(self) -> Schema:
        """A deep copy whose every table and column has its current name as origin (the start of a branch)."""
        out = Schema(enums={k: list(v) for k, v in self.enums.items()})
        for t in self.tables.values():
            nt = replace(
                t,
                origin=t.name,
                columns={},
                uniques=list(t.uniques),
                checks=list(t.checks),
                fks=list(t.fks),
                indexes=dict(t.indexes),
                triggers=list(t.triggers),
            )
            for c in t.columns.values():
                nt.columns[c.name] = Column(c.spec, c.name, {})
            out.tables[t.name] = nt
        return out


def unique_sets(t: Table) -> set[tuple[str, ...]]:
    sets = {cols for cols, _, _ in t.uniques}
    sets |= {(c.name,) for c in t.columns.values() if c.spec.unique}
    sets |= {cols for cols, unique, _ in t.indexes.values() if unique}
    if t.primary_key:
        sets.add(t.primary_key)
    return sets


def apply(schema: Schema, op: Op, base: bool = False) -> None:
    """Apply one op in place; ``base`` marks ops replayed before the branch (their objects get an origin)."""
    t = schema.tables.get(op.table)
    if op.kind == "create_table":
        if op.data.get("if_not_exists") and op.table in schema.tables:
            return  # CREATE TABLE IF NOT EXISTS on an existing table changes nothing
        table = Table(op.table, op.table if base else None, created_by=op.stmt)
        for spec in op.data["columns"]:
            table.columns[spec.name] = Column(spec, spec.name if base else None)
        pk = tuple(c.name for c in op.data["columns"] if c.primary_key)
        table.primary_key = pk
        schema.tables[op.table] = table
        return
    if op.kind in ("other", "update", "delete"):
        return
    if op.kind == "create_enum":
        schema.enums[op.table] = list(op.data["values"])
        return
    if op.kind == "add_enum_value":
        schema.enums.setdefault(op.table, []).append(op.data["value"])
        return
    if t is None:
        if op.kind not in ("drop_index",):
            schema.unknown.append(f"{op.stmt.location}: table {op.table!r} does not exist")
        elif op.kind == "drop_index":
            for tt in schema.tables.values():
                tt.indexes.pop(op.data["name"], None)
        return
    col = t.columns.get(op.column or "")
    if op.kind == "drop_table":
        del schema.tables[op.table]
        if t.origin is not None:
            schema.dropped[t.name] = t
    elif op.kind == "rename_table":
        del schema.tables[op.table]
        t.name = op.data["to"]
        schema.tables[t.name] = t
        gone = schema.dropped.pop(t.name, None)
        if t.origin is None and gone is not None:
            # SQLite's table rebuild (create new_x, copy, drop x, rename new_x to x) keeps the table: pair it with
            # the dropped one, column by column, so only real column changes are reported
            t.origin = gone.origin
            for c in t.columns.values():
                if c.name in gone.columns:
                    c.origin = gone.columns[c.name].origin
                    if c.spec.type != gone.columns[c.name].spec.type:
                        c.changed_by.setdefault("type", t.created_by or op.stmt)
                    if c.spec.not_null != gone.columns[c.name].spec.not_null:
                        c.changed_by.setdefault("not_null", t.created_by or op.stmt)
                    if c.spec.default != gone.columns[c.name].spec.default:
                        c.changed_by.setdefault("default", t.created_by or op.stmt)
    elif op.kind == "add_column" and op.data.get("if_not_exists") and op.column in t.columns:
        pass  # ADD COLUMN IF NOT EXISTS on an existing column changes nothing
    elif op.kind == "add_column":
        added: ColumnSpec = op.data["spec"]
        t.columns[added.name] = Column(added, added.name if base else None, {"added": op.stmt})
        if added.primary_key:
            t.primary_key = (added.name,)
    elif op.kind == "add_primary_key":
        t.primary_key = tuple(op.data["columns"])
        for key in t.primary_key:
            if key in t.columns:
                t.columns[key].spec = replace(t.columns[key].spec, not_null=True)
    elif op.kind == "add_unique":
        t.uniques.append((tuple(op.data["columns"]), op.data.get("name", ""), op.stmt))
    elif op.kind == "add_check":
        t.checks.append((op.data["expr"], op.data.get("name", ""), op.stmt))
    elif op.kind == "add_fk":
        t.fks.append(
            (tuple(op.data["columns"]), op.data["ref_table"], op.data["ref_column"], op.data.get("name", ""), op.stmt)
        )
    elif op.kind == "create_index":
        t.indexes[op.data["name"]] = (tuple(op.data["columns"]), op.data["unique"], op.stmt)
    elif op.kind == "drop_index":
        t.indexes.pop(op.data["name"], None)
        t.uniques = [u for u in t.uniques if u[1] != op.data["name"]]  # MySQL: a UNIQUE KEY is an index
    elif op.kind == "drop_constraint":
        name = op.data["name"]
        t.uniques = [u for u in t.uniques if u[1] != name]
        t.checks = [c for c in t.checks if c[1] != name]
        t.fks = [f for f in t.fks if f[3] != name]
    elif op.kind == "trigger":
        t.triggers.append(op.data["name"])
    elif col is None:
        schema.unknown.append(f"{op.stmt.location}: column {op.table}.{op.column} does not exist")
    elif op.kind == "drop_column":
        del t.columns[col.name]
        _drop_from_keys(t, col.name)
    elif op.kind == "rename_column":
        del t.columns[col.name]
        old_name = col.name
        col.spec = replace(col.spec, name=op.data["to"])
        col.changed_by["renamed"] = op.stmt
        t.columns[col.name] = col
        _rename_in_keys(schema, t, old_name, col.name)
    elif op.kind == "alter_type":
        col.spec = replace(col.spec, type=op.data["type"])
        col.changed_by["type"] = op.stmt
    elif op.kind == "set_not_null":
        col.spec = replace(col.spec, not_null=True)
        col.changed_by["not_null"] = op.stmt
    elif op.kind == "drop_not_null":
        col.spec = replace(col.spec, not_null=False)
        col.changed_by["not_null"] = op.stmt
    elif op.kind == "set_default":
        col.spec = replace(col.spec, default=op.data["default"])
        col.changed_by["default"] = op.stmt
    elif op.kind == "drop_default":
        col.spec = replace(col.spec, default=None)
        col.changed_by["default"] = op.stmt
    elif op.kind == "redefine_column":
        new: ColumnSpec = op.data["spec"]
        old = col.spec
        for fact, same in (
            ("type", new.type == old.type),
            ("not_null", new.not_null == old.not_null),
            ("default", new.default == old.default),
        ):
            if not same:
                col.changed_by[fact] = op.stmt
        col.spec = replace(new, unique=new.unique or old.unique, primary_key=old.primary_key or new.primary_key)


def _rename_in_keys(schema: Schema, t: Table, old: str, new: str) -> None:
    """A renamed column keeps its keys, indexes, checks and the foreign keys that reference it (the server renames
    them with the column)."""

    def cols(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if n == old else n for n in names)

    word = re.compile(rf"\b{re.escape(old)}\b")
    t.primary_key = cols(t.primary_key)
    t.uniques = [(cols(c), name, stmt) for c, name, stmt in t.uniques]
    t.checks = [(word.sub(new, expr), name, stmt) for expr, name, stmt in t.checks]
    t.fks = [(cols(c), rt, rc, name, stmt) for c, rt, rc, name, stmt in t.fks]
    t.indexes = {k: (cols(c), u, stmt) for k, (c, u, stmt) in t.indexes.items()}
    for c in t.columns.values():
        if any(word.search(expr) for expr in c.spec.checks):
            c.spec = replace(c.spec, checks=tuple(word.sub(new, expr) for expr in c.spec.checks))
    for other in schema.tables.values():
        other.fks = [(c, rt, new if rt == t.name and rc == old else rc, n, st) for c, rt, rc, n, st in other.fks]
        for c in other.columns.values():
            if c.spec.references == (t.name, old):
                c.spec = replace(c.spec, references=(t.name, new))


def _drop_from_keys(t: Table, name: str) -> None:
    """A dropped column takes the keys and indexes that hold it along (PostgreSQL, MySQL and SQLite agree)."""
    t.primary_key = () if name in t.primary_key else t.primary_key
    t.uniques = [u for u in t.uniques if name not in u[0]]
    t.fks = [f for f in t.fks if name not in f[0]]
    t.indexes = {k: v for k, v in t.indexes.items() if name not in v[0]}


def replay(ops: list[Op], base: bool = False, schema: Schema | None = None) -> Schema:
    schema = schema or Schema()
    for op in ops:
        apply(schema, op, base)
    return schema


# --- types ---------------------------------------------------------------------------------------------------------

_INT_BYTES = {
    "UTINYINT": 1,
    "USMALLINT": 2,
    "UMEDIUMINT": 3,
    "UINT": 4,
    "UBIGINT": 8,  # sqlglot's unsigned names
    "TINYINT": 1,
    "SMALLINT": 2,
    "SMALLSERIAL": 2,
    "MEDIUMINT": 3,
    "INT": 4,
    "INTEGER": 4,
    "SERIAL": 4,
    "BIGINT": 8,
    "BIGSERIAL": 8,
    "INT2": 2,
    "INT4": 4,
    "INT8": 8,
}
_FLOAT_BYTES = {
    "REAL": 4,
    "FLOAT": 4,  # sqlglot spells single precision FLOAT (PostgreSQL real, MySQL float)
    "DOUBLE": 8,
    "DOUBLE PRECISION": 8,
    "FLOAT4": 4,
    "FLOAT8": 8,
}
_TEXT = {
    "CHAR",
    "VARCHAR",
    "TEXT",
    "NVARCHAR",
    "NCHAR",
    "CHARACTER VARYING",
    "CHARACTER",
    "TINYTEXT",
    "MEDIUMTEXT",
    "LONGTEXT",
    "STRING",
    "CLOB",
    "CITEXT",
}
_TEXT_MAX = {"TINYTEXT": 255, "TEXT": 65535, "MEDIUMTEXT": 16777215}


@dataclass(frozen=True)
class TypeInfo:
    family: str  # int, float, decimal, text, bool, date, time, timestamp, timestamptz, json, uuid, binary, other
    size: float  # bytes for numbers, max length for text (inf when unbounded), precision for decimals
    scale: int = 0
    raw: str = ""


def type_info(sql_type: str, dialect: str = "postgres") -> TypeInfo:
    t = sql_type.upper().strip()
    m = re.match(r"^([A-Z ]+?)\s*(?:\((\d+)(?:\s*,\s*(\d+))?\))?(\s+UNSIGNED)?(\[\])?$", t)
    base = m.group(1).strip() if m else t
    n = int(m.group(2)) if m and m.group(2) else None
    scale = int(m.group(3)) if m and m.group(3) else 0
    if base in _INT_BYTES:
        if dialect == "sqlite":
            return TypeInfo("int", 8, raw=t)  # every INTEGER is 64-bit in SQLite
        unsigned = (base.startswith("U") and base != "UUID") or bool(m and m.group(4))
        return TypeInfo("int", int(_INT_BYTES[base]) + (0.5 if unsigned else 0), raw=t)
    if base in _FLOAT_BYTES:
        return TypeInfo("float", _FLOAT_BYTES[base], raw=t)
    if base in ("DECIMAL", "NUMERIC"):
        return TypeInfo("decimal", n if n is not None else float("inf"), scale, raw=t)
    if base in _TEXT:
        if base in ("TEXT", "STRING", "CLOB", "LONGTEXT", "MEDIUMTEXT", "CITEXT") and n is None:
            # sqlglot spells MySQL's LONGTEXT and MEDIUMTEXT as TEXT too: treat TEXT as unbounded everywhere
            return TypeInfo("text", float("inf"), raw=t)
        size = float(n) if n is not None else float(_TEXT_MAX.get(base, float("inf")) if base != "CHAR" else 1)
        if base in ("VARCHAR", "CHARACTER VARYING") and n is None:
            size = float("inf")
        return TypeInfo("text", size, raw=t)
    if base in ("BOOLEAN", "BOOL"):
        return TypeInfo("bool", 1, raw=t)
    if base in ("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"):
        return TypeInfo("timestamptz", 8, raw=t)
    if base in ("TIMESTAMP", "DATETIME"):
        return TypeInfo("timestamp", 8, raw=t)
    if base == "DATE":
        return TypeInfo("date", 4, raw=t)
    if base in ("TIME", "TIMETZ"):
        return TypeInfo("time", 8, raw=t)
    if base == "YEAR":
        return TypeInfo("year", 2, raw=t)
    if base == "BIT":
        return TypeInfo("bit", float(n or 1), raw=t)
    if base == "MONEY":
        return TypeInfo("decimal", 15, 2, raw=t)
    if base in ("INET", "CIDR"):
        return TypeInfo("inet", 16, raw=t)
    if base in ("JSON", "JSONB"):
        return TypeInfo("json", float("inf"), raw=t)
    if base == "UUID":
        return TypeInfo("uuid", 16, raw=t)
    if base in ("BLOB", "BYTEA", "VARBINARY", "BINARY"):
        return TypeInfo("binary", float(n) if n else float("inf"), raw=t)
    return TypeInfo("other", 0, raw=t)


# SQLite stores these as the text the application wrote, whatever the declared type: a UUID column has NUMERIC
# affinity, but a UUID string never looks like a number, so it is kept as TEXT, exactly as in a TEXT column
_SQLITE_AS_TEXT = {"text", "uuid", "json"}


def _int_range(t: TypeInfo) -> tuple[int, int]:
    bits = int(t.size) * 8
    if t.size % 1:  # unsigned
        return 0, 2**bits - 1
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def compare_types(old: str, new: str, dialect: str) -> str:
    """``same``, ``widened`` (every old value fits the new type), ``narrowed`` (the reverse) or ``changed``.

    Judged by the values each type can hold: ``BIT(1)`` holds 0 and 1, which ``TINYINT(1)`` holds too; a MySQL
    ``ENUM``/``SET`` holds its listed values (one more listed is a widening, one fewer a narrowing)."""
    ea, eb = enum_values(old), enum_values(new)
    if ea is not None or eb is not None:
        return _compare_enums(ea, eb, type_info(old, dialect), type_info(new, dialect))
    a, b = type_info(old, dialect), type_info(new, dialect)
    if (a.family, a.size, a.scale) == (b.family, b.size, b.scale):
        return "same"
    if dialect == "sqlite" and {a.family, b.family} <= _SQLITE_AS_TEXT and "text" in {a.family, b.family}:
        if a.size == b.size == float("inf") or a.family != b.family:
            return "same"  # no length or format is enforced: the same text is stored and read back
    if {a.family, b.family} <= {"bit", "int", "bool"} and "bit" in {a.family, b.family}:

        def values(t: TypeInfo) -> tuple[int, int]:
            if t.family == "bit":
                return 0, 2 ** int(t.size) - 1
            if t.family == "bool":
                return 0, 1
            return _int_range(t)

        (lo_a, hi_a), (lo_b, hi_b) = values(a), values(b)
        if (lo_a, hi_a) == (lo_b, hi_b):
            return "same"
        if lo_b <= lo_a and hi_a <= hi_b:
            return "widened"
        if lo_a <= lo_b and hi_b <= hi_a:
            return "narrowed"
        return "changed"
    if a.family == b.family and a.family != "other":
        if a.family == "decimal":
            ints_a, ints_b = a.size - a.scale, b.size - b.scale
            if ints_b >= ints_a and b.scale >= a.scale:
                return "widened"
            if ints_b <= ints_a and b.scale <= a.scale:
                return "narrowed"
            return "changed"
        if a.family == "int" and (a.size % 1) != (b.size % 1):  # signedness differs (x.5 = unsigned)
            if a.size % 1 and int(b.size) > int(a.size):
                return "widened"  # e.g. INT UNSIGNED -> BIGINT
            return "changed" if int(b.size) >= int(a.size) else "narrowed"  # signed -> unsigned loses negatives
        return "widened" if b.size > a.size else "narrowed"
    if {a.family, b.family} == {"int", "decimal"}:
        small, big = (a, b) if a.family == "int" else (b, a)
        if dialect == "sqlite":  # NUMERIC affinity stores every integer exactly; INTEGER affinity keeps 1.5 as REAL
            return "widened" if a is small else "narrowed"
        digits = {1: 3, 2: 5, 3: 7, 4: 10, 4.5: 10, 8: 19}.get(small.size, 20)
        fits = big.size - big.scale >= digits
        if fits:
            return "widened" if a is small else "narrowed"
        return "changed"
    if a.family == "int" and b.family == "float" and b.size == 8 and a.size <= 4:
        return "widened"
    if b.family == "text" and b.size == float("inf") and a.family in ("int", "decimal", "uuid") and dialect == "sqlite":
        return "widened"
    return "changed"


_ENUM_TYPE = re.compile(r"^\s*(ENUM|SET)\s*\((.*)\)\s*$", re.I | re.S)


def enum_values(type_sql: str) -> tuple[str, list[str]] | None:
    """``("ENUM", values)`` or ``("SET", values)`` of a MySQL ``ENUM(...)``/``SET(...)`` type, values in their
    order; ``None`` otherwise."""
    m = _ENUM_TYPE.match(type_sql)
    if m is None:
        return None
    return m.group(1).upper(), quoted_values(m.group(2))


def compare_value_sets(old: frozenset[str], new: frozenset[str]) -> str:
    """``same``, ``widened`` (a value added), ``narrowed`` (a value removed) or ``changed`` (both)."""
    if old == new:
        return "same"
    if old < new:
        return "widened"
    return "narrowed" if new < old else "changed"


def _compare_enums(a: tuple[str, list[str]] | None, b: tuple[str, list[str]] | None, ta: TypeInfo, tb: TypeInfo) -> str:
    if a is not None and b is not None:
        return compare_value_sets(frozenset(a[1]), frozenset(b[1])) if a[0] == b[0] else "changed"
    enum, text, widening = (a, tb, True) if a is not None else (b, ta, False)
    assert enum is not None
    if enum[0] == "ENUM" and text.family == "text" and all(len(v) <= text.size for v in enum[1]):
        return "widened" if widening else "narrowed"  # every listed value fits the text column
    return "changed"

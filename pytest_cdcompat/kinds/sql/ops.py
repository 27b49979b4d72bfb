"""Turn each migration statement into schema operations, with sqlglot (a maintained multi-dialect SQL parser).

An ``Op`` is one schema-level fact of a statement: ``add_column``, ``rename_column``, ``alter_type``, ``add_unique``,
``update`` (with the columns it sets and reads, so a backfill ``UPDATE t SET new = f(old)`` is recognised) ... Rules
and the schema replay read ops, never SQL text. Statements sqlglot cannot parse (PL/pgSQL bodies, MySQL ``DELIMITER``
tricks) become an ``other`` op: the database itself judges them when the dynamic check applies the migration.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import sqlglot
from sqlglot import exp

from pytest_cdcompat.kinds.sql.split import Statement

logging.getLogger("sqlglot").setLevel(logging.ERROR)

_DO_BLOCK = re.compile(r"^\s*do\s+(?:language\s+plpgsql\s+)?(\$\w*\$)(.*)\1\s*(?:language\s+plpgsql\s*)?$", re.I | re.S)
_PLPGSQL_IF = re.compile(r"^(?:else\s+|elsif\b.*?\bthen\s+|if\b.*?\bthen\s+)", re.I | re.S)
_PLPGSQL_SKIP = re.compile(
    r"^(?:end(?:\s+if|\s+loop)?|begin|declare\b.*|exception\b.*|raise\b.*|perform\b.*|)$", re.I | re.S
)
_SCHEMA_VERBS = re.compile(r"^(?:alter|create|drop|comment|update|delete|insert|truncate)\b", re.I)
_RENAME_TABLE = re.compile(r"^\s*rename\s+table\s+(.+)$", re.I | re.S)
_ENUM = re.compile(r"^\s*create\s+type\s+[`\"]?([\w.]+)[`\"]?\s+as\s+enum\s*\((.*)\)\s*$", re.I | re.S)
_ENUM_ADD = re.compile(
    r"^\s*alter\s+type\s+[`\"]?([\w.]+)[`\"]?\s+add\s+value\s+(?:if\s+not\s+exists\s+)?"
    r"'((?:[^']|'')*)'",
    re.I | re.S,
)
_TRIGGER = re.compile(
    r"^\s*create\s+(?:or\s+replace\s+)?(?:definer\s*=\s*\S+\s+)?trigger\s+(?:if\s+not\s+exists\s+)?"
    r"[`\"]?(\w+)[`\"]?.*?\bon\s+[`\"]?(\w+)[`\"]?",
    re.I | re.S,
)


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str  # normalised SQL type, e.g. "VARCHAR(20)", "INT"
    not_null: bool = False
    default: str | None = None
    primary_key: bool = False
    unique: bool = False
    checks: tuple[str, ...] = ()
    references: tuple[str, str] | None = None  # (table, column)
    auto: bool = False  # serial / autoincrement / identity: the database fills it


@dataclass(frozen=True)
class Op:
    kind: str
    table: str
    stmt: Statement
    column: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


# the dialect of the statement being read: identifier case follows the server (see ``fold``)
_DIALECT: ContextVar[str] = ContextVar("cdcompat_sql_dialect", default="sqlite")


def fold(name: str, quoted: bool, table: bool) -> str:
    """An identifier as the server resolves it: PostgreSQL folds unquoted names to lower case and keeps quoted ones;
    MariaDB/MySQL (on Linux, ``lower_case_table_names=0``) keeps table names as written and matches columns in any
    case; SQLite matches every name in any case."""
    dialect = _DIALECT.get()
    if dialect == "postgres":
        return name if quoted else name.lower()
    if dialect == "mysql" and table:
        return name
    return name.lower()


def _quoted(node: exp.Expression) -> bool:
    ident = node if isinstance(node, exp.Identifier) else node.args.get("this")
    return bool(isinstance(ident, exp.Identifier) and ident.args.get("quoted"))


def name_of(node: exp.Expression | None) -> str:
    if node is None:
        return ""
    if isinstance(node, exp.Table):
        return fold(node.name, _quoted(node), table=True)
    if isinstance(node, (exp.Column, exp.Identifier)):
        return fold(node.name, _quoted(node), table=False)
    return node.sql().strip('`"').lower()


def type_sql(dtype: exp.Expression | None, dialect: str) -> str:
    """The type in sqlglot's neutral spelling (the SQLite dialect would turn VARCHAR(20) into TEXT(20))."""
    if dtype is None:
        return ""
    return dtype.sql()  # already upper case; ENUM('a', 'b') values keep their case


def column_spec(col: exp.ColumnDef, dialect: str) -> ColumnSpec:
    dtype = col.args.get("kind")
    tsql = type_sql(dtype, dialect)
    not_null = primary = unique = auto = False
    default: str | None = None
    checks: list[str] = []
    ref: tuple[str, str] | None = None
    if isinstance(dtype, exp.DataType) and dtype.this in (
        exp.DataType.Type.SERIAL,
        exp.DataType.Type.BIGSERIAL,
        exp.DataType.Type.SMALLSERIAL,
    ):
        auto = True
    for c in col.args.get("constraints") or []:
        kind = c.args.get("kind") if isinstance(c, exp.ColumnConstraint) else c
        if isinstance(kind, exp.NotNullColumnConstraint):
            not_null = not kind.args.get("allow_null")
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            primary = not_null = True
        elif isinstance(kind, exp.UniqueColumnConstraint):
            unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            default = kind.this.sql(dialect=dialect) if kind.this is not None else None
        elif isinstance(kind, exp.CheckColumnConstraint):
            checks.append(kind.this.sql(dialect=dialect))
        elif isinstance(kind, exp.Reference):
            ref = _reference(kind)
        elif isinstance(kind, (exp.AutoIncrementColumnConstraint, exp.GeneratedAsIdentityColumnConstraint)):
            auto = True
    name = fold(col.name, _quoted(col), table=False)
    return ColumnSpec(name, tsql, not_null, default, primary, unique, tuple(checks), ref, auto)


def _reference(ref: exp.Reference) -> tuple[str, str]:
    target = ref.this
    if isinstance(target, exp.Schema):
        cols = [name_of(e) for e in target.expressions]  # every referenced column, comma-separated
        return name_of(target.this), ",".join(cols)
    return name_of(target), ""


def _table_constraint(node: exp.Expression, table: str, stmt: Statement, dialect: str) -> list[Op]:
    cname = ""
    if isinstance(node, exp.Constraint):
        cname = name_of(node.this)
        ops = [op for e in node.expressions for op in _table_constraint(e, table, stmt, dialect)]
        for op in ops:
            op.data["name"] = cname
        return ops
    if isinstance(node, exp.PrimaryKey):
        return [Op("add_primary_key", table, stmt, data={"columns": [name_of(e) for e in node.expressions]})]
    if isinstance(node, exp.UniqueColumnConstraint):
        schema = node.this
        cols = [name_of(e) for e in schema.expressions] if isinstance(schema, exp.Schema) else []
        if isinstance(schema, exp.Schema) and schema.this is not None:  # MySQL: UNIQUE KEY name (cols)
            cname = cname or name_of(schema.this)
        return [Op("add_unique", table, stmt, data={"columns": cols, "name": cname})]
    if isinstance(node, exp.IndexColumnConstraint):  # MySQL: KEY name (cols)
        cols = [name_of(e) for e in node.expressions]
        return [Op("create_index", table, stmt, data={"name": name_of(node.this), "columns": cols, "unique": False})]
    if isinstance(node, exp.CheckColumnConstraint):
        return [Op("add_check", table, stmt, data={"expr": node.this.sql(dialect=dialect), "name": cname})]
    if isinstance(node, exp.ForeignKey):
        ref = node.args.get("reference")
        rt, rc = _reference(ref) if isinstance(ref, exp.Reference) else ("", "")
        cols = [name_of(e) for e in node.expressions]
        return [Op("add_fk", table, stmt, data={"columns": cols, "ref_table": rt, "ref_column": rc, "name": cname})]
    return []


def parse_statement(stmt: Statement, dialect: str) -> list[Op]:
    """The operations of one statement; ``other`` when sqlglot cannot read it."""
    token = _DIALECT.set(dialect)
    try:
        return _parse_statement(stmt, dialect)
    finally:
        _DIALECT.reset(token)


def quoted_values(text: str) -> list[str]:
    """The SQL string literals in ``text``, in order and unquoted (``'it''s', 'b'`` -> ``["it's", "b"]``): the
    values of an enum type or of an ``ENUM(...)``/``SET(...)`` column."""
    return [v[1:-1].replace("''", "'") for v in re.findall(r"'(?:[^']|'')*'", text)]


def _parse_statement(stmt: Statement, dialect: str) -> list[Op]:
    if m := _ENUM.match(stmt.text):  # PostgreSQL enums: the values matter to the rows generated
        values = quoted_values(m.group(2))
        return [Op("create_enum", m.group(1).lower().split(".")[-1], stmt, data={"values": values})]
    if m := _ENUM_ADD.match(stmt.text):
        return [
            Op("add_enum_value", m.group(1).lower().split(".")[-1], stmt, data={"value": m.group(2).replace("''", "'")})
        ]
    if m := _TRIGGER.match(stmt.text):
        return [
            Op(
                "trigger",
                fold(m.group(2), stmt.text[m.start(2) - 1 : m.start(2)] == '"', table=True),
                stmt,
                data={"name": m.group(1).lower()},
            )
        ]
    if m := _DO_BLOCK.match(stmt.text):
        return _do_block(m.group(2), stmt, dialect)
    if m := _RENAME_TABLE.match(stmt.text):  # MySQL: RENAME TABLE a TO b, c TO d
        ops = []
        for pair in m.group(1).split(","):
            a, _, b = pair.partition(" TO ") if " TO " in pair else pair.lower().partition(" to ")
            ops.append(
                Op(
                    "rename_table",
                    fold(a.strip(' `"'), True, True),
                    stmt,
                    data={"to": fold(b.strip(' `"'), True, True)},
                )
            )
        return ops
    try:
        tree = sqlglot.parse_one(stmt.text, read=dialect)
    except sqlglot.errors.SqlglotError as e:
        return [Op("other", "", stmt, data={"parse_error": str(e).splitlines()[0]})]
    if not isinstance(tree, exp.Expression):
        return [Op("other", "", stmt)]
    return _ops(tree, stmt, dialect)


def _do_block(body: str, stmt: Statement, dialect: str) -> list[Op]:
    """The schema statements of a PostgreSQL ``DO`` block, read as if they ran (the usual guard, ``IF NOT EXISTS
    (...) THEN ALTER TABLE ... ADD COLUMN ...``, runs them when they change something). A statement built at run time
    (``EXECUTE format(...)``) or a loop is not modelled: the block is then an ``other`` op, judged by the database."""
    ops: list[Op] = []
    inner = re.sub(r"--[^\n]*", "", body)
    for piece in inner.split(";"):
        text = piece.strip()
        while (m := _PLPGSQL_IF.match(text)) or text.lower().startswith("begin"):
            text = text[m.end() :].strip() if m else text[5:].strip()
        if _PLPGSQL_SKIP.match(text):
            continue
        if not _SCHEMA_VERBS.match(text):
            return [Op("other", "", stmt, data={"unmodelled": "a DO block with dynamic SQL or control flow"})]
        for op in _parse_statement(replace(stmt, text=text), dialect):
            if op.kind == "other":
                return [Op("other", "", stmt, data={"unmodelled": "a DO block statement sqlglot cannot read"})]
            if op.kind in ("add_column", "create_table"):
                op.data["if_not_exists"] = True  # guarded: it runs only when the object is missing
            ops.append(Op(op.kind, op.table, stmt, op.column, op.data))
    return ops or [Op("other", "", stmt)]


def _ops(tree: exp.Expression, stmt: Statement, dialect: str) -> list[Op]:
    if isinstance(tree, exp.Create):
        kind = (tree.args.get("kind") or "").upper()
        if kind == "TABLE" and isinstance(tree.this, exp.Schema):
            table = name_of(tree.this.this)
            cols = [column_spec(c, dialect) for c in tree.this.expressions if isinstance(c, exp.ColumnDef)]
            guarded = bool(tree.args.get("exists"))  # CREATE TABLE IF NOT EXISTS
            ops = [Op("create_table", table, stmt, data={"columns": cols, "if_not_exists": guarded})]
            for node in tree.this.expressions:
                if not isinstance(node, exp.ColumnDef):
                    ops.extend(_table_constraint(node, table, stmt, dialect))
            return ops
        if kind == "INDEX" and isinstance(tree.this, exp.Index):
            idx = tree.this
            params = idx.args.get("params")
            idx_cols = [
                name_of(o.this if isinstance(o, exp.Ordered) else o)
                for o in (params.args.get("columns") if params else []) or []
            ]
            return [
                Op(
                    "create_index",
                    name_of(idx.args.get("table")),
                    stmt,
                    data={"name": name_of(idx.this), "columns": idx_cols, "unique": bool(tree.args.get("unique"))},
                )
            ]
        return [Op("other", "", stmt)]
    if isinstance(tree, exp.Drop):
        kind = (tree.args.get("kind") or "").upper()
        targets = [name_of(t) for t in tree.args.get("tables") or []]
        if kind == "TABLE":
            return [Op("drop_table", t, stmt) for t in targets]
        if kind == "INDEX":
            on = tree.args.get("cluster")
            table = name_of(on.this) if isinstance(on, exp.OnProperty) else ""
            return [Op("drop_index", table, stmt, data={"name": t}) for t in targets]
        return [Op("other", "", stmt)]
    if isinstance(tree, exp.Alter) and (tree.args.get("kind") or "").upper() == "TABLE":
        table = name_of(tree.this)
        ops = []
        for action in tree.args.get("actions") or []:
            ops.extend(_alter_action(action, table, stmt, dialect))
        return ops
    if isinstance(tree, exp.Update):
        table = name_of(tree.this)
        sets: dict[str, dict[str, Any]] = {}
        for eq in tree.expressions:
            if isinstance(eq, exp.EQ):
                reads = sorted({c.name.lower() for c in eq.expression.find_all(exp.Column)})
                sets[name_of(eq.this)] = {"expr": eq.expression.sql(dialect=dialect), "reads": reads}
        where = tree.args.get("where")
        data = {
            "sets": sets,
            "where": where is not None,
            "where_values": _compared_values(where),
            "where_columns": sorted({c.name.lower() for c in where.find_all(exp.Column)}) if where else [],
        }
        return [Op("update", table, stmt, data=data)]
    if isinstance(tree, exp.Delete):
        return [Op("delete", name_of(tree.this), stmt, data={"where": tree.args.get("where") is not None})]
    if isinstance(tree, exp.TruncateTable):
        return [Op("delete", name_of(t), stmt, data={"where": False, "truncate": True}) for t in tree.expressions]
    return [Op("other", "", stmt)]


def _alter_action(action: exp.Expression, table: str, stmt: Statement, dialect: str) -> list[Op]:
    if isinstance(action, exp.ColumnDef):
        return [
            Op(
                "add_column",
                table,
                stmt,
                action.name.lower(),
                {"spec": column_spec(action, dialect), "if_not_exists": bool(action.args.get("exists"))},
            )
        ]
    if isinstance(action, exp.Drop):
        if (action.args.get("kind") or "").upper() == "COLUMN":
            return [Op("drop_column", table, stmt, name_of(t)) for t in action.args.get("tables") or []]
        if (action.args.get("kind") or "").upper() in ("INDEX", "KEY"):  # MySQL: ALTER TABLE t DROP INDEX i
            return [Op("drop_index", table, stmt, data={"name": name_of(t)}) for t in action.args.get("tables") or []]
        if (action.args.get("kind") or "").upper() == "CONSTRAINT":
            names = [name_of(t) for t in action.args.get("tables") or []]
            return [Op("drop_constraint", table, stmt, data={"name": n}) for n in names]
        return [Op("other", table, stmt)]
    if isinstance(action, exp.RenameColumn):
        return [Op("rename_column", table, stmt, name_of(action.this), {"to": name_of(action.args.get("to"))})]
    if isinstance(action, exp.AlterRename):
        return [Op("rename_table", table, stmt, data={"to": name_of(action.this)})]
    if isinstance(action, exp.AlterColumn):
        col = name_of(action.this)
        if action.args.get("dtype") is not None:
            return [Op("alter_type", table, stmt, col, {"type": type_sql(action.args["dtype"], dialect)})]
        if action.args.get("allow_null") is False:
            return [Op("set_not_null", table, stmt, col)]
        if action.args.get("allow_null") is True:
            return [Op("drop_not_null", table, stmt, col)]
        if action.args.get("default") is not None:
            return [Op("set_default", table, stmt, col, {"default": action.args["default"].sql(dialect=dialect)})]
        if action.args.get("drop"):
            return [Op("drop_default", table, stmt, col)]
        return [Op("other", table, stmt)]
    if isinstance(action, exp.ModifyColumn):  # MySQL CHANGE/MODIFY: a whole new column definition
        spec = column_spec(action.this, dialect)
        old = name_of(action.args.get("rename_from")) or spec.name
        ops = []
        if old != spec.name:
            ops.append(Op("rename_column", table, stmt, old, {"to": spec.name}))
        ops.append(Op("redefine_column", table, stmt, spec.name, {"spec": spec}))
        return ops
    if isinstance(action, exp.AddConstraint):
        return [op for e in action.expressions for op in _table_constraint(e, table, stmt, dialect)]
    return [Op("other", table, stmt)]


def _literal(node: exp.Expression) -> Any:
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        text = str(node.this)
        try:
            return int(text)
        except ValueError:
            return float(text)
    return _NO_LITERAL


_NO_LITERAL = object()


def _compared_values(where: exp.Expression | None) -> dict[str, list[Any]]:
    """The literals a ``WHERE`` compares columns with (``status = 'closed'``, ``kind IN ('a', 'b')``): the values
    the rows an ``UPDATE`` rewrites hold, so that generated rows hold them too."""
    out: dict[str, list[Any]] = {}
    if where is None:
        return out
    for node in where.find_all(exp.EQ, exp.In):
        col, values = node.this, []
        if isinstance(node, exp.EQ):
            if not isinstance(col, exp.Column):
                col, values = node.expression, [_literal(node.this)]
            else:
                values = [_literal(node.expression)]
        else:
            values = [_literal(e) for e in node.expressions]
        found = [v for v in values if v is not _NO_LITERAL]
        if isinstance(col, exp.Column) and found:
            known = out.setdefault(col.name.lower(), [])
            known.extend(v for v in found if v not in known)
    return out

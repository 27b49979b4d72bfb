"""The application's own statements: ``queries/*.sql`` beside a version's migrations (optional).

Without them each application version is modelled by an INSERT of every column it knows and a SELECT of every column
by name, per table. With them, each named statement runs with parameters bound from a generated row::

    -- name: create_user
    INSERT INTO users (id, email) VALUES (:id, :email);
    -- name: mirror_email (optional)
    UPDATE users SET email_address = :email WHERE id = :id;

``(optional)`` marks a statement whose failure the application tolerates (the preemptive double write that must
work before and after the migration). Where they are looked for: ``<migrations>/queries/``, then
``<migrations>/../queries/<name of the migrations folder>/``, then ``<migrations>/../queries/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pytest_cdcompat.kinds.sql.split import split

_NAME = re.compile(r"^\s*--\s*name:\s*([\w.-]+)\s*(\(optional\))?", re.I | re.M)
PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    file: str
    line: int
    optional: bool = False

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.text)


def load_queries(source: Any) -> list[Query]:
    from pytest_cdcompat.kinds.sql.migration_files import is_folder, list_folder
    from pytest_cdcompat.kinds.sql.migrations import read_text

    if not is_folder(source):
        return []
    rel = source.rel
    candidates = [rel / "queries", rel.parent / "queries" / rel.name, rel.parent / "queries"]
    for folder in candidates:
        names = [n for n in list_folder(source, folder) if n.endswith(".sql")]
        if names:
            out: list[Query] = []
            for n in names:
                out.extend(parse_queries(read_text(source, folder / n), f"queries/{n}"))
            return out
    return []


def parse_queries(text: str, file: str) -> list[Query]:
    out = []
    for k, stmt in enumerate(split(text, file)):
        m = _NAME.search(_leading_comments(text, stmt.line))
        name = m.group(1) if m else f"{PurePosixPath(file).stem}_{k + 1}"
        out.append(Query(name, stmt.text, file, stmt.line, bool(m and m.group(2))))
    return out


def _leading_comments(text: str, line: int) -> str:
    lines = text.split("\n")[: line - 1]
    block = []
    for ln in reversed(lines):
        if ln.strip().startswith("--"):
            block.append(ln)
        elif ln.strip():
            break
    return "\n".join(reversed(block))


def driver_sql(text: str, dialect: str) -> str:
    """``:name`` parameters in the driver's style (SQLite takes them as they are; psycopg/PyMySQL want %(name)s)."""
    if dialect == "sqlite":
        return text
    return PARAM.sub(lambda m: f"%({m.group(1)})s", text.replace("%", "%%"))


def target_table(q: Query, dialect: str) -> str:
    """The table a statement writes or reads first (by name), or "" when sqlglot cannot tell."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(PARAM.sub("NULL", q.text), read=dialect)
    except sqlglot.errors.SqlglotError:
        return ""
    table = tree.find(exp.Table)
    return table.name.lower() if table is not None else ""

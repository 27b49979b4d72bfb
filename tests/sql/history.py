"""A generator of migration histories that look like real ones, for the robustness tests and ``bench_sql.py``.

``write_history(folder, dialect, tables, migrations, seed)`` writes numbered migrations for one dialect (``sqlite``,
``postgres``, ``mysql``) with what real histories hold: many tables with dialect-specific types (``jsonb``, ``uuid``,
``bytea``, ``BLOB``, ``TINYINT(1)``, ``ENUM(...)``), foreign keys, indexes and unique keys, triggers, quoted
identifiers, ``IF EXISTS`` / ``IF NOT EXISTS``, comments, data migrations (``INSERT ... SELECT``, a table created and
filled), column swaps done as add/copy/drop/rename, table rebuilds (rename away, create, copy, drop), and on
PostgreSQL ``CREATE TYPE ... AS ENUM``, ``ALTER TYPE``, ``COMMENT ON``, functions and ``DO`` blocks. Deterministic
for a seed; every history applies cleanly to an empty database of its dialect.
"""

from __future__ import annotations

import random
from pathlib import Path

TYPES = {
    "sqlite": ["integer", "text", "varchar(80)", "numeric(10, 2)", "BLOB", "boolean", "date", "real"],
    "postgres": [
        "integer",
        "text",
        "varchar(80)",
        "numeric(10, 2)",
        "bytea",
        "boolean",
        "date",
        "jsonb",
        "uuid",
        "timestamptz",
        "bigint",
    ],
    "mysql": [
        "int",
        "text",
        "varchar(80)",
        "decimal(10, 2)",
        "BLOB",
        "TINYINT(1)",
        "date",
        "ENUM('a', 'b', 'c')",
        "datetime",
        "bigint",
    ],
}


def q(dialect: str, name: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


class _History:
    def __init__(self, dialect: str, seed: int) -> None:
        self.d = dialect
        self.rng = random.Random(seed)
        self.tables: dict[str, dict[str, str]] = {}  # table -> column -> type
        self.migrations: list[str] = []
        self.n_index = 0
        self.parent: dict[str, str] = {}  # child table -> the table its foreign key references
        self.indexed: set[tuple[str, str]] = set()  # (table, column) with an index: SQLite cannot drop those

    def add(self, text: str) -> None:
        self.migrations.append(text)

    # --- building blocks ------------------------------------------------------------------------------------------
    def create_table(self, i: int) -> None:
        name = f"t{i}"
        cols = {"id": "integer", "code": "varchar(40)"}
        extra = self.rng.sample(TYPES[self.d], 3)
        for k, t in enumerate(extra):
            cols[f"c{k}"] = t
        parent = f"t{i - 1}" if i % 4 and f"t{i - 1}" in self.tables else None
        lines = ["    id integer PRIMARY KEY", "    code varchar(40) NOT NULL"]
        lines += [f"    c{k} {t}" for k, t in enumerate(extra)]
        if parent:
            self.parent[name] = parent
            cols["parent_id"] = "integer"
            lines.append(f"    parent_id integer REFERENCES {parent} (id)")
        lines.append("    UNIQUE (code)")
        ine = "IF NOT EXISTS " if i % 3 == 0 else ""
        self.tables[name] = cols
        self.add(f"-- {name}: created\nCREATE TABLE {ine}{name} (\n" + ",\n".join(lines) + "\n);\n")

    def index(self, t: str) -> str:
        self.n_index += 1
        col = self.rng.choice([c for c, ty in self.tables[t].items() if ty not in ("text", "BLOB", "bytea", "jsonb")])
        ine = "IF NOT EXISTS " if self.d != "mysql" else ""
        self.indexed.add((t, col))
        return f"CREATE INDEX {ine}ix_{t}_{self.n_index} ON {t} ({col});\n"

    def add_column(self, t: str, k: int) -> str:
        ty = self.rng.choice(TYPES[self.d])
        self.tables[t][f"x{k}"] = ty
        default = " DEFAULT 0 NOT NULL" if ty in ("integer", "int", "bigint") and k % 2 else ""
        return f"ALTER TABLE {t} ADD COLUMN x{k} {ty}{default};\n"

    def trigger(self, t: str, k: int) -> str:
        if self.d == "sqlite":
            return (
                f"CREATE TRIGGER trg_{t}_{k} AFTER INSERT ON {t}\nBEGIN\n"
                f"    UPDATE {t} SET code = code WHERE id = NEW.id;\nEND;\n"
            )
        if self.d == "postgres":
            return (
                f"CREATE OR REPLACE FUNCTION fn_{t}_{k}() RETURNS trigger AS $$\nBEGIN\n"
                f"    NEW.code := coalesce(NEW.code, '');\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n"
                f"CREATE TRIGGER trg_{t}_{k} BEFORE INSERT ON {t} FOR EACH ROW EXECUTE FUNCTION fn_{t}_{k}();\n"
            )
        return (
            f"CREATE TRIGGER trg_{t}_{k} BEFORE INSERT ON {t} FOR EACH ROW\n"
            f"    SET NEW.code = coalesce(NEW.code, '');\n"
        )

    def data(self, t: str, k: int) -> str:
        """A table created and filled from another, with INSERT ... SELECT."""
        name = f"{t}_stats{k}"
        self.tables[name] = {"id": "integer", "code": "varchar(40)"}
        return (
            f"CREATE TABLE {name} (id integer PRIMARY KEY, code varchar(40) NOT NULL);\n"
            f"INSERT INTO {name} (id, code) SELECT id, code FROM {t} WHERE code IS NOT NULL;\n"
        )

    def swap_type(self, t: str, k: int) -> str:
        """A column's type changed by add/copy/drop/rename (the way SQLite and cautious teams do it)."""
        choices = sorted(
            (t2, c)
            for t2, cols in self.tables.items()
            for c, ty in cols.items()
            if c.startswith("x") and ty != "text" and (t2, c) not in self.indexed
        )
        if not choices:
            return self.add_column(t, k)
        t, col = self.rng.choice(choices)
        self.tables[t][col] = "text"
        return (
            f"ALTER TABLE {t} ADD COLUMN {col}_new text;\n"
            f"UPDATE {t} SET {col}_new = CAST({col} AS {'CHAR' if self.d == 'mysql' else 'TEXT'});\n"
            f"ALTER TABLE {t} DROP COLUMN {col};\n"
            f"ALTER TABLE {t} RENAME COLUMN {col}_new TO {col};\n"
        )

    def rebuild(self, t: str) -> str:
        """A table rebuilt: renamed away, created again with the same columns, copied, the old one dropped."""
        free = sorted(
            t2 for t2 in self.tables if t2.startswith("t") and "_stats" not in t2 and t2 not in self.parent.values()
        )
        if not free:
            return self.index(t)  # a table in a foreign key is not rebuilt here (as in most real histories)
        t = self.rng.choice(free)
        cols = self.tables[t]
        defs = ",\n".join(
            f"    {c} {ty}{' PRIMARY KEY' if c == 'id' else ''}{' NOT NULL UNIQUE' if c == 'code' else ''}"
            f"{f' REFERENCES {self.parent[t]} (id)' if c == 'parent_id' else ''}"
            for c, ty in cols.items()
        )
        names = ", ".join(cols)
        return (
            f"ALTER TABLE {t} RENAME TO {t}_old;\n"
            f"CREATE TABLE {t} (\n{defs}\n);\n"
            f"INSERT INTO {t} ({names}) SELECT {names} FROM {t}_old;\n"
            f"DROP TABLE {t}_old;\n"
        )

    def quoted(self, k: int) -> str:
        name = f"Order Items {k}"
        self.tables[name] = {"id": "integer", "Qty": "integer"}
        return f"CREATE TABLE {q(self.d, name)} (id integer PRIMARY KEY, {q(self.d, 'Qty')} integer DEFAULT 1);\n"

    def postgres_only(self, t: str, k: int) -> str:
        kind = (k // 9) % 3
        if kind == 0:
            self.tables[t][f"state{k}"] = f"state{k}"
            return (
                f"CREATE TYPE state{k} AS ENUM ('new', 'done');\n"
                f"ALTER TYPE state{k} ADD VALUE IF NOT EXISTS 'archived';\n"
                f"ALTER TABLE {t} ADD COLUMN state{k} state{k};\n"
                f"COMMENT ON COLUMN {t}.state{k} IS 'lifecycle';\n"
            )
        if kind == 1:
            return (
                "DO $$\nBEGIN\n"
                f"    IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix_do_{t}_{k}') THEN\n"
                f"        CREATE INDEX ix_do_{t}_{k} ON {t} (code);\n"
                "    END IF;\nEND\n$$;\n"
            )
        return f"COMMENT ON TABLE {t} IS 'table {t}';\nALTER TABLE {t} ALTER COLUMN code SET DEFAULT '';\n"


def write_history(folder: Path, dialect: str, tables: int = 12, migrations: int = 30, seed: int = 0) -> list[Path]:
    """Write the history's migration files (``0001_m1.sql``...) into ``folder``; returns them in order."""
    h = _History(dialect, seed)
    created = 0
    k = 0
    while len(h.migrations) < migrations:
        if created < tables and (created < 3 or h.rng.random() < 0.35):
            h.create_table(created)
            created += 1
            continue
        k += 1
        plain = [t for t in h.tables if t.startswith("t") and "_stats" not in t and " " not in t]
        t = h.rng.choice(plain)
        choice = k % 9
        if choice == 0:
            h.add(h.index(t) + h.add_column(t, k))
        elif choice == 1:
            h.add(h.add_column(t, k))
        elif choice == 2:
            h.add(h.trigger(t, k))
        elif choice == 3:
            h.add(h.data(t, k))
        elif choice == 4:
            h.add(h.swap_type(t, k - 3))
        elif choice == 5:
            h.add(h.rebuild(t))
        elif choice == 6:
            h.add(h.quoted(k))
        elif choice == 7 and dialect == "postgres":
            h.add(h.postgres_only(t, k))
        else:
            h.add(h.index(t))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(h.migrations, start=1):
        p = folder / f"{i:04d}_m{i}.sql"
        p.write_text(text)
        paths.append(p)
    return paths


def step_pair(root: Path, dialect: str, step: int, **kw: int) -> tuple[Path, Path]:
    """Folders ``old`` (the first ``step`` migrations) and ``new`` (one more) of a generated history."""
    full = root / "full"
    if not full.exists():
        write_history(full, dialect, **kw)
    files = sorted(full.glob("*.sql"))
    old, new = root / f"old{step}", root / f"new{step}"
    for target, count in ((old, step), (new, step + 1)):
        target.mkdir()
        for f in files[:count]:
            (target / f.name).write_text(f.read_text())
    return old, new

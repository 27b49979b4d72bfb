"""Find a version's migrations and put them in the order a database runs them.

Naming schemes understood (one per folder): plain numbered files (``0001_init.sql``, ``001-init.sql``), timestamps
(``20240101120000_x.sql``), Flyway (``V3__add_email.sql``, ``V1.1__x.sql``; ``R__`` repeatables run last), up/down
pairs (``x.up.sql`` / ``x.down.sql`` as golang-migrate writes them; only the up side runs), dbmate's
``-- migrate:up`` / ``-- migrate:down`` sections, and Alembic script folders (turned into SQL by Alembic itself, see
``alembic_sql``). A single ``.sql`` file is a schema snapshot. Ordering mistakes are the user's: a duplicate version
or a gap in a plainly numbered sequence is a ``ContractLoadError`` naming the files.
"""

from __future__ import annotations

import itertools
import re
from pathlib import PurePosixPath

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.kinds.sql.migration_files import Migration, is_folder, list_folder
from pytest_cdcompat.kinds.sql.split import split
from pytest_cdcompat.kinds.sql.sql_settings import DEFAULT_SCRIPT_TIMEOUT
from pytest_cdcompat.sources.source import Source

_FLYWAY = re.compile(r"^V(\d+(?:[._]\d+)*)__(.+)\.sql$", re.I)
_REPEATABLE = re.compile(r"^R__(.+)\.sql$", re.I)
_BASELINE = re.compile(r"^B(\d+(?:[._]\d+)*)__(.+)\.sql$", re.I)
# one file per dialect for one version, as Ory's migration runner (popx) picks them: x.mysql.up.sql, x.up.sql
_PER_DIALECT = re.compile(
    r"^(?P<stem>.+?)\.(?P<dialect>mysql|mariadb|postgres|postgresql|pg|sqlite3?|cockroach(?:db)?)(?P<up>\.up)?\.sql$",
    re.I,
)
_DIALECT_OF = {
    "mysql": "mysql",
    "mariadb": "mysql",
    "postgres": "postgres",
    "postgresql": "postgres",
    "pg": "postgres",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}
# a Go-template action ({{ .Name }}, {{ identifier "x" }}, {{- if ... }}): the file is a template, not SQL
_TEMPLATE = re.compile(r"\{\{-?\s*(?:\.|[A-Za-z_]\w*\b)[^{}\n]*?-?\}\}")
_NUMBERED = re.compile(r"^(\d+)[-_.]?(.*?)(\.up)?\.sql$", re.I)
_DOWN = re.compile(r"\.(down|undo)\.sql$|^U\d", re.I)
_DBMATE_UP = re.compile(r"^--\s*migrate:up\b.*$", re.I | re.M)
_DBMATE_DOWN = re.compile(r"^--\s*migrate:down\b.*$", re.I | re.M)
SNAPSHOT = "snapshot"


def read_text(source: Source, rel: PurePosixPath) -> str:
    data = source.read(rel)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ContractLoadError(f"not UTF-8 text ({e.reason} at byte {e.start})", path=source.describe(rel)) from None


def display(source: Source, rel: PurePosixPath) -> str:
    """A short path for locations: the folder's own name and the file ("migrations/0003_x.sql")."""
    parent = source.rel.name if source.rel.name and source.rel != rel else ""
    return f"{parent}/{rel.name}" if parent else rel.name


def up_section(text: str) -> str:
    """dbmate keeps up and down in one file: only the up section runs."""
    up = _DBMATE_UP.search(text)
    if not up:
        return text
    down = _DBMATE_DOWN.search(text, up.end())
    # keep line numbers: blank out everything outside the up section
    before = "\n" * text.count("\n", 0, up.end())
    return before + text[up.end() : down.start() if down else len(text)]


def discover(
    source: Source, dialect: str = "sqlite", script_timeout: float = DEFAULT_SCRIPT_TIMEOUT
) -> tuple[str, list[Migration]]:
    """(scheme, migrations in run order); scheme is ``snapshot`` for a single file."""
    if not is_folder(source):
        text = read_text(source, source.rel)
        name = source.rel.name
        return SNAPSHOT, [Migration((0,), name, source.label, text, tuple(split(text, source.label)))]
    names = list_folder(source, source.rel)
    if any(n.endswith(".py") for n in names) or list_folder(source, source.rel / "versions"):
        from pytest_cdcompat.kinds.sql.alembic_sql import alembic_migrations

        found = alembic_migrations(source, dialect, script_timeout)
        if found is not None:
            return "alembic", found
    entries: list[tuple[tuple[int, ...], int, str]] = []
    unordered = []
    baselines: list[tuple[tuple[int, ...], str]] = []
    for name in pick_dialect_files(names, dialect):
        if not name.lower().endswith(".sql") or _DOWN.search(name):
            continue
        if m := _BASELINE.match(name):
            baselines.append((tuple(int(x) for x in re.split(r"[._]", m.group(1))), name))
        elif m := _FLYWAY.match(name):
            entries.append((tuple(int(x) for x in re.split(r"[._]", m.group(1))), 0, name))
        elif _REPEATABLE.match(name):
            entries.append(((10**18,), 1, name))
        elif m := _NUMBERED.match(name):
            entries.append(((int(m.group(1)),), 0, name))
        else:
            unordered.append(name)
    folder = source.describe(source.rel)
    if baselines:
        # Flyway on an empty database: the latest baseline, then only the versioned migrations above it
        top, base_name = max(baselines)
        entries = [e for e in entries if e[1] or e[0] > top] + [(top, 0, base_name)]
    if not entries:
        raise ContractLoadError("no migration files (*.sql) in this folder", path=folder)
    if unordered:
        raise ContractLoadError(
            f"cannot tell where {', '.join(unordered)} runs: migration names start with a number "
            "(0001_x.sql, V1__x.sql or 20240101_x.up.sql)",
            path=folder,
        )
    check_numbering(entries, folder)
    out = []
    for key, _, name in sorted(entries):
        rel = source.rel / name
        text = up_section(read_text(source, rel))
        path = display(source, rel)
        check_template(text, path)
        out.append(Migration(key, name, path, text, tuple(split(text, path))))
    return "files", out


def pick_dialect_files(names: list[str], dialect: str) -> list[str]:
    """Per-dialect files of one version: the one for ``dialect``, else the generic one; other dialects' dropped."""
    chosen: dict[str, tuple[int, str]] = {}  # version stem -> (rank, name): 0 this dialect, 1 generic
    others: list[str] = []
    for name in names:
        if _DOWN.search(name):
            continue
        m = _PER_DIALECT.match(name)
        if m:
            stem = m.group("stem") + (m.group("up") or "")
            if _DIALECT_OF.get(m.group("dialect").lower()) == dialect:
                chosen[stem.lower()] = (0, name)
            else:
                chosen.setdefault(stem.lower(), (9, ""))  # a version for other dialects only: nothing to run here
            continue
        others.append(name)
    out = []
    for name in others:
        stem = name[: -len(".sql")].lower() if name.lower().endswith(".sql") else name.lower()
        if stem in chosen and chosen[stem][0] == 0:
            continue  # the dialect's own file replaces the generic one
        if stem in chosen:
            chosen.pop(stem)
        out.append(name)
    out.extend(name for rank, name in chosen.values() if rank == 0)
    return sorted(out)


def check_template(text: str, path: str) -> None:
    """A Go-template placeholder left in a migration is a clear error, not the database's syntax error."""
    m = _TEMPLATE.search(text)
    if m is None:
        return
    line = text.count("\n", 0, m.start()) + 1
    raise ContractLoadError(
        f"template placeholder {m.group(0)!r}: this migration is a template that the migration tool renders "
        "(Go templates, as in Ory's popx or gobuffalo's fizz); cdcompat reads plain SQL: render the migrations "
        "into a folder and compare that",
        path=path,
        line=line,
    )


def check_numbering(entries: list[tuple[tuple[int, ...], int, str]], folder: str) -> None:
    seen: dict[tuple[int, ...], str] = {}
    for key, repeatable, name in entries:
        if repeatable:
            continue
        if key in seen:
            raise ContractLoadError(
                f"duplicate migration version {'.'.join(map(str, key))}: {seen[key]} and {name}", path=folder
            )
        seen[key] = name
    # gaps only mean something for short sequential numbers (not timestamps, not Flyway sub-versions)
    simple = sorted(k[0] for k in seen if len(k) == 1)
    if simple and len(simple) == len(seen) and simple[-1] < 100000:
        for a, b in itertools.pairwise(simple):
            if b != a + 1:
                missing = a + 1 if b == a + 2 else f"{a + 1}..{b - 1}"
                raise ContractLoadError(
                    f"gap in migration numbering: nothing numbered {missing} between {seen[(a,)]} and {seen[(b,)]}",
                    path=folder,
                )

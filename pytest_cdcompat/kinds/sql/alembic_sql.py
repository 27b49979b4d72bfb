"""Alembic script folders -> migrations, through Alembic's own API (no hand-rolled parsing of Python scripts).

Each revision's ``upgrade()`` runs under an offline ("--sql") ``MigrationContext`` of the chosen dialect, which
writes the SQL it would execute instead of executing it; that SQL then goes through the same splitting, parsing and
replay as a ``.sql`` migration. The project's own ``env.py`` is not run (it usually imports the whole application
and needs its configuration). Revisions are ordered by Alembic's revision graph, base first. Line numbers in
findings refer to the SQL Alembic generated for the revision, shown as ``versions/<file>.py:<line>``.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.kinds.sql.split import split
from pytest_cdcompat.sources.source import Source

_DIALECTS = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}


def _materialise(source: Source, tmp: Path) -> Path:
    """The script folder, written to a temporary folder (Alembic imports the scripts from files)."""
    from pytest_cdcompat.kinds.sql.migrations import list_folder

    root = tmp / "scripts"
    for sub in ("", "versions"):
        rel = source.rel / sub if sub else source.rel
        for name in list_folder(source, rel):
            if name.endswith(".py"):
                target = root / sub / name if sub else root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read(PurePosixPath(rel) / name))
    return root


def alembic_migrations(source: Source, dialect: str = "sqlite") -> list[Any] | None:
    """The revisions of an Alembic folder as ``Migration``s, or None when the folder holds no Alembic scripts."""
    with tempfile.TemporaryDirectory(prefix="cdcompat_alembic_") as tmp:
        # Always a copy made through the source's confined reads: a script symlinked out of the repository is
        # refused like any other file, and Alembic imports only what was read.
        folder = _materialise(source, Path(tmp))
        versions = folder / "versions" if (folder / "versions").is_dir() else folder
        scripts = [p for p in versions.glob("*.py") if "revision" in p.read_text(errors="replace")]
        if not scripts:
            return None
        return _revisions(source, folder, versions, dialect)


def _revisions(source: Source, folder: Path, versions: Path, dialect: str) -> list[Any]:
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from pytest_cdcompat.kinds.sql.migrations import Migration

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Alembic warns about a missing down_revision: that is the user's error
            scripts = ScriptDirectory(str(folder), version_locations=[str(versions)])
            revisions = list(reversed(list(scripts.walk_revisions("base", "heads"))))
    except Exception as e:  # Alembic reports a broken graph or script with its own message
        raise ContractLoadError(f"Alembic cannot read the revisions: {e}", path=source.label) from None
    out = []
    for i, rev in enumerate(revisions):
        buf = io.StringIO()
        ctx = MigrationContext.configure(
            dialect_name=_DIALECTS.get(dialect, "sqlite"),
            opts={"as_sql": True, "output_buffer": buf, "literal_binds": True},
        )
        path = (
            f"{source.rel.name}/versions/{Path(rev.path).name}"
            if versions != folder
            else (f"{source.rel.name}/{Path(rev.path).name}")
        )
        try:
            with Operations.context(ctx):
                rev.module.upgrade()
        except Exception as e:  # the user's script failed: name it
            raise ContractLoadError(f"revision {rev.revision}: upgrade() failed: {e}", path=path) from None
        text = buf.getvalue()
        out.append(Migration((i,), Path(rev.path).name, path, text, tuple(split(text, path))))
    return out

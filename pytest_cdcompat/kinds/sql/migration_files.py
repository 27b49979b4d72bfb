"""One migration file (``Migration``) and listing a migrations folder in the work tree or a git revision.

Shared by the folder reader (``migrations.py``) and the Alembic reader (``alembic_sql.py``), which both build
``Migration`` objects, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.sources import catfile
from pytest_cdcompat.sources.source import FileSource, GitSource, Source

__all__ = ["Migration", "is_folder", "list_folder"]


@dataclass(frozen=True)
class Migration:
    """One migration file: its sort key, display path, text and statements."""

    key: tuple[int, ...]
    name: str  # file name, the identity that pairs the old and new copies
    path: str  # shown in locations: "migrations/0003_x.sql"
    text: str
    statements: tuple[Statement, ...]


def is_folder(source: Source) -> bool:
    if isinstance(source, GitSource):  # asked of the run's one ``git cat-file --batch`` process
        return catfile.kind(source.root, f"{source.ref}:{source.rel.as_posix()}") == "tree"
    return (source.root / source.rel).is_dir()


def list_folder(source: Source, rel: PurePosixPath) -> list[str]:
    """File names (not sub-folders) directly inside ``rel``; empty when it does not exist."""
    if isinstance(source, GitSource):
        entries = catfile.tree_entries(source.root, f"{source.ref}:{rel.as_posix()}")
        return sorted(name for name, kind in entries or [] if kind == "blob")
    if isinstance(source, FileSource):
        return [p.name for p in source.files_in(rel)]
    return []

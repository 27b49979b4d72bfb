"""One migration file (``Migration``) and listing a migrations folder in the work tree or a git revision.

Shared by the folder reader (``migrations.py``) and the Alembic reader (``alembic_sql.py``), which both build
``Migration`` objects, so neither imports the other.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import PurePosixPath

from pytest_cdcompat.kinds.sql.split import Statement
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
    if isinstance(source, GitSource):
        out = subprocess.run(
            ["git", "-C", str(source.root), "cat-file", "-t", f"{source.ref}:{source.rel.as_posix()}"],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout.strip() == "tree"
    return (source.root / source.rel).is_dir()


def list_folder(source: Source, rel: PurePosixPath) -> list[str]:
    """File names (not sub-folders) directly inside ``rel``; empty when it does not exist."""
    if isinstance(source, GitSource):
        out = subprocess.run(
            ["git", "-C", str(source.root), "ls-tree", f"{source.ref}:{rel.as_posix()}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            return []
        names = []
        for line in out.stdout.splitlines():
            meta, _, name = line.partition("\t")
            if meta.split()[1:2] == ["blob"]:
                names.append(name)
        return sorted(names)
    if isinstance(source, FileSource):
        return [p.name for p in source.files_in(rel)]
    return []

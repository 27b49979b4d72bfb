"""Where a contract version's bytes come from: the work tree, or a git revision (never touching the work tree).

A ``Source`` reads its main file and every file it references, relative to its repository root. "The repository" is
the git work tree holding the file, or the file's own folder when it is in none; reading outside it is refused unless
the user opted in (``allow_outside``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.sources.confine import (
    ALLOW_FLAG,
    MissingFile,
    OutsideRepository,
    check_path,
    read_file,
    repository_path,
    repository_root,
)

_TOPLEVELS: dict[Path, Path] = {}


def git_toplevel(folder: Path) -> Path | None:
    """The work tree holding ``folder``, or ``None``. Asked of git once per folder: a run opens many versions in
    one repository. A found top level is kept while its ``.git`` is there; "not in a repository" is not kept (the
    folder may become one)."""
    key = Path(os.path.abspath(folder))
    known = _TOPLEVELS.get(key)
    if known is not None and (known / ".git").exists():
        return known
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if out.returncode != 0:
        return None
    top = Path(out.stdout.strip()).resolve()
    _TOPLEVELS[key] = top
    return top


@dataclass
class Source:
    """Base: a main file inside a root, read as bytes; ``label`` is what reports show."""

    label: str
    root: Path  # the repository work tree (for git sources, the repository the ref lives in)
    rel: PurePosixPath  # the main file, relative to root
    allow_outside: bool = False
    _cache: dict[PurePosixPath, bytes] = field(default_factory=dict, repr=False)
    parsed: dict[PurePosixPath, Any] = field(default_factory=dict, repr=False)  # filled by loaders.documents
    # the composed YAML node trees of parsed files, kept for source positions (sources/positions.py) so a large
    # document is not composed a second time when a finding needs its line
    composed: dict[PurePosixPath, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.rel.name

    def read_main(self) -> bytes:
        return self.read(self.rel)

    def read(self, rel: PurePosixPath) -> bytes:
        if rel not in self._cache:
            self._cache[rel] = self._read(rel)
        return self._cache[rel]

    def _read(self, rel: PurePosixPath) -> bytes:
        raise NotImplementedError

    def describe(self, rel: PurePosixPath) -> str:
        """How to name ``rel`` in an error message."""
        return str(rel)

    def resolve(self, base: PurePosixPath, ref: str) -> PurePosixPath:
        """Resolve a relative file reference against the folder of ``base``, refusing to leave the root."""
        parts: list[str] = list(base.parent.parts)
        for part in PurePosixPath(ref).parts:
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    if not self.allow_outside:
                        raise OutsideRepository(
                            f"$ref {ref!r} leaves the repository (pass {ALLOW_FLAG} to allow it)",
                            path=self.describe(base),
                        )
                    parts.append("..")
                    continue
                if parts[-1] == "..":
                    parts.append("..")
                else:
                    parts.pop()
                continue
            if part.startswith("/"):
                if not self.allow_outside:
                    raise OutsideRepository(
                        f"$ref {ref!r} is an absolute path outside the repository (pass {ALLOW_FLAG} to allow it)",
                        path=self.describe(base),
                    )
                parts = [part]
                continue
            parts.append(part)
        return PurePosixPath(*parts) if parts else PurePosixPath(".")

    def digest(self) -> bytes:
        return hashlib.sha256(self.label.encode() + b"\0" + self.read_main()).digest()


@dataclass
class FileSource(Source):
    """A version in the work tree: every file is read through ``confine.read_file`` (inside the root, regular)."""

    def path_of(self, rel: PurePosixPath) -> Path:
        return (self.root / rel) if not rel.is_absolute() else Path(rel)

    def folder(self, rel: PurePosixPath) -> Path | None:
        """The real path of ``rel`` when it is a folder inside the repository (a migrations folder), else None."""
        path = self.path_of(rel)
        if not path.is_dir():
            return None
        return check_path(
            path, self.root, allow_outside=self.allow_outside, label=self.describe(rel), what="folder", folder=True
        )

    def files_in(self, rel: PurePosixPath, *, recursive: bool = False) -> list[PurePosixPath]:
        """The regular files of a folder (relative to the root, sorted); symlinks leading out are refused on read."""
        folder = self.folder(rel)
        if folder is None:
            return []
        found: list[PurePosixPath] = []
        if recursive:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames.sort()
                here = PurePosixPath(rel, Path(dirpath).relative_to(folder).as_posix())
                found.extend(PurePosixPath(here, f) for f in filenames)
        else:
            found = [rel / p.name for p in folder.iterdir() if not p.is_dir()]
        return sorted(PurePosixPath(os.path.normpath(p)) for p in found)

    def digest(self) -> bytes:
        if self.folder(self.rel) is None:  # a folder of migrations: hash every file in it, by relative name
            return Source.digest(self)
        h = hashlib.sha256(self.label.encode() + b"\0")
        for rel in self.files_in(self.rel, recursive=True):
            h.update(rel.relative_to(self.rel).as_posix().encode() + b"\0" + self.read(rel))
        return h.digest()

    def read_main(self) -> bytes:
        if self.folder(self.rel) is not None:  # a folder of migrations: its files' texts, in name order
            return b"\n".join(self.read(rel) for rel in self.files_in(self.rel))
        return super().read_main()

    def _read(self, rel: PurePosixPath) -> bytes:
        return read_file(self.path_of(rel), self.root, allow_outside=self.allow_outside, label=self.describe(rel))

    def describe(self, rel: PurePosixPath) -> str:
        if rel == self.rel:
            return self.label
        try:
            return str(Path(os.path.normpath(self.root / rel)).relative_to(Path.cwd()))
        except ValueError:
            return str(Path(os.path.normpath(self.root / rel)))


@dataclass
class GitSource(Source):
    ref: str = "HEAD"

    def _read(self, rel: PurePosixPath) -> bytes:
        from pytest_cdcompat.sources import catfile

        path = repository_path(rel.as_posix(), self.describe(rel))
        data = catfile.read(self.root, f"{self.ref}:{path.as_posix()}")
        if data is None:
            raise MissingFile(f"not found in git revision {self.ref!r}", path=f"{self.ref}:{path.as_posix()}")
        return data

    def describe(self, rel: PurePosixPath) -> str:
        return f"{self.ref}:{rel.as_posix()}"


def check_ref_name(ref: str) -> None:
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r ") or ".." in ref.split(":")[0]:
        raise UsageError(f"not a valid git revision: {ref!r}")


def file_source(
    path: str | Path, *, allow_outside: bool = False, root: Path | None = None, what: str = "contract"
) -> FileSource:
    """A work-tree file or folder. Its repository is found from the path as named (``confine.repository_root``), so
    a contract file or folder that is a symlink leading out of the repository is refused like any other path."""
    p = Path(path)
    top = Path(os.path.realpath(root)) if root is not None else repository_root(p)
    real = check_path(p, top, allow_outside=allow_outside, label=str(path), what=what, folder=True)
    try:
        rel = PurePosixPath(real.relative_to(top).as_posix())
    except ValueError:  # outside the repository, which the user allowed: the file's own folder confines nothing
        top = real.parent
        rel = PurePosixPath(real.name)
    return FileSource(label=str(path), root=top, rel=rel, allow_outside=allow_outside)


def git_source(ref: str, path: str, *, allow_outside: bool = False, cwd: Path | None = None) -> GitSource:
    """``REF:PATH`` where PATH is relative to the current folder (as ``git show REF:./PATH``), normalised; a PATH
    that climbs out of the repository (``HEAD:../x.yaml`` at its root) or is absolute outside it is refused."""
    check_ref_name(ref)
    label = f"{ref}:{path}"
    here = (cwd or Path.cwd()).resolve()
    top = git_toplevel(here)
    if top is None:
        raise UsageError(f"{label}: not inside a git repository")
    from pytest_cdcompat.sources import catfile

    if catfile.kind(top, f"{ref}^{{commit}}") != "commit":  # the run's one ``git cat-file --batch`` process
        raise UsageError(f"git revision {ref!r} does not exist")
    if "\0" in path or not path.strip():
        raise UsageError(f"{label}: not a path inside the repository")
    lexical = Path(os.path.normpath(here / path))
    try:
        inner = lexical.relative_to(top).as_posix()
    except ValueError:
        raise OutsideRepository(
            f"git path {path!r} is outside the repository {top}: REF:PATH reads files of the repository only",
            path=label,
        ) from None
    rel = repository_path(inner, label, what="git path")
    return GitSource(label=label, root=top, rel=rel, allow_outside=False, ref=ref)

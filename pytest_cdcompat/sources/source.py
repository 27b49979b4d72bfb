"""Where a contract version's bytes come from: the work tree, or a git revision (never touching the work tree).

A ``Source`` reads its main file and every file it references, relative to its repository root. "The repository" is
the git work tree holding the file, or the file's own folder when it is in none; reading outside it is refused unless
the user opted in (``allow_outside``).
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError, RefError, UsageError


class MissingFile(ContractLoadError):
    """A file (the contract, or one its ``$ref``s name) does not exist in the work tree or the git revision."""


def git_toplevel(folder: Path) -> Path | None:
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
    return Path(out.stdout.strip()).resolve()


@dataclass
class Source:
    """Base: a main file inside a root, read as bytes; ``label`` is what reports show."""

    label: str
    root: Path  # the repository work tree (for git sources, the repository the ref lives in)
    rel: PurePosixPath  # the main file, relative to root
    allow_outside: bool = False
    _cache: dict[PurePosixPath, bytes] = field(default_factory=dict, repr=False)
    parsed: dict[PurePosixPath, Any] = field(default_factory=dict, repr=False)  # filled by loaders.documents

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
                        raise RefError(
                            f"$ref {ref!r} leaves the repository (pass --cd-compat-allow-remote-refs to allow it)",
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
                    raise RefError(f"$ref {ref!r} is an absolute path outside the repository", path=self.describe(base))
                parts = [part]
                continue
            parts.append(part)
        return PurePosixPath(*parts) if parts else PurePosixPath(".")

    def digest(self) -> bytes:
        return hashlib.sha256(self.label.encode() + b"\0" + self.read_main()).digest()


@dataclass
class FileSource(Source):
    def digest(self) -> bytes:
        folder = self.root / self.rel
        if not folder.is_dir():  # a folder of migrations: hash every file in it, by relative name
            return Source.digest(self)
        h = hashlib.sha256(self.label.encode() + b"\0")
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
        return h.digest()

    def read_main(self) -> bytes:
        folder = self.root / self.rel
        if folder.is_dir():  # a folder of migrations: its files' texts, in name order (e.g. for comment scans)
            return b"\n".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())
        return super().read_main()

    def _read(self, rel: PurePosixPath) -> bytes:
        path = (self.root / rel) if not rel.is_absolute() else Path(rel)
        try:
            if path.is_dir():
                raise ContractLoadError("is a folder, not a contract file", path=self.describe(rel))
            return path.read_bytes()
        except FileNotFoundError:
            raise MissingFile("file not found", path=self.describe(rel)) from None
        except PermissionError:
            raise ContractLoadError("permission denied", path=self.describe(rel)) from None
        except OSError as e:
            raise ContractLoadError(f"cannot read: {e.strerror}", path=self.describe(rel)) from None

    def describe(self, rel: PurePosixPath) -> str:
        if rel == self.rel:
            return self.label
        try:
            return str((self.root / rel).resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(self.root / rel)


@dataclass
class GitSource(Source):
    ref: str = "HEAD"

    def _read(self, rel: PurePosixPath) -> bytes:
        from pytest_cdcompat.sources import catfile

        data = catfile.read(self.root, f"{self.ref}:{rel.as_posix()}")
        if data is None:
            raise MissingFile(f"not found in git revision {self.ref!r}", path=f"{self.ref}:{rel.as_posix()}")
        return data

    def describe(self, rel: PurePosixPath) -> str:
        return f"{self.ref}:{rel.as_posix()}"


def check_ref_name(ref: str) -> None:
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r ") or ".." in ref.split(":")[0]:
        raise UsageError(f"not a valid git revision: {ref!r}")


def file_source(path: str | Path, *, allow_outside: bool = False, root: Path | None = None) -> FileSource:
    p = Path(path)
    absolute = p.resolve()
    if not absolute.exists():
        raise ContractLoadError("file not found", path=str(path))
    top = root.resolve() if root is not None else (git_toplevel(absolute.parent) or absolute.parent)
    try:
        rel = PurePosixPath(absolute.relative_to(top).as_posix())
    except ValueError:
        top = absolute.parent
        rel = PurePosixPath(absolute.name)
    return FileSource(label=str(path), root=top, rel=rel, allow_outside=allow_outside)


def git_source(ref: str, path: str, *, allow_outside: bool = False, cwd: Path | None = None) -> GitSource:
    """``REF:PATH`` where PATH is relative to the current folder (as ``git show REF:./PATH``)."""
    check_ref_name(ref)
    here = (cwd or Path.cwd()).resolve()
    top = git_toplevel(here)
    if top is None:
        raise UsageError(f"{ref}:{path}: not inside a git repository")
    verify = subprocess.run(
        ["git", "-C", str(top), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if verify.returncode != 0:
        raise UsageError(f"git revision {ref!r} does not exist")
    rel = (
        PurePosixPath((here / path).resolve().relative_to(top).as_posix())
        if not Path(path).is_absolute()
        else (PurePosixPath(Path(path).resolve().relative_to(top).as_posix()))
    )
    return GitSource(label=f"{ref}:{path}", root=top, rel=rel, allow_outside=allow_outside, ref=ref)

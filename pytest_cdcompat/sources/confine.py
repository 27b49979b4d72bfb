"""The one confinement rule for every file the tool opens: a regular file whose real path is inside the repository.

The tool runs in CI on branches anyone who can open a pull request controls, so a contract must not make it read a
file outside its repository (and print it in a report), through a ``$ref``, an ``$id``, a symlink, a protobuf import,
a migration folder or a git path. Every read of a work-tree file goes through ``read_file`` here:

- the path is resolved to its real path (after every symlink, and after percent-decoding where it came from a URI);
  a symlink loop is one clear error;
- the real path must lie inside the repository root (``repository_root``: the git work tree holding the file as it
  was named, or the contract's folder when there is none), unless the user passed ``--cd-compat-allow-outside``;
- only regular files are read: a FIFO, a device or a socket would block or never end, so it is refused before it is
  opened, and the file is opened non-blocking and checked again on the open descriptor.

A refused path is one ``ContractLoadError`` naming the file that asked for it, the place, and the path: never its
content. Paths inside a git revision (``REF:PATH``, files listed from the git base) are normalised by
``repository_path``, which refuses ``..`` and absolute paths.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from pytest_cdcompat.core.errors import ContractLoadError, RefError

ALLOW_FLAG = "--allow-outside (pytest: --cd-compat-allow-outside)"

__all__ = [
    "ALLOW_FLAG",
    "MissingFile",
    "OutsideRepository",
    "check_path",
    "inside",
    "read_file",
    "real_path",
    "repository_path",
    "repository_root",
]


class MissingFile(ContractLoadError):
    """A file (the contract, or one its ``$ref``s name) does not exist in the work tree or the git revision."""


class OutsideRepository(RefError):
    """A path whose real location is outside the repository, refused (``--cd-compat-allow-outside`` allows it)."""


def inside(root: Path, path: Path) -> bool:
    """Whether the real path ``path`` is ``root`` or below it (both already resolved)."""
    return path == root or root in path.parents


def real_path(path: Path, label: str) -> Path:
    """``path`` with every symlink resolved; a missing file or a symlink loop is one clear error about ``label``."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        raise MissingFile("file not found", path=label) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ContractLoadError("symlink loop (a symlink that points back to itself)", path=label) from None
        if e.errno == errno.EACCES:
            raise ContractLoadError("permission denied", path=label) from None
        raise ContractLoadError(f"cannot read: {e.strerror}", path=label) from None
    except RuntimeError:  # pathlib's own loop detection, should a caller pass a resolved Path
        raise ContractLoadError("symlink loop (a symlink that points back to itself)", path=label) from None


def repository_root(path: Path) -> Path:
    """The repository a file named ``path`` belongs to, as a real path.

    Found from the path *as named*, not from where its symlinks lead: walking down from the filesystem root, the
    deepest folder holding ``.git`` before the first symlink met inside a repository. So a committed symlink
    ``contracts -> /elsewhere`` (even to another repository) does not move the root out of the repository, while a
    symlink above it (``/tmp -> /private/tmp``, ``~/project -> /data/project``) still finds it. Outside any
    repository, the root is the contract's folder (the nearest ancestor that is not itself a symlink).
    """
    lexical = Path(os.path.abspath(path))
    folders = [*reversed(lexical.parents)]
    if lexical.is_dir() and not lexical.is_symlink():
        folders.append(lexical)
    found: Path | None = None
    for folder in folders:
        if found is not None and folder.is_symlink():
            break
        if (folder / ".git").exists():
            found = folder
    if found is None:
        found = lexical.parent
        while found.is_symlink() and found.parent != found:
            found = found.parent
    return Path(os.path.realpath(found))


def _refuse(path: Path, real: Path, root: Path, label: str, what: str) -> OutsideRepository:
    shown = str(path)
    via = f" (through a symlink, to {real})" if Path(os.path.abspath(path)) != real else ""
    return OutsideRepository(
        f"{what} {shown}{via} is outside the repository {root} (pass {ALLOW_FLAG} to allow it)", path=label
    )


def check_path(
    path: Path,
    root: Path,
    *,
    allow_outside: bool,
    label: str,
    what: str = "file",
    folder: bool = False,
) -> Path:
    """The real path of ``path`` after the confinement checks (inside ``root``; a regular file, or a folder when
    ``folder``). ``label`` names the file in messages; ``what`` says what asked for it ("$ref", "import", ...)."""
    real = real_path(path, label)
    if not allow_outside and not inside(root, real):
        raise _refuse(path, real, root, label, what)
    mode = os.stat(real).st_mode
    if folder and stat.S_ISDIR(mode):
        return real
    if stat.S_ISDIR(mode):
        raise ContractLoadError("is a folder, not a contract file", path=label)
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file"
        )
        raise ContractLoadError(f"{kind}, not a regular file: only regular files are read", path=label)
    return real


def read_file(path: Path, root: Path, *, allow_outside: bool, label: str, what: str = "file") -> bytes:
    """The bytes of ``path``, after ``check_path``. The file is opened non-blocking and without following a symlink
    put in place after the check, and its type is checked again on the open descriptor."""
    real = check_path(path, root, allow_outside=allow_outside, label=label, what=what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except PermissionError:
        raise ContractLoadError("permission denied", path=label) from None
    except OSError as e:
        raise ContractLoadError(f"cannot read: {e.strerror}", path=label) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ContractLoadError("not a regular file: only regular files are read", path=label)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as e:
        raise ContractLoadError(f"cannot read: {e.strerror}", path=label) from None
    finally:
        os.close(fd)


def repository_path(path: str, label: str, *, what: str = "path") -> PurePosixPath:
    """A path inside a git revision, relative to the repository root and normalised (``a/./b`` -> ``a/b``).

    ``..`` and absolute paths are refused: a revision holds nothing above its root, and ``git show`` must never be
    asked for a path that names something else.
    """
    if "\0" in path or "\n" in path:
        raise OutsideRepository(f"{what} {path!r} contains a control character", path=label)
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        raise OutsideRepository(f"{what} {path!r} is an absolute path, not a path inside the repository", path=label)
    parts = [p for p in posix.parts if p not in ("", ".")]
    if ".." in parts:
        raise OutsideRepository(f"{what} {path!r} climbs out with '..': not a path inside the repository", path=label)
    return PurePosixPath(*parts) if parts else PurePosixPath(".")

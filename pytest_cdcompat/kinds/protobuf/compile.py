"""Compile a ``.proto`` file and its imports into a ``FileDescriptorSet`` with the ``protoc`` grpcio-tools ships.

Why protoc and not a Python parser: protoc is the reference implementation of the language (proto2, proto3,
editions, options, ``json_name``), so what compiles here compiles for the user, and its descriptors are exactly what
the protobuf runtime loads to encode and decode test messages.

Imports are read through the ``Source`` (the work tree or a git revision), so they are confined to the repository:
each import is looked up next to the importing file, then at the repository root; the well-known types
(``google/protobuf/*.proto``) come from grpcio-tools. The files are copied into a temporary folder and protoc runs
in-process there, its stderr captured at the file-descriptor level (protoc is C++ and writes to fd 2).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pytest_cdcompat.core.errors import ContractLoadError, RefError
from pytest_cdcompat.sources.confine import OutsideRepository, repository_path
from pytest_cdcompat.sources.source import Source

_IMPORT = re.compile(rb'^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;', re.MULTILINE)
_ERROR = re.compile(r"^(?P<file>[^:\n]+\.proto):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$", re.MULTILINE)


def _well_known_root() -> Path:
    import grpc_tools

    return Path(grpc_tools.__file__).parent / "_proto"


def gather(source: Source) -> dict[PurePosixPath, tuple[PurePosixPath, bytes]]:
    """The main file and every file it imports (transitively): import path -> (repository path, bytes)."""
    wk = _well_known_root()
    main = PurePosixPath(source.rel.name)
    files: dict[PurePosixPath, tuple[PurePosixPath, bytes]] = {}
    # import path -> repository path; the main file's folder is the first include root
    base_dir = source.rel.parent
    todo: list[tuple[PurePosixPath, PurePosixPath]] = [(main, source.rel)]
    while todo:
        import_path, rel = todo.pop()
        if import_path in files:
            continue
        text = source.read(rel)
        files[import_path] = (rel, text)
        for m in _IMPORT.finditer(text):
            raw = m.group(1).decode("utf-8", "replace")
            line = text[: m.start(1)].count(b"\n") + 1
            name = _import_path(raw, source.describe(rel), line)
            if name.startswith("google/protobuf/") and (wk / name).is_file():
                continue
            found = _locate(source, base_dir, rel, name, line)
            todo.append((PurePosixPath(name), found))
    return files


def _import_path(raw: str, where: str, line: int) -> str:
    """An import path, normalised (``a/./b.proto`` -> ``a/b.proto``); ``..`` and absolute paths are refused, so the
    files laid out in the temporary folder by their import path can never land outside it (protoc refuses them too)."""
    try:
        return repository_path(raw, where, what="import").as_posix()
    except OutsideRepository:
        raise ContractLoadError(
            f"import {raw!r} climbs out with '..' or is absolute: it leaves the repository (such imports are refused)",
            path=where,
            line=line,
        ) from None


def _locate(source: Source, base_dir: PurePosixPath, importer: PurePosixPath, name: str, line: int) -> PurePosixPath:
    where = source.describe(importer)
    tried = []
    for root in (base_dir, PurePosixPath(".")):
        try:
            rel = source.resolve(root / "x", name)
        except RefError:
            raise ContractLoadError(f"import {name!r} leaves the repository", path=where, line=line) from None
        tried.append(rel)
        try:
            source.read(rel)
        except OutsideRepository as e:  # found, but refused: say so rather than "not found"
            raise ContractLoadError(f"import {name!r}: {e}", path=where, line=line) from None
        except ContractLoadError:
            continue
        return rel
    raise ContractLoadError(
        f"import {name!r} not found (looked for {', '.join(str(t) for t in tried)})", path=where, line=line
    )


def compile_set(source: Source) -> tuple[bytes, str]:
    """``(serialized FileDescriptorSet, main file name)``; a compile error is one ``ContractLoadError``."""
    from grpc_tools import protoc

    files = gather(source)
    main = PurePosixPath(source.rel.name)
    with tempfile.TemporaryDirectory(prefix="cdcompat-proto-") as tmp:
        root = Path(tmp)
        src = (root / "src").resolve()
        for name, (_, data) in files.items():
            target = (src / name).resolve()
            if src not in target.parents:  # normalised import paths stay inside; checked again before writing
                raise ContractLoadError(
                    f"import {name.as_posix()!r} is not a path inside the repository", path=source.label
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        out = root / "set.pb"
        err = root / "stderr.txt"
        args = [
            "protoc",
            f"-I{root / 'src'}",
            f"-I{_well_known_root()}",
            "--include_imports",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            str(root / "src" / main),
        ]
        status = _run_capturing_stderr(lambda: protoc.main(args), err)
        message = err.read_text(errors="replace") if err.exists() else ""
        if status != 0 or not out.exists():
            raise _compile_error(message.replace(f"{root / 'src'}/", ""), source, files)
        return out.read_bytes(), str(main)


def _run_capturing_stderr(fn: Callable[[], int], err_path: Path) -> int:
    saved_fd = os.dup(2)
    with open(err_path, "wb") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            return int(fn())
        finally:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)


def _compile_error(
    message: str, source: Source, files: dict[PurePosixPath, tuple[PurePosixPath, bytes]]
) -> ContractLoadError:
    m = _ERROR.search(message)
    if m is None:
        text = " ".join(message.split()) or "protoc failed without a message"
        return ContractLoadError(f"does not compile: {text}", path=source.label)
    name = PurePosixPath(m.group("file"))
    shown = source.label if name == PurePosixPath(source.rel.name) else str(name)
    if name in files and name != PurePosixPath(source.rel.name):
        shown = source.describe(files[name][0])
    return ContractLoadError(
        f"does not compile: {m.group('msg').strip()}", path=shown, line=int(m.group("line")), column=int(m.group("col"))
    )

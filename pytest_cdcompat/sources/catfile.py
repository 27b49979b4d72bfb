"""One ``git cat-file --batch`` process per repository: old versions are read from it, not one ``git show`` each.

``read(root, "REV:path")`` returns the object's bytes (a blob's content, a tree's raw entries), or ``None`` when the
object is missing; ``kind`` gives its type (``blob``, ``tree``, ``commit``), so ``kind(root, "REV^{commit}")``
verifies a revision, and ``tree_entries`` lists a folder of a revision, both without starting a ``git rev-parse``,
``git cat-file -t`` or ``git ls-tree`` per question. The process is started on the first read and kept for the life
of the interpreter (closed at exit); ``STARTED`` counts the git processes this module started, for the benchmark.
"""

from __future__ import annotations

import atexit
import subprocess
import threading
from pathlib import Path

STARTED = [0]


class CatFile:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            STARTED[0] += 1
            self.proc = subprocess.Popen(
                ["git", "-C", str(self.root), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self.proc

    def read(self, spec: str) -> bytes | None:
        found = self.object(spec)
        return found[1] if found is not None else None

    def object(self, spec: str) -> tuple[str, bytes, int] | None:
        """``(type, bytes, length of the object id in bytes)`` of the object ``spec`` names, or ``None``."""
        if "\n" in spec or "\r" in spec:
            return None
        with self.lock:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(spec.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().decode(errors="replace").split()
            if len(header) != 3:  # "<spec> missing" / "ambiguous"
                return None
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after the contents
            # a blob's bytes; for a tree (a migrations folder), its raw object (stable, for digests)
            return header[1], data, len(header[0]) // 2

    def close(self) -> None:
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()
            self.proc.wait()
        self.proc = None


_READERS: dict[Path, CatFile] = {}


def reader(root: Path) -> CatFile:
    key = root.resolve()
    if key not in _READERS:
        _READERS[key] = CatFile(key)
    return _READERS[key]


def read(root: Path, spec: str) -> bytes | None:
    return reader(root).read(spec)


def kind(root: Path, spec: str) -> str | None:
    """The type of the object ``spec`` names (``blob``, ``tree``, ``commit``, ``tag``), or ``None`` when missing."""
    found = reader(root).object(spec)
    return found[0] if found is not None else None


def tree_entries(root: Path, spec: str) -> list[tuple[str, str]] | None:
    """``(name, type)`` of each entry of the tree ``spec`` names (as ``git ls-tree``: ``blob``, ``tree`` or
    ``commit`` for a submodule), in git's order; ``None`` when ``spec`` is not a tree."""
    found = reader(root).object(spec)
    if found is None or found[0] != "tree":
        return None
    _, data, oid_len = found
    entries: list[tuple[str, str]] = []
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode = data[at:space]
        name = data[space + 1 : nul].decode("utf-8", errors="surrogateescape")
        entries.append((name, "tree" if mode == b"40000" else "commit" if mode == b"160000" else "blob"))
        at = nul + 1 + oid_len
    return entries


@atexit.register
def close_all() -> None:
    for r in _READERS.values():
        r.close()
    _READERS.clear()

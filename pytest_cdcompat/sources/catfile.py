"""One ``git cat-file --batch`` process per repository: old versions are read from it, not one ``git show`` each.

``read(root, "REV:path")`` returns the object's bytes (a blob's content, a tree's raw entries), or ``None`` when the
object is missing. The
process is started on the first read and kept for the life of the interpreter (closed at exit); ``STARTED`` counts
the git processes this module started, for the benchmark.
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
        if "\n" in spec:
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
            return data  # a blob's bytes; for a tree (a migrations folder), its raw object (stable, for digests)

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


@atexit.register
def close_all() -> None:
    for r in _READERS.values():
        r.close()
    _READERS.clear()

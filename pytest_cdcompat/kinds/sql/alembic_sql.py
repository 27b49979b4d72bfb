"""Alembic script folders -> migrations, through Alembic's own API (no hand-rolled parsing of Python scripts).

Each revision's ``upgrade()`` runs under an offline ("--sql") ``MigrationContext`` of the chosen dialect, which
writes the SQL it would execute instead of executing it; that SQL then goes through the same splitting, parsing and
replay as a ``.sql`` migration. The project's own ``env.py`` is not run (it usually imports the whole application
and needs its configuration). Revisions are ordered by Alembic's revision graph, base first. Line numbers in
findings refer to the SQL Alembic generated for the revision, shown as ``versions/<file>.py:<line>``.

The scripts are Python code of the branch: they are imported and run in a child process, one JSON line per event on
a pipe of its own (whatever a script prints goes to the child's stderr). Each script has ``script_timeout`` seconds
(setting, default 60) to load and to run; a script that loops, calls ``sys.exit`` or ``os._exit``, or crashes the
interpreter is one ``ContractLoadError`` naming it, and the child is killed.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.kinds.sql.split import split
from pytest_cdcompat.kinds.sql.sql_settings import DEFAULT_SCRIPT_TIMEOUT
from pytest_cdcompat.sources.source import Source

_DIALECTS = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}
_STARTUP = 60.0

# the child: reports on fd 3 (a pipe), one JSON object per line
_CHILD = r"""
import io, json, os, sys, traceback, warnings
out = os.fdopen(int(sys.argv[4]), "w", buffering=1)
os.dup2(2, 1)  # what a script prints must not mix with the report
def say(**kw):
    out.write(json.dumps(kw) + "\n")
    out.flush()
folder, versions, dialect = sys.argv[1:4]
try:
    from alembic import util as alembic_util
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    say(event="ready")
    load = alembic_util.load_python_file
    def announced(dir_, filename):
        say(event="load", path=os.path.join(dir_, filename))
        return load(dir_, filename)
    alembic_util.load_python_file = announced
    import alembic.script.base as script_base
    if getattr(script_base.util, "load_python_file", None) is load:
        script_base.util.load_python_file = announced
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Alembic warns about a missing down_revision: that is the user's error
        scripts = ScriptDirectory(folder, version_locations=[versions])
        revisions = list(reversed(list(scripts.walk_revisions("base", "heads"))))
except BaseException as e:
    say(event="error", stage="graph", message=f"{type(e).__name__}: {e}" if not str(e) else str(e))
    sys.exit(0)
for rev in revisions:
    say(event="run", path=rev.path, revision=rev.revision)
    buf = io.StringIO()
    try:
        ctx = MigrationContext.configure(
            dialect_name=dialect, opts={"as_sql": True, "output_buffer": buf, "literal_binds": True}
        )
        with Operations.context(ctx):
            rev.module.upgrade()
    except BaseException as e:
        what = f"{type(e).__name__}({e.code!r})" if isinstance(e, SystemExit) else (str(e) or type(e).__name__)
        say(event="error", stage="upgrade", path=rev.path, revision=rev.revision, message=what)
        sys.exit(0)
    say(event="sql", path=rev.path, revision=rev.revision, text=buf.getvalue())
say(event="done")
"""


def _materialise(source: Source, tmp: Path) -> Path:
    """The script folder, written to a temporary folder (Alembic imports the scripts from files)."""
    from pytest_cdcompat.kinds.sql.migration_files import list_folder

    root = tmp / "scripts"
    for sub in ("", "versions"):
        rel = source.rel / sub if sub else source.rel
        for name in list_folder(source, rel):
            if name.endswith(".py"):
                target = root / sub / name if sub else root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read(PurePosixPath(rel) / name))
    return root


def alembic_migrations(
    source: Source, dialect: str = "sqlite", timeout: float = DEFAULT_SCRIPT_TIMEOUT
) -> list[Any] | None:
    """The revisions of an Alembic folder as ``Migration``s, or None when the folder holds no Alembic scripts."""
    with tempfile.TemporaryDirectory(prefix="cdcompat_alembic_") as tmp:
        # Always a copy made through the source's confined reads: a script symlinked out of the repository is
        # refused like any other file, and Alembic imports only what was read.
        folder = _materialise(source, Path(tmp))
        versions = folder / "versions" if (folder / "versions").is_dir() else folder
        scripts = [p for p in versions.glob("*.py") if "revision" in p.read_text(errors="replace")]
        if not scripts:
            return None
        return _revisions(source, folder, versions, dialect, timeout)


def _display(source: Source, folder: Path, versions: Path, path: str) -> str:
    name = Path(path).name
    return f"{source.rel.name}/versions/{name}" if versions != folder else f"{source.rel.name}/{name}"


def _revisions(source: Source, folder: Path, versions: Path, dialect: str, timeout: float) -> list[Any]:
    from pytest_cdcompat.kinds.sql.migration_files import Migration

    read_fd, write_fd = os.pipe()
    # the scripts import what they imported in this process (sys.path), and write no __pycache__ into the folder
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(folder), str(versions), _DIALECTS.get(dialect, "sqlite"), str(write_fd)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_fd,),
        cwd=str(folder),
        env=env,
    )
    os.close(write_fd)
    out: list[Any] = []
    current = ""  # the script being loaded or run, for the message when the child stops
    buffer = b""
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            started = False  # importing Alembic itself is not the scripts' time: allowed a minute more
            while True:
                ready, _, _ = select.select([pipe], [], [], timeout if started else timeout + _STARTUP)
                if not ready:
                    proc.kill()
                    what = f"the Alembic script {current}" if current else "loading the Alembic scripts"
                    raise ContractLoadError(
                        f"{what} did not finish within {timeout:g} s (script_timeout; raise it with "
                        "--cd-compat-sql-settings 'script_timeout = SECONDS')",
                        path=current or source.label,
                    )
                chunk = pipe.read(65536)
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    event = json.loads(line)
                    kind = event["event"]
                    started = True
                    if "path" in event:
                        current = _display(source, folder, versions, event["path"])
                    if kind == "error" and event["stage"] == "graph":
                        raise ContractLoadError(
                            f"Alembic cannot read the revisions: {event['message']}", path=source.label
                        )
                    if kind == "error":
                        raise ContractLoadError(
                            f"revision {event['revision']}: upgrade() failed: {event['message']}", path=current
                        )
                    if kind == "sql":
                        text = event["text"]
                        name = Path(event["path"]).name
                        out.append(Migration((len(out),), name, current, text, tuple(split(text, current))))
                    if kind == "done":
                        return out
        deadline = time.monotonic() + 5
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        code = proc.poll()
        how = (
            f"crashed (signal {-code})" if code is not None and code < 0 else f"ended the process (exit status {code})"
        )
        what = f"the Alembic script {current}" if current else "loading the Alembic scripts"
        raise ContractLoadError(f"{what} {how} before it finished", path=current or source.label)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()

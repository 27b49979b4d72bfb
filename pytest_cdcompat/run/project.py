"""``[tool.cdcompat]`` in ``pyproject.toml``: the settings ``cdcompat check`` and ``pytest --cd-compat`` share.

Keys are the option names without prefix (``each-commit`` or ``each_commit``, ``policy``, ``paths``, ``toggles``,
...); a ``cd_compat_`` prefix, as in the pytest ini keys, is accepted too. The command line wins, then the pytest ini
keys, then this table, then the defaults. Relative paths are relative to the ``pyproject.toml`` that names them, so
CI and a local run from any folder read the same files. An unknown key or a value of the wrong type is one error
naming the file and the key.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.errors import UsageError

PATH_KEYS = ("paths", "waivers", "toggles", "db")


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or a folder above it."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"invalid TOML: {e}", path=str(path)) from None
    except OSError as e:
        raise UsageError(f"cannot read: {e.strerror}", path=str(path)) from None


def load_project(path: Path | None) -> dict[str, Any]:
    """The ``[tool.cdcompat]`` table of ``path`` as option values by option name (empty when there is none)."""
    from pytest_cdcompat.run.options import BY_NAME

    if path is None or not path.is_file():
        return {}
    table = _toml(path).get("tool", {}).get("cdcompat")
    if table is None:
        return {}
    where = f"{path} [tool.cdcompat]"
    if not isinstance(table, dict):
        raise UsageError("must be a table", path=where)
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = key.removeprefix("cd_compat_").replace("_", "-")
        spec = BY_NAME.get(name)
        if spec is None:
            raise UsageError(f"unknown key {key!r} (known: {', '.join(sorted(BY_NAME))})", path=where)
        if spec.kind in ("paths", "lines"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise UsageError(f"{key}: expected a string or a list of strings, got {value!r}", path=where)
        elif spec.kind == "bool":
            if not isinstance(value, (bool, str)):
                raise UsageError(f"{key}: expected true or false, got {value!r}", path=where)
        elif spec.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise UsageError(f"{key}: expected an integer, got {value!r}", path=where)
        elif not isinstance(value, (str, bool)):
            raise UsageError(f"{key}: expected a string, got {value!r}", path=where)
        if name in PATH_KEYS and name != "db":
            folder = path.parent
            if isinstance(value, list):
                value = [v if Path(v).is_absolute() else str(folder / v) for v in value]
            elif isinstance(value, str) and not Path(value).is_absolute():
                value = str(folder / value)
        if name == "each-commit" and isinstance(value, bool):
            value = "yes" if value else "no"
        out[name] = value
    return out

"""Feature toggles: which toggles are on, read from the toggle file at each commit, and what a contract mentions.

The toggle file (``--cd-compat-toggles FILE``, ini ``cd_compat_toggles``; default ``feature-toggles.json`` or
``.yaml`` in the first contracts folder) is either OpenFeature's flagd flag-definition format (validated against
the bundled ``flagd-flags.schema.json``; a flag is on when its ``state`` is ``ENABLED`` and its default variant's
value is ``true``) or a plain mapping ``NAME: on|off``. Elements of an off toggle are absent from both versions of
a contract (``sources/toggled.py``); the commit that turns a toggle on is a step checked off before and on after.
In a monorepo (``services/*/contracts``) with no file named, each contract folder's own toggle file serves the
contracts below it only (``service_toggle_files``), as waiver files do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.errors import UsageError

DEFAULT_NAMES = ("feature-toggles.json", "feature-toggles.yaml", "feature-toggles.yml")
ON_WORDS = {"on", "true", "yes", "enabled"}
OFF_WORDS = {"off", "false", "no", "disabled"}


@cache
def _flagd_schema() -> dict[str, Any]:
    text = resources.files("pytest_cdcompat.release").joinpath("flagd-flags.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def toggle_path_of(opts: Any) -> Path | None:
    """The run's toggle file: the one named (``--toggles``), else the default in the first contracts folder."""
    return opts.toggles or default_toggle_file(opts.paths[0] if opts.paths else None)


def service_toggle_files(opts: Any) -> list[Path]:
    """The toggle files next to each contract folder of the run (``services/*/contracts``), first folder first,
    when no file is named: each applies to the contracts below its own folder only. Empty when one is named."""
    if opts.toggles_given:
        return []
    out: list[Path] = []
    for folder in opts.paths:
        here = folder if folder.is_dir() else folder.parent
        found = next((here / n for n in DEFAULT_NAMES if (here / n).is_file()), None)
        if found is not None and found.resolve() not in {p.resolve() for p in out}:
            out.append(found)
    return out


def default_toggle_file(first_folder: Path | None) -> Path | None:
    if first_folder is None:
        return None
    return next(
        (first_folder / n for n in DEFAULT_NAMES if (first_folder / n).is_file()), first_folder / DEFAULT_NAMES[0]
    )


def parse_toggles(data: bytes, label: str) -> dict[str, bool]:
    """Toggle states from a toggle file's bytes; one ``UsageError`` naming the file and the place when invalid."""
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.sources.yamlio import parse

    try:
        doc = parse(data, label, prefer_json=label.endswith(".json"))
    except CdcompatError as e:
        raise UsageError(f"toggle file: {e.message}", path=e.path, line=e.line, column=e.column) from None
    if isinstance(doc, dict) and "flags" in doc:
        return _flagd(doc, label)
    if not isinstance(doc, dict) or not doc:
        raise UsageError(
            "not a toggle file: expected flagd flag definitions ({\"flags\": {...}}) or a mapping 'NAME: on|off'",
            path=label,
        )
    out: dict[str, bool] = {}
    for name, value in doc.items():
        if isinstance(value, bool):
            out[str(name)] = value
        elif isinstance(value, str) and value.strip().lower() in ON_WORDS | OFF_WORDS:
            out[str(name)] = value.strip().lower() in ON_WORDS
        else:
            raise UsageError(f"toggle {name!r}: expected on or off, got {value!r}", path=label, pointer=f"/{name}")
    return out


def _flagd(doc: dict[str, Any], label: str) -> dict[str, bool]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(_flagd_schema())
    error = next(iter(sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        pointer = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
        raise UsageError(f"not a valid flagd flag definition: {error.message}", path=label, pointer=pointer)
    out: dict[str, bool] = {}
    for name, flag in doc["flags"].items():
        default = flag.get("defaultVariant")
        if default is not None and default not in flag["variants"]:
            raise UsageError(
                f"defaultVariant {default!r} is not one of the variants ({', '.join(flag['variants'])})",
                path=label,
                pointer=f"/flags/{name}/defaultVariant",
            )
        out[name] = flag["state"] == "ENABLED" and default is not None and flag["variants"][default] is True
    return out


def read_toggles(path: Path | None, *, required: bool) -> dict[str, bool] | None:
    """The work tree's toggle file: ``None`` when there is none (an error when the user named it)."""
    if path is None or not path.is_file():
        if required and path is not None:
            raise UsageError("toggle file not found", path=str(path))
        return None
    from pytest_cdcompat.sources.source import file_source

    # read like every file of the repository: a regular file inside it, never through a symlink leading out
    return parse_toggles(file_source(path, what="toggle file").read_main(), str(path))


def describe(states: Mapping[str, bool]) -> str:
    return ", ".join(f"{n}={'on' if on else 'off'}" for n, on in sorted(states.items())) or "none"


States = tuple[tuple[str, bool], ...]  # hashable toggle states, sorted by name


class ToggleHistory:
    """The toggle file at the base, at each commit (by blob) and in the work tree; parsed once per content."""

    def __init__(
        self, git_root: Path | None, rel: str | None, work: dict[str, bool] | None, scope: Path | None = None
    ) -> None:
        self.git_root = git_root
        self.rel = rel
        self.work = work
        self.scope = scope  # the contract folder this file serves (per-service files), None: every contract
        self._by_blob: dict[str, dict[str, bool]] = {}

    def at_blob(self, blob: str | None) -> dict[str, bool] | None:
        if blob is None or self.git_root is None:
            return None
        if blob not in self._by_blob:
            from pytest_cdcompat.sources import catfile

            data = catfile.read(self.git_root, blob)
            if data is None:
                raise UsageError(f"cannot read the toggle file's blob {blob[:10]}", path=self.rel)
            self._by_blob[blob] = parse_toggles(data, f"{blob[:10]}:{self.rel}")
        return self._by_blob[blob]

    def at_rev(self, rev: str) -> dict[str, bool] | None:
        if self.git_root is None or self.rel is None:
            return None
        from pytest_cdcompat.sources.gitbase import git

        out = git(self.git_root, "rev-parse", "--verify", "--quiet", f"{rev}:{self.rel}")
        return self.at_blob(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def restrict(states: Mapping[str, bool] | None, names: set[str]) -> States:
    return tuple(sorted((n, v) for n, v in (states or {}).items() if n in names))


def off_names(states: States) -> list[str]:
    return [n for n, on in states if not on]


def with_toggles(settings: Any, opts: Any) -> Any:
    """``settings`` with the toggle file's states for both versions, for ``cdcompat compare`` and ``live``.

    Two files compared by hand have no history: the file named with ``--toggles`` (or the default
    ``contracts/feature-toggles.json`` when present) gives the states of both versions, so an element behind an off
    toggle is absent from both, as under ``cdcompat check``.
    """
    from dataclasses import replace

    states = read_toggles(toggle_path_of(opts), required=opts.toggles_given)
    if not states:
        return settings
    return replace(settings, toggles=(dict(states), dict(states)))

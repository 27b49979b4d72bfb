"""Pact files in a comparison: which files belong to the compared provider, the check of both versions, and the
merged, consumer-aware report.

A Pact file belongs to a spec when the settings map it to one (a ``cd_compat_pacts`` line ``FILE = PATH-OR-GLOB``),
or its ``"x-cd-compat": {"provider": PATH-OR-GLOB}`` names the spec (matched
against the contract's id and path), or else when its provider name equals the spec's ``info.title`` once both
are lower-cased with spaces, dashes and underscores removed (``orders-api`` = ``Orders API``). A file given
explicitly (``--pact``) that belongs to neither version is an error; discovered ones (under the contract paths,
or named by ``cd_compat_pacts``) simply apply to the specs they belong to.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report
from pytest_cdcompat.pact import PactError
from pytest_cdcompat.pact.pact_model import Pact, is_pact, load_pact


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.lower())


def spec_title(spec: str, settings: Any) -> str | None:
    from pytest_cdcompat.kinds import open_source
    from pytest_cdcompat.sources.documents import parse_main

    doc = parse_main(open_source(spec, settings))
    info = doc.get("info") if isinstance(doc, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    return title if isinstance(title, str) else None


def belongs(pact: Pact, names: Iterable[str], title: str | None) -> bool:
    names = [n for n in names if n]
    if pact.provider_spec is not None:
        want = pact.provider_spec.rstrip("/")
        return any(fnmatch.fnmatch(n, want) or fnmatch.fnmatch(n, "*/" + want) or f"/{want}/" in f"/{n}" for n in names)
    return title is not None and _norm(pact.provider) == _norm(title)


def looks_like_pact(path: Path) -> bool:
    """A JSON document with consumer, provider and interactions (or messages)."""
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.sources.source import file_source

    try:  # read through the confinement check: a symlink leading out of the repository is not looked into
        data = file_source(path).read_main()
        if b'"consumer"' not in data[:4096] and b'"interactions"' not in data[:4096]:
            return False
        return is_pact(json.loads(data.decode("utf-8")))
    except (CdcompatError, OSError, ValueError):
        return False


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=64)
def discovered(paths: tuple[Path, ...]) -> tuple[str, ...]:
    """Pact files under the contract paths."""
    out = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.json")) if root.is_dir() else []
        out += [_shown(f) for f in files if f.suffix == ".json" and not f.name.startswith(".") and looks_like_pact(f)]
    return tuple(out)


def with_pacts(
    report: Report,
    old: str,
    new: str,
    pact_files: Iterable[str],
    settings: Any,
    *,
    names: Iterable[str] = (),
    explicit: bool = False,
) -> Report:
    """``report`` with the Pact findings of both directions and consumer-aware static findings."""
    from pytest_cdcompat.live.engine import load_openapi
    from pytest_cdcompat.pact.consumers import annotate, names_in, operation_key
    from pytest_cdcompat.pact.pact_check import check_pacts

    files = list(dict.fromkeys(str(p) for p in pact_files))
    if not files:
        return report
    if report.kind != "openapi":
        if explicit:
            raise PactError(f"Pact files are checked against OpenAPI documents; {new} is a {report.kind} contract",
                            path=files[0])  # fmt: skip
        return report
    title_new, title_old = spec_title(new, settings), spec_title(old, settings)
    spec_names = [*names, new, old]
    pacts = []
    for entry in files:
        f, _, mapped = entry.partition("=")  # "FILE = PROVIDER-SPEC" ties a Pact file to its spec in the settings
        f, mapped = f.strip(), mapped.strip()
        pact = load_pact(f)
        if mapped:
            pact = replace(pact, provider_spec=mapped)
        if belongs(pact, spec_names, title_new) or belongs(pact, spec_names, title_old):
            pacts.append(pact)
        elif explicit:
            raise PactError(
                f"the Pact file's provider {pact.provider!r} is not {new} (info.title {title_new!r}); name the "
                f'provider spec with "x-cd-compat": {{"provider": "{new}"}}',
                path=f,
            )
    if not pacts:
        return report
    seed = report.seed if report.seed is not None else 0
    run = check_pacts(pacts, load_openapi(old, settings), load_openapi(new, settings),
                      examples=settings.examples, seed=seed, strict=settings.strict)  # fmt: skip
    directions = {}
    for d in Direction:
        merged = [*report.directions[d].findings, *run.findings[d]]
        directions[d] = DirectionResult(d, tuple(sorted(merged, key=Finding.sort_key)))
    merged_report = replace(report, directions=directions)
    uses = []
    for pact, interaction, old_title, new_title in run.uses:
        ops = {operation_key(t) for t in (old_title, new_title) if t is not None}
        mentioned = names_in(interaction.request.body, set()) | names_in(interaction.response.body, set())
        mentioned |= set(interaction.request.query) | {h.lower() for h in interaction.request.headers}
        mentioned |= set(interaction.request.headers) | set(interaction.response.headers)
        uses.append((pact.consumer, ops, mentioned))
    annotated, plan_notes = annotate(merged_report, sorted({p.consumer for p in pacts}), uses)
    return replace(annotated, notes=(*report.notes, *run.notes, *plan_notes))

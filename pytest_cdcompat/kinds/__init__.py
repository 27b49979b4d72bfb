"""Contract kinds: one folder each (``kinds/<kind>/``: loader, engine, rules), named by one row of the registry in
``core/kinds.py``.

This module opens sources, detects a source's kind, and imports a kind's loader and engine only when a contract of
that kind is loaded, so fastavro, protobuf and sqlglot stay unimported for the other kinds. A kind whose optional
dependencies are missing names the extra that installs them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_cdcompat.core.errors import UnsupportedKind
from pytest_cdcompat.core.kinds import KIND_NAMES, KINDS
from pytest_cdcompat.sources.source import FileSource, Source, file_source, git_source

if TYPE_CHECKING:
    from pytest_cdcompat.core.findings import Direction, Finding
    from pytest_cdcompat.core.model import Contract
    from pytest_cdcompat.core.settings import Settings

    # both deploy directions in one pass: (old, new, settings, seed) -> findings per direction
    KindEngine = Callable[[Contract, Contract, Settings, int], dict[Direction, list[Finding]]]

__all__ = ["KIND_NAMES", "FileSource", "Source", "detect_kind", "engine_for", "load", "open_source"]


def open_source(spec: str | Path, settings: Settings) -> Source:
    """A path, or ``REF:PATH`` for a version in git."""
    text = str(spec)
    if isinstance(spec, Path) or Path(text).exists() or ":" not in text:
        return file_source(text, allow_outside=settings.allow_outside, root=settings.root)
    ref, _, path = text.partition(":")
    return git_source(ref, path)


def detect_kind(source: Source) -> str:
    from pytest_cdcompat.kinds.detect import detect

    return detect(source)


def load(source: Source, kind: str, settings: Settings) -> Contract:
    from pytest_cdcompat.kinds.schema.recursion import check_contract

    loader: Callable[[Source, Settings], Contract] = _import(kind, "loader", source.label)
    contract = loader(source, settings)
    check_contract(contract)  # recursion that never descends into the value: resolved, or one clear error
    return contract


def engine_for(kind: str) -> KindEngine:
    engine: KindEngine = _import(kind, "engine", kind)
    return engine


def _import(kind: str, role: str, label: str) -> Any:
    row = KINDS.get(kind)
    if row is None:
        raise UnsupportedKind(f"unknown contract kind {kind!r} (known: {', '.join(KIND_NAMES)})", path=label)
    module, _, func = getattr(row, role).partition(":")
    try:
        imported = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name is not None and e.name.startswith("pytest_cdcompat"):
            raise
        raise missing_extra(kind, e, label) from None
    return getattr(imported, func)


def missing_extra(kind: str, error: ModuleNotFoundError, label: str) -> UnsupportedKind:
    """A kind whose optional dependencies are not installed: say which extra brings them."""
    extra = KINDS[kind].extra or "all"
    return UnsupportedKind(
        f"{kind} contracts need the {error.name!r} package: pip install 'pytest-cdcompat[{extra}]'", path=label
    )

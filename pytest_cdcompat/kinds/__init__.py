"""Loaders: one module per contract kind, each turning a ``Source`` into the shared ``Contract`` model.

``KIND_LOADERS`` maps a kind to ``"module:function"`` so a kind's heavy imports (fastavro, protobuf, sqlglot) happen
only when a contract of that kind is loaded. ``detect_kind`` looks at the extension first and the content second.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_cdcompat.core.errors import UnsupportedKind
from pytest_cdcompat.sources.source import FileSource, Source, file_source, git_source

if TYPE_CHECKING:
    from pytest_cdcompat.core.model import Contract
    from pytest_cdcompat.core.settings import Settings

KINDS = ("openapi", "jsonschema", "asyncapi", "avro", "protobuf", "sql")

KIND_LOADERS: dict[str, str] = {
    "openapi": "pytest_cdcompat.kinds.openapi.openapi_loader:load",
    "jsonschema": "pytest_cdcompat.kinds.jsonschema.jsonschema_loader:load",
    "asyncapi": "pytest_cdcompat.kinds.asyncapi.asyncapi_loader:load",
    "avro": "pytest_cdcompat.kinds.avro.avro_loader:load",
    "protobuf": "pytest_cdcompat.kinds.protobuf.protobuf_loader:load",
    "sql": "pytest_cdcompat.kinds.sql.sql_loader:load",
}

__all__ = ["KINDS", "KIND_LOADERS", "FileSource", "Source", "detect_kind", "load", "open_source"]


def open_source(spec: str | Path, settings: Settings) -> Source:
    """A path, or ``REF:PATH`` for a version in git."""
    text = str(spec)
    if isinstance(spec, Path) or Path(text).exists() or ":" not in text:
        return file_source(text, allow_outside=settings.allow_remote_refs, root=settings.root)
    ref, _, path = text.partition(":")
    return git_source(ref, path, allow_outside=settings.allow_remote_refs)


def detect_kind(source: Source) -> str:
    from pytest_cdcompat.kinds.detect import detect

    return detect(source)


def load(source: Source, kind: str, settings: Settings) -> Contract:
    target = KIND_LOADERS.get(kind)
    if target is None:
        raise UnsupportedKind(f"unknown contract kind {kind!r} (known: {', '.join(KINDS)})", path=source.label)
    module, _, func = target.partition(":")
    try:
        imported = importlib.import_module(module)
    except ModuleNotFoundError as e:
        raise missing_extra(kind, e, source.label) from None
    loader: Callable[[Source, Settings], Contract] = getattr(imported, func)
    return loader(source, settings)


EXTRAS = {"avro": "messages", "protobuf": "messages", "asyncapi": "messages", "sql": "sql"}


def missing_extra(kind: str, error: ModuleNotFoundError, label: str) -> UnsupportedKind:
    """A kind whose optional dependencies are not installed: say which extra brings them."""
    extra = EXTRAS.get(kind, "all")
    return UnsupportedKind(
        f"{kind} contracts need the {error.name!r} package: pip install 'pytest-cdcompat[{extra}]'", path=label
    )

"""Read and parse the files of one ``Source`` once, whoever asks first (kind detection, a loader, a ``$ref``).

The parsed value is cached on the ``Source`` itself, so a 4 MB spec is parsed once per comparison even though kind
detection, validation and ``$ref`` resolution all need it.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.sources.source import Source
from pytest_cdcompat.sources.yamlio import parse

__all__ = ["parse_file", "parse_main", "require_mapping"]


def parse_file(source: Source, rel: PurePosixPath) -> Any:
    if rel not in source.parsed:
        data = source.read(rel)
        nodes: list[Any] = []
        source.parsed[rel] = parse(data, source.describe(rel), prefer_json=rel.suffix.lower() == ".json", nodes=nodes)
        if nodes:
            source.composed[rel] = nodes[0]
    return source.parsed[rel]


def parse_main(source: Source) -> Any:
    return parse_file(source, source.rel)


def require_mapping(doc: Any, label: str) -> dict[str, Any]:
    if not isinstance(doc, dict):
        what = "a list" if isinstance(doc, list) else f"a {type(doc).__name__} ({doc!r:.40})"
        raise ContractLoadError(f"the top level is {what}, expected a mapping", path=label, pointer="")
    if not all(isinstance(k, str) for k in doc):
        bad = next(k for k in doc if not isinstance(k, str))
        raise ContractLoadError(f"key {bad!r} is not a string", path=label, pointer="")
    return doc

"""Guess a contract's kind from its extension first and its content second.

Extensions that only one kind uses (``.avsc``, ``.proto``, ``.sql``) decide alone, so a broken Avro file is reported
by the Avro loader rather than as "not a contract". YAML and JSON files are parsed (once: the parse is cached on the
``Source``) and recognised by their top-level keys: OpenAPI and AsyncAPI declare themselves, an Avro record has
``type: record`` and ``fields``, and a JSON Schema has ``$schema`` or schema keywords at the top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_cdcompat.core.errors import UnsupportedKind
from pytest_cdcompat.core.kinds import SUFFIX_KINDS
from pytest_cdcompat.sources.documents import parse_main
from pytest_cdcompat.sources.source import FileSource, GitSource, Source

SCHEMA_KEYWORDS = frozenset(
    {
        "type", "properties", "$defs", "definitions", "items", "allOf", "anyOf", "oneOf", "enum", "const",
        "$ref", "required", "additionalProperties", "patternProperties", "not", "prefixItems",
    }
)  # fmt: skip
AVRO_TYPES = frozenset({"record", "enum", "fixed"})


def detect(source: Source) -> str:
    suffix = source.rel.suffix.lower()
    if suffix in SUFFIX_KINDS:
        return SUFFIX_KINDS[suffix]
    names = _folder_names(source)
    if names is not None:
        if any(name.lower().endswith(".sql") for name in names):
            return "sql"
        raise UnsupportedKind("not a contract: a folder without .sql migration files", path=source.label)
    doc = parse_main(source)
    kind = kind_of(doc)
    if kind is None:
        raise UnsupportedKind(
            "not a contract: no 'openapi', 'swagger', 'asyncapi' or '$schema' key, and not a JSON Schema or Avro "
            "schema",
            path=source.label,
        )
    return kind


def kind_of(doc: Any) -> str | None:
    """The kind of a parsed document, or ``None``."""
    if not isinstance(doc, dict):
        return None
    if "openapi" in doc or str(doc.get("swagger", "")).startswith("2"):
        return "openapi"
    if "asyncapi" in doc:
        return "asyncapi"
    declared = doc.get("type")
    if (
        isinstance(declared, str)
        and declared in AVRO_TYPES
        and ("fields" in doc or "symbols" in doc or "size" in doc)
        and "name" in doc
    ):
        return "avro"
    if "$schema" in doc or SCHEMA_KEYWORDS & doc.keys():
        return "jsonschema"
    return None


def _folder_names(source: Source) -> list[str] | None:
    """The names in the folder ``source`` points to (in the work tree or the git revision), or ``None``."""
    if isinstance(source, FileSource):
        folder = source.folder(source.rel)
        return [p.name for p in folder.iterdir()] if folder is not None else None
    if isinstance(source, GitSource):  # read from the run's one ``git cat-file --batch`` process
        from pytest_cdcompat.sources import catfile

        entries = catfile.tree_entries(source.root, f"{source.ref}:{source.rel.as_posix()}")
        return [name for name, _ in entries] if entries is not None else None
    return None


def stem(source: Source) -> str:
    return Path(source.rel.name).stem

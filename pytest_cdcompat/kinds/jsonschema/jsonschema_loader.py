"""A JSON Schema document (drafts 04, 06, 07, 2019-09, 2020-12) -> a ``Contract`` with one message channel.

A standalone JSON Schema describes one message: whoever writes it is the producer, whoever validates it the
consumer. The dialect comes from ``$schema`` (2020-12 when absent) and decides both the meta-schema the document is
checked against and how ``$ref``/``$id`` resolve.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import jsonschema
import jsonschema.exceptions
import jsonschema.validators

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.schema.canonical import canonicalise
from pytest_cdcompat.kinds.schema.metavalid import fast_is_valid, fast_validator
from pytest_cdcompat.sources.documents import parse_main
from pytest_cdcompat.sources.refs import dialect_specification, pointer_join, resolve_refs
from pytest_cdcompat.sources.source import Source

DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema"

__all__ = ["load"]


def load(source: Source, settings: Settings) -> Contract:
    doc = parse_main(source)
    if not isinstance(doc, (dict, bool)):
        raise ContractLoadError(f"a JSON Schema is a mapping or a boolean, not {type(doc).__name__}",
                                path=source.label, pointer="")  # fmt: skip
    dialect = doc.get("$schema", DEFAULT_DIALECT) if isinstance(doc, dict) else DEFAULT_DIALECT
    if not isinstance(dialect, str):
        raise ContractLoadError("$schema must be a URI string", path=source.label, pointer="/$schema")
    check(doc, dialect, source.label)
    resolved = resolve_refs(source, doc, settings, specification=dialect_specification(dialect))
    schema = canonicalise(resolved, dialect)
    title = doc.get("title") if isinstance(doc, dict) and isinstance(doc.get("title"), str) else None
    body = Slot(name="message", required=True, schema=schema, location="")
    flow = Flow(name="message", written_by=Party.PRODUCER, location="", bodies={"message": body}, body_required=True)
    channel = Channel(key="message", title=title or PurePosixPath(source.rel.name).stem, location="",
                      flows={"message": flow})  # fmt: skip
    return Contract(kind="jsonschema", source=source.label, channels={"message": channel}, version=dialect)


def check(doc: Any, dialect: str, label: str) -> None:
    """``check_schema`` with the dialect's validator class; the most relevant error, with its pointer."""
    cls = jsonschema.validators.validator_for({"$schema": dialect}, default=None)
    if cls is None:
        raise ContractLoadError(f"unknown JSON Schema dialect {dialect!r}", path=label, pointer="/$schema")
    if fast_is_valid(fast_validator(f"jsonschema-{dialect}", lambda: cls.META_SCHEMA), doc):
        return  # jsonschema-rs says valid; jsonschema words the error otherwise
    error = jsonschema.exceptions.best_match(cls(cls.META_SCHEMA).iter_errors(doc))
    if error is not None:
        pointer = "".join(pointer_join("", p) for p in error.absolute_path)
        raise ContractLoadError(f"invalid JSON Schema: {error.message}", path=label, pointer=pointer)

"""The engine: for one deploy scenario, pair the two versions, run the rules, find counterexamples.

``KIND_ENGINES`` maps a kind to ``"module:function"``; each engine takes ``(old, new, direction, settings, seed)`` and
returns findings with absolute locations. OpenAPI, JSON Schema and AsyncAPI share the schema engine
(``schema_engine.run``); Avro, Protobuf and SQL bring their own, built on the same registry and ``Finding``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from pytest_cdcompat.core.findings import Direction, Finding
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.core.settings import Settings

KindEngine = Callable[[Contract, Contract, Direction, Settings, int], list[Finding]]

KIND_ENGINES: dict[str, str] = {
    "openapi": "pytest_cdcompat.kinds.schema.schema_engine:run",
    "jsonschema": "pytest_cdcompat.kinds.schema.schema_engine:run",
    "asyncapi": "pytest_cdcompat.kinds.asyncapi.asyncapi_engine:run",
    "avro": "pytest_cdcompat.kinds.avro.avro_engine:run",
    "protobuf": "pytest_cdcompat.kinds.protobuf.protobuf_engine:run",
    "sql": "pytest_cdcompat.kinds.sql.sql_engine:run",
}


def engine_for(kind: str) -> KindEngine:
    module, _, func = KIND_ENGINES[kind].partition(":")
    fn: KindEngine = getattr(importlib.import_module(module), func)
    return fn

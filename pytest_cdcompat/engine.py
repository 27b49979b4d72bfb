"""The engine: for one deploy scenario, pair the two versions, run the rules, find counterexamples.

``KIND_ENGINES`` maps a kind to ``"module:function"``; each engine takes ``(old, new, direction, settings, seed)`` and
returns findings with absolute locations. OpenAPI, JSON Schema and AsyncAPI share the schema engine
(``schema_engine.run``); Avro, Protobuf and SQL bring their own, built on the same registry and ``Finding``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .findings import Direction, Finding
from .model import Contract
from .settings import Settings

KindEngine = Callable[[Contract, Contract, Direction, Settings, int], list[Finding]]

KIND_ENGINES: dict[str, str] = {
    "openapi": "pytest_cdcompat.schema_engine:run",
    "jsonschema": "pytest_cdcompat.schema_engine:run",
    "asyncapi": "pytest_cdcompat.asyncapi_engine:run",
    "avro": "pytest_cdcompat.avro_engine:run",
    "protobuf": "pytest_cdcompat.protobuf_engine:run",
    "sql": "pytest_cdcompat.sql_engine:run",
}


def engine_for(kind: str) -> KindEngine:
    module, _, func = KIND_ENGINES[kind].partition(":")
    fn: KindEngine = getattr(importlib.import_module(module), func)
    return fn

"""The counterexample generator: values built from canonical JSON Schemas, judged by an independent validator.

Layers inside (each imports only those before it): ``encode`` (canonical JSON) -> ``validate`` (jsonschema 2020-12,
cached per schema object) -> ``merge`` (allOf flattening, recursion analysis, keyword helpers) -> ``formats`` ->
``scalars`` -> ``containers`` (array/object composites) -> ``strategies`` (schema -> hypothesis strategy, by
construction) -> ``minimal`` (deterministic instances, ``embed``) and ``counterexample`` (writer-valid,
reader-invalid values, shrunk and seeded). Nothing here knows contract kinds,
directions or rules: the engine passes (writer schema, reader schema, context). See docs/generator.md.
"""

from __future__ import annotations

from typing import Any

from pytest_cdcompat.kinds.schema.generate.encode import canonical_json, canonical_value
from pytest_cdcompat.kinds.schema.generate.minimal import embed, minimal_instance
from pytest_cdcompat.kinds.schema.generate.validate import accepts, errors, errors_at, is_valid, validator_for

# these import hypothesis: loaded on first use, so importing the package (``--examples 0``) does not
_LAZY = {
    "Counterexample": "pytest_cdcompat.kinds.schema.generate.counterexample",
    "find_counterexample": "pytest_cdcompat.kinds.schema.generate.counterexample",
    "search_at": "pytest_cdcompat.kinds.schema.generate.counterexample",
    "strategy_for": "pytest_cdcompat.kinds.schema.generate.strategies",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Counterexample",
    "accepts",
    "canonical_json",
    "canonical_value",
    "embed",
    "errors",
    "errors_at",
    "find_counterexample",
    "is_valid",
    "minimal_instance",
    "search_at",
    "strategy_for",
    "validator_for",
]

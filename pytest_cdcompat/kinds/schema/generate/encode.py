"""Canonical encoding of generated values, so reports are byte-identical from run to run.

JSON does not tell ``1`` from ``1.0`` and jsonschema treats them as equal, so integral floats are printed as integers
(within the range where a float is exact, 2**53); mapping keys are sorted; tuples become lists. The same encoding
gives ``uniqueItems`` its notion of equality in the generator (``True`` and ``1`` stay distinct, as in jsonschema).
"""

from __future__ import annotations

import json
import math
from typing import Any

_EXACT = 2**53


def canonical_value(value: Any) -> Any:
    """``value`` with integral floats as ints, dict keys sorted (recursively) and tuples as lists."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) <= _EXACT:
            return int(value)
        return value
    if isinstance(value, dict):
        return {k: canonical_value(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [canonical_value(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """The deterministic, compact JSON text of ``value`` (sorted keys, ``1.0`` printed as ``1``)."""
    return json.dumps(canonical_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

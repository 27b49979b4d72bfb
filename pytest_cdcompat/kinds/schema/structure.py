"""Structural equality of canonical schemas, cycle-safe, ignoring where a node came from (``x-cdc-*``).

The engine compares schemas through ``shapes.hashing.Hasher`` (one memoised hash per node); ``same`` is the
fallback for callers without a run's hasher.
"""

from __future__ import annotations

from typing import Any


def same(a: Any, b: Any, _seen: set[tuple[int, int]] | None = None) -> bool:
    if a is b:
        return True
    seen = _seen if _seen is not None else set()
    if isinstance(a, dict) and isinstance(b, dict):
        key = (id(a), id(b))
        if key in seen:
            return True  # assume equal on the back edge: a cycle is equal where its bodies are
        seen.add(key)
        ka = {k for k in a if not k.startswith("x-cdc-")}
        kb = {k for k in b if not k.startswith("x-cdc-")}
        return ka == kb and all(same(a[k], b[k], seen) for k in ka)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, seen) for x, y in zip(a, b, strict=False))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == {} and b is True) or (b == {} and a is True)
    if a is None or b is None:
        return a is b
    return bool(a == b and type(a) is type(b)) or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b
    )

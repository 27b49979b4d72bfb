"""Per-context views of a canonical schema: what a request or a response really carries.

OpenAPI's ``readOnly`` properties are not sent in requests and ``writeOnly`` ones not in responses; a ``required``
that names them applies only where they are sent. Rather than teaching every rule, the generator and the validator
about that, the engine compares and validates the *view* of each schema for its context: a copy (cycle-safe, made
once per node) without the properties that do not travel in that direction. Schemas without either keyword are
returned as they are, so the common case costs one scan.
"""

from __future__ import annotations

from typing import Any

HIDDEN = {"request": "readOnly", "response": "writeOnly"}


def _mentions(schema: Any, flag: str, seen: set[int]) -> bool:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.get(flag) is True:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def for_context(schema: Any, context: str) -> Any:
    """The view of ``schema`` for ``context`` ("request", "response" or "message")."""
    flag = HIDDEN.get(context)
    if flag is None or not _mentions(schema, flag, set()):
        return schema
    memo: dict[int, Any] = {}

    def copy(node: Any) -> Any:
        if isinstance(node, list):
            return [copy(x) for x in node]
        if not isinstance(node, dict):
            return node
        if id(node) in memo:
            return memo[id(node)]
        out: dict[str, Any] = {}
        memo[id(node)] = out
        hidden = set()
        props = node.get("properties")
        if isinstance(props, dict):
            hidden = {k for k, v in props.items() if isinstance(v, dict) and v.get(flag) is True}
        for key, value in node.items():
            if key.startswith("x-cdc-") or key in ("enum", "const", "default"):
                out[key] = value
            elif key == "properties" and isinstance(value, dict):
                out[key] = {k: copy(v) for k, v in value.items() if k not in hidden}
            elif key == "required" and isinstance(value, list):
                out[key] = [k for k in value if k not in hidden]
            else:
                out[key] = copy(value)
        return out

    return copy(schema)

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


class Views:
    """Views of many schemas of one run, sharing one memo per context so each node is copied at most once.

    The first call per context scans the schema graph once; a contract that never uses the flag returns its own
    schemas unchanged.
    """

    def __init__(self) -> None:
        self.memos: dict[str, dict[int, Any]] = {}
        self.seen: dict[str, set[int]] = {}
        self.flagged: dict[str, bool] = {}
        self.keep: list[Any] = []

    def __call__(self, schema: Any, context: str) -> Any:
        flag = HIDDEN.get(context)
        if flag is None or not isinstance(schema, dict):
            return schema
        seen = self.seen.setdefault(context, set())
        if id(schema) not in seen:
            self.keep.append(schema)
            found = _mentions(schema, flag, seen)
            self.flagged[context] = self.flagged.get(context, False) or found
        if not self.flagged.get(context):
            return schema
        return _copy(schema, flag, self.memos.setdefault(context, {}))


def _copy(schema: Any, flag: str, memo: dict[int, Any]) -> Any:

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

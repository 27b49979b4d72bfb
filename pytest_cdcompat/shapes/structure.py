"""Structural equality of canonical schemas, cycle-safe, ignoring where a node came from (``x-cdc-*``)."""

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


class Hasher:
    """Memoised structural hashes of canonical schemas (cycle-safe), so identical flows are skipped cheaply.

    A back edge hashes as its distance up the current path (a de Bruijn index), which keeps different cycle shapes
    apart; only subtrees closed under their own back edges are memoised, because the hash of a node inside a cycle
    depends on where the cycle was entered.
    """

    def __init__(self) -> None:
        self.memo: dict[int, str] = {}
        self.keep: list[Any] = []  # keep hashed objects alive so ids are not reused

    def __call__(self, node: Any) -> str:
        import hashlib

        stack_pos: dict[int, int] = {}

        def visit(n: Any, depth: int) -> tuple[str, int]:
            # returns (hash, shallowest depth a back edge below reaches; large when none)
            if isinstance(n, dict):
                key = id(n)
                if key in self.memo:
                    return self.memo[key], 1 << 30
                if key in stack_pos:
                    return f"^{depth - stack_pos[key]}", stack_pos[key]
                stack_pos[key] = depth
                low = 1 << 30
                parts = []
                for k in sorted(n):
                    if k.startswith("x-cdc-"):
                        continue
                    h, lo = visit(n[k], depth + 1)
                    low = min(low, lo)
                    parts.append(f"{k}:{h}")
                del stack_pos[key]
                digest = hashlib.blake2b(("{" + ",".join(parts) + "}").encode(), digest_size=12).hexdigest()
                if low >= depth:
                    self.memo[key] = digest
                    self.keep.append(n)
                    low = 1 << 30
                return digest, low
            if isinstance(n, list):
                low = 1 << 30
                parts = []
                for x in n:
                    h, lo = visit(x, depth + 1)
                    low = min(low, lo)
                    parts.append(h)
                return "[" + ",".join(parts) + "]", low
            if isinstance(n, bool) or n is None:
                return repr(n), 1 << 30
            if isinstance(n, float) and n.is_integer():
                return repr(int(n)), 1 << 30
            return repr(n), 1 << 30

        return visit(node, 0)[0]

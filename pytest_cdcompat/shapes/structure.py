"""Structural equality of canonical schemas, cycle-safe, ignoring where a node came from (``x-cdc-*``)."""

from __future__ import annotations

import hashlib
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
    """Memoised structural hashes of canonical schemas, linear in the size of the schema graph.

    Recursive schemas are cyclic object graphs, and every cycle passes through a node reached by ``$ref`` (tagged
    ``x-cdc-ref``, labelled by its ``x-cdc-loc``). So a node's *shallow* hash stops at referenced nodes (hashed as
    ``ref:<loc>``), and its *deep* hash adds the hashes of the strongly connected components of referenced nodes
    it reaches (Tarjan's algorithm on the reference graph). Equal deep hashes mean equal unfolded schemas; moved
    or renamed components hash differently, which only costs a walk that finds nothing. A cycle that does not pass
    through a tagged node (hand-built graphs) hashes as its distance up the path, which stays sound.
    """

    def __init__(self) -> None:
        self.shallow_memo: dict[int, tuple[str, tuple[Any, ...]]] = {}
        self.deep_memo: dict[int, str] = {}
        self.scc_hash: dict[int, str] = {}
        self.keep: list[Any] = []  # keep hashed objects alive so ids are not reused

    @staticmethod
    def is_target(n: Any) -> bool:
        return isinstance(n, dict) and "x-cdc-ref" in n

    def shallow(self, root: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """(hash, referenced target nodes) of ``root``, not looking inside referenced nodes."""
        memo = self.shallow_memo.get(id(root))
        if memo is not None:
            return memo
        refs: list[Any] = []
        on_path: dict[int, int] = {}

        def visit(n: Any, depth: int) -> str:
            if isinstance(n, dict):
                if n is not root and self.is_target(n):
                    refs.append(n)
                    return "ref:" + str(n.get("x-cdc-loc", id(n)))
                if id(n) in on_path:
                    return f"^{depth - on_path[id(n)]}"
                on_path[id(n)] = depth
                parts = [f"{k}:{visit(n[k], depth + 1)}" for k in sorted(n) if not k.startswith("x-cdc-")]
                del on_path[id(n)]
                return "{" + ",".join(parts) + "}"
            if isinstance(n, list):
                return "[" + ",".join(visit(x, depth + 1) for x in n) + "]"
            if isinstance(n, float) and n.is_integer():
                return repr(int(n))
            return repr(n)

        text = visit(root, 0)
        digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        result = (digest, tuple(refs))
        self.shallow_memo[id(root)] = result
        self.keep.append(root)
        return result

    def _components(self, start: Any) -> None:
        """Tarjan's SCC algorithm (iterative) over referenced nodes reachable from ``start``; fills ``scc_hash``."""
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        stack: list[Any] = []
        on_stack: set[int] = set()
        counter = 0
        work: list[tuple[Any, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            nid = id(node)
            if i == 0:
                if nid in self.scc_hash or nid in index:
                    continue
                index[nid] = low[nid] = counter
                counter += 1
                stack.append(node)
                on_stack.add(nid)
            succs = self.shallow(node)[1]
            if i < len(succs):
                work.append((node, i + 1))
                child = succs[i]
                cid = id(child)
                if cid in self.scc_hash:
                    continue
                if cid not in index:
                    work.append((child, 0))
                elif cid in on_stack:
                    low[nid] = min(low[nid], index[cid])
                continue
            # all successors done: propagate low-links from finished children
            for child in succs:
                cid = id(child)
                if cid in on_stack and cid in low:
                    low[nid] = min(low[nid], low[cid])
            if low[nid] == index[nid]:
                members = []
                while True:
                    m = stack.pop()
                    on_stack.discard(id(m))
                    members.append(m)
                    if m is node:
                        break
                ids = {id(m) for m in members}
                inner = sorted(f"{m.get('x-cdc-loc', '')}={self.shallow(m)[0]}" for m in members)
                outer = sorted({self.scc_hash[id(c)] for m in members for c in self.shallow(m)[1]
                                if id(c) not in ids})
                h = hashlib.blake2b(("|".join(inner) + "#" + "|".join(outer)).encode(), digest_size=16).hexdigest()
                for m in members:
                    self.scc_hash[id(m)] = h

    def __call__(self, node: Any) -> str:
        if not isinstance(node, dict):
            return repr(node)
        memo = self.deep_memo.get(id(node))
        if memo is not None:
            return memo
        digest, refs = self.shallow(node)
        parts = [digest]
        if self.is_target(node):
            self._components(node)
            parts.append(str(node.get("x-cdc-loc", "")) + "@" + self.scc_hash[id(node)])
        else:
            for t in refs:
                self._components(t)
            parts.extend(sorted(str(t.get("x-cdc-loc", "")) + "@" + self.scc_hash[id(t)] for t in refs))
        h = hashlib.blake2b("/".join(parts).encode(), digest_size=16).hexdigest()
        self.deep_memo[id(node)] = h
        return h

"""Walk two canonical schemas side by side: the writer's and the reader's view of the same place.

The walk is the engine's half of every schema rule (jsonschema's ``descend``): rules look at one pair of nodes and
yield ``Hit``s; the walk decides which nodes are paired (properties by name, array items by position, composition
branches by identity) and carries both the *keyword path* (where in the document) and the *instance path* (where
in a value) so every hit gets a location and a place to put its witness. Pairs already visited are skipped, which
makes recursive (cyclic) schemas terminate, as oasdiff does for circular refs.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat.core.regex import sample_key

REJECTS_ALL: dict[str, Any] = {"x-cdc-false": True}  # stands for the reader schema ``false``

JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


def as_dict(schema: Any) -> dict[str, Any] | None:
    """``True`` -> ``{}``; ``False`` -> ``None`` (accepts nothing)."""
    if schema is True:
        return {}
    if schema is False or schema is None:
        return None
    return schema if isinstance(schema, dict) else {}


def types_of(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema admits (``None`` = any); ``integer`` is kept apart from ``number``."""
    t = schema.get("type")
    if t is None:
        if "const" in schema:
            return {type_name(schema["const"])}
        if "enum" in schema and isinstance(schema["enum"], list):
            return {type_name(v) for v in schema["enum"]}
        return None
    return set(t) if isinstance(t, list) else {t}


def own_or_member_types(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema admits, looking through ``allOf``: a value must satisfy every member, so a schema
    without a ``type`` of its own admits the types all its typed members share (an ``allOf`` chain of object
    schemas is an object schema). ``None`` = any. Cycles of members are cut."""
    seen: set[int] = set()

    def walk(node: Any) -> set[str] | None:
        if not isinstance(node, dict) or id(node) in seen:
            return None
        seen.add(id(node))
        own = types_of(node)
        if own is not None:
            return own
        known = [t for m in node.get("allOf") or () if (t := walk(m)) is not None]
        if not known:
            return None
        out = set(known[0])
        for t in known[1:]:
            out = {x for x in out if accepts_type(t, x)} | {x for x in t if accepts_type(out, x)}
        return out

    return walk(schema)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def accepts_type(reader: set[str] | None, t: str) -> bool:
    return reader is None or t in reader or (t == "integer" and "number" in reader)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


@dataclass
class SchemaPair:
    """What a schema rule sees: the writer's and the reader's node at one place, and how to word the change.

    ``writer_is_old`` says which version writes in this scenario; rules use ``changed(...)`` to word the change as
    the developer made it (old -> new) whichever way the data flows.
    """

    writer: dict[str, Any]
    reader: dict[str, Any]
    writer_is_old: bool
    strict: bool = False
    context: str = "message"
    hasher: Any = None  # the run's structural hash; equal hashes mean equal schemas

    def same(self, a: Any, b: Any) -> bool:
        """Whether two schemas are structurally equal (ignoring where they came from)."""
        if a is None or b is None:
            return a is b
        if self.hasher is not None and isinstance(a, dict) and isinstance(b, dict):
            return bool(self.hasher(a) == self.hasher(b))
        from pytest_cdcompat.kinds.schema.structure import same

        return same(a, b)

    def changed(self, when_old_writes: str, when_new_writes: str) -> str:
        return when_old_writes if self.writer_is_old else when_new_writes

    @property
    def old(self) -> dict[str, Any]:
        return self.writer if self.writer_is_old else self.reader

    @property
    def new(self) -> dict[str, Any]:
        return self.reader if self.writer_is_old else self.writer


@dataclass
class Step:
    """One node pair reached by the walk."""

    writer: dict[str, Any]
    reader: dict[str, Any]
    keyword_path: tuple[str | int, ...]  # relative to the slot's schema, in the NEW document's spelling
    instance_path: tuple[str | int, ...]


Path = tuple[str | int, ...]
PAIR, REJECT = 0, 1  # a child pair to walk; a writer node the reader rejects outright (a leaf step)
Child = tuple[int, dict[str, Any], dict[str, Any], Path, Path]  # kind, writer, reader, keyword and instance suffix


class PairTable:
    """The child pairs of every node pair met in one comparison, computed once and shared by every operation.

    Which nodes a pair leads to depends on the two nodes (and the comparison's semantics) alone, not on the direction,
    the context or the rules, so
    a shared component reached from a thousand operations has its children paired, hashed and filtered once: slots
    are entry points into this table. A child is kept only when a rule could fire below it (both sides send and
    check something and their structural hashes differ). The table holds the nodes it keys by ``id`` alive.
    """

    def __init__(self, hasher: Any = None, strict: bool = False) -> None:
        self.hasher = hasher
        self.strict = strict  # under strict semantics a reader's names meet what an open writer may send
        self.entries: dict[tuple[int, int], tuple[Any, Any, list[Child]]] = {}
        self.stripped: dict[int, tuple[Any, Any]] = {}  # a reader without its union keywords, one object per node

    def children(self, w: dict[str, Any], r: dict[str, Any]) -> list[Child]:
        entry = self.entries.get((id(w), id(r)))
        if entry is not None:
            return entry[2]
        hasher = self.hasher
        out: list[Child] = []
        for cw, cr, ckp, cip in _children(w, r, self):
            cwd, crd = as_dict(cw), as_dict(cr)
            if cwd is None or crd is None or not crd:
                # the writer sends nothing here, or the reader takes anything: no rule can fire below
                if cwd is not None and crd is None:
                    out.append((REJECT, cwd, REJECTS_ALL, ckp, cip))
                continue
            if hasher is not None and hasher(cwd) == hasher(crd):
                continue
            out.append((PAIR, cwd, crd, ckp, cip))
        self.entries[(id(w), id(r))] = (w, r, out)
        return out

    def reaches(
        self,
        writer: Any,
        reader: Any,
        hit: Callable[[dict[str, Any], dict[str, Any]], bool],
        clean: set[tuple[Any, ...]],
        dirty: set[tuple[Any, ...]],
        tag: tuple[Any, ...],
    ) -> bool:
        """Whether some pair reachable from the slot's two schemas satisfies ``hit``, stopping at the first.

        ``clean`` and ``dirty`` (keyed by the pair's ids and ``tag``) remember pairs whose whole closure has no
        such pair and pairs known to reach one, so the many slots that meet the same components are answered by a
        few look-ups. Only meaningful when ``hit`` is fixed for every pair met (their hits were all reported).
        """
        wd, rd = as_dict(writer), as_dict(reader)
        if wd is None or (rd is not None and not rd):
            return False
        if rd is None:
            return hit(wd, REJECTS_ALL)
        if self.hasher is not None and self.hasher(wd) == self.hasher(rd):
            return False
        root = (id(wd), id(rd), *tag)
        if root in clean:
            return False
        parent: dict[tuple[Any, ...], tuple[Any, ...] | None] = {root: None}
        queue: deque[tuple[dict[str, Any], dict[str, Any], tuple[Any, ...]]] = deque([(wd, rd, root)])

        def found(key: tuple[Any, ...] | None) -> bool:
            while key is not None:
                dirty.add(key)
                key = parent[key]
            return True

        while queue:
            wd, rd, key = queue.popleft()
            if key in dirty or hit(wd, rd):
                return found(key)
            for kind, cw, cr, _, _ in self.children(wd, rd):
                ckey = (id(cw), id(cr), *tag)
                if ckey in parent or ckey in clean:
                    continue
                parent[ckey] = key
                if kind == REJECT:
                    if hit(cw, cr):
                        return found(ckey)
                    continue
                queue.append((cw, cr, ckey))
        clean.update(parent)
        return False

    def without_unions(self, r: dict[str, Any]) -> Any:
        """The reader's node without ``oneOf``/``anyOf`` (what a writer branch meets when the reader has no union)."""
        hit = self.stripped.get(id(r))
        if hit is not None and hit[0] is r:
            return hit[1]
        rest = {k: v for k, v in r.items() if k not in ("oneOf", "anyOf")} or True
        self.stripped[id(r)] = (r, rest)
        return rest


@dataclass
class Walk:
    """One slot's walk: breadth first over the pair table from the slot's two schemas.

    ``walked`` (shared by the slots of one direction) names the pairs (with orientation and context) whose whole
    closure an earlier slot walked: every rule hit below them has been reported already, so a walk that only needs
    new hits (no generation) stops there. A walk that feeds the generator leaves it ``None`` and sees every pair the
    slot reaches.
    """

    writer_is_old: bool
    strict: bool
    context: str
    hasher: Any = None  # structural hash: pairs of identical schemas are skipped
    visited: set[tuple[int, int]] = field(default_factory=set)
    not_sites: set[tuple[str | int, ...]] = field(default_factory=set)  # steps whose differing children were walked
    table: PairTable | None = None
    walked: set[tuple[int, int, bool, str]] | None = None

    def steps(self, writer: Any, reader: Any) -> Iterator[Step]:
        table = self.table if self.table is not None else PairTable(self.hasher, self.strict)
        wd, rd = as_dict(writer), as_dict(reader)
        if wd is None or rd is None or not rd:
            if wd is not None and rd is None:
                yield Step(wd, REJECTS_ALL, (), ())
            return
        if self.hasher is not None and self.hasher(wd) == self.hasher(rd):
            return
        # breadth first, so a pair reachable at several depths (recursive schemas) is reported at the shallowest
        Entry = tuple[int, dict[str, Any], dict[str, Any], Path, Path, "Path | None"]
        queue: deque[Entry] = deque([(PAIR, wd, rd, (), (), None)])
        visited, walked, orientation = self.visited, self.walked, (self.writer_is_old, self.context)
        while queue:
            kind, wd, rd, kp, ip, parent = queue.popleft()
            if kind == REJECT:
                yield Step(wd, rd, kp, ip)
                continue
            key = (id(wd), id(rd))
            if key in visited:
                # a differing pair already walked from another place: the parent is no change site of its own
                if parent is not None:
                    self.not_sites.add(parent)
                continue
            if walked is not None and (*key, *orientation) in walked:
                continue
            visited.add(key)
            yield Step(wd, rd, kp, ip)
            queue.extend(
                (ck, cw, cr, kp + ckp if ckp else kp, ip + cip if cip else ip, kp)
                for ck, cw, cr, ckp, cip in table.children(wd, rd)
            )
        if walked is not None:
            walked.update((*key, *orientation) for key in visited)


def _children(w: dict[str, Any], r: dict[str, Any], table: PairTable) -> Iterator[tuple[Any, Any, Path, Path]]:
    """The child pairs of one node pair, with keyword and instance path suffixes relative to the pair."""
    wprops: dict[str, Any] = w.get("properties") or {}
    rprops: dict[str, Any] = r.get("properties") or {}
    for name in sorted(wprops):
        target = rprops.get(name)
        if target is None:
            target = reader_schema_for_name(r, name)
            if target is None:
                continue  # closed reader: the existence rule reports it
        yield wprops[name], target, ("properties", name), (name,)
    # names the writer requires without declaring them take its additionalProperties schema
    wextra = w.get("additionalProperties", True)
    for name in sorted(set(w.get("required") or ()) - set(wprops)):
        if name in rprops and wextra is not False:
            yield wextra, rprops[name], ("properties", name), (name,)
    yield from _reader_only_names(w, r, (), (), table.strict)
    wadd, radd = w.get("additionalProperties"), r.get("additionalProperties")
    if isinstance(wadd, dict) and wadd and radd is not None and radd is not False:
        # a map: its entries meet the reader's additionalProperties (closing it is a rule of its own)
        yield wadd, radd, ("additionalProperties",), ("key",)
    for pattern, wsub in sorted((w.get("patternProperties") or {}).items()):
        rsub = (r.get("patternProperties") or {}).get(pattern)
        key = sample_key(pattern)
        if rsub is not None and key is not None:
            yield wsub, rsub, ("patternProperties", pattern), (key,)
    if _may_be_array(w):
        yield from _array_children(w, r, (), ())
    wall: list[Any] = w.get("allOf") or []
    for i, rsub in enumerate(r.get("allOf") or []):
        # every reader member must accept what the writer sends: compare it with the writer member that
        # describes the same part (same component, same position when both list the same number of members)
        j = match_branch(rsub, wall) if wall else None
        if j is None and len(wall) == len(r.get("allOf") or []):
            j = i
        yield (wall[j] if j is not None else w), rsub, ("allOf", i), ()
    if "not" in r or "if" in r:
        return
    rkw = "oneOf" if "oneOf" in r else ("anyOf" if "anyOf" in r else None)
    wkw = "oneOf" if "oneOf" in w else ("anyOf" if "anyOf" in w else None)
    if wkw is not None:
        for wb in w[wkw]:
            if rkw is None:
                yield wb, table.without_unions(r), (), ()
                continue
            match = match_branch(wb, r[rkw])
            if match is not None:
                yield wb, r[rkw][match], (rkw, match), ()
    elif rkw is not None:
        match = match_branch(w, r[rkw])
        if match is not None:
            yield w, r[rkw][match], (rkw, match), ()


def _reader_only_names(
    w: dict[str, Any], r: dict[str, Any], kp: tuple[str | int, ...], ip: tuple[str | int, ...], strict: bool
) -> Iterator[tuple[Any, Any, tuple[str | int, ...], tuple[str | int, ...]]]:
    """Names the reader declares (a property, a pattern) that the writer sends only as extras: a map's entries, a
    pattern of its own, or under ``--strict`` anything an open object may carry (see ``extra_names``)."""
    from pytest_cdcompat.kinds.schema.extra_names import extra_schema

    wprops = w.get("properties") or {}
    required = set(w.get("required") or ())
    for name, rsub in sorted((r.get("properties") or {}).items()):
        if name not in wprops and name not in required:
            extra = extra_schema(w, name, strict)
            if extra is not None:
                yield extra, rsub, (*kp, "properties", name), (*ip, name)
    wpatterns = w.get("patternProperties") or {}
    for pattern, rsub in sorted((r.get("patternProperties") or {}).items()):
        key = sample_key(pattern) if pattern not in wpatterns else None
        if key is not None and key not in wprops and key not in (r.get("properties") or {}):
            extra = extra_schema(w, key, strict)
            if extra is not None:
                yield extra, rsub, (*kp, "patternProperties", pattern), (*ip, key)
    rpatterns = r.get("patternProperties") or {}
    for pattern, wsub in sorted(wpatterns.items()):
        key = sample_key(pattern) if pattern not in rpatterns else None
        if key is not None and key not in wprops and key not in (r.get("properties") or {}):
            target = reader_schema_for_name(r, key)
            if target is not None and target is not True:
                yield wsub, target, (*kp, "patternProperties", pattern), (*ip, key)


def _may_be_array(w: dict[str, Any]) -> bool:
    """Whether the writer node itself may send an array: a union sends what its branches send (they are paired
    with the reader one by one) unless it constrains items itself, and a writer of other types sends no items for
    the reader's ``items`` to judge."""
    if ("oneOf" in w or "anyOf" in w) and "items" not in w and "prefixItems" not in w:
        return False
    wt = types_of(w)
    return wt is None or "array" in wt


def _array_children(
    w: dict[str, Any], r: dict[str, Any], kp: tuple[str | int, ...], ip: tuple[str | int, ...]
) -> Iterator[tuple[Any, Any, tuple[str | int, ...], tuple[str | int, ...]]]:
    """Arrays: pair position by position, then the tails."""
    wprefix: list[Any] = w.get("prefixItems") or []
    rprefix: list[Any] = r.get("prefixItems") or []
    # with prefixItems and no items, unevaluatedItems governs the tail
    witems = w.get("items", False if w.get("unevaluatedItems") is False and wprefix else True)
    ritems = r.get("items", False if r.get("unevaluatedItems") is False and rprefix else True)
    for i in range(max(len(wprefix), len(rprefix))):
        ws = wprefix[i] if i < len(wprefix) else witems
        rs = rprefix[i] if i < len(rprefix) else ritems
        yield (
            ws,
            rs,
            (*kp, "prefixItems" if i < len(rprefix) else "items", *([i] if i < len(rprefix) else [])),
            (
                *ip,
                i,
            ),
        )
    if "items" in w or "items" in r or witems is False or ritems is False:
        if witems is not False:
            yield witems, ritems, (*kp, "items"), (*ip, max(len(wprefix), len(rprefix)))


def rejects_one_of(reader: dict[str, Any], values: list[Any]) -> bool:
    """Whether ``reader`` rejects one of ``values`` (a writer's ``enum``), in time linear in both enums.

    Validating each value against a reader ``enum`` scans the reader's list (quadratic for two enums of 100,000
    values); membership is tested with a set of canonical JSON texts instead (JSON Schema equality: ``1`` equals
    ``1.0``, not ``true``), and only the other keywords are validated, once per value.
    """
    from pytest_cdcompat.kinds.schema.canonical import dumps
    from pytest_cdcompat.kinds.schema.generate.validate import is_valid

    allowed = reader.get("enum")
    if not isinstance(allowed, list) or len(allowed) < 16:
        return any(not is_valid(reader, v) for v in values)
    members = {dumps(v) for v in allowed}
    if any(dumps(v) not in members for v in values):
        return True
    rest = {k: v for k, v in reader.items() if k != "enum"}
    return any(not is_valid(rest, v) for v in values)


def reader_schema_for_name(reader: dict[str, Any], name: str) -> Any:
    """The reader's schema for an undeclared property ``name``; ``None`` when the reader rejects it."""
    from pytest_cdcompat.core.regex import search as rx_search

    for pattern, sub in (reader.get("patternProperties") or {}).items():
        try:
            if rx_search(pattern, name):
                return sub
        except re.error:
            continue
    add = reader.get("additionalProperties", True)
    if add is False:
        return None
    unevaluated = reader.get("unevaluatedProperties", True)
    if unevaluated is False and add is True and not _evaluated_elsewhere(reader, name):
        return None
    if isinstance(unevaluated, dict) and add is True and not _evaluated_elsewhere(reader, name):
        return unevaluated
    return add


def _evaluated_elsewhere(reader: dict[str, Any], name: str) -> bool:
    for kw in ("allOf", "anyOf", "oneOf"):
        for sub in reader.get(kw) or []:
            if isinstance(sub, dict) and name in (sub.get("properties") or {}):
                return True
    for kw in ("then", "else"):
        sub = reader.get(kw)
        if isinstance(sub, dict) and name in (sub.get("properties") or {}):
            return True
    return False


_IDENTITY: dict[int, tuple[Any, tuple[str, ...]]] = {}  # id -> (the schema, kept alive; its identity)


def branch_identity(schema: Any) -> tuple[str, ...]:
    """What names a union branch: its component, its const, its tag properties (memoised: schemas never change)."""
    if not isinstance(schema, dict):
        return ()
    cached = _IDENTITY.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    if len(_IDENTITY) > 500_000:
        _IDENTITY.clear()
    result = _branch_identity(schema)
    _IDENTITY[id(schema)] = (schema, result)
    return result


def _branch_identity(schema: dict[str, Any]) -> tuple[str, ...]:
    ids = []
    if "x-cdc-ref" in schema:
        ids.append("ref:" + str(schema["x-cdc-ref"]))
    if "const" in schema:
        ids.append("const:" + canonical(schema["const"]))
    for name, sub in sorted((schema.get("properties") or {}).items()):
        if isinstance(sub, dict) and "const" in sub:
            ids.append(f"tag:{name}={canonical(sub['const'])}")
        elif isinstance(sub, dict) and isinstance(sub.get("enum"), list) and len(sub["enum"]) == 1:
            ids.append(f"tag:{name}={canonical(sub['enum'][0])}")
    return tuple(ids)


def match_branch(writer_branch: Any, reader_branches: list[Any]) -> int | None:
    """Pair a writer branch with the reader branch that describes the same variant, by identity first.

    Identity: the component it came from, a const, or a discriminating tag property. Without one, the only reader
    branch whose types overlap. ``None`` when no branch is a match (the branch-level rule reports it).
    """
    # strongest identity first: the component a branch came from beats a shared tag such as
    # ``object: customer``, which ``customer`` and ``deleted_customer`` both carry
    reader_ids = [set(branch_identity(rb)) for rb in reader_branches]
    for ident in branch_identity(writer_branch):
        for i, rid in enumerate(reader_ids):
            if ident in rid:
                return i
    wd = as_dict(writer_branch)
    if wd is None:
        return None
    # the same kind of branch: a nested union (a nullable union canonicalises to [null, union]) pairs with the
    # reader's nested union, a type set with the reader branch of exactly that type set
    for kw in ("anyOf", "oneOf", "allOf"):
        if kw in wd:
            same_kind = [i for i, rb in enumerate(reader_branches) if isinstance(rb, dict) and kw in rb]
            if len(same_kind) == 1:
                return same_kind[0]
    wt = types_of(wd)
    if wt is not None:
        exact = [i for i, rb in enumerate(reader_branches) if isinstance(rb, dict) and types_of(rb) == wt]
        if len(exact) == 1:
            return exact[0]
    overlapping = []
    for i, rb in enumerate(reader_branches):
        rd = as_dict(rb)
        if rd is None:
            continue
        rt = own_or_member_types(rd)
        if wt is None or rt is None or any(accepts_type(rt, t) for t in wt):
            overlapping.append(i)
    if len(overlapping) == 1:
        return overlapping[0]
    return None

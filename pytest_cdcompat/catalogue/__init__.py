"""The rule catalogue: a registry filled by the ``@rule`` decorator.

Rule modules are imported explicitly (no scanning) by ``load_all()``, so the catalogue is the same on every machine.
The modules come from the kind registry (``core/kinds.py``): each kind row names its rule modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from pytest_cdcompat.catalogue.base import ID_PATTERN, NOTHING, Hit, Rule, RuleId
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.core.kinds import GENERIC_RULE_MODULES, KIND_NAMES, KINDS, SCHEMA_KIND_NAMES, rule_modules

__all__ = ["ALL_KINDS", "NOTHING", "REGISTRY", "Hit", "Rule", "RuleId", "by_id", "load_all", "rule", "rules_for"]

ALL_KINDS = frozenset(KIND_NAMES)
SCHEMA_KINDS = SCHEMA_KIND_NAMES

REGISTRY: dict[str, Rule] = {}
_BY_ID: dict[str, tuple[Rule, RuleId]] = {}

# Every module that defines rules: the kind registry lists them (one row per kind).
RULE_MODULES: list[str] = rule_modules()

F = TypeVar("F", bound=Callable[..., Iterable[Hit]])


def rule(
    *,
    scope: str,
    category: str,
    old_writes: tuple[str, Severity, str, str] | None = None,
    new_writes: tuple[str, Severity, str, str] | None = None,
    ids: Iterable[tuple[str, Severity, str, str]] = (),
    kinds: frozenset[str] = SCHEMA_KINDS,
) -> Callable[[F], F]:
    """Register a check. Each id is ``(id, severity, summary, advice)``."""

    def make(spec: tuple[str, Severity, str, str] | None) -> RuleId | None:
        if spec is None:
            return None
        rid, severity, summary, advice = spec
        if not ID_PATTERN.match(rid):
            raise ValueError(f"rule id {rid!r} is not kebab-case")
        return RuleId(rid, severity, summary, advice)

    def decorate(fn: F) -> F:
        r = Rule(
            name=fn.__name__,
            scope=scope,
            category=category,
            kinds=kinds,
            check=fn,
            old_writes=make(old_writes),
            new_writes=make(new_writes),
            ids=tuple(x for x in (make(s) for s in ids) if x is not None),
            doc=(fn.__doc__ or "").strip(),
        )
        if r.name in REGISTRY and REGISTRY[r.name].check is not fn:
            raise ValueError(f"rule {r.name} registered twice")
        REGISTRY[r.name] = r
        for rid in r.all_ids():
            other = _BY_ID.get(rid.id)
            if other is not None and other[0].name != r.name:
                raise ValueError(f"rule id {rid.id} declared by {other[0].name} and {r.name}")
            _BY_ID[rid.id] = (r, rid)
        return fn

    return decorate


_loaded = False


def load_all() -> dict[str, Rule]:
    global _loaded
    if not _loaded:
        for mod in RULE_MODULES:
            importlib.import_module(mod)
        _loaded = True
    return REGISTRY


_loaded_kinds: set[str] = set()


def load_kind(kind: str) -> None:
    """Import the rule modules of one kind (and the generic ones) only: a JSON Schema comparison need not import
    the SQL rules and sqlglot with them."""
    if _loaded or kind in _loaded_kinds:
        return
    if kind not in KINDS:
        load_all()
        return
    for mod in (*GENERIC_RULE_MODULES, *KINDS[kind].rules):
        importlib.import_module(mod)
    _loaded_kinds.add(kind)


def rules_for(scope: str, kind: str, only: Iterable[str] | None = None) -> list[Rule]:
    """The rules of one scope and kind; with ``only``, just those declaring one of the given ids."""
    load_kind(kind)
    wanted = set(only) if only is not None else None
    out = []
    for r in REGISTRY.values():
        if r.scope != scope or kind not in r.kinds:
            continue
        if wanted is not None and not any(rid.id in wanted for rid in r.all_ids()):
            continue
        out.append(r)
    return out


def by_id(rule_id: str) -> tuple[Rule, RuleId] | None:
    found = _BY_ID.get(rule_id)
    if found is None and not _loaded:
        load_all()
        found = _BY_ID.get(rule_id)
    return found


def all_ids() -> dict[str, tuple[Rule, RuleId]]:
    load_all()
    return dict(_BY_ID)

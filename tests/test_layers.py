"""The layer table of ARCHITECTURE.md, enforced: every import of every module (at module level or inside a function)
goes to the module's own layer or one above it, and no two modules import each other, directly or round a loop."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pytest_cdcompat"

# ARCHITECTURE.md, "Layers and what they may import", top to bottom
ORDER = ["core", "sources", "catalogue", "proving", "kinds.schema", "kinds", "api", "run", "front"]
# what a layer may import beyond the layers above it: kinds only their own folder, kinds/schema, and (AsyncAPI, whose
# payloads may be Avro) the Avro kind
KIND_MAY_USE = {"asyncapi": {"schema", "avro"}}


def modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


MODULES = modules()


def imports(name: str) -> set[str]:
    """Our modules that ``name`` imports, anywhere in its body."""
    tree = ast.parse(MODULES[name].read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("pytest_cdcompat"):
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("pytest_cdcompat")}
    return {m for m in out if m in MODULES and m != name}


def layer(name: str) -> str:
    parts = name.split(".")[1:]
    if not parts or parts[0] in ("cli", "plugin", "items"):
        return "front"
    if parts[0] in ("report", "release", "live", "pact"):
        return "run"
    if parts[0] == "kinds" and len(parts) > 1 and parts[1] == "schema":
        return "kinds.schema"
    return parts[0]


def kind_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "kinds" else None


def test_every_module_has_a_layer() -> None:
    assert {layer(m) for m in MODULES} <= set(ORDER)
    assert "pytest_cdcompat.proving.loop" in MODULES and "pytest_cdcompat.proving.driver" in MODULES


# Known steps the wrong way, to be removed like the cycles (none left: positions and sunset dates live in kinds/).
KNOWN_WRONG_STEPS: set[tuple[str, str]] = set()


def test_imports_go_only_up_the_layer_table() -> None:
    wrong = []
    seen_known = set()
    for name in sorted(MODULES):
        mine = ORDER.index(layer(name))
        for target in sorted(imports(name)):
            theirs = ORDER.index(layer(target))
            if theirs > mine and (name, target) in KNOWN_WRONG_STEPS:
                seen_known.add((name, target))
            elif theirs > mine:
                wrong.append(f"{name} imports {target} ({layer(name)} may not import {layer(target)})")
            source_kind, target_kind = kind_of(name), kind_of(target)
            if layer(name) == layer(target) == "kinds" and source_kind and target_kind and source_kind != target_kind:
                if target_kind not in KIND_MAY_USE.get(source_kind, set()):
                    wrong.append(f"{name} imports {target} (the {source_kind} kind may not use the {target_kind} kind)")
    assert not wrong, "\n".join(wrong)
    assert seen_known == KNOWN_WRONG_STEPS  # a fixed step must leave the list


def test_core_imports_nothing_else_of_ours() -> None:
    for name in MODULES:
        if layer(name) == "core":
            assert {layer(t) for t in imports(name)} <= {"core"}, name


# Known cycles, each to be removed (a listed cycle that disappears fails the test, so the list only shrinks): none.
KNOWN_CYCLES: list[list[str]] = []


def test_no_import_cycle() -> None:
    graph = {m: imports(m) for m in MODULES}
    # a package imports its own modules (``__init__`` re-exports); that is not a cycle between two modules
    for m in graph:
        graph[m] = {t for t in graph[m] if not t.startswith(m + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert sorted(cycles) == KNOWN_CYCLES


def test_the_layer_test_sees_a_wrong_step() -> None:
    # the checks above read real imports: a core module importing a kind would be caught
    assert layer("pytest_cdcompat.core.model") == "core"
    assert ORDER.index(layer("pytest_cdcompat.kinds.avro.avro_engine")) > ORDER.index("core")
    assert "pytest_cdcompat.proving.loop" in imports("pytest_cdcompat.kinds.avro.avro_engine")

"""The kind registry: one row per contract kind, the only place that lists them.

A row names where the kind's loader, engine and rule modules are (as import paths, so a kind's heavy dependencies
are imported only when a contract of that kind is loaded), which file suffixes belong to it alone, and which
optional extra installs its dependencies. Everything that needs the list of kinds (detection, discovery, the CLI's
``--kind`` choices, the rule catalogue and its document) reads it from here. Adding a kind is one folder under
``kinds/`` and one row below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    loader: str  # "module:function" taking (Source, Settings) -> Contract
    engine: str  # "module:function" taking (old, new, settings, seed) -> findings per direction (both in one pass)
    rules: tuple[str, ...]  # modules that register the kind's rules when imported
    suffixes: tuple[str, ...] = ()  # file suffixes only this kind uses: they decide the kind alone
    extra: str | None = None  # the optional extra that installs the kind's dependencies
    schema_based: bool = False  # its flows carry JSON Schema slots (the shared schema rules apply)


_SCHEMA_RULES = "pytest_cdcompat.kinds.schema.rules"
_SCHEMA_ENGINE = "pytest_cdcompat.kinds.schema.schema_engine:run"

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "openapi",
            "pytest_cdcompat.kinds.openapi.openapi_loader:load",
            _SCHEMA_ENGINE,
            (_SCHEMA_RULES, "pytest_cdcompat.kinds.openapi.rules"),
            schema_based=True,
        ),
        Kind(
            "jsonschema",
            "pytest_cdcompat.kinds.jsonschema.jsonschema_loader:load",
            _SCHEMA_ENGINE,
            (_SCHEMA_RULES,),
            schema_based=True,
        ),
        Kind(
            "asyncapi",
            "pytest_cdcompat.kinds.asyncapi.asyncapi_loader:load",
            "pytest_cdcompat.kinds.asyncapi.asyncapi_engine:run",
            (_SCHEMA_RULES, "pytest_cdcompat.kinds.asyncapi.rules"),
            extra="messages",
            schema_based=True,
        ),
        Kind(
            "avro",
            "pytest_cdcompat.kinds.avro.avro_loader:load",
            "pytest_cdcompat.kinds.avro.avro_engine:run",
            ("pytest_cdcompat.kinds.avro.rules",),
            suffixes=(".avsc",),
            extra="messages",
        ),
        Kind(
            "protobuf",
            "pytest_cdcompat.kinds.protobuf.protobuf_loader:load",
            "pytest_cdcompat.kinds.protobuf.protobuf_engine:run",
            ("pytest_cdcompat.kinds.protobuf.rules",),
            suffixes=(".proto",),
            extra="messages",
        ),
        Kind(
            "sql",
            "pytest_cdcompat.kinds.sql.sql_loader:load",
            "pytest_cdcompat.kinds.sql.sql_engine:run",
            ("pytest_cdcompat.kinds.sql.rules",),
            suffixes=(".sql",),
            extra="sql",
        ),
    )
}

KIND_NAMES: tuple[str, ...] = tuple(KINDS)
SCHEMA_KIND_NAMES: frozenset[str] = frozenset(k.name for k in KINDS.values() if k.schema_based)
# Rules that apply to every kind (a contract removed, a break no rule explains).
GENERIC_RULE_MODULES = (
    "pytest_cdcompat.catalogue.uncatalogued_break",
    "pytest_cdcompat.catalogue.contract_removed",
    "pytest_cdcompat.live.live_rules",  # live checks of running services (live/engine.py)
    "pytest_cdcompat.pact.pact_rules",  # consumer Pact files (pact/pact_check.py)
    "pytest_cdcompat.catalogue.changelog_rules",
    "pytest_cdcompat.catalogue.sunset_rules",
)
# Documents whose kind is read from their content (OpenAPI, AsyncAPI, JSON Schema, Avro in JSON).
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")
SUFFIX_KINDS: dict[str, str] = {s: k.name for k in KINDS.values() for s in k.suffixes}
CONTRACT_SUFFIXES: frozenset[str] = frozenset(DOCUMENT_SUFFIXES) | frozenset(SUFFIX_KINDS)


def rule_modules() -> list[str]:
    """Every module that defines rules, each once: the whole catalogue."""
    out = list(GENERIC_RULE_MODULES)
    for k in KINDS.values():
        out += [m for m in k.rules if m not in out]
    return out

"""Settings shared by every front end: the CLI, the pytest plugin and ``compare()``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pytest_cdcompat.core.findings import Severity

DEFAULT_EXAMPLES = 100
DEFAULT_TIMEOUT = 600  # seconds per comparison; generous: a runaway, not a slow input, should hit it


@dataclass(frozen=True)
class Settings:
    strict: bool = False  # pure set semantics instead of the tolerant reader
    examples: int = DEFAULT_EXAMPLES  # generated candidates per differing flow; 0 turns generation off
    seed: int | None = None  # None: derived from the inputs (deterministic)
    allow_remote_refs: bool = False  # http(s) $refs
    allow_outside: bool = False  # files outside the repository (sources/confine.py)
    severity: Mapping[str, Severity] = field(default_factory=dict)  # per rule id overrides
    only: frozenset[str] | None = None  # run only these rule ids (fixture tests)
    root: Path | None = None  # the repository that confines file $refs; None: found from each file
    db_url: str | None = None  # SQL: a server to create throwaway databases on; None: SQLite
    backfills: tuple[str, ...] = ()  # SQL: declared backfills, "table.new <- table.old"
    sql_settings: tuple[str, ...] = ()  # SQL: "name = value" lines (statement_timeout, sql_mode, search_path, ...)
    mode: str | None = None  # Confluent-style compatibility mode (BACKWARD, FORWARD, FULL, ..., NONE)
    # Feature toggle states (on = True) for the old and the new version: elements of off toggles are absent.
    toggles: tuple[Mapping[str, bool], Mapping[str, bool]] | None = None
    timeout: float | None = DEFAULT_TIMEOUT  # total seconds for one comparison; None or 0: no limit

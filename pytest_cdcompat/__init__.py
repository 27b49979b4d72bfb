"""pytest-cdcompat: contract compatibility in both deploy directions.

Layers (ARCHITECTURE.md has the full table): core (model, findings, errors, settings, directions, the kind registry)
-> sources (files, git, YAML 1.2, $ref) and catalogue (the rules) -> kinds (one package per contract kind, with the
shared schema machinery in kinds/schema) -> run (options, discovery, modes, waivers) and api.compare -> report
-> front ends (cli, plugin + items).
"""

from __future__ import annotations

from pytest_cdcompat.api import compare, run_session
from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity
from pytest_cdcompat.core.settings import Settings

__all__ = [
    "CdcompatError",
    "Direction",
    "DirectionResult",
    "Finding",
    "Report",
    "Settings",
    "Severity",
    "compare",
    "run_session",
]
__version__ = "0.1.0"

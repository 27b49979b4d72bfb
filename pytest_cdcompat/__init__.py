"""pytest-cdcompat: contract compatibility in both deploy directions.

Layers, each importing only those before it:
loaders (files, git, $ref) -> model -> shapes (canonical schemas) / rules (the catalogue) / generate (hypothesis)
-> engine (pairing, directions, counterexamples) -> api.compare -> report (text, json, markdown, junit)
-> front ends (cli, plugin + items).
"""

from __future__ import annotations

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity
from pytest_cdcompat.core.settings import Settings

__all__ = ["CdcompatError", "Direction", "DirectionResult", "Finding", "Report", "Settings", "Severity", "compare"]
__version__ = "0.1.0"

"""SARIF 2.1.0: one run, one ``reportingDescriptor`` per rule id of the catalogue, one result per finding.

GitHub code scanning (``github/codeql-action/upload-sarif``) and other code hosts read it: results carry a physical
location (repository-relative path, line, column) and ``partialFingerprints`` that stay stable across runs; waived
findings are results with an external suppression and the waiver's reason as justification.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.report.entries import PairReport, entries

__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_rules"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/pytest-cdcompat/"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("pytest-cdcompat")
    except Exception:  # not installed as a distribution: a source checkout
        return "0"


def sarif_rules() -> list[dict[str, Any]]:
    """Every rule id of the catalogue, sorted, as SARIF reporting descriptors."""
    from pytest_cdcompat.catalogue import all_ids

    out = []
    for rid_name, (rule, rid) in sorted(all_ids().items()):
        out.append(
            {
                "id": rid_name,
                "name": "".join(part.capitalize() for part in rid_name.split("-")),
                "shortDescription": {"text": rid.summary},
                "fullDescription": {"text": rid.summary},
                "help": {"text": rid.advice or rid.summary, "markdown": f"**How to ship it safely:** {rid.advice}"},
                "defaultConfiguration": {"level": LEVEL[rid.severity]},
                "properties": {"category": rule.category, "kinds": sorted(rule.kinds), "tags": ["contract"]},
            }
        )
    return out


def render_sarif(pairs: Sequence[PairReport]) -> str:
    rules = sarif_rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for e in entries(pairs):
        f = e.finding
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": e.level if f.waived is None else LEVEL[f.severity],
            "message": {"text": e.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": e.path},
                        "region": {"startLine": e.line, "startColumn": e.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.location or "/", "kind": "element"}],
                }
            ],
            "partialFingerprints": {"cdcompat/v1": e.fingerprint},
            "properties": {"direction": e.direction.value, "contract": e.pair.name, "location": f.location},
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        if f.waived is not None:
            result["suppressions"] = [{"kind": "external", "justification": f.waived}]
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cdcompat",
                        "informationUri": INFORMATION_URI,
                        "version": _version(),
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

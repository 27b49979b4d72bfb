"""Grouping findings by the channel they concern, and the small formatting helpers both human renderers share.

A reader of a report thinks in operations (``POST /orders``) and messages, not JSON pointers, so findings are grouped
by the channel derived from their location: an OpenAPI path item and method, an AsyncAPI channel or operation, an SQL
table; for message schemas (JSON Schema, Avro, Protobuf) the whole document is the one channel.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pytest_cdcompat.core.findings import Finding, Report
from pytest_cdcompat.kinds.elements import WHOLE_DOCUMENT

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_MIGRATION_AT = re.compile(r"^(.+\.(?:sql|py))(?::\d+)?$")

SEMANTICS_LABEL = {"tolerant": "tolerant reader", "strict": "strict"}


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def channel_of(location: str) -> str:
    """The operation or message a finding's location belongs to: ``/paths/~1orders/post/...`` -> ``POST /orders``."""
    if not location.startswith("/"):
        # SQL locations read "migrations/0002_x.sql:3" (a migration statement) or "table.column" (a snapshot).
        m = _MIGRATION_AT.match(location)
        if m:
            return f"migration {m.group(1)}"
        table = location.split(".", 1)[0]
        return f"table {table}" if table else WHOLE_DOCUMENT
    parts = [_unescape(p) for p in location.split("/")[1:]]
    head = parts[0] if parts else ""
    if head == "paths" and len(parts) >= 2:
        if len(parts) >= 3 and parts[2].lower() in HTTP_METHODS:
            return f"{parts[2].upper()} {parts[1]}"
        return parts[1]
    if head in ("channels", "operations") and len(parts) >= 2:
        return f"{head[:-1]} {parts[1]}"
    if head == "webhooks" and len(parts) >= 2:
        if len(parts) >= 3 and parts[2].lower() in HTTP_METHODS:
            return f"webhook {parts[2].upper()} {parts[1]}"
        return f"webhook {parts[1]}"
    return WHOLE_DOCUMENT


def group_findings(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by channel; groups in first-seen order of the (already sorted) findings."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(channel_of(f.location), []).append(f)
    return list(groups.items())


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=repr)


def verdict(compatible: bool) -> str:
    return "COMPATIBLE" if compatible else "INCOMPATIBLE"


def semantics_label(report: Report) -> str:
    return SEMANTICS_LABEL.get(report.semantics, report.semantics)

"""Consumer-aware verdicts: which known consumers (Pact files) each static finding affects.

A static finding affects a consumer when one of its interactions fails the Pact check in the same direction, at
the same operation (or anywhere, for a finding in a shared component), and, when the finding names a field, the
failure is about that field. Every other finding says that no known consumer depends on it; it stays reported
(unknown consumers exist). The report's notes then say which consumers must move first.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity
from pytest_cdcompat.kinds.elements import WHOLE_DOCUMENT
from pytest_cdcompat.report.groups import channel_of

Use = tuple[str, set[str], set[str]]  # (consumer, operations it calls in either version, every name it mentions)

_VAR = re.compile(r"\{[^}]*\}")
_PROPERTY = re.compile(r"/properties/([^/]+)")
_QUOTED = re.compile(r"'([^']+)'|`([^`]+)`")
_CONSUMER = re.compile(r"^consumer (.+?), interaction ")


def operation(location: str) -> str:
    return _VAR.sub("{}", channel_of(location))


def operation_key(title: str) -> str:
    """``GET /orders/{id}`` -> ``GET /orders/{}``: the same operation whatever its variables are called."""
    return _VAR.sub("{}", title)


def field_of(finding: Finding) -> str | None:
    found = _PROPERTY.findall(finding.location)
    if found:
        return str(found[-1]).replace("~1", "/").replace("~0", "~")
    m = _QUOTED.search(finding.message)
    return (m.group(1) or m.group(2)) if m else None


def _verb(location: str) -> str:
    if "/requestBody" in location or "/parameters" in location:
        return "sends"
    if "/responses" in location:
        return "reads"
    return "uses"


def consumer_of(finding: Finding) -> str | None:
    m = _CONSUMER.match(finding.message)
    return m.group(1) if m else None


def names_in(value: Any, out: set[str]) -> set[str]:
    """Every object key in a JSON value (what an interaction mentions)."""
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(str(k))
            names_in(v, out)
    elif isinstance(value, list):
        for v in value:
            names_in(v, out)
    return out


def annotate(report: Report, consumers: list[str], uses: list[Use]) -> tuple[Report, list[str]]:
    """``report`` with each static finding's affected consumers named, and the plan's notes."""
    directions: dict[Direction, DirectionResult] = {}
    first: dict[Direction, dict[str, set[str]]] = {d: {} for d in Direction}
    for d in Direction:
        pact = [f for f in report.directions[d].findings if f.engine == "pact"]
        out = []
        for f in report.directions[d].findings:
            if f.engine in ("pact", "live"):
                out.append(f)
                continue
            op, field = operation(f.location), field_of(f)
            hits: dict[str, int] = {}
            for p in pact:
                if op != WHOLE_DOCUMENT and operation(p.location) not in (op, WHOLE_DOCUMENT):
                    continue
                if field is not None and field not in p.message and field not in str(p.counterexample):
                    continue
                name = consumer_of(p)
                if name is not None:
                    hits[name] = hits.get(name, 0) + 1
            if hits:
                said = "; ".join(f"{n} ({k} interaction{'s' if k != 1 else ''})" for n, k in sorted(hits.items()))
                suffix = f"affects {said}"
                if f.severity is Severity.ERROR:
                    for n in hits:
                        first[d].setdefault(n, set()).add(channel_of(f.location))
            else:
                users = [u for u in uses if op == WHOLE_DOCUMENT or op in u[1]]
                mention = [u for u in users if field is None or field in u[2]]
                if not users:
                    suffix = f"no known consumer uses {op}" if op != WHOLE_DOCUMENT else "no known consumer uses it"
                elif not mention:
                    suffix = f"no known consumer {_verb(f.location)} `{field}`"
                else:
                    counts: dict[str, int] = {}
                    for u in mention:
                        counts[u[0]] = counts.get(u[0], 0) + 1
                    said = ", ".join(f"{n} ({k} interaction{'s' if k != 1 else ''})" for n, k in sorted(counts.items()))
                    suffix = f"no known consumer is affected: {said} still pass{'es' if len(counts) == 1 else ''}"
            out.append(replace(f, message=f"{f.message} [{suffix}]"))
        directions[d] = DirectionResult(d, tuple(out))
    notes = [f"pact: known consumers of this provider: {', '.join(sorted(consumers))}"]
    ocnp, ncop = first[Direction.OLD_CONSUMER_NEW_PRODUCER], first[Direction.NEW_CONSUMER_OLD_PRODUCER]
    if ocnp:
        notes.append("pact: consumers that must move first (deploy them before the producer): "
                     + "; ".join(f"{n} ({', '.join(sorted(ops))})" for n, ops in sorted(ocnp.items())))  # fmt: skip
    if ncop:
        notes.append("pact: consumers that must wait for the new producer (deploy them after it): "
                     + "; ".join(f"{n} ({', '.join(sorted(ops))})" for n, ops in sorted(ncop.items())))  # fmt: skip
    return replace(report, directions=directions), notes

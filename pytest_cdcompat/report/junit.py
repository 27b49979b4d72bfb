"""JUnit XML from the command line: one test case per contract pair and deploy direction, as the pytest plugin's.

The layout follows pytest's own ``--junitxml`` output (``testsuites > testsuite > testcase``; ``failure`` with a
``message`` and the report as text; ``skipped`` for a direction the pair's mode does not require), so CI systems
that read one read the other: the case is named after the direction (``old-consumer-vs-new-producer``) and its
class after the contract.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.report.entries import PairReport
from pytest_cdcompat.report.text import render_text

__all__ = ["render_junit"]


def render_junit(pairs: Sequence[PairReport], *, suite: str = "cdcompat", errors: Sequence[str] = ()) -> str:
    root = ET.Element("testsuites", {"name": suite})
    ts = ET.SubElement(root, "testsuite", {"name": suite})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for p in pairs:
        for d in Direction:
            counts["tests"] += 1
            result = p.report.directions[d]
            case = ET.SubElement(ts, "testcase", {"classname": p.name, "name": d.test_id, "time": "0"})
            text = render_text(p.report, directions=[d])
            if d not in p.required:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", {"type": "cdcompat.skip", "message": "not required by the mode"})
                ET.SubElement(case, "system-out").text = text
            elif not result.compatible:
                counts["failures"] += 1
                first = result.errors[0]
                message = f"{first.rule}: {first.message}"
                failure = ET.SubElement(case, "failure", {"message": message})
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text
    for i, message in enumerate(errors):
        counts["tests"] += 1
        counts["errors"] += 1
        case = ET.SubElement(ts, "testcase", {"classname": "cdcompat", "name": f"load-{i + 1}", "time": "0"})
        ET.SubElement(case, "error", {"message": message}).text = message
    for k, v in counts.items():
        ts.set(k, str(v))
    ts.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

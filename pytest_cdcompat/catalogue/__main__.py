"""Print the rule catalogue as Markdown: ``python -m pytest_cdcompat.catalogue > docs/rules.md``.

The catalogue document is generated from the registry, so it cannot drift from the code (a test compares them).
"""

from __future__ import annotations

import sys

from pytest_cdcompat.catalogue import load_all
from pytest_cdcompat.core.kinds import KIND_NAMES

KIND_ORDER = KIND_NAMES


def render() -> str:
    rules = load_all()
    lines = [
        "# Rule catalogue",
        "",
        "Generated from the code by `python -m pytest_cdcompat.catalogue`; do not edit by hand.",
        "",
        "Each rule compares what one version *writes* with what the other version *reads*. A rule has one id per",
        "orientation: the first when the old version writes (the new reader lost something), the second when the new",
        "version writes (the new writer gained something the old reader lacks). Which deploy direction that is",
        "depends on who writes the flow: see the README's section on directions.",
        "",
        "| id | severity | kinds | category | what breaks | how to ship it safely |",
        "|---|---|---|---|---|---|",
    ]
    rows = []
    for r in rules.values():
        kinds = ", ".join(k for k in KIND_ORDER if k in r.kinds)
        for rid in r.all_ids():
            rows.append((rid.id, rid.severity.value, kinds, r.category, rid.summary, rid.advice))
    for row in sorted(rows):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    lines.append("")
    lines.append(f"{len(rows)} rule ids.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())

"""The reader's ``pattern`` may reject strings the writer sends.

A pattern added to a request field breaks old clients whose values do not match; a pattern removed from a response
lets the new server send strings old clients reject. A pattern *changed* is decided by searching for a string one
pattern allows and the other rejects: when none is found the finding is only a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, types_of

ADVICE = "Accept both formats on readers until every writer produces values matching the new pattern."


@rule(
    scope="schema",
    category="constraints",
    old_writes=(
        "pattern-added",
        Severity.ERROR,
        "The reader now requires a pattern old writers may not match.",
        ADVICE,
    ),
    new_writes=(
        "pattern-removed",
        Severity.ERROR,
        "New writers no longer respect the pattern old readers require.",
        ADVICE,
    ),
    ids=[("pattern-changed", Severity.ERROR, "The pattern changed; some strings match only one of them.", ADVICE)],
)
def pattern_changed(pair: SchemaPair) -> Iterator[Hit]:
    wt = types_of(pair.writer)
    if wt is not None and "string" not in wt:
        return
    r = pair.reader.get("pattern")
    if not isinstance(r, str):
        return
    w = pair.writer.get("pattern")
    if w == r or "enum" in pair.writer or "const" in pair.writer:
        return
    if isinstance(w, str):
        yield Hit(
            "/pattern",
            f"pattern changed from {pair.old.get('pattern')!r} to {pair.new.get('pattern')!r}",
            rule_id="pattern-changed",
        )
    else:
        yield Hit("/pattern", f"pattern {r!r} {pair.changed('was added', 'was removed')}")

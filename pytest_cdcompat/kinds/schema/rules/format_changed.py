"""The reader asserts a ``format`` the writer's strings or numbers may not have.

``format: email`` added to a request field, or ``int32`` where old clients send ``int64`` values, breaks old clients;
removing a format from a response lets the new server send values old clients reject. Only formats that validators
assert count; unknown formats are annotations.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair

ASSERTED = {
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "regex",
    "json-pointer",
    "relative-json-pointer",
    "duration",
    "int32",
    "int64",
    "float",
    "double",
    "byte",
}
# formats whose values are all valid for a wider one
WIDER = {"int32": {"int64"}, "float": {"double"}, "date-time": set(), "email": set()}
WITNESS = {
    "int32": 2**31,
    "int64": 2**63,
    "float": 1e300,
    "uuid": "x",
    "email": "x",
    "date-time": "x",
    "date": "x",
    "uri": "x",
    "ipv4": "x",
    "ipv6": "x",
    "hostname": "-x-",
    "time": "x",
    "byte": "*",
}
# a valid value of each format, tried first when the writer has a format of its own (format-changed): "x" would be
# rejected by the writer too and prove nothing
VALID = {
    "date-time": "2024-01-31T12:00:00Z",
    "date": "2024-01-31",
    "time": "12:00:00Z",
    "email": "ops@example.com",
    "idn-email": "ops@example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/a",
    "uri-reference": "/a",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "duration": "P1D",
    "int64": 2**31,
    "double": 1e300,
    "byte": "AA==",
    "json-pointer": "/a",
}
ADVICE = "Validate the new format softly on readers until every writer produces it; enforce it last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("format-added", Severity.ERROR, "The reader now asserts a format old writers may not produce.", ADVICE),
    new_writes=(
        "format-removed",
        Severity.ERROR,
        "New writers no longer guarantee the format old readers assert.",
        ADVICE,
    ),
    ids=[("format-changed", Severity.ERROR, "The format changed to one the other side's values may not have.", ADVICE)],
)
def format_changed(pair: SchemaPair) -> Iterator[Hit]:
    r = pair.reader.get("format")
    if r not in ASSERTED:
        return
    w = pair.writer.get("format")
    if w == r or r in WIDER.get(str(w), set()) or "enum" in pair.writer or "const" in pair.writer:
        return
    witness = WITNESS.get(str(r), NOTHING)
    if w is not None:
        witness = VALID.get(str(w), witness)
        yield Hit(
            "/format",
            f"format changed from {pair.old.get('format')!r} to {pair.new.get('format')!r}",
            witness=witness,
            rule_id="format-changed",
        )
    else:
        yield Hit("/format", f"format {r!r} {pair.changed('was added', 'was removed')}", witness=witness)

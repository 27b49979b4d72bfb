"""A value written as one type is read as an unrelated type (no promotion applies): decoding fails.

Both directions: ``"quantity": "int"`` changed to ``"string"``, an array turned into a map, a record into an enum,
or a plain type whose new version is a union without a matching branch.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair

_SPEC = (
    "avro-type-changed",
    Severity.ERROR,
    "A value's type changed to one Avro cannot resolve (no promotion), so the other side cannot decode it.",
    "Add a new field with the new type (with a default) beside the old one, write both, move readers to the new "
    "field, then stop writing the old one.",
)


@rule(scope="avro", category="type", kinds=frozenset({"avro"}), old_writes=_SPEC, new_writes=_SPEC)
def avro_type_changed(pair: AvroPair) -> Iterator[Hit]:
    if pair.mismatch == "changed" and not pair.w_branch:
        yield Hit(
            pair.location,
            f"{pair.path}: written as {pair.writer.label()}, but the reader expects {pair.reader.label()}",
        )

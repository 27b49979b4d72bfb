"""A ``fixed`` type changed its size: the reader cannot decode any value of it, in either direction.

Example: ``{"type": "fixed", "name": "Hash", "size": 16}`` grown to ``32``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair

_SPEC = (
    "avro-fixed-size-changed",
    Severity.ERROR,
    "A fixed type changed size, so neither version can decode the other's values.",
    "Add a new field with a new fixed type (with a default), write both, move readers over, then drop the old one.",
)


@rule(scope="avro", category="type", kinds=frozenset({"avro"}), old_writes=_SPEC, new_writes=_SPEC)
def avro_fixed_size_changed(pair: AvroPair) -> Iterator[Hit]:
    if pair.mismatch == "fixed-size":
        yield Hit(
            pair.location,
            f"{pair.path}: fixed {pair.writer.short_name!r} is written with {pair.writer.size} bytes, "
            f"the reader expects {pair.reader.size}",
        )

"""A record, enum or fixed type was renamed and the reader does not list the writer's name among its aliases.

Old writes, new reads: renaming ``Address`` to ``PostalAddress`` without ``"aliases": ["Address"]`` breaks new
readers. New writes, old reads: any rename breaks old readers, which cannot carry an alias for a future name.
A namespace change alone is not a break (names resolve unqualified).
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair


@rule(
    scope="avro",
    category="existence",
    kinds=frozenset({"avro"}),
    old_writes=(
        "avro-named-type-renamed-without-alias",
        Severity.ERROR,
        "A named type was renamed without an alias for its old name, so new readers cannot decode old messages.",
        'Add the old name to the renamed type\'s "aliases".',
    ),
    new_writes=(
        "avro-named-type-renamed",
        Severity.ERROR,
        "A named type was renamed, so old readers (which know only the old name) cannot decode new messages.",
        "Keep the old name (use doc to explain it), or deploy every consumer with the renamed schema and an alias "
        "for the old name before the producer writes the new one.",
    ),
)
def avro_named_type_renamed(pair: AvroPair) -> Iterator[Hit]:
    if pair.mismatch == "renamed":
        yield Hit(
            pair.location,
            f"{pair.path}: written as {pair.writer.kind} {pair.writer.name!r}, but the reader's "
            f"{pair.reader.kind} is named {pair.reader.name!r} with no alias for it",
        )

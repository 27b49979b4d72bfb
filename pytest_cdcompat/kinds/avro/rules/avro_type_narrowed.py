"""A numeric type changed against the promotion order (int -> long -> float -> double): the reader cannot narrow.

Old writes, new reads: ``long`` narrowed to ``int`` breaks new readers of old messages. New writes, old reads:
``int`` widened to ``long`` is fine for new readers (a promotion) but old readers cannot read ``long`` data.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair


@rule(
    scope="avro",
    category="type",
    kinds=frozenset({"avro"}),
    old_writes=(
        "avro-type-narrowed",
        Severity.ERROR,
        "A type was narrowed (e.g. long to int), so new readers cannot decode old messages.",
        "Keep the wider type; if the narrower one is really needed, add a new field and migrate readers first.",
    ),
    new_writes=(
        "avro-type-widened",
        Severity.ERROR,
        "A type was widened (e.g. int to long): new readers are fine, but old readers cannot decode new messages.",
        "Deploy every consumer with the widened schema first, then the producer (Confluent BACKWARD order).",
    ),
)
def avro_type_narrowed(pair: AvroPair) -> Iterator[Hit]:
    if pair.mismatch == "narrowed":
        yield Hit(
            pair.location,
            f"{pair.path}: written as {pair.writer.label()}, which a {pair.reader.label()} reader cannot narrow to",
        )

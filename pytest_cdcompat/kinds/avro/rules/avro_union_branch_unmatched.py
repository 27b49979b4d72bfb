"""A union branch the writer may choose has no matching branch in the reader: messages using it fail to decode.

Old writes, new reads: ``["null", "string"]`` became ``"string"`` (null removed), so old messages holding null break
new readers. New writes, old reads: a branch was added (``"string"`` to ``["null", "string"]``), and old readers
cannot decode the messages that use it.
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
        "avro-union-branch-removed",
        Severity.ERROR,
        "A union branch was removed, so new readers cannot decode old messages that used it.",
        "Keep the branch until no message written with it can still be read (retention), then remove it.",
    ),
    new_writes=(
        "avro-union-branch-added",
        Severity.ERROR,
        "A union branch was added, so old readers cannot decode new messages that use it.",
        "Deploy every consumer with the new branch first, then let the producer write it.",
    ),
)
def avro_union_branch_unmatched(pair: AvroPair) -> Iterator[Hit]:
    if pair.mismatch == "changed" and pair.w_branch:
        yield Hit(
            pair.location,
            f"{pair.path}: union branch {pair.writer.label()} has no match in the reader's {pair.reader.label()}",
        )

"""``bytes`` read as ``string``: the specification allows it, but bytes that are not UTF-8 fail to decode.

Old writes, new reads: a ``bytes`` field changed to ``string``. New writes, old reads: a ``string`` field changed
to ``bytes`` (new writers may write any bytes; old readers decode them as UTF-8 text). ``string`` read as ``bytes``
always works.
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
        "avro-bytes-changed-to-string",
        Severity.ERROR,
        "bytes changed to string: new readers fail on old values that are not valid UTF-8.",
        "Keep bytes, or add a string field beside it (with a default) and migrate writers before readers.",
    ),
    new_writes=(
        "avro-string-changed-to-bytes",
        Severity.ERROR,
        "string changed to bytes: old readers fail on new values that are not valid UTF-8.",
        "Keep string, or deploy every consumer with bytes first (string is readable as bytes), then the producer.",
    ),
)
def avro_bytes_read_as_string(pair: AvroPair) -> Iterator[Hit]:
    if pair.matched and pair.writer.kind == "bytes" and pair.reader.kind == "string":
        yield Hit(
            pair.location,
            f"{pair.path}: written as bytes, read as string: any value that is not UTF-8 fails",
            witness=(("invalid-utf8",),),
        )

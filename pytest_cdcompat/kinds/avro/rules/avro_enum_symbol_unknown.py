"""An enum symbol the writer may write is unknown to the reader: without a reader default, decoding fails.

Old writes, new reads: symbol ``CANCELLED`` removed; old messages holding it break new readers. New writes, old
reads: symbol ``REFUNDED`` added; old readers fail on it unless their enum declared a ``default`` (then they read
the default instead, reported as a warning because the value silently changes).
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair


@rule(
    scope="avro",
    category="values",
    kinds=frozenset({"avro"}),
    old_writes=(
        "avro-enum-symbol-removed",
        Severity.ERROR,
        "An enum symbol was removed, so new readers cannot decode old messages holding it.",
        'Keep the symbol (document it as deprecated), or give the enum a "default" before removing it.',
    ),
    new_writes=(
        "avro-enum-symbol-added",
        Severity.ERROR,
        "An enum symbol was added, so old readers cannot decode new messages holding it.",
        'Give the enum a "default" symbol and deploy every consumer with it first; then add symbols freely.',
    ),
)
def avro_enum_symbol_unknown(pair: AvroPair) -> Iterator[Hit]:
    if not pair.matched or pair.writer.kind != "enum":
        return
    known = set(pair.reader.symbols)
    for symbol in pair.writer.symbols:
        if symbol in known:
            continue
        if pair.reader.enum_default is not None:
            yield Hit(
                pair.location,
                f"{pair.path}: symbol {symbol!r} is unknown to the reader and is read as its default "
                f"{pair.reader.enum_default!r}",
                severity=Severity.WARNING,
            )
        else:
            yield Hit(
                pair.location,
                f"{pair.path}: symbol {symbol!r} is unknown to the reader, whose enum has no default",
                witness=(("symbol", symbol),),
            )

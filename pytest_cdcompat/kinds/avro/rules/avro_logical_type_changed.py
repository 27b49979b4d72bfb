"""A logical type (or its precision or scale) changed: values still decode, but may be misread.

Both directions, a warning: ``timestamp-millis`` changed to ``timestamp-micros`` decodes fine and shifts every
time by a factor of 1000; a decimal's scale changed moves the decimal point. Not a decode failure, so no error.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair

_SPEC = (
    "avro-logical-type-changed",
    Severity.WARNING,
    "A logical type, precision or scale changed: values decode but their meaning changes.",
    "Add a new field with the new logical type beside the old one, write both, then move readers over.",
)


def _show(logical: tuple[object, ...] | None) -> str:
    if logical is None:
        return "no logical type"
    name, precision, scale = logical
    if precision is None and scale is None:
        return str(name)
    return f"{name}({precision}, {scale})"


@rule(scope="avro", category="type", kinds=frozenset({"avro"}), old_writes=_SPEC, new_writes=_SPEC)
def avro_logical_type_changed(pair: AvroPair) -> Iterator[Hit]:
    if pair.matched and pair.writer.logical != pair.reader.logical:
        yield Hit(
            pair.location,
            f"{pair.path}: written as {_show(pair.writer.logical)}, read as {_show(pair.reader.logical)}",
        )

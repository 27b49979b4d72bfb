"""Avro rules: the specification's schema resolution, one check per module, each seeing one ``AvroPair``.

A check receives a writer node and the reader node schema resolution pairs it with (``avro/pairing.py``) and yields
``Hit``s; a hit's ``witness`` may carry extra steering steps (an enum symbol, invalid UTF-8) that the datum generator
follows to build a message that really fails. Imported explicitly so the catalogue is the same everywhere.
"""

from __future__ import annotations

from pytest_cdcompat.kinds.avro.rules import (
    avro_bytes_read_as_string,
    avro_enum_symbol_unknown,
    avro_field_without_default,
    avro_fixed_size_changed,
    avro_logical_type_changed,
    avro_named_type_renamed,
    avro_type_changed,
    avro_type_narrowed,
    avro_union_branch_unmatched,
)

AVRO = frozenset({"avro"})

__all__ = [
    "AVRO",
    "avro_bytes_read_as_string",
    "avro_enum_symbol_unknown",
    "avro_field_without_default",
    "avro_fixed_size_changed",
    "avro_logical_type_changed",
    "avro_named_type_renamed",
    "avro_type_changed",
    "avro_type_narrowed",
    "avro_union_branch_unmatched",
]

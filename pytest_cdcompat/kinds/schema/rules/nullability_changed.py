"""``null`` is allowed on the writer's side but not on the reader's.

``nullable: true`` removed from a request property breaks old clients that send ``null``; added to a response
property (or an event field) it breaks old consumers that do not expect ``null``. All spellings (3.0 ``nullable``,
3.1 type lists, 2.0 ``x-nullable``, ``oneOf`` with a null branch) are one canonical ``"null"`` type.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, accepts_type, types_of


def _allows_null(schema: dict) -> bool:  # type: ignore[type-arg]
    t = types_of(schema)
    if t is None:
        return not ("enum" in schema or "const" in schema)
    return "null" in t


@rule(
    scope="schema",
    category="type",
    old_writes=(
        "became-not-nullable",
        Severity.ERROR,
        "The reader no longer accepts null, which old writers may send.",
        "Keep accepting null until no writer sends it; make writers send a value first, then remove nullable.",
    ),
    new_writes=(
        "became-nullable",
        Severity.ERROR,
        "New writers may send null, which old readers reject.",
        "Deploy readers that accept null first (consumers first), or keep sending a value and add a new nullable "
        "field beside the old one.",
    ),
)
def nullability_changed(pair: SchemaPair) -> Iterator[Hit]:
    wt = types_of(pair.writer)
    if wt is None or "null" not in wt:
        return
    rt = types_of(pair.reader)
    if rt is not None and accepts_type(rt, "null"):
        return
    if rt is None and _allows_null(pair.reader):
        return
    # locations are spelled in the new document: null may be a type member or an enum value there
    where = "/type" if "type" in pair.new or "enum" not in pair.new else "/enum"
    yield Hit(
        where,
        pair.changed("null is no longer accepted (was nullable)", "the value became nullable: null is now sent"),
        witness=None,
    )

"""The reader requires a parameter (or header) the writer may omit.

A new required query parameter, or an optional one made required, breaks old clients; a response header that old
clients require and the new server may omit breaks them too. Path parameters match by position, so renaming
``{id}`` to ``{orderId}`` is no change.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair

ADD = "Add the parameter as optional with a server-side default first; make every client send it; require it last."
OPT = "Keep sending the parameter until every reader treats it as optional (readers first)."


@rule(
    scope="flow",
    category="requiredness",
    kinds=frozenset({"openapi", "asyncapi"}),
    old_writes=(
        "required-parameter-added",
        Severity.ERROR,
        "The reader requires a new parameter old writers never send.",
        ADD,
    ),
    new_writes=(
        "required-parameter-removed",
        Severity.ERROR,
        "New writers no longer send a parameter old readers require.",
        OPT,
    ),
    ids=[
        ("parameter-became-required", Severity.ERROR, "The reader requires a parameter old writers may omit.", ADD),
        ("parameter-became-optional", Severity.ERROR, "New writers may omit a parameter old readers require.", OPT),
    ],
)
def parameter_became_required(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None:
        return
    for key, rslot in sorted(pair.reader.params.items()):
        if not rslot.required:
            continue
        wslot = pair.writer.params.get(key)
        where, _, _ = key.partition(":")
        label = f"{pair.channel_title} {pair.writer.name}: {where} parameter {rslot.name!r}"
        if wslot is None:
            yield Hit(
                rslot.location,
                f"{label} is required and {pair.changed('was added', 'was removed')}",
                missing=True,
                instance=(key,),
            )
        elif not wslot.required:
            rid = pair.changed("parameter-became-required", "parameter-became-optional")
            yield Hit(
                rslot.location,
                f"{label} became {pair.changed('required', 'optional')}",
                missing=True,
                instance=(key,),
                rule_id=rid,
            )

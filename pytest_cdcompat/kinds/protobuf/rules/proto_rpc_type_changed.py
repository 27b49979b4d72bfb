"""A gRPC method's request or response message type changed to another type.

Judged per flow: the request (client writes, server reads) and the response (server writes, client reads). Example:
``rpc Create(CreateOrderRequest)`` changed to ``rpc Create(NewOrderRequest)``. Messages are sent without their type
name, so the round trip decides whether one type's messages read as the other; if none fails, a warning. buf:
RPC_SAME_REQUEST_TYPE and RPC_SAME_RESPONSE_TYPE.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import MethodPair


@rule(
    scope="proto-method",
    category="type",
    kinds=frozenset({"protobuf"}),
    ids=[
        (
            "proto-rpc-request-type-changed",
            Severity.ERROR,
            "An RPC method's request type changed, and requests of one type do not read as the other.",
            "Add a new method with the new request type, move clients to it, then remove the old method.",
        ),
        (
            "proto-rpc-response-type-changed",
            Severity.ERROR,
            "An RPC method's response type changed, and responses of one type do not read as the other.",
            "Add a new method with the new response type, move clients to it, then remove the old method.",
        ),
    ],
)
def proto_rpc_type_changed(pair: MethodPair) -> Iterator[Hit]:
    if pair.writer is None or pair.reader is None:
        return
    attr = "input_type" if pair.flow == "request" else "output_type"
    w, r = getattr(pair.writer, attr), getattr(pair.reader, attr)
    if w.name != r.name:
        yield Hit(
            pair.location,
            f"{pair.key}: the {pair.flow} is written as {w.full_name} and read as {r.full_name}",
            rule_id=f"proto-rpc-{pair.flow}-type-changed",
            witness={"messages": (w, r)},
        )

"""A gRPC method changed between unary and streaming (client or server side): the call protocol no longer matches.

Both directions, judged once on the request flow: ``rpc Watch(Req) returns (Event)`` changed to ``returns (stream
Event)``. buf: RPC_SAME_CLIENT_STREAMING and RPC_SAME_SERVER_STREAMING.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import MethodPair

_SPEC = (
    "proto-rpc-streaming-changed",
    Severity.ERROR,
    "An RPC method changed between unary and streaming, so clients and servers of the two versions cannot talk.",
    "Add a new method with the new streaming shape, move clients to it, then remove the old one.",
)


def _shape(m: object) -> str:
    client = "stream " if m.client_streaming else ""  # type: ignore[attr-defined]
    server = "stream " if m.server_streaming else ""  # type: ignore[attr-defined]
    return f"({client}request) returns ({server}response)"


@rule(scope="proto-method", category="type", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_rpc_streaming_changed(pair: MethodPair) -> Iterator[Hit]:
    if pair.flow != "request" or pair.writer is None or pair.reader is None:
        return
    if _shape(pair.writer) != _shape(pair.reader):
        yield Hit(
            pair.location,
            f"{pair.key}: the client calls it as {_shape(pair.writer)}, the server serves {_shape(pair.reader)}",
            witness={"construct": "the gRPC call shapes differ, so the call fails (or hangs) at the protocol level"},
        )

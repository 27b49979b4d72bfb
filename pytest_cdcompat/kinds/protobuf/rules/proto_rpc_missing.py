"""A gRPC method one side calls does not exist on the other: the call fails with UNIMPLEMENTED.

Judged on the request flow (the client writes). Old writes, new reads: a method removed from the new server breaks
old clients. New writes, old reads: a method added and called by new clients breaks against an old server (deploy
the server first). buf: RPC_NO_DELETE.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import MethodPair


@rule(
    scope="proto-method",
    category="existence",
    kinds=frozenset({"protobuf"}),
    old_writes=(
        "proto-rpc-removed",
        Severity.ERROR,
        "An RPC method was removed, so old clients calling it get UNIMPLEMENTED.",
        "Keep the method (deprecated option) until no client calls it; check traffic before removing.",
    ),
    new_writes=(
        "proto-rpc-added",
        Severity.ERROR,
        "An RPC method was added: new clients calling it get UNIMPLEMENTED from servers not yet deployed.",
        "Deploy the server first (or guard the new call behind a feature toggle in clients).",
    ),
)
def proto_rpc_missing(pair: MethodPair) -> Iterator[Hit]:
    if pair.flow == "request" and pair.writer is not None and pair.reader is None:
        yield Hit(
            pair.location,
            f"{pair.key}: the client calls this method and the server does not have it",
            witness={"construct": f"a call to {pair.key} is answered with status UNIMPLEMENTED"},
        )

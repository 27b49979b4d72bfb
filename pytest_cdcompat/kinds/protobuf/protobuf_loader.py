"""``.proto`` -> ``Contract``: a message channel per message of the file, a channel per gRPC method.

Each message (nested ones too, keyed by their name relative to the package) is a channel with one producer-written
"message" flow. Each RPC method (``/package.Service/Method``) is a channel with a "request" flow written by the client
(consumer) and a "response" flow written by the server (producer). The compiled descriptors live in ``extras``
(``index``: a ``proto.pairing.ProtoIndex``) for the engine and the runtime round trips.
"""

from __future__ import annotations

from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.sources.source import Source


def _flow(name: str, written_by: Party, location: str, type_name: str) -> Flow:
    slot = Slot(name="message", required=True, schema=True, location=location, extras={"type": type_name})
    return Flow(name=name, written_by=written_by, location=location, bodies={"message": slot})


def load(source: Source, settings: Settings) -> Contract:
    from pytest_cdcompat.kinds.protobuf.compile import compile_set
    from pytest_cdcompat.kinds.protobuf.proto_pairing import index

    data, main = compile_set(source)
    idx = index(data, main)
    channels: dict[str, Channel] = {}
    for key, desc in idx.messages.items():
        flows = {"message": _flow("message", Party.PRODUCER, desc.full_name, desc.full_name)}
        ckey = f"message:{key}"
        channels[ckey] = Channel(key=ckey, title=desc.full_name, location=desc.full_name, flows=flows)
    for key, m in idx.methods.items():
        flows = {
            "request": _flow("request", Party.CONSUMER, key, m.input_type.full_name),
            "response": _flow("response", Party.PRODUCER, key, m.output_type.full_name),
        }
        channels[f"rpc:{key}"] = Channel(key=f"rpc:{key}", title=key, location=key, flows=flows)
    return Contract(
        kind="protobuf",
        source=source.label,
        channels=channels,
        version=idx.syntax,
        extras={"index": idx, "main": main},
    )

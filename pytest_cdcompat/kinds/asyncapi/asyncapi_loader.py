"""AsyncAPI 2.0-2.6 and 3.0 -> ``Contract``: one channel per address, one flow per message and direction.

Both versions are normalised to the *application's* point of view. In 3.0, ``action: send`` means the application
writes the message (it is the producer) and ``receive`` that it reads it. In 2.x the verbs are inverted (the users'
classic trap): ``subscribe`` describes what the application *sends*, ``publish`` what it *receives*. A message the
application sends becomes a flow written by ``Party.PRODUCER``; one it receives, a flow written by ``Party.CONSUMER``
(its peers write it), so ``directions.py`` needs no AsyncAPI knowledge. ``reply`` messages of a 3.0 operation flow
the other way round.

Channels match by address (3.0 ``address``, else the channel key; 2.x the key), flows by ``send:<message>`` or
``receive:<message>``, where a message is named by ``messageId``, ``name``, its key under ``messages`` or the
component it references. ``info`` (version included) and documentation are not compared. Payloads and headers in JSON
Schema become canonical slots for the schema engine; payloads declared with an Avro ``schemaFormat`` carry the Avro
schema facts in ``Slot.extras["avro"]`` for the Avro engine.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.schema.canonical import canonicalise
from pytest_cdcompat.kinds.schema.metavalid import fast_is_valid, fast_validator
from pytest_cdcompat.sources.documents import parse_main, require_mapping
from pytest_cdcompat.sources.refs import LOC, MAP_KEYS, REF, dialect_specification, pointer_join, resolve_refs
from pytest_cdcompat.sources.source import Source

DRAFT7 = "http://json-schema.org/draft-07/schema#"
SUPPORTED = re.compile(r"^(2\.[0-6]\.\d+|3\.0\.\d+)$")
_JSON_FORMATS = re.compile(
    r"^application/(vnd\.aai\.asyncapi(\+json|\+yaml)?|schema\+json|schema\+yaml)(;version=[\w.\-]+)?$"
)
_AVRO_FORMAT = re.compile(r"^application/vnd\.apache\.avro(\+json|\+yaml)?(;version=[\w.\-]+)?$")

__all__ = ["load"]


def load(source: Source, settings: Settings) -> Contract:
    doc = require_mapping(parse_main(source), source.label)
    version = str(doc.get("asyncapi", ""))
    if not SUPPORTED.match(version):
        raise ContractLoadError(
            f"unsupported AsyncAPI version {version!r} (2.0.0 to 2.6.0 and 3.0.0 are)", path=source.label,
            pointer="/asyncapi",
        )  # fmt: skip
    _validate(doc, version, source.label)
    # a message's (and a trait's) ``headers`` is a schema here, not OpenAPI's map of header objects
    resolved = resolve_refs(
        source, doc, settings, specification=dialect_specification(DRAFT7), map_keys=MAP_KEYS - {"headers"}
    )
    builder = _Builder(source.label, version)
    if version.startswith("3."):
        builder.v3(resolved)
    else:
        builder.v2(resolved)
    channels = {
        key: Channel(key=key, title=key, location=builder.locations[key], flows=flows)
        for key, flows in sorted(builder.flows.items())
    }
    notes = tuple(dict.fromkeys(builder.notes))
    return Contract(kind="asyncapi", source=source.label, channels=channels, version=version, notes=notes)


def _fail(label: str, pointer: str, message: str) -> ContractLoadError:
    return ContractLoadError(f"invalid AsyncAPI document: {message}", path=label, pointer=pointer)


def _validate(doc: dict[str, Any], version: str, label: str) -> None:
    """The structure we rely on, each problem named with its place (no meta-schema ships with our dependencies)."""
    info = doc.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) or "version" not in info:
        raise _fail(label, "/info", "'info' must be a mapping with 'title' and 'version'")
    channels = doc.get("channels", {} if version.startswith("3.") else None)
    if not isinstance(channels, dict):
        raise _fail(label, "/channels", "'channels' must be a mapping")
    for key, ch in channels.items():
        where = pointer_join("/channels", key)
        if not isinstance(ch, dict):
            raise _fail(label, where, "a channel must be a mapping")
        if version.startswith("2."):
            for verb in ("subscribe", "publish"):
                op = ch.get(verb)
                if op is not None and (not isinstance(op, dict) or "message" not in op):
                    raise _fail(label, pointer_join(where, verb), f"the {verb} operation needs a 'message'")
        elif "publish" in ch or "subscribe" in ch:
            raise _fail(label, where, "AsyncAPI 3.0 channels have no publish/subscribe; use 'operations'")
        if version.startswith("3."):
            messages = ch.get("messages", {})
            if not isinstance(messages, dict):
                raise _fail(label, pointer_join(where, "messages"), "a channel's 'messages' must be a mapping")
            for mkey, msg in messages.items():
                _check_message(msg, pointer_join(pointer_join(where, "messages"), mkey), label)
        else:
            for verb in ("subscribe", "publish"):
                op = ch.get(verb)
                if isinstance(op, dict):
                    msg, mptr = op["message"], pointer_join(pointer_join(where, verb), "message")
                    members = msg.get("oneOf") if isinstance(msg, dict) and "oneOf" in msg else None
                    if members is not None and not isinstance(members, list):
                        raise _fail(label, pointer_join(mptr, "oneOf"), "'oneOf' must be a list of messages")
                    for i, m in enumerate(members) if members is not None else [(None, msg)]:
                        _check_message(m, pointer_join(pointer_join(mptr, "oneOf"), i) if i is not None else mptr,
                                       label)  # fmt: skip
    components = doc.get("components", {})
    if isinstance(components, dict) and isinstance(components.get("messages"), dict):
        for mkey, msg in components["messages"].items():
            _check_message(msg, pointer_join("/components/messages", mkey), label)
    if version.startswith("3."):
        operations = doc.get("operations", {})
        if not isinstance(operations, dict):
            raise _fail(label, "/operations", "'operations' must be a mapping")
        for key, op in operations.items():
            where = pointer_join("/operations", key)
            if not isinstance(op, dict) or op.get("action") not in ("send", "receive"):
                raise _fail(label, pointer_join(where, "action"), "'action' must be 'send' or 'receive'")
            if not isinstance(op.get("channel"), dict):
                raise _fail(label, pointer_join(where, "channel"), "'channel' must be a $ref to a channel")


def _check_message(msg: Any, where: str, label: str) -> None:
    """A message is a mapping (or a $ref); a JSON Schema payload or headers object is valid draft-07."""
    if not isinstance(msg, dict):
        raise _fail(label, where, "a message must be a mapping")
    if "$ref" in msg:
        return
    payload, fmt, pptr = msg.get("payload"), msg.get("schemaFormat"), pointer_join(where, "payload")
    if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
        fmt, payload, pptr = payload["schemaFormat"], payload["schema"], pointer_join(pptr, "schema")
    if payload is not None and (fmt is None or (isinstance(fmt, str) and _JSON_FORMATS.match(fmt))):
        _check_schema(payload, pptr, label)
    if "headers" in msg:
        _check_schema(msg["headers"], pointer_join(where, "headers"), label)


def _check_schema(schema: Any, where: str, label: str) -> None:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import best_match

    if not isinstance(schema, (dict, bool)):
        raise _fail(label, where, f"a schema must be a mapping or a boolean, not {type(schema).__name__}")
    if fast_is_valid(fast_validator("jsonschema-draft-07", lambda: Draft7Validator.META_SCHEMA), schema):
        return  # jsonschema-rs says valid; jsonschema words the error otherwise
    error = best_match(Draft7Validator(Draft7Validator.META_SCHEMA).iter_errors(schema))
    if error is not None:
        inner = "".join(pointer_join("", p) for p in error.absolute_path)
        raise _fail(label, where + inner, f"invalid JSON Schema: {error.message}")


def _clean(value: Any) -> Any:
    """A resolved object without our location tags (for Avro schemas, which must be plain JSON)."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in (LOC, REF)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if k in (LOC, REF):
            continue
        if v is None:
            out.pop(k, None)
        else:
            out[k] = _merge_patch(out.get(k), v)
    return out


def _identity(msg: dict[str, Any], key: Any) -> dict[str, str | None]:
    """What names a message across versions: ``messageId`` (2.x), ``name``, and its key in a 3.0 channel's
    ``messages`` map (for 2.x, the key the official converter would give it: the ``messageId``, else
    ``<operation>.message`` or ``<operation>.message.<index>`` for a ``oneOf`` member)."""

    def text(v: Any) -> str | None:
        return v if isinstance(v, str) and v else None

    return {"messageId": text(msg.get("messageId")), "name": text(msg.get("name")), "key": text(key)}


def _payload_identity(slot: Slot | None) -> str | None:
    """A text equal for two payloads exactly when they accept the same messages structurally."""
    if slot is None:
        return None
    if "avro" in slot.extras:
        return "avro:" + str(slot.extras["avro"].get("canonical"))
    from pytest_cdcompat.kinds.schema.hashing import structural_hash

    return "json:" + structural_hash(slot.schema)


class _Builder:
    def __init__(self, label: str, version: str) -> None:
        self.label = label
        self.version = version
        self.flows: dict[str, dict[str, Flow]] = {}
        self.locations: dict[str, str] = {}
        self.identity: dict[str, str | None] = {}
        self.notes: list[str] = []

    # --- 3.0 ----------------------------------------------------------------------------------------------------
    def v3(self, doc: dict[str, Any]) -> None:
        addresses: dict[int, tuple[str, str]] = {}
        for key, ch in (doc.get("channels") or {}).items():
            if key.startswith("x-") or not isinstance(ch, dict):
                continue
            address = str(ch["address"]) if isinstance(ch.get("address"), str) else str(key)
            addresses[id(ch)] = (address, pointer_join("/channels", key))
        for key, op in sorted((doc.get("operations") or {}).items()):
            if key.startswith("x-") or not isinstance(op, dict):
                continue
            where = pointer_join("/operations", key)
            party = Party.PRODUCER if op["action"] == "send" else Party.CONSUMER
            channel = op["channel"]
            address, cptr = addresses.get(id(channel), (str(channel.get("address") or key), where))
            for name, msg, mptr, ident in self._v3_messages(op.get("messages"), channel, cptr):
                self.identity = ident
                self.add(address, cptr, party, name, msg, mptr)
            reply = op.get("reply")
            if isinstance(reply, dict):
                rchannel: dict[str, Any] = reply["channel"] if isinstance(reply.get("channel"), dict) else channel
                raddress, rptr = addresses.get(id(rchannel), (address, cptr))
                back = Party.CONSUMER if party is Party.PRODUCER else Party.PRODUCER
                for name, msg, mptr, ident in self._v3_messages(reply.get("messages"), rchannel, rptr):
                    self.identity = ident
                    self.add(raddress, rptr, back, name, msg, mptr)

    def _v3_messages(self, listed: Any, channel: dict[str, Any], cptr: str) -> list[tuple[str, Any, str, Any]]:
        own = {id(m): (k, m) for k, m in (channel.get("messages") or {}).items() if isinstance(m, dict)}
        chosen = listed if isinstance(listed, list) and listed else [m for _, m in own.values()]
        out = []
        for msg in chosen:
            if not isinstance(msg, dict):
                continue
            key = own.get(id(msg), (None, msg))[0]
            name = msg.get("name") if isinstance(msg.get("name"), str) else key or msg.get(REF) or "message"
            mptr = pointer_join(pointer_join(cptr, "messages"), key) if key else str(msg.get(LOC, cptr))
            out.append((str(name), msg, mptr, _identity(msg, key)))
        return out

    # --- 2.x ----------------------------------------------------------------------------------------------------
    def v2(self, doc: dict[str, Any]) -> None:
        for key, ch in sorted((doc.get("channels") or {}).items()):
            if key.startswith("x-") or not isinstance(ch, dict):
                continue
            cptr = pointer_join("/channels", key)
            # 2.x verbs describe what *others* do: subscribe = the application sends, publish = it receives
            for verb, party in (("subscribe", Party.PRODUCER), ("publish", Party.CONSUMER)):
                op = ch.get(verb)
                if not isinstance(op, dict):
                    continue
                message = op["message"]
                mptr = pointer_join(pointer_join(cptr, verb), "message")
                many = message.get("oneOf") if isinstance(message, dict) else None
                members = list(enumerate(many)) if isinstance(many, list) else [(None, message)]
                # the key the official converter gives the message in the 3.0 channel's `messages` map
                op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else f"{key}.{verb}"
                kind = str(op_id).split(".")[-1]
                for i, msg in members:
                    if not isinstance(msg, dict):
                        continue
                    ptr = pointer_join(pointer_join(mptr, "oneOf"), i) if i is not None else mptr
                    name = msg.get("messageId") or msg.get("name") or msg.get(REF) or f"{verb}-{i or 0}"
                    converted = f"{kind}.message" if i is None else f"{kind}.message.{i}"
                    self.identity = _identity(msg, msg.get("messageId") or converted)
                    if not msg.get("messageId") and not msg.get("name"):
                        self.notes.append(
                            f"{self.label}: the message at {ptr} has neither 'messageId' nor 'name'; it is matched "
                            "with the other version by its place and payload"
                        )
                    self.add(key, cptr, party, str(name), msg, ptr)

    # --- flows --------------------------------------------------------------------------------------------------
    def add(self, address: str, cptr: str, party: Party, name: str, msg: dict[str, Any], mptr: str) -> None:
        action = "send" if party is Party.PRODUCER else "receive"
        msg = self.with_traits(msg)
        bodies: dict[str, Slot] = {}
        payload = msg.get("payload")
        fmt = msg.get("schemaFormat")
        pptr = pointer_join(mptr, "payload")
        fptr = pointer_join(mptr, "schemaFormat")
        if self.version.startswith("3.") and isinstance(payload, dict) and "schemaFormat" in payload:
            fmt, payload, fptr = payload.get("schemaFormat"), payload.get("schema"), pointer_join(pptr, "schemaFormat")
            pptr = pointer_join(pptr, "schema")
        if payload is not None:
            bodies["payload"] = self.slot("payload", payload, fmt, pptr, fptr)
        if isinstance(msg.get("headers"), dict):
            hptr = pointer_join(mptr, "headers")
            bodies["headers"] = self.slot("headers", msg["headers"], None, hptr, hptr)
        ident = {**self.identity, "payload": _payload_identity(bodies.get("payload"))}
        flow = Flow(
            name="message", written_by=party, location=mptr, bodies=bodies, body_required=bool(bodies),
            extras={"identity": ident},
        )  # fmt: skip
        self.flows.setdefault(address, {})[f"{action}:{name}"] = flow
        self.locations.setdefault(address, cptr)

    def with_traits(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Apply message traits (JSON Merge Patch): in 2.x a trait overrides the message, in 3.0 the message wins."""
        traits = msg.get("traits")
        if not isinstance(traits, list) or not traits:
            return msg
        out: dict[str, Any] = {k: v for k, v in msg.items() if k != "traits"}
        for trait in traits:
            if not isinstance(trait, dict):
                continue
            if self.version.startswith("2."):
                out = _merge_patch(out, trait)
            else:
                out = _merge_patch(trait, out)
        return out

    def slot(self, name: str, schema: Any, fmt: Any, ptr: str, fmt_ptr: str) -> Slot:
        if fmt is None or (isinstance(fmt, str) and _JSON_FORMATS.match(fmt)):
            return Slot(name=name, required=True, schema=canonicalise(schema, DRAFT7), location=ptr)
        if isinstance(fmt, str) and _AVRO_FORMAT.match(fmt):
            from pytest_cdcompat.kinds.avro.avro_loader import schema_facts

            facts = schema_facts(_clean(schema), self.label, ptr)
            return Slot(name=name, required=True, schema=True, location=ptr, extras={"avro": facts})
        raise ContractLoadError(
            f"unknown schemaFormat {fmt!r} (AsyncAPI/JSON Schema and Avro formats are supported)", path=self.label,
            pointer=fmt_ptr,
        )  # fmt: skip

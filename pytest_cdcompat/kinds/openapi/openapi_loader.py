"""OpenAPI 2.0 / 3.0 / 3.1 -> ``Contract``: one channel per operation, one flow per request and per response.

Swagger 2.0 and OpenAPI 3.x say the same things in different places (2.0 bodies are ``in: body`` parameters, its
media types live in ``consumes``/``produces``, its parameter schemas are inlined in the parameter), so both are read
into one model here, and ``kinds/schema/canonical.py`` then gives equivalent schemas one spelling: an equivalent spec in
any version loads into equal channels. Operations are keyed by method and path template with variables blanked
(``GET /orders/{}``), and path parameters by position, so renaming ``{id}`` to ``{orderId}`` is no change at all.

Validation uses the OpenAPI meta-schemas shipped with openapi-spec-validator (read as data files, the package is
not imported), through jsonschema-rs for the verdict when installed and ``jsonschema`` for the message, on the document
as written (no ``$ref`` following there: refs are resolved by ``refs.py``, which reads files only through the
``Source`` and never touches the network unless allowed).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from dataclasses import replace
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.schema.canonical import Canonicaliser
from pytest_cdcompat.kinds.schema.metavalid import fast_is_valid, fast_validator
from pytest_cdcompat.kinds.schema.serialisation import (
    Serialisation,
    form_from_v2,
    form_from_v3,
    from_v2,
    from_v3,
    shapes,
)
from pytest_cdcompat.kinds.schema.serialisation_slots import form_properties
from pytest_cdcompat.sources.documents import parse_main, require_mapping
from pytest_cdcompat.sources.refs import LOC, dialect_specification, pointer_join, resolve_refs
from pytest_cdcompat.sources.source import Source

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
SCHEMA_FIELDS_V2 = (
    "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf", "x-nullable",
)  # fmt: skip
TEMPLATE_VAR = re.compile(r"\{([^}]*)\}")
_validated: set[bytes] = set()  # digests of documents already found valid in this process

__all__ = ["load", "operation_key", "validate"]


def load(source: Source, settings: Settings) -> Contract:
    doc = require_mapping(parse_main(source), source.label)
    version, dialect = _version(doc, source.label)
    validate(doc, version, source)
    spec = (
        dialect_specification(doc.get("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema"))
        if (dialect == "openapi-3.1")
        else dialect_specification(None)
    )
    resolved = resolve_refs(source, doc, settings, specification=spec)
    return _Builder(resolved, dialect, source).contract(version)


def operation_key(method: str, path: str) -> str:
    return f"{method.upper()} {TEMPLATE_VAR.sub('{}', path)}"


def _version(doc: dict[str, Any], label: str) -> tuple[str, str]:
    if "openapi" in doc:
        version = str(doc["openapi"])
        if version.startswith("3.0"):
            return version, "openapi-3.0"
        if version.startswith(("3.1", "3.2")):
            return version, "openapi-3.1"
        raise ContractLoadError(f"unsupported OpenAPI version {version!r} (2.0, 3.0 and 3.1 are)", path=label,
                                pointer="/openapi")  # fmt: skip
    version = str(doc.get("swagger"))
    if version != "2.0":
        raise ContractLoadError(f"unsupported Swagger version {version!r} (2.0 is)", path=label, pointer="/swagger")
    return version, "openapi-2.0"


def validate(doc: dict[str, Any], version: str, source: Source) -> None:
    """Check ``doc`` against its OpenAPI meta-schema; one ``ContractLoadError`` for the most relevant error.

    The yes/no answer comes from jsonschema-rs when it is installed (the ``fast`` extra: about 0.05 s for a 4 MB
    document instead of 0.8 s); only a document it finds invalid is validated again with ``jsonschema``, whose
    errors give the message, so the message is the same with and without the extra.
    """
    digest = hashlib.sha256(source.read_main()).digest()
    if digest in _validated:
        return
    family = "2.0" if version == "2.0" else version[:3]
    if family in ("2.0", "3.0"):
        doc = {**doc, "swagger" if family == "2.0" else "openapi": version}  # ``swagger: 2.0`` unquoted is a float
    if not _fast_is_valid(family, doc):
        from jsonschema.exceptions import best_match

        error = best_match(_meta_validator(family).iter_errors(doc))
        if error is not None:
            error = _most_relevant(error)
            pointer = "".join(pointer_join("", p) for p in error.absolute_path)
            raise ContractLoadError(f"invalid OpenAPI {version}: {error.message}", path=source.label, pointer=pointer)
    _validated.add(digest)


def _fast_is_valid(family: str, doc: dict[str, Any]) -> bool:
    return fast_is_valid(_fast_validator(family), doc)


def _fast_validator(family: str) -> Any:
    return fast_validator(f"openapi-{family}", lambda: meta_schema(family))


META_SCHEMA_FILES = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1"}


@functools.cache
def meta_schema(family: str) -> dict[str, Any]:
    """The OpenAPI meta-schema of ``family`` (2.0, 3.0, 3.1), read from openapi-spec-validator's package data
    without importing the package (its import pulls in ``requests``, pydantic and more just to read three files)."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise ContractLoadError("openapi-spec-validator is not installed (it ships the OpenAPI meta-schemas)")
    base = Path(next(iter(spec.submodule_search_locations)))
    path = base / "resources" / "schemas" / META_SCHEMA_FILES.get(family, "v3.1") / "schema.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


@functools.cache
def _meta_validator(family: str) -> Any:
    """A ``jsonschema`` validator for the OpenAPI meta-schema of ``family`` (2.0, 3.0, 3.1).

    The 2.0 and 3.0 meta-schemas say ``$ref: "#/definitions/Schema"`` at every nested schema; replacing those refs
    by the definitions themselves (a cyclic dict, which ``jsonschema`` walks happily) saves a registry lookup per
    node and 40% of the time on a 4 MB spec. We build the validator ourselves rather than take
    openapi-spec-validator's, which switches to jsonschema-rs when installed and then yields other error objects.
    """
    import jsonschema.validators

    meta: dict[str, Any] = copy.deepcopy(meta_schema(family))
    if family in ("2.0", "3.0"):
        definitions = meta.get("definitions", {})
        seen: set[int] = set()
        stack: list[Any] = [meta]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            for key, value in items:
                ref = value.get("$ref") if isinstance(value, dict) and len(value) == 1 else None
                if isinstance(ref, str) and ref.startswith("#/definitions/") and ref[14:] in definitions:
                    node[key] = definitions[ref[14:]]
                elif isinstance(value, (dict, list)):
                    stack.append(value)
    return jsonschema.validators.validator_for(meta)(meta)


def _most_relevant(error: Any) -> Any:
    """Look inside "not valid under any of the given schemas": OpenAPI's meta-schemas say "a Reference or an X"
    everywhere, and for an object without ``$ref`` the useful message is the one from the X branch."""
    from jsonschema.exceptions import best_match

    while error.context:
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
        if isinstance(error.instance, dict) and "$ref" not in error.instance:
            branches = {
                k: v for k, v in branches.items() if not any(e.validator == "required" and "'$ref'" in e.message
                                                             for e in v)
            }  # fmt: skip
        if len(branches) != 1:
            break
        error = best_match(next(iter(branches.values())))
    return error


class _Builder:
    """Walks a resolved document (``$ref``s replaced) and builds channels; one canonicaliser shares all schemas."""

    def __init__(self, doc: dict[str, Any], dialect: str, source: Source) -> None:
        self.doc = doc
        self.dialect = dialect
        self.v2 = dialect == "openapi-2.0"
        self.source = source
        self.canon = Canonicaliser(dialect)
        self.notes: list[str] = []

    def contract(self, version: str) -> Contract:
        channels: dict[str, Channel] = {}
        for path, item in (self.doc.get("paths") or {}).items():
            if isinstance(item, dict) and not path.startswith("x-"):
                where = pointer_join("/paths", path)
                for method, op in self.operations(item):
                    key = operation_key(method, path)
                    self.add(channels, self.channel(key, f"{method.upper()} {path}", path, method, item, op, where))
                    for cb in self.callbacks(op, key, pointer_join(where, method)):
                        self.add(channels, cb)
        for name, item in (self.doc.get("webhooks") or {}).items():
            if isinstance(item, dict) and not name.startswith("x-"):
                where = pointer_join("/webhooks", name)
                for method, op in self.operations(item):
                    key = f"WEBHOOK {name} {method.upper()}"
                    self.add(channels, self.channel(key, key, "", method, item, op, where, reverse=True))
        return Contract(
            kind="openapi", source=self.source.label, channels=channels, version=version, notes=tuple(self.notes)
        )

    def add(self, channels: dict[str, Channel], channel: Channel) -> None:
        if channel.key in channels:
            self.notes.append(f"{channel.title} and {channels[channel.key].title} are the same operation; "
                              f"only the first is compared")  # fmt: skip
            return
        channels[channel.key] = channel

    def operations(self, item: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        return [(m, item[m]) for m in METHODS if isinstance(item.get(m), dict)]

    def callbacks(self, op: dict[str, Any], op_key: str, where: str) -> list[Channel]:
        out = []
        for name, callback in (op.get("callbacks") or {}).items():
            if not isinstance(callback, dict) or name.startswith("x-"):
                continue
            for expression, item in callback.items():
                if isinstance(item, dict) and not expression.startswith("x-"):
                    item_where = pointer_join(pointer_join(pointer_join(where, "callbacks"), name), expression)
                    for method, cb_op in self.operations(item):
                        key = f"CALLBACK {op_key} {name} {expression} {method.upper()}"
                        out.append(self.channel(key, key, "", method, item, cb_op, item_where, reverse=True))
        return out

    def channel(
        self,
        key: str,
        title: str,
        path: str,
        method: str,
        item: dict[str, Any],
        op: dict[str, Any],
        item_where: str,
        *,
        reverse: bool = False,
    ) -> Channel:
        where = pointer_join(item_where, method)
        client, server = (Party.PRODUCER, Party.CONSUMER) if reverse else (Party.CONSUMER, Party.PRODUCER)
        flows = {"request": self.request(path, item, op, where, client)}
        for status, response in (op.get("responses") or {}).items():
            status = str(status)
            if isinstance(response, dict) and not status.startswith("x-"):
                name = "response:" + (status.lower() if status.lower() == "default" else status.upper())
                flows[name] = self.response(name, op, response, pointer_join(pointer_join(where, "responses"), status),
                                            server)  # fmt: skip
        return Channel(key=key, title=title, location=where, flows=flows, deprecated=op.get("deprecated") is True)

    # -- requests ----------------------------------------------------------------------------------------------
    def request(self, path: str, item: dict[str, Any], op: dict[str, Any], where: str, writer: Party) -> Flow:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for param in list(item.get("parameters") or []) + list(op.get("parameters") or []):
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(str(param.get("in")), param["name"])] = param
        variables = TEMPLATE_VAR.findall(path)
        params: dict[str, Slot] = {}
        bodies: dict[str, Slot] = {}
        body_required = False
        form: list[dict[str, Any]] = []
        for (where_in, name), param in merged.items():
            if where_in == "header" and name.lower() in IGNORED_HEADERS:
                continue
            if where_in == "body":
                body_required = param.get("required") is True
                for media in self.media_types(op, "consumes"):
                    schema = _as_bytes(media, param.get("schema", True))
                    bodies[media] = self.slot(media, body_required, schema, param)
                continue
            if where_in == "formData":
                form.append(param)
                continue
            if where_in == "path":
                key = f"path:{variables.index(name)}" if name in variables else f"path:{name}"
            elif where_in == "header":
                key = f"header:{name.lower()}"
            else:
                key = f"{where_in}:{name}"
            required = where_in == "path" or param.get("required") is True
            params[key] = self.slot(
                name, required, self.param_schema(param), param, self.serialisation(where_in, param)
            )
        if form:
            media, slot = self.form_body(op, form, where)
            bodies[media] = slot
            body_required = slot.required
        body = op.get("requestBody")
        if isinstance(body, dict):
            body_required = body.get("required") is True
            for media, content in (body.get("content") or {}).items():
                schema = content.get("schema", True) if isinstance(content, dict) else True
                bodies[media] = self.slot(media, body_required, _as_bytes(media, schema), content)
                if _is_form(media) and isinstance(content, dict):
                    bodies[media] = self.v3_form_fields(media, bodies[media], schema, content)
            if not body_required and bodies and all(_is_form(m) and _needs_fields(s.schema) for m, s in bodies.items()):
                # an absent form is an empty form, which a schema with required fields rejects (as in 2.0, where a
                # form is required exactly when one of its fields is; swagger2openapi leaves requestBody optional)
                body_required = True
                bodies = {m: replace(s, required=True) for m, s in bodies.items()}
        return Flow(name="request", written_by=writer, location=where, params=params, bodies=bodies,
                    body_required=body_required)  # fmt: skip

    def param_schema(self, param: dict[str, Any]) -> Any:
        if "schema" in param:
            return param["schema"]
        content = param.get("content")
        if isinstance(content, dict) and content:
            first = next(iter(content.values()))
            return first.get("schema", True) if isinstance(first, dict) else True
        if self.v2:
            schema = {k: param[k] for k in SCHEMA_FIELDS_V2 if k in param}
            schema[LOC] = param.get(LOC, "")
            return schema
        return True

    def form_body(self, op: dict[str, Any], form: list[dict[str, Any]], where: str) -> tuple[str, Slot]:
        consumes = self.media_types(op, "consumes")
        multipart = any(p.get("type") == "file" for p in form) or "multipart/form-data" in consumes
        media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        schema = {
            "type": "object",
            "properties": {p["name"]: self.param_schema(p) for p in form},
            "required": [p["name"] for p in form if p.get("required") is True],
            LOC: pointer_join(where, "parameters"),
        }
        required = bool(schema["required"])
        canonical = self.canon.run(schema)
        props = form_properties(canonical)
        fields = {
            p["name"]: Slot(name=p["name"], required=p.get("required") is True, schema=props.get(p["name"], True),
                            location=p.get(LOC, ""), extras={"serialisation": form_from_v2(multipart, p)})
            for p in form
        }  # fmt: skip
        return media, Slot(name=media, required=required, schema=canonical, location=pointer_join(where, "parameters"),
                           extras={"form_fields": fields})  # fmt: skip

    def v3_form_fields(self, media: str, body: Slot, raw: Any, content: dict[str, Any]) -> Slot:
        """The form body ``body`` with its fields' serialisations (``encoding``) in ``extras["form_fields"]``, each
        located at its ``encoding`` entry when it has one, else at its schema property."""
        multipart = media.split(";")[0].strip().lower() == "multipart/form-data"
        encoding = content.get("encoding")
        encoding = encoding if isinstance(encoding, dict) else {}
        raw_props = raw.get("properties") if isinstance(raw, dict) else None
        raw_props = raw_props if isinstance(raw_props, dict) else {}
        required = body.schema.get("required", []) if isinstance(body.schema, dict) else []
        where = content.get(LOC, "")
        fields = {}
        for name, schema in form_properties(body.schema).items():
            enc = encoding.get(name)
            if isinstance(enc, dict):
                location = enc.get(LOC) or pointer_join(pointer_join(where, "encoding"), name)
            elif name in raw_props:
                location = pointer_join(pointer_join(pointer_join(where, "schema"), "properties"), name)
            else:  # a field of an ``allOf`` member
                location = schema.get(LOC, where) if isinstance(schema, dict) else where
            ser = form_from_v3(multipart, enc, raw_props.get(name), shapes(schema))
            fields[name] = Slot(name=name, required=name in required, schema=schema, location=location,
                                extras={"serialisation": ser})  # fmt: skip
        return replace(body, extras={**body.extras, "form_fields": fields})

    def media_types(self, op: dict[str, Any], field: str) -> list[str]:
        types = op.get(field) or self.doc.get(field) or ["application/json"]
        return [t for t in types if isinstance(t, str)]

    # -- responses ---------------------------------------------------------------------------------------------
    def response(self, name: str, op: dict[str, Any], response: dict[str, Any], where: str, writer: Party) -> Flow:
        params: dict[str, Slot] = {}
        for header, obj in (response.get("headers") or {}).items():
            if isinstance(obj, dict) and header.lower() != "content-type" and not header.startswith("x-cdc-"):
                schema = self.param_schema(obj)
                params[f"header:{header.lower()}"] = self.slot(header, obj.get("required") is True, schema, obj,
                                                               self.serialisation("header", obj))  # fmt: skip
        bodies: dict[str, Slot] = {}
        if self.v2:
            if "schema" in response:
                schema = response["schema"]
                for media in self.media_types(op, "produces"):
                    bodies[media] = self.slot(media, True, _as_bytes(media, schema), response)
        else:
            for media, content in (response.get("content") or {}).items():
                schema = content.get("schema", True) if isinstance(content, dict) else True
                bodies[media] = self.slot(media, True, _as_bytes(media, schema), content)
        return Flow(name=name, written_by=writer, location=where, params=params, bodies=bodies,
                    body_required=bool(bodies))  # fmt: skip

    def slot(self, name: str, required: bool, schema: Any, owner: Any, serialisation: Any = None) -> Slot:
        location = owner.get(LOC, "") if isinstance(owner, dict) else ""
        deprecated = isinstance(owner, dict) and owner.get("deprecated") is True
        extras = {"serialisation": serialisation} if serialisation is not None else {}
        return Slot(name=name, required=required, schema=self.canon.run(schema), location=location,
                    deprecated=deprecated, extras=extras)  # fmt: skip

    def serialisation(self, where: str, param: dict[str, Any]) -> Serialisation:
        """How the parameter's value is written, in one form for 2.0 and 3.x (``kinds/schema/serialisation.py``)."""
        return from_v2(where, param) if self.v2 else from_v3(where, param)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


_BYTES_KEYS = {"type", "format", "contentMediaType", "contentEncoding", "description", "title"}


def _as_bytes(media: str, schema: Any) -> Any:
    """A body that is raw bytes of its media type: 2.0 ``type: file``, 3.0 ``type: string, format: binary`` and 3.1
    ``contentMediaType`` (the three spellings converters write for one thing) all read as "any bytes" (``True``,
    what 2.0 ``type: file`` has always been), so an upgrade between them changes nothing. Only for a media type that
    is not JSON or a form, where the schema cannot describe a JSON value; a JSON string schema stays as it is."""
    if isinstance(schema, dict) and schema.get("type") == "file":
        return True  # 2.0: bytes of whatever media type is produced or consumed
    kind = media.split(";")[0].strip().lower()
    if not isinstance(schema, dict) or "json" in kind or _is_form(kind):
        return schema
    if any(not (k in _BYTES_KEYS or k.startswith("x-")) for k in schema):
        return schema
    binary = schema.get("type") == "string" and schema.get("format") == "binary"
    media_typed = "contentMediaType" in schema and schema.get("type", "string") == "string"
    return True if binary or media_typed else schema


def _is_form(media: str) -> bool:
    return media.split(";")[0].strip().lower() in _FORM_TYPES


def _needs_fields(schema: Any) -> bool:
    return isinstance(schema, dict) and bool(schema.get("required"))

"""Replace every ``$ref`` of a parsed contract by the object it points to, and tag each object with where it came from.

Why objects and not copies: a ref is resolved to the *same* Python object every time (memoised by the identity of
the raw target), so a recursive schema becomes a cyclic object graph and a 4 MB Stripe spec, whose schemas reference
each other thousands of times, is walked once. Why ``referencing``: it knows every JSON Schema dialect's rules for
``$id``, ``$anchor`` and pointers; we only inject its ``retrieve`` callable, which reads files through the ``Source``
(so a git source reads the referenced file from the same revision, and ``Source.resolve`` refuses paths leaving the
repository) and refuses ``http(s)`` unless ``settings.allow_remote_refs``.

Every mapping that is an *object* of the document (a schema, a parameter, a response; not a map of names such as
``properties`` or ``responses``) gets ``x-cdc-loc``, the JSON pointer it was read from (``common.yaml#/X`` when it
comes from another file), and, when reached through a ``$ref``, ``x-cdc-ref``, the target's name (``Order``). The walk
is iterative: containers are created empty and filled from a work list, so neither deep documents nor long chains of
refs reach Python's recursion limit.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import referencing
import referencing.exceptions
import referencing.jsonschema

from pytest_cdcompat.core.errors import CdcompatError, ContractLoadError, RefError
from pytest_cdcompat.core.regex import engine_for
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.sources.confine import MissingFile, OutsideRepository
from pytest_cdcompat.sources.documents import parse_file
from pytest_cdcompat.sources.source import Source
from pytest_cdcompat.sources.yamlio import parse

FILE = "file:///"
LOC = "x-cdc-loc"
REF = "x-cdc-ref"

# Mappings of names (not objects) under these keys of an object; their values are objects again.
MAP_KEYS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependentRequired",
        "dependencies", "paths", "responses", "content", "headers", "webhooks", "links", "encoding", "schemas",
        "requestBodies", "securitySchemes", "pathItems", "variables", "scopes", "examples", "parameters", "callbacks",
    }
)  # fmt: skip
# Values that are data, or outside what we compare: copied as they are, never searched for refs.
DATA_KEYS = frozenset({"example", "examples", "enum", "const", "default", "security", "servers", "tags", "info"})
OBJ, MAP, MAP2 = 0, 1, 2  # an object; a map of names to objects; a map of names to maps (callbacks)
# Siblings of a $ref that do not change what is valid (kept out of the allOf wrapper).
ANNOTATIONS = frozenset({"description", "title", "summary", "example", "examples", "$comment", "externalDocs"})

__all__ = ["LOC", "MAP_KEYS", "REF", "RefResolver", "pointer_join", "resolve_refs"]


def pointer_join(pointer: str, key: str | int) -> str:
    key = str(key)
    if "~" in key or "/" in key:
        key = key.replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{key}"


@dataclass(frozen=True, slots=True)
class _Ctx:
    file: PurePosixPath | None  # the file this node was read from (None for a remote document)
    label: str  # prefix of x-cdc-loc: "" for the main file, "common.yaml#" for others
    base: str  # base URI for resolving refs found here


def resolve_refs(
    source: Source,
    doc: Any,
    settings: Settings,
    *,
    specification: referencing.Specification[Any],
    map_keys: frozenset[str] = MAP_KEYS,
) -> Any:
    """The main document of ``source`` (already parsed as ``doc``) with every ``$ref`` replaced. ``map_keys`` are the
    keywords whose value maps names to objects (OpenAPI's ``headers``; an AsyncAPI message's ``headers`` is a schema
    instead, whose ``properties`` would otherwise get a location marker as if it were a property)."""
    return RefResolver(source, settings, specification, map_keys).run(doc)


class RefResolver:
    def __init__(
        self,
        source: Source,
        settings: Settings,
        specification: referencing.Specification[Any],
        map_keys: frozenset[str] = MAP_KEYS,
    ) -> None:
        self.source = source
        self.map_keys = map_keys
        self.settings = settings
        self.spec = specification
        self.ids = specification is not referencing.Specification.OPAQUE
        # From 2019-09 on, keywords next to a $ref apply too; before (and in OpenAPI 2.0/3.0) they are ignored.
        self.siblings_apply = specification.name in ("draft2019-09", "draft2020-12")
        main_uri = FILE + source.rel.as_posix()
        self.registry: referencing.Registry[Any] = referencing.Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self.main_uri = main_uri
        self.memo: dict[int, Any] = {}
        self.lookups: dict[tuple[str, str], tuple[Any, _Ctx, str, str]] = {}
        self.index: dict[int, tuple[_Ctx, str]] | None = None
        self.docs: dict[str, Any] = {}  # uri -> parsed contents, for the location index
        self.work: list[tuple[Any, Any, _Ctx, str, int]] = []
        self.indexed: set[str] = set()
        self.missing: dict[str, str] = {}  # uri -> how to name the file that does not exist
        self.named: dict[str, Any] | None = None  # "$id" URIs and "uri#anchor" -> object, built on demand
        self.named_docs: set[str] = set()

    # -- retrieval ---------------------------------------------------------------------------------------------
    def _retrieve(self, uri: str) -> referencing.Resource[Any]:
        if uri.startswith(FILE):
            rel = PurePosixPath(unquote(uri[len(FILE) :]))
            try:
                contents = parse_file(self.source, rel)
            except MissingFile:
                self.missing[uri] = self.source.describe(rel)
                raise referencing.exceptions.NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
        elif urlsplit(uri).scheme in ("http", "https") and self.settings.allow_remote_refs:
            contents = self._fetch(uri)
        else:
            raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
        self.docs[uri] = contents
        resource = referencing.Resource.from_contents(contents, default_specification=self.spec)
        self.registry = self.registry.with_resource(uri, resource)
        return resource

    def _fetch(self, uri: str) -> Any:
        import requests

        try:
            response = requests.get(uri, timeout=10)
            response.raise_for_status()
        except requests.RequestException as e:
            raise RefError(f"cannot fetch remote $ref {uri}: {e}", path=self.source.label) from None
        return parse(response.content, uri, prefer_json=uri.endswith(".json"))

    # -- the walk ----------------------------------------------------------------------------------------------
    def run(self, doc: Any) -> Any:
        self.docs[self.main_uri] = doc
        resource = referencing.Resource.from_contents(doc, default_specification=self.spec)
        self.registry = self.registry.with_resource(self.main_uri, resource)
        if self.ids:
            self.registry = self.registry.crawl()
        root = self._emit(doc, _Ctx(self.source.rel, "", self.main_uri), "", OBJ)
        work, emit = self.work, self._emit
        while work:
            raw, out, ctx, ptr, state = work.pop()
            if type(raw) is list:
                for i, item in enumerate(raw):
                    out[i] = emit(item, ctx, f"{ptr}/{i}", OBJ) if isinstance(item, (dict, list)) else item
            else:
                self._fill(raw, out, ctx, ptr, state)
        return root

    def _emit(self, raw: Any, ctx: _Ctx, ptr: str, state: int) -> Any:
        """The output for ``raw``: scalars as they are, containers memoised (created empty, filled later)."""
        if isinstance(raw, dict):
            if "$ref" in raw and isinstance(raw["$ref"], str):
                return self._emit_ref(raw, ctx, ptr)
        elif not isinstance(raw, list):
            return raw
        key = id(raw)
        out = self.memo.get(key)
        if out is None:
            out = {} if isinstance(raw, dict) else [None] * len(raw)
            self.memo[key] = out
            self.work.append((raw, out, ctx, ptr, state))
        return out

    def _emit_ref(self, raw: dict[str, Any], ctx: _Ctx, ptr: str) -> Any:
        target, tctx, tptr, name = self._follow(raw, ctx, ptr)
        if not isinstance(target, (dict, bool)):  # ``$ref: '#/info/title'``: a string is no schema or object
            what = {list: "a list", str: "a string", int: "a number", float: "a number"}.get(type(target), "null")
            raise RefError(
                f"$ref {raw['$ref']!r} points to {what}, not to a schema or an object",
                path=self._where(ctx),
                pointer=pointer_join(ptr, "$ref"),
            )
        out = self._emit(target, tctx, tptr, OBJ)
        if isinstance(out, dict):
            out[REF] = name
        siblings = {k: v for k, v in raw.items() if k != "$ref" and k not in ANNOTATIONS}
        if not self.siblings_apply:
            # ignored by the spec, but ``{$ref: X, x-nullable: true}`` is go-swagger's documented idiom for Swagger 2.0
            siblings = {"x-nullable": True} if raw.get("x-nullable") is True else {}
        if not siblings:
            return out
        wrapper: dict[str, Any] = {}
        self._fill(siblings, wrapper, ctx, ptr, OBJ)
        wrapper["allOf"] = [out]
        return wrapper

    def _fill(self, raw: dict[str, Any], out: dict[str, Any], ctx: _Ctx, ptr: str, state: int) -> None:
        if self.ids and state == OBJ:
            new_id = raw.get("$id") if "$id" in raw else raw.get("id") if self.spec.name == "draft-04" else None
            if isinstance(new_id, str) and not new_id.startswith("#"):
                ctx = _Ctx(ctx.file, ctx.label, urljoin(ctx.base, new_id))
        if state == OBJ and ("pattern" in raw or "patternProperties" in raw):
            check_patterns(raw, self._where(ctx), ptr)
        emit = self._emit
        # a child's pointer is built only for a container (a scalar is copied as it is)
        if state != OBJ:
            inner = MAP if state == MAP2 else OBJ
            for k, v in raw.items():
                if not isinstance(k, str):
                    k = str(k)
                out[k] = emit(v, ctx, pointer_join(ptr, k), inner) if isinstance(v, (dict, list)) else v
            return
        for k, v in raw.items():
            if not isinstance(k, str):
                k = str(k)
            if not isinstance(v, (dict, list)) or k in DATA_KEYS or k.startswith("x-"):
                out[k] = v
            elif k == "discriminator" and isinstance(v, dict) and isinstance(v.get("mapping"), dict):
                out[k] = self._discriminator(v, ctx, pointer_join(ptr, k))
            elif k in self.map_keys and isinstance(v, dict):
                out[k] = emit(v, ctx, pointer_join(ptr, k), MAP2 if k == "callbacks" else MAP)
            else:
                out[k] = emit(v, ctx, pointer_join(ptr, k), OBJ)
        out[LOC] = ctx.label + ptr

    def _discriminator(self, raw: dict[str, Any], ctx: _Ctx, ptr: str) -> dict[str, Any]:
        out = {k: v for k, v in raw.items() if k != "mapping"}
        mapping: dict[str, Any] = {}
        for value, target in raw["mapping"].items():
            is_ref = isinstance(target, str) and ("/" in target or "#" in target)
            ref = target if is_ref else f"#/components/schemas/{target}"
            mapping[value] = self._emit_ref({"$ref": ref}, ctx, pointer_join(pointer_join(ptr, "mapping"), value))
        out["mapping"] = mapping
        out[LOC] = ctx.label + ptr
        return out

    # -- following refs ----------------------------------------------------------------------------------------
    def _follow(self, raw: dict[str, Any], ctx: _Ctx, ptr: str) -> tuple[Any, _Ctx, str, str]:
        """Follow a chain of pure refs (``A: {$ref: B}``) to a node that is not a ref."""
        seen: set[int] = {id(raw)}
        while True:
            key = (ctx.base, raw["$ref"])
            found = self.lookups.get(key)
            if found is None:
                found = self.lookups[key] = self._lookup(raw["$ref"], ctx, ptr)
            target, ctx, ptr, _ = found
            if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
                return found
            if id(target) in seen:
                raise RefError(f"circular $ref chain through {raw['$ref']!r}", path=self._where(ctx), pointer=ptr)
            seen.add(id(target))
            raw = target

    def _where(self, ctx: _Ctx) -> str:
        return self.source.describe(ctx.file) if ctx.file is not None else ctx.base

    def _lookup(self, ref: str, ctx: _Ctx, ptr: str) -> tuple[Any, _Ctx, str, str]:
        at = pointer_join(ptr, "$ref")
        url, _, fragment = ref.partition("#")
        targets: list[str] = []
        if not url:
            targets.append(ctx.base)
        else:
            scheme = urlsplit(url).scheme
            if scheme == "file":
                raise RefError(f"$ref {ref!r}: file: URLs are not allowed", path=self._where(ctx), pointer=at)
            if not scheme and ctx.base.startswith(FILE):
                rel = self._relative(ctx, ctx.base, url, at)
                targets.append(FILE + rel.as_posix())
            else:
                targets.append(urldefrag(urljoin(ctx.base, url))[0])
                if not scheme and ctx.file is not None:  # $id gave a non-file base: try the file next to us too
                    targets.append(FILE + self._relative(ctx, FILE + ctx.file.as_posix(), url, at).as_posix())
        error: Exception | None = None
        for uri in targets:
            try:
                resolved = self.registry.resolver(uri).lookup(f"{uri}#{fragment}")
            except referencing.exceptions.Unresolvable as e:
                error = error or e
                continue
            return self._located(resolved.contents, uri, fragment, ref)
        for uri in targets if self.ids else []:
            found = self._search(uri, unquote(fragment))
            if found is not None:
                return self._located(found, uri, fragment, ref)
        if urlsplit(targets[0]).scheme in ("http", "https") and not self.settings.allow_remote_refs:
            # not a resource of ours (no matching $id): fetching it is what the user has to allow
            raise RefError(
                f"remote $ref {ref!r} refused (pass --cd-compat-allow-remote-refs to fetch it)",
                path=self._where(ctx),
                pointer=at,
            )
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, OutsideRepository):  # name the $ref that asked, and where it is
                raise RefError(f"$ref {ref!r}: {cause.message}", path=self._where(ctx), pointer=at) from None
            if isinstance(cause, CdcompatError):
                raise cause
            cause = cause.__cause__
        what = ""
        if targets[-1] in self.missing:
            what = f"{self.missing[targets[-1]]}: file not found"
        elif isinstance(error, referencing.exceptions.PointerToNowhere):
            what = f"nothing at {fragment!r}"
        elif isinstance(error, referencing.exceptions.NoSuchAnchor):
            what = f"no anchor {fragment!r}"
        elif not what:
            what = "target not found"
        raise RefError(f"cannot resolve $ref {ref!r}: {what}", path=self._where(ctx), pointer=at)

    def _relative(self, ctx: _Ctx, base: str, url: str, at: str) -> PurePosixPath:
        base_rel = PurePosixPath(unquote(base[len(FILE) :]))
        try:
            return self.source.resolve(base_rel, unquote(url))
        except RefError as e:
            raise RefError(e.message, path=self._where(ctx), pointer=at) from None

    def _located(self, target: Any, uri: str, fragment: str, ref: str) -> tuple[Any, _Ctx, str, str]:
        if uri.startswith(FILE) and (fragment.startswith("/") or not fragment):
            rel = PurePosixPath(unquote(uri[len(FILE) :]))
            ptr = unquote(fragment)
            ctx = self._file_ctx(rel, uri)
        else:
            found = self._index().get(id(target))
            if found is None:
                ctx, ptr = _Ctx(None, uri + "#", uri), unquote(fragment) if fragment.startswith("/") else ""
            else:
                ctx, ptr = found
        return target, ctx, ptr, _ref_name(ref, ptr, uri)

    def _file_ctx(self, rel: PurePosixPath, uri: str) -> _Ctx:
        if rel == self.source.rel:
            return _Ctx(rel, "", uri)
        label = posixpath.relpath(rel.as_posix(), self.source.rel.parent.as_posix() or ".") + "#"
        return _Ctx(rel, label, uri)

    def _search(self, uri: str, fragment: str) -> Any:
        """Find an ``$id`` or ``$anchor`` target ``referencing`` cannot see: one inside an OpenAPI 3.1 document,
        which is not itself a schema, so its ``components`` are never crawled."""
        if self.named is None or len(self.named_docs) != len(self.docs):
            self.named, self.named_docs = {}, set(self.docs)
            for doc_uri, doc in self.docs.items():
                stack: list[tuple[Any, str]] = [(doc, doc_uri)]
                while stack:
                    node, base = stack.pop()
                    if isinstance(node, list):
                        stack.extend((v, base) for v in node if isinstance(v, (dict, list)))
                        continue
                    if isinstance(node.get("$id"), str) and not node["$id"].startswith("#"):
                        base = urldefrag(urljoin(base, node["$id"]))[0]
                        self.named.setdefault(base, node)
                    if isinstance(node.get("$anchor"), str):
                        self.named.setdefault(f"{base}#{node['$anchor']}", node)
                    kids = (v for k, v in node.items() if k not in DATA_KEYS and isinstance(v, (dict, list)))
                    stack.extend((v, base) for v in kids)
        if fragment and not fragment.startswith("/"):
            return self.named.get(f"{uri}#{fragment}")
        target = self.named.get(uri)
        for part in fragment.split("/")[1:] if target is not None else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                return None
        return target

    def _index(self) -> dict[int, tuple[_Ctx, str]]:
        """Where each object of each loaded document lives (for ``$anchor`` and ``$id`` targets); built on demand."""
        if self.index is None:
            self.index = {}
        for uri, doc in list(self.docs.items()):
            if uri in self.indexed:
                continue
            self.indexed.add(uri)
            ctx = (
                self._file_ctx(PurePosixPath(unquote(uri[len(FILE) :])), uri)
                if uri.startswith(FILE)
                else (_Ctx(None, uri + "#", uri))
            )
            stack: list[tuple[Any, str]] = [(doc, "")]
            while stack:
                node, ptr = stack.pop()
                if id(node) in self.index:
                    continue
                self.index[id(node)] = (ctx, ptr)
                items = node.items() if isinstance(node, dict) else enumerate(node)
                for k, v in items:
                    if isinstance(v, (dict, list)):
                        stack.append((v, pointer_join(ptr, k)))
        return self.index


def check_patterns(raw: dict[str, Any], where: str, ptr: str) -> None:
    """A ``pattern`` (or a ``patternProperties`` name) that is no regular expression is one clear error naming it,
    not a schema that silently matches anything. A pattern is valid when the engine that will match it compiles
    it (``core/regex.py``: RE2, or Python's ``re`` as its fallback): ``\\p{L}`` is valid JSON Schema (ECMA-262) that
    only RE2 reads."""
    found: list[tuple[str, str]] = []
    if isinstance(raw.get("pattern"), str):
        found.append((raw["pattern"], pointer_join(ptr, "pattern")))
    if isinstance(raw.get("patternProperties"), dict):
        found.extend(
            (k, pointer_join(pointer_join(ptr, "patternProperties"), k))
            for k in raw["patternProperties"]
            if isinstance(k, str)
        )
    for pattern, at in found:
        try:
            engine_for(pattern)
        except (re.error, RecursionError, OverflowError) as e:
            raise ContractLoadError(
                f"pattern {pattern[:80]!r} is not a valid regular expression: {e}", path=where, pointer=at
            ) from None


def _ref_name(ref: str, ptr: str, uri: str) -> str:
    if ptr:
        return ptr.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    _, _, fragment = ref.partition("#")
    if fragment:
        return fragment
    stem = PurePosixPath(urlsplit(uri).path).name
    return stem.split(".", 1)[0] if stem else ref


def dialect_specification(dialect: str | None, default: str | None = None) -> referencing.Specification[Any]:
    """The ``referencing`` specification for a JSON Schema dialect URI (OPAQUE for OpenAPI 2.0 / 3.0 documents)."""
    if dialect is None:
        return referencing.Specification.OPAQUE
    try:
        return referencing.jsonschema.specification_with(dialect)
    except referencing.exceptions.CannotDetermineSpecification:
        return referencing.jsonschema.DRAFT202012

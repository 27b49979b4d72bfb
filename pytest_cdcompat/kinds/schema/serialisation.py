"""How an HTTP parameter's value travels: OpenAPI 3.x ``style``/``explode``/``allowReserved``/``content``, Swagger 2.0
``collectionFormat``, one canonical form for all three versions, and a writer and a reader for that form.

Every parameter gets one ``Serialisation``: the place (``query``, ``path``, ``header``, ``cookie``), the style, whether
it explodes, whether reserved characters go unencoded, and the media type when the parameter is written as
``content`` instead of with a ``schema``. 2.0 and 3.x spellings of the same wire form are equal values:
``collectionFormat: csv`` is ``form`` without explode in a query and ``simple`` in a path or header, ``multi`` is
``form`` with explode, ``ssv``/``pipes`` are ``spaceDelimited``/``pipeDelimited``, and ``tsv`` (which 3.x cannot say;
swagger2openapi keeps it as ``x-collectionFormat: tsv``) is ``tabDelimited``. Exploded delimited styles repeat the
name like exploded ``form``, so they are ``form`` with explode too.

``write`` renders a value the way a writer with a serialisation sends it (the text of a query string, a path
segment, a header or cookie value) and ``read`` parses such a text the way a reader with another serialisation does,
with strings as leaves. ``reads_same`` is the witness check of a serialisation change: a value whose text, read back
by the other side, is not the value sent (or cannot be parsed at all). A scalar reads the same in every style of a
query, header or cookie (only ``label`` and ``matrix`` path segments add a prefix), so a style change matters only
where it changes what is read.

Form fields get one too (``form_from_v2``, ``form_from_v3``), with ``form`` (``application/x-www-form-urlencoded``,
written like a query string) or ``multipart`` (``multipart/form-data``, one part per name) as the place, following
the Encoding Object: a field is ``form`` with explode unless its ``encoding`` says otherwise, an explicit ``contentType``
of a JSON type writes it as JSON when no ``style``/``explode``/``allowReserved`` is given, and an object field of a
multipart body is one JSON part (its default ``contentType``). A 2.0 ``formData`` array follows its
``collectionFormat``, ``csv`` by default, exactly as a query array does: ``multi`` is ``form`` with explode (a field or
a part per item, the 3.x default), ``csv`` is ``form`` without explode (one field or part, ``a,b``). OpenAPI 3.0 says
``style`` and ``explode`` are ignored in a multipart body and 3.1 that they apply when given; both are read the 3.1 way,
so the same encoding means the same parts in 3.0 and 3.1 and a 2.0 multipart ``csv`` array has a 3.0 spelling.

The rules follow the style table of the OpenAPI specification (and RFC 6570 for ``label`` without explode); styles
the specification leaves undefined for a shape (``deepObject`` for an array) are written the common ``n[0]=a`` way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

__all__ = [
    "Serialisation",
    "form_from_v2",
    "form_from_v3",
    "from_v2",
    "from_v3",
    "read",
    "reads_same",
    "sample",
    "shapes",
    "write",
]

DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|", "tabDelimited": "\t"}
V2_FORMATS = {"csv": "form", "ssv": "spaceDelimited", "pipes": "pipeDelimited", "tsv": "tabDelimited"}
RESERVED = ":/?#[]@!$&'()*+,;="
BOUNDARY = "cdc"  # the multipart boundary of a witness's wire text
STYLE_KEYS = ("style", "explode", "allowReserved")


@dataclass(frozen=True, slots=True)
class Serialisation:
    where: str  # query, path, header, cookie; form (urlencoded body field), multipart (multipart body field)
    style: str
    explode: bool
    allow_reserved: bool = False
    media: str | None = None  # ``content``: the whole value is written in this media type

    def describe(self) -> str:
        if self.media is not None:
            return f"as {self.media} content"
        return f"style {self.style}, explode {'true' if self.explode else 'false'}"


def default_style(where: str) -> str:
    return "form" if where in ("query", "cookie", "formData") else "simple"


def _canonical(where: str, style: str, explode: bool, allow_reserved: bool, media: str | None) -> Serialisation:
    if style in ("spaceDelimited", "pipeDelimited", "tabDelimited") and explode:
        style = "form"  # an exploded delimited array repeats the name, as exploded form does
    # only a query string (and a urlencoded body, which is one) percent-encodes reserved characters
    return Serialisation(where, style, explode, allow_reserved and where in ("query", "form"), media)


def from_v3(where: str, param: dict[str, Any]) -> Serialisation:
    """The serialisation an OpenAPI 3.x parameter (or header object) declares, defaults filled in."""
    content = param.get("content")
    if "schema" not in param and isinstance(content, dict) and content:
        return Serialisation(where, "content", False, False, str(next(iter(content))).split(";")[0].strip().lower())
    style = param.get("style")
    if param.get("x-collectionFormat") == "tsv":  # swagger2openapi's spelling of what 3.x cannot say
        style = "tabDelimited"
    style = style if isinstance(style, str) else default_style(where)
    explode = param.get("explode")
    explode = explode if isinstance(explode, bool) else style == "form"
    return _canonical(where, style, explode, param.get("allowReserved") is True, None)


def from_v2(where: str, param: dict[str, Any]) -> Serialisation:
    """The serialisation a Swagger 2.0 parameter (or header) declares: ``collectionFormat`` (default ``csv``) for an
    array; a scalar is written plainly, as in 3.x's default."""
    if param.get("type") != "array":
        style = default_style(where)
        return Serialisation(where, style, style == "form")
    fmt = param.get("collectionFormat", "csv")
    if fmt == "multi":
        return _canonical(where, "form", True, False, None)
    style = V2_FORMATS.get(str(fmt), "form")
    if style == "form" and where in ("path", "header"):
        style = "simple"
    return _canonical(where, style, False, False, None)


# --- form fields: urlencoded and multipart bodies ----------------------------------------------------------------


def form_from_v2(multipart: bool, param: dict[str, Any]) -> Serialisation:
    """A Swagger 2.0 ``formData`` parameter: a scalar (or a file) is one field or part; an array follows its
    ``collectionFormat`` (default ``csv``: one field or part holding ``a,b``; ``multi``: one per item)."""
    where = "multipart" if multipart else "form"
    if param.get("type") != "array":
        return Serialisation(where, "form", True)
    fmt = str(param.get("collectionFormat", "csv"))
    if fmt == "multi":
        return Serialisation(where, "form", True)
    return _canonical(where, V2_FORMATS.get(fmt, "form"), False, False, None)


def form_from_v3(multipart: bool, encoding: Any, prop: Any, shape: set[str]) -> Serialisation:
    """An OpenAPI 3.x form field: its ``encoding`` entry (``style``, ``explode``, ``allowReserved``, ``contentType``)
    with the defaults filled in; ``prop`` is the field's schema as written (swagger2openapi copies
    ``x-collectionFormat: tsv`` there) and ``shape`` what its values may be (``shapes``)."""
    where = "multipart" if multipart else "form"
    enc = encoding if isinstance(encoding, dict) else {}
    tsv = "tsv" in (enc.get("x-collectionFormat"), prop.get("x-collectionFormat") if isinstance(prop, dict) else None)
    if any(k in enc for k in STYLE_KEYS):  # given, they win over contentType (3.1 says so, 3.0 nothing else)
        style = enc.get("style")
        style = style if isinstance(style, str) else ("tabDelimited" if tsv else "form")
        explode = enc.get("explode")
        explode = explode if isinstance(explode, bool) else style == "form"
        return _canonical(where, style, explode, enc.get("allowReserved") is True, None)
    content_type = enc.get("contentType")
    media = content_type.split(";")[0].strip().lower() if isinstance(content_type, str) else ""
    if _is_json(media):
        return Serialisation(where, "content", False, False, media)
    if tsv:
        return Serialisation(where, "tabDelimited", False)
    if multipart and shape == {"object"}:
        return Serialisation(where, "content", False, False, "application/json")  # an object part's default
    return Serialisation(where, "form", True)


# --- the shapes a schema lets a writer send, and a sample value of each ------------------------------------------


def shapes(schema: Any, _seen: frozenset[int] = frozenset()) -> set[str]:
    """``scalar``, ``array`` and/or ``object``: what a value of ``schema`` may be (all three when it does not say,
    or when a union refers back to itself: canonical schemas are cyclic graphs)."""
    if schema is True or not isinstance(schema, dict) or id(schema) in _seen:
        return {"scalar", "array", "object"} if schema is not False else set()
    _seen = _seen | {id(schema)}
    types = schema.get("type")
    if isinstance(types, str):
        types = [types]
    if isinstance(types, list):
        out = set()
        for t in types:
            out.add("array" if t == "array" else "object" if t == "object" else "scalar")
        return out
    for key in ("oneOf", "anyOf", "allOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            found = [shapes(b, _seen) for b in branches]
            return set.intersection(*found) if key == "allOf" else set.union(*found)
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        return {_shape(v) for v in values} if isinstance(values, list) else {"scalar"}
    if any(k in schema for k in ("items", "prefixItems", "minItems", "maxItems")):
        return {"array"}
    if any(k in schema for k in ("properties", "additionalProperties", "required")):
        return {"object"}
    return {"scalar", "array", "object"}


def _shape(value: Any) -> str:
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "scalar"


def sample(schema: Any, shape: str, minimal: Any, nothing: Any) -> list[Any]:
    """Values of ``shape`` to try as a witness, richest first: two items or two properties where the schema lets
    them be (a one-item array reads the same whichever way it is exploded). ``minimal`` is the generator's
    ``minimal_instance``; values are checked against the whole schema by the caller."""
    node = schema if isinstance(schema, dict) else {}
    if shape == "array":
        items = node.get("items", True)
        one = minimal(items) if items is not True else "a"
        if one is nothing:
            return []
        other = _other(items, one)
        return [["a", "b"], [_nicer(one), _nicer(other)], [one, other], [one, one], [one]]
    if shape == "object":
        props = node.get("properties") or {}
        full: dict[str, Any] = {}
        for name, sub in sorted(props.items()):
            value = minimal(sub)
            if value is not nothing:
                full[name] = value
        base = minimal(node)
        out = [_nicer(full), full] if len(full) >= 2 else []
        if base is not nothing and isinstance(base, dict):
            out.append({**base, **full})
            out.append(base)
        if not props:
            out.append({"a": "1", "b": "2"})
        return out
    value = minimal(schema)
    return [] if value is nothing else ["a b" if value == "" else value, value]


def _nicer(value: Any) -> Any:
    """Empty strings (the generator's smallest) read badly in a witness: the same value with ``a`` instead."""
    if isinstance(value, list):
        return [_nicer(v) for v in value]
    if isinstance(value, dict):
        return {k: _nicer(v) for k, v in value.items()}
    return "a" if value == "" else value


def _other(items: Any, one: Any) -> Any:
    if isinstance(items, dict) and isinstance(items.get("enum"), list):
        rest = [v for v in items["enum"] if v != one]
        return rest[0] if rest else one
    if isinstance(one, str):
        return one + "b" if one else "b"
    if isinstance(one, bool):
        return one
    if isinstance(one, (int, float)):
        return one + 1
    return one


# --- writing and reading -----------------------------------------------------------------------------------------


def _leaf(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"))


def _enc(text: str, ser: Serialisation) -> str:
    if ser.where in ("header",):
        return text
    return quote(text, safe=RESERVED if ser.allow_reserved else "")


def write(name: str, value: Any, ser: Serialisation) -> str:
    """The wire text of ``value``: ``n=a,b`` in a query, cookie or urlencoded body, ``.a,b`` as a label path segment,
    ``a,b`` as a header value, the parts of a multipart body."""
    if ser.where == "multipart":
        return _write_multipart(_parts(name, value, ser), ser.media)
    if ser.media is not None:
        text = json.dumps(value, separators=(",", ":")) if _is_json(ser.media) else _leaf(value)
        return text if ser.where in ("path", "header") else f"{name}={_enc(text, ser)}"
    n, style, ex = name, ser.style, ser.explode
    if ser.where in ("path", "header"):
        return _write_segment(n, value, ser)
    if isinstance(value, list):
        if style == "deepObject":
            return "&".join(f"{n}[{i}]={_enc(_leaf(v), ser)}" for i, v in enumerate(value))
        if ex:
            return "&".join(f"{n}={_enc(_leaf(v), ser)}" for v in value)
        return f"{n}=" + _wire_delim(style).join(_enc(_leaf(v), ser) for v in value)
    if isinstance(value, dict):
        if style == "deepObject":
            return "&".join(f"{n}[{k}]={_enc(_leaf(v), ser)}" for k, v in value.items())
        if ex:
            return "&".join(f"{_enc(k, ser)}={_enc(_leaf(v), ser)}" for k, v in value.items())
        return f"{n}=" + _wire_delim(style).join(_enc(x, ser) for k, v in value.items() for x in (k, _leaf(v)))
    return f"{n}={_enc(_leaf(value), ser)}"


def _parts(n: str, value: Any, ser: Serialisation) -> list[tuple[str, str]]:
    """The (name, text) parts of a multipart field: as the pairs of a query string, without percent-encoding."""
    if ser.media is not None:
        return [(n, json.dumps(value, separators=(",", ":")) if _is_json(ser.media) else _leaf(value))]
    style, ex = ser.style, ser.explode
    delim = DELIMITERS.get(style, ",")
    if isinstance(value, list):
        if style == "deepObject":
            return [(f"{n}[{i}]", _leaf(v)) for i, v in enumerate(value)]
        return [(n, _leaf(v)) for v in value] if ex else [(n, delim.join(_leaf(v) for v in value))]
    if isinstance(value, dict):
        if style == "deepObject":
            return [(f"{n}[{k}]", _leaf(v)) for k, v in value.items()]
        if ex:
            return [(k, _leaf(v)) for k, v in value.items()]
        return [(n, delim.join(x for k, v in value.items() for x in (k, _leaf(v))))]
    return [(n, _leaf(value))]


def _write_multipart(parts: list[tuple[str, str]], media: str | None) -> str:
    head = f"\r\nContent-Type: {media}" if media is not None else ""
    chunks = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"{head}\r\n\r\n{v}\r\n' for k, v in parts]
    return "".join(chunks) + f"--{BOUNDARY}--\r\n"


_PART_NAME = re.compile(r'name="([^"]*)"')


def _multipart_pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for chunk in text.split(f"--{BOUNDARY}")[1:]:
        if chunk.startswith("--"):
            break
        head, _, body = chunk.removeprefix("\r\n").partition("\r\n\r\n")
        found = _PART_NAME.search(head)
        if found is None:
            raise Unreadable(f"a part without a name: {head!r}")
        out.append((found.group(1), body.removesuffix("\r\n")))
    return out


def _wire_delim(style: str) -> str:
    """A delimiter as written in a query: a comma stays as it is, the others are percent-encoded."""
    delim = DELIMITERS.get(style, ",")
    return delim if delim == "," else quote(delim, safe="")


def _write_segment(n: str, value: Any, ser: Serialisation) -> str:
    style, ex = ser.style, ser.explode
    delim = DELIMITERS.get(style, ",") if style not in ("simple", "label", "matrix") else ","
    if isinstance(value, list):
        parts = [_enc(_leaf(v), ser) for v in value]
        if style == "label":
            return "." + ("." if ex else ",").join(parts)
        if style == "matrix":
            return "".join(f";{n}={p}" for p in parts) if ex else f";{n}=" + ",".join(parts)
        return delim.join(parts)
    if isinstance(value, dict):
        pairs = [(_enc(k, ser), _enc(_leaf(v), ser)) for k, v in value.items()]
        if style == "label":
            return "." + (".".join(f"{k}={v}" for k, v in pairs) if ex else ",".join(f"{k},{v}" for k, v in pairs))
        if style == "matrix":
            return "".join(f";{k}={v}" for k, v in pairs) if ex else f";{n}=" + ",".join(f"{k},{v}" for k, v in pairs)
        if ex:
            return delim.join(f"{k}={v}" for k, v in pairs)
        return delim.join(x for k, v in pairs for x in (k, v))
    text = _enc(_leaf(value), ser)
    if style == "label":
        return "." + text
    if style == "matrix":
        return f";{n}={text}"
    return text


class Unreadable(ValueError):
    """The reader cannot parse the text at all."""


def read(name: str, text: str, ser: Serialisation, shape: str) -> Any:
    """What a reader with ``ser`` makes of ``text`` when it expects a value of ``shape`` (strings as leaves)."""
    multipart = ser.where == "multipart"
    if ser.media is not None:
        raw = text if ser.where in ("path", "header") else _first(_split(text, multipart), name)
        if raw is None:
            raise Unreadable(f"no {name!r} in {text!r}")
        if not _is_json(ser.media):
            return raw
        try:
            return _texts(json.loads(raw))
        except ValueError:
            raise Unreadable(f"{raw!r} is not JSON") from None
    if ser.where in ("path", "header"):
        return _read_segment(name, text, ser, shape)
    pairs = _split(text, multipart)
    style, ex = ser.style, ser.explode
    if shape == "array":
        if style == "deepObject":
            return [v for k, v in pairs if k.startswith(name + "[")]
        if ex:
            return [v for k, v in pairs if k == name]
        raw = _first(pairs, name)
        return [] if not raw else raw.split(DELIMITERS.get(style, ","))
    if shape == "object":
        if style == "deepObject":
            return {k[len(name) + 1 : -1]: v for k, v in pairs if k.startswith(name + "[") and k.endswith("]")}
        if ex:
            return dict(pairs)
        raw = _first(pairs, name)
        return _alternating([] if not raw else raw.split(DELIMITERS.get(style, ",")))
    raw = _first(pairs, name)
    if raw is None:
        raise Unreadable(f"no {name!r} in {text!r}")
    return raw


def _read_segment(name: str, text: str, ser: Serialisation, shape: str) -> Any:
    style, ex = ser.style, ser.explode
    if style == "label":
        if not text.startswith("."):
            raise Unreadable(f"{text!r} does not start with '.'")
        text, sep = text[1:], "." if ex else ","
    elif style == "matrix":
        if not text.startswith(";"):
            raise Unreadable(f"{text!r} does not start with ';'")
        chunks = [c.partition("=") for c in text[1:].split(";")]
        if shape == "object" and ex:
            return {unquote(k): unquote(v) for k, _, v in chunks}
        values = [unquote(v) for k, _, v in chunks if k == name]
        if not values:
            raise Unreadable(f"no {name!r} in {text!r}")
        if shape == "array":
            return values if ex else values[0].split(",")
        if shape == "object":
            return _alternating(values[0].split(","))
        return values[0]
    else:
        sep = DELIMITERS.get(style, ",") if style != "simple" else ","
    if shape == "scalar":
        return unquote(text)
    parts = [unquote(p) for p in text.split(sep)] if text else []
    if shape == "array":
        return parts
    if ex:
        out = {}
        for p in parts:
            k, eq, v = p.partition("=")
            if not eq:
                raise Unreadable(f"{p!r} is not a key=value pair")
            out[k] = v
        return out
    return _alternating(parts)


def _split(text: str, multipart: bool) -> list[tuple[str, str]]:
    return _multipart_pairs(text) if multipart else _pairs(text)


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for chunk in text.split("&") if text else []:
        k, _, v = chunk.partition("=")
        out.append((unquote(k), unquote(v)))
    return out


def _first(pairs: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in pairs if k == name), None)


def _alternating(parts: list[str]) -> dict[str, str]:
    if len(parts) % 2:
        raise Unreadable(f"{','.join(parts)!r} is not a list of key,value pairs")
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _texts(value: Any) -> Any:
    if isinstance(value, list):
        return [_leaf(v) for v in value]
    if isinstance(value, dict):
        return {k: _leaf(v) for k, v in value.items()}
    return _leaf(value)


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def reads_same(name: str, value: Any, writer: Serialisation, reader: Serialisation) -> tuple[bool, str, Any]:
    """Whether the reader reads back the value the writer sent: ``(same, wire text, what the reader read)``; what
    was read is an ``Unreadable`` message when the text cannot be parsed."""
    text = write(name, value, writer)
    try:
        got: Any = read(name, text, reader, _shape(value))
    except Unreadable as e:
        return False, text, f"unreadable: {e}"
    return got == _texts(value), text, got

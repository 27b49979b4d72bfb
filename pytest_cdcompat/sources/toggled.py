"""Feature toggles in contract files: elements marked ``x-feature-toggle: NAME`` whose toggle is off are absent.

A YAML or JSON document (OpenAPI, AsyncAPI, JSON Schema, Avro) is parsed, every mapping that carries
``x-feature-toggle: NAME`` with ``NAME`` off is removed from its parent (a key of a mapping, or an item of a list:
an operation, a parameter, a request body, a response, a schema property, an AsyncAPI operation, channel or message,
an Avro field), a property removed from ``properties`` is also removed from the sibling ``required``, and the
result is handed to the loader as JSON. A Protobuf field is toggled by ``// cd-compat: toggle=NAME`` on its line,
which is dropped. Files that mention no toggle are read unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from pytest_cdcompat.sources.source import Source

KEY = "x-feature-toggle"
PROTO_MARK = re.compile(r"//\s*cd-compat:\s*toggle\s*=\s*([\w.-]+)")
NAME_RE = re.compile(r"""["']?x-feature-toggle["']?\s*:\s*["']?([\w.-]+)""")


def toggle_names(text: str) -> set[str]:
    """Every toggle name a contract's text mentions."""
    return set(NAME_RE.findall(text)) | set(PROTO_MARK.findall(text))


def strip(value: Any, off: set[str]) -> Any:
    """``value`` without the elements whose toggle is off."""

    def hidden(v: Any) -> bool:
        return isinstance(v, dict) and str(v.get(KEY)) in off

    if isinstance(value, dict):
        out = {k: strip(v, off) for k, v in value.items() if not hidden(v)}
        props = value.get("properties")
        if isinstance(props, dict):
            gone = [k for k, v in props.items() if hidden(v)]
            if gone and isinstance(out.get("required"), list):
                out["required"] = [r for r in out["required"] if r not in gone]
        return out
    if isinstance(value, list):
        return [strip(v, off) for v in value if not hidden(v)]
    return value


def filtered(data: bytes, rel: PurePosixPath, off: set[str]) -> bytes:
    text = data.decode("utf-8", errors="replace")
    if rel.suffix == ".proto":
        if not PROTO_MARK.search(text):
            return data
        lines = [
            ln for ln in text.splitlines(keepends=True) if (m := PROTO_MARK.search(ln)) is None or m.group(1) not in off
        ]
        return "".join(lines).encode()
    if KEY not in text or not (toggle_names(text) & off):
        return data
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.sources.yamlio import parse

    try:
        doc = parse(data, str(rel), prefer_json=rel.suffix in (".json", ".avsc"))
    except CdcompatError:  # the loader reports the syntax error itself, with its place
        return data
    return json.dumps(strip(doc, off), ensure_ascii=False).encode()


class ToggledReads:
    """Wraps a source's reads so that off toggles hide their elements (installed by ``apply``)."""

    def __init__(self, source: Source, off: set[str]) -> None:
        self.inner = source._read
        self.off = off

    def __call__(self, rel: PurePosixPath) -> bytes:
        return filtered(self.inner(rel), rel, self.off)


def apply(source: Source, states: Mapping[str, bool]) -> None:
    """Hide, in every file ``source`` reads, the elements of the toggles that are off in ``states``."""
    off = {name for name, on in states.items() if not on}
    if off:
        source._read = ToggledReads(source, off)  # type: ignore[method-assign]
        source._cache.clear()

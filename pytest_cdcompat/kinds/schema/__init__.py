"""Schemas as rules see them: canonical JSON Schema 2020-12 values (``canonical.py``) and their structural hashes
(``hashing.py``)."""

from __future__ import annotations

from pytest_cdcompat.kinds.schema.canonical import Canonicaliser, canonicalise, dumps, encode
from pytest_cdcompat.kinds.schema.hashing import Hasher, render, structural_hash

__all__ = ["Canonicaliser", "Hasher", "canonicalise", "dumps", "encode", "render", "structural_hash"]

"""Schemas as rules see them: canonical JSON Schema 2020-12 values (``canonical.py``) and their structural hashes
(``hashing.py``)."""

from __future__ import annotations

from .canonical import Canonicaliser, canonicalise, dumps, encode
from .hashing import Hasher, render, structural_hash

__all__ = ["Canonicaliser", "Hasher", "canonicalise", "dumps", "encode", "render", "structural_hash"]

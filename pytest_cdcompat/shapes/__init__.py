"""Schemas as rules see them: canonical JSON Schema 2020-12 values (``canonical.py``) and their structural hash."""

from __future__ import annotations

from .canonical import Canonicaliser, Hasher, canonicalise, dumps, encode, render, structural_hash

__all__ = ["Canonicaliser", "Hasher", "canonicalise", "dumps", "encode", "render", "structural_hash"]

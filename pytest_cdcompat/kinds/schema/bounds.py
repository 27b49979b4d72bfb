"""Effective bounds of canonical schemas, so bound rules compare like with like.

``minimum: 5`` and ``exclusiveMinimum: 4`` are different spellings of nearly the same bound; rules compare
(value, exclusive) pairs and pick witnesses just outside the reader's bound but inside the writer's.
"""

from __future__ import annotations

from typing import Any

Bound = tuple[float, bool]  # (value, exclusive)


def _num(x: Any) -> float | None:
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def lower(schema: dict[str, Any]) -> Bound | None:
    m, e = _num(schema.get("minimum")), _num(schema.get("exclusiveMinimum"))
    if m is None and e is None:
        return None
    if e is not None and (m is None or e >= m):
        return (e, True)
    return (m, False)  # type: ignore[return-value]


def upper(schema: dict[str, Any]) -> Bound | None:
    m, e = _num(schema.get("maximum")), _num(schema.get("exclusiveMaximum"))
    if m is None and e is None:
        return None
    if e is not None and (m is None or e <= m):
        return (e, True)
    return (m, False)  # type: ignore[return-value]


def lower_stricter(reader: Bound | None, writer: Bound | None) -> bool:
    if reader is None:
        return False
    if writer is None:
        return True
    return reader[0] > writer[0] or (reader[0] == writer[0] and reader[1] and not writer[1])


def upper_stricter(reader: Bound | None, writer: Bound | None) -> bool:
    if reader is None:
        return False
    if writer is None:
        return True
    return reader[0] < writer[0] or (reader[0] == writer[0] and reader[1] and not writer[1])


def _inside(value: float, lo: Bound | None, hi: Bound | None) -> bool:
    if lo is not None and (value < lo[0] or (lo[1] and value == lo[0])):
        return False
    return not (hi is not None and (value > hi[0] or (hi[1] and value == hi[0])))


def witness_below(reader: Bound, writer_lo: Bound | None, writer_hi: Bound | None, integer: bool) -> Any:
    """A number the writer allows that the reader's lower bound rejects, or None."""
    r = reader[0]
    candidates = [r] if reader[1] else []
    candidates += [r - 1, r - 0.5, r - 1e-6, r - 1000]
    if writer_lo is not None:
        candidates.insert(0, writer_lo[0] if not writer_lo[1] else writer_lo[0] + (1 if integer else 0.5))
    for c in candidates:
        if integer and float(c) != int(c):
            continue
        if _inside(c, writer_lo, writer_hi) and not _inside(c, reader, None):
            return int(c) if integer or float(c).is_integer() else c
    return None


def witness_above(reader: Bound, writer_lo: Bound | None, writer_hi: Bound | None, integer: bool) -> Any:
    r = reader[0]
    candidates = [r] if reader[1] else []
    candidates += [r + 1, r + 0.5, r + 1e-6, r + 1000]
    if writer_hi is not None:
        candidates.insert(0, writer_hi[0] if not writer_hi[1] else writer_hi[0] - (1 if integer else 0.5))
    for c in candidates:
        if integer and float(c) != int(c):
            continue
        if _inside(c, writer_lo, writer_hi) and not _inside(c, None, reader):
            return int(c) if integer or float(c).is_integer() else c
    return None


def show(bound: Bound | None, side: str) -> str:
    if bound is None:
        return "none"
    op = {"lower": (">", ">="), "upper": ("<", "<=")}[side]
    value = int(bound[0]) if float(bound[0]).is_integer() else bound[0]
    return f"{op[0] if bound[1] else op[1]} {value}"


def count(schema: dict[str, Any], keyword: str) -> int | None:
    v = schema.get(keyword)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


COUNTED = {
    "minLength": "string",
    "maxLength": "string",
    "minItems": "array",
    "maxItems": "array",
    "minProperties": "object",
    "maxProperties": "object",
}


def count_hits(
    schema_types: set[str] | None, writer: dict[str, Any], reader: dict[str, Any], keyword: str
) -> tuple[int | None, int | None, Any] | None:
    """For a count keyword, ``(writer bound, reader bound, witness)`` when the reader's bound is stricter."""
    kind = COUNTED[keyword]
    if schema_types is not None and kind not in schema_types:
        return None
    r, w = count(reader, keyword), count(writer, keyword)
    if keyword.startswith("min"):
        if r is None or r <= (w or 0):
            return None
        n = w or 0
        other = count(writer, keyword.replace("min", "max"))
        if other is not None and other < n:
            return None
    else:
        if r is None or (w is not None and w <= r):
            return None
        n = r + 1
    witness: Any = None
    if kind == "string":
        witness = "a" * n
    return (w, r, witness)

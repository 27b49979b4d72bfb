"""Scalar strategies (integers, numbers, strings) built inside a flat node's bounds.

Why apart from ``strategies.py``: bounds arithmetic is where off-by-one bugs live (exclusive bounds on integers,
``multipleOf`` scaling, ``int32``/``int64`` formats), and ``minimal.py`` reuses ``int_bounds`` so the smallest
instance and the strategies agree on what the range is.
"""

from __future__ import annotations

import math
import re
from typing import Any

from hypothesis import strategies as st

from pytest_cdcompat.kinds.schema.generate.formats import string_format
from pytest_cdcompat.kinds.schema.generate.values import int_bounds

Strategy = st.SearchStrategy[Any]
CHARS = st.characters(codec="utf-8")
FLOAT32_MAX = 3.4028234663852886e38


def _ranged(lo: int | None, hi: int | None) -> Strategy:
    """Integers in [lo, hi], with the edges of the range drawn often: compatibility bugs live at the bounds."""
    edges = sorted(
        {
            x
            for b in (lo, hi)
            if b is not None
            for x in (b - 1, b, b + 1)
            if (lo is None or x >= lo) and (hi is None or x <= hi)
        }
    )
    plain = st.integers(lo, hi)
    return st.one_of(plain, st.sampled_from(edges)) if edges else plain


def integers(flat: dict[str, Any]) -> Strategy | None:
    lo, hi = int_bounds(flat)
    if lo is not None and hi is not None and lo > hi:
        return None
    step = flat.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0 and float(step).is_integer():
        m = int(step)
        klo = None if lo is None else -((-lo) // m)
        khi = None if hi is None else hi // m
        if klo is not None and khi is not None and klo > khi:
            return None
        return _ranged(klo, khi).map(lambda k: k * m)
    return _ranged(lo, hi)


def numbers(flat: dict[str, Any], integral: bool = True) -> Strategy | None:
    """Numbers in the node's bounds; ``integral=False`` when integers are excluded (a sibling oneOf branch)."""
    lo, hi = flat.get("minimum"), flat.get("maximum")
    xlo, xhi = False, False
    if "exclusiveMinimum" in flat and (lo is None or flat["exclusiveMinimum"] >= lo):
        lo, xlo = flat["exclusiveMinimum"], True
    if "exclusiveMaximum" in flat and (hi is None or flat["exclusiveMaximum"] <= hi):
        hi, xhi = flat["exclusiveMaximum"], True
    if lo is not None and hi is not None and (lo > hi or (lo == hi and (xlo or xhi))):
        return None
    if flat.get("format") == "float":  # float32 range; drawn as 64-bit floats (bounds need not be float32-exact)
        lo = -FLOAT32_MAX if lo is None else max(lo, -FLOAT32_MAX)
        hi = FLOAT32_MAX if hi is None else min(hi, FLOAT32_MAX)
    step = flat.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        klo = None if lo is None else math.ceil(lo / step)
        khi = None if hi is None else math.floor(hi / step)
        if klo is not None and khi is not None and klo > khi:
            return None
        return _ranged(klo, khi).map(lambda k: k * step)
    flo = None if lo is None else (math.nextafter(float(lo), math.inf) if xlo else float(lo))
    fhi = None if hi is None else (math.nextafter(float(hi), -math.inf) if xhi else float(hi))
    if flo is not None and lo is not None and flo < lo:  # an int bound beyond float precision
        flo = math.nextafter(flo, math.inf)
    if fhi is not None and hi is not None and fhi > hi:
        fhi = math.nextafter(fhi, -math.inf)
    if flo is not None and fhi is not None and flo > fhi:
        return integers(flat) if integral else None
    floats = st.floats(flo, fhi, allow_nan=False, allow_infinity=False)
    if not integral:
        return floats.filter(lambda f: not float(f).is_integer())
    edges = [b for b, x in ((lo, xlo), (hi, xhi)) if b is not None and not x]
    if edges:
        floats = st.one_of(floats, st.sampled_from(edges))
    ints = integers(flat)
    return floats if ints is None else st.one_of(ints, floats)


LONG_TEXT = 1000


def strings(flat: dict[str, Any]) -> Strategy | None:
    lo, hi = flat.get("minLength", 0), flat.get("maxLength")
    if hi is not None and lo > hi:
        return None
    pattern, fmt = flat.get("pattern"), flat.get("format")
    if isinstance(pattern, str):
        try:
            re.compile(pattern)
        except re.error:
            pattern = None
    base: st.SearchStrategy[str] | None
    if isinstance(pattern, str):
        # hypothesis builds with Python's re, whose $ also takes a final newline; RE2 and ECMA-262 do not
        base = st.from_regex(pattern, fullmatch=hi is not None, alphabet=CHARS).filter(_matcher(pattern))
    else:
        base = string_format(fmt) if isinstance(fmt, str) else None
        if base is None:
            if lo > LONG_TEXT:  # beyond what hypothesis draws (``minLength: 1000000``): repeat one drawn character
                top = hi if hi is not None else lo + 12
                return st.builds(lambda n, c: c * n, st.integers(lo, min(top, lo + 12)), CHARS)
            return st.text(CHARS, min_size=lo, max_size=hi if hi is not None else lo + 12)
    if lo or hi is not None:
        base = base.filter(lambda s: lo <= len(s) and (hi is None or len(s) <= hi))
    return base


def _matcher(pattern: str) -> Any:
    from pytest_cdcompat.core.regex import search

    def ok(text: str) -> bool:
        try:
            return search(pattern, text)
        except re.error:
            return True

    return ok

"""Fixed values the generator needs without hypothesis: a small readable example per string format, the integer
formats' ranges and a schema's integer bounds. ``minimal`` builds values from these alone, so a report without
generation (``--examples 0``) never imports hypothesis.
"""

from __future__ import annotations

import math
from typing import Any

INT_FORMATS: dict[str, tuple[int, int]] = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

STRING_EXAMPLES: dict[str, str] = {
    "date-time": "2000-01-01T00:00:00Z",
    "date": "2000-01-01",
    "time": "00:00:00Z",
    "email": "a@example.com",
    "idn-email": "a@example.com",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "uri": "https://example.com",
    "uri-reference": "/",
    "iri": "https://example.com",
    "url": "https://example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "byte": "",
    "json-pointer": "",
    "relative-json-pointer": "0",
    "regex": ".*",
    "duration": "P1D",
    "int32": "0",
    "int64": "0",
}


def int_bounds(flat: dict[str, Any]) -> tuple[int | None, int | None]:
    lo: int | None = None
    hi: int | None = None
    if "minimum" in flat:
        lo = math.ceil(flat["minimum"])
    if "exclusiveMinimum" in flat:
        x = math.floor(flat["exclusiveMinimum"]) + 1
        lo = x if lo is None else max(lo, x)
    if "maximum" in flat:
        hi = math.floor(flat["maximum"])
    if "exclusiveMaximum" in flat:
        x = math.ceil(flat["exclusiveMaximum"]) - 1
        hi = x if hi is None else min(hi, x)
    bounds = INT_FORMATS.get(flat.get("format", ""))
    if bounds is not None:
        lo = bounds[0] if lo is None else max(lo, bounds[0])
        hi = bounds[1] if hi is None else min(hi, bounds[1])
    return lo, hi

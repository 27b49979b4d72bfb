"""Two promises of the SQL kind: every value in a finding is plain JSON, and no Python exception escapes the check.

Databases hand back ``bytes`` (BLOB, bytea, BINARY), ``Decimal``, dates, times, UUIDs, ``memoryview``; the report
formats write JSON without a fallback, so ``jsonable`` turns each into a JSON value that says what it was: bytes as
``{"type": "bytes", "hex": "00ff", "base64": "AP8="}``, the others as their text form. ``guard`` turns an unexpected
exception inside the check into one ``SqlInternalError`` naming the migrations and the step it happened in.
"""

from __future__ import annotations

import base64
import datetime
import math
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from pytest_cdcompat.core.errors import CdcompatError


class SqlInternalError(CdcompatError):
    """A bug in the SQL check (not in the user's input): reported as one line naming the files and the step."""


def jsonable(value: Any) -> Any:
    """``value`` with every part a JSON value (dict keys as strings), saying the type where it is not obvious."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"type": "float", "value": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return {"type": "bytes", "hex": raw.hex(), "base64": base64.b64encode(raw).decode("ascii")}
    if isinstance(value, Decimal):
        return {"type": "decimal", "value": str(value)} if not value.is_finite() else str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return {"type": "interval", "seconds": value.total_seconds()}
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    return {"type": type(value).__name__, "value": str(value)}


@contextmanager
def guard(where: str, step: Any) -> Iterator[None]:
    """Run a part of the check; an unexpected exception becomes one clear internal error.

    ``step`` is called on failure and returns the step and the statement being handled (``file:line``) if any.
    """
    try:
        yield
    except (CdcompatError, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except Exception as e:  # a bug of cdcompat's, never the user's: one line, file and step, exit status 2
        what, at = step()
        detail = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise SqlInternalError(
            f"internal error in the SQL check while {what}{f' (at {at})' if at else ''}: "
            f"{type(e).__name__}{': ' + detail if detail else ''}. This is a bug in cdcompat, not in the migrations: "
            "please report it with this message; --cd-compat-examples 0 runs the static rules only",
            path=where,
        ) from e
